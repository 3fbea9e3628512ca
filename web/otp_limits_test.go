package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"signet/config"
	"signet/internal/testapp"
	"signet/otp"
)

// One busy address (an office NAT, or a proxy not trusted for X-Forwarded-For) asks codes for
// many different signers: far more than the old site-wide 30 an hour all get their code.
func TestOTPOneIPManyRecipientsIsNotBlocked(t *testing.T) {
	const signers = 45
	app := testapp.New(t, testapp.Options{DevMailbox: true})
	sender := app.NewSender("owner@example.com")
	emails := make([]string, signers)
	for i := range emails {
		emails[i] = fmt.Sprintf("colleague%02d@example.com", i)
	}
	doc := app.SendDocument(sender, emails...)
	for i, r := range doc.Recipients {
		b := app.NewBrowser()
		res := b.RequestCode(r.Link)
		if flash := flashError(t, b, res); res.StatusCode != http.StatusSeeOther || flash != "" {
			t.Fatalf("send %d from one IP: status %d, flash %q", i+1, res.StatusCode, flash)
		}
	}
	if n := countChallenges(t, app); n != signers {
		t.Fatalf("%d codes sent, want %d", n, signers)
	}
}

// Hammering one signer from one address is still stopped, by the per-(IP, recipient) limit,
// while another address may still ask for that signer.
func TestOTPOneIPHammeringOneRecipientIsBlocked(t *testing.T) {
	policy := otp.DefaultPolicy()
	policy.MaxSendsPerHour, policy.MaxSendsPerIPRecipientHour, policy.ResendCooldown = 100, 3, time.Second
	app := testapp.New(t, testapp.Options{Policy: &policy, DevMailbox: true, Configure: func(c *config.Config) { c.TrustProxy = true }})
	sender := app.NewSender("owner@example.com")
	link := app.SendDocument(sender, "jane@example.com").Recipients[0].Link
	attacker := app.NewBrowser()
	attacker.Header.Set("X-Forwarded-For", "198.51.100.7")
	for i := 1; i <= 4; i++ {
		app.Clock.Advance(2 * time.Second) // past the resend cool-down
		res := attacker.RequestCode(link)
		flash := flashError(t, attacker, res)
		if i <= 3 && flash != "" {
			t.Fatalf("send %d: refused too early: %q", i, flash)
		}
		if i == 4 && !strings.Contains(flash, "from your network") {
			t.Fatalf("send 4 for one signer from one IP: flash %q, want the per-network refusal", flash)
		}
	}
	other := app.NewBrowser()
	other.Header.Set("X-Forwarded-For", "192.0.2.44")
	if flash := flashError(t, other, other.RequestCode(link)); flash != "" {
		t.Fatalf("another IP for the same signer: refused: %q", flash)
	}
	if n := countChallenges(t, app); n != 4 {
		t.Fatalf("%d codes sent, want 4 (3 from the hammering IP, 1 from another)", n)
	}
}

func flashError(t *testing.T, b *testapp.Browser, res *testapp.Response) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send code: status %d, body %s", res.StatusCode, res.Body)
	}
	return strings.TrimSpace(b.Follow(res).Doc(t).Find(`[data-testid="flash-error"]`).Text())
}
