package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signet/internal/testapp"
)

// A link-only signer of a later round cannot download the PDF before their turn; once the
// round before them has signed, they can.
func TestLaterRoundLinkOnlySignerWaitsForTheirTurn(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	var created struct {
		ID         string
		Recipients []struct {
			Email      string
			SigningURL string `json:"signing_url"`
		}
	}
	res := app.API(sender.APIKey, http.MethodPost, "/api/v1/documents", createRequest(testapp.Fixture(t, "in-10.pdf"),
		map[string]any{"name": "Jane Doe", "email": "jane@example.com", "order": 1, "authentication": "email_otp"},
		map[string]any{"name": "Bob Roe", "email": "bob@example.com", "order": 2, "authentication": "none"}), &created)
	if res.StatusCode != http.StatusCreated || len(created.Recipients) != 2 {
		t.Fatalf("create: status %d, body %s", res.StatusCode, res.Body)
	}
	links := map[string]string{}
	for _, r := range created.Recipients {
		links[r.Email] = linkPath(r.SigningURL)
	}
	bob := app.NewBrowser()
	early := bob.Get(links["bob@example.com"] + "/document.pdf")
	if early.StatusCode != http.StatusForbidden || strings.HasPrefix(early.Body, "%PDF-") || !strings.Contains(early.Body, "not your turn") {
		t.Fatalf("round 2 before round 1 signed: status %d, want 403 saying it is not their turn", early.StatusCode)
	}
	if page := bob.Get(links["bob@example.com"]); page.Doc(t).Find(`form[data-testid="sign-form"]`).Length() != 0 {
		t.Fatal("round 2 sees the signing page before their turn")
	}

	jane := app.NewBrowser()
	jane.Verify(links["jane@example.com"], "jane@example.com")
	if res := jane.PostForm(links["jane@example.com"]+"/sign", url.Values{"typed_name": {"Jane Doe"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("round 1 sign: status %d", res.StatusCode)
	}
	if res := bob.Get(links["bob@example.com"] + "/document.pdf"); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF-") {
		t.Fatalf("round 2 in their turn: status %d", res.StatusCode)
	}
}
