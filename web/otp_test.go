package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/internal/testapp"
	"signet/models"
	"signet/otp"
)

// otpCase is one sent document with one email_otp signer, the subject of the OTP policy tests (DESIGN §4).
type otpCase struct {
	t      *testing.T
	app    *testapp.App
	sender *testapp.Sender
	doc    *testapp.SignerDoc
	rid    string
	email  string
	link   string
}

func newOTPCase(t *testing.T, opts ...testapp.Options) *otpCase {
	t.Helper()
	app := testapp.New(t, opts...)
	sender := app.NewSender("owner@example.com")
	doc := app.SendDocument(sender, "jane@example.com")
	r := doc.Recipients[0]
	return &otpCase{t: t, app: app, sender: sender, doc: doc, rid: r.ID, email: r.Email, link: r.Link}
}

// send presses "Send verification code" in b and expects the redirect to the verify form.
func (c *otpCase) send(b *testapp.Browser) *testapp.Response {
	c.t.Helper()
	res := b.RequestCode(c.link)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.verifyPath() {
		c.t.Fatalf("send code: status %d, location %q, body %s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	return res
}

// sendAndReceive sends a code that must be accepted and returns it once the n-th code email arrived.
func (c *otpCase) sendAndReceive(b *testapp.Browser, n int) string {
	c.t.Helper()
	c.send(b)
	page := b.Get(c.verifyPath())
	if flash := page.Doc(c.t).Find(`[data-testid="flash-error"]`).Text(); flash != "" {
		c.t.Fatalf("send code #%d was refused: %q", n, flash)
	}
	return c.app.WaitForCode(c.email, n)
}

func (c *otpCase) verifyPath() string {
	u, _ := url.Parse(c.link)
	return u.Path + "/verify"
}

// submit posts a code and checks the status of the answer.
func (c *otpCase) submit(b *testapp.Browser, code string, wantStatus int) *testapp.Response {
	c.t.Helper()
	res := b.SubmitCode(c.link, code)
	if res.StatusCode != wantStatus {
		c.t.Fatalf("verify with %s: status %d, want %d; message %q", code, res.StatusCode, wantStatus, codeMessage(c.t, res))
	}
	return res
}

// canSeePDF says whether b's session may fetch the recipient's document bytes.
func (c *otpCase) canSeePDF(b *testapp.Browser) bool {
	c.t.Helper()
	res := b.Get(c.link + "/document.pdf")
	ok := res.StatusCode == http.StatusOK && strings.HasPrefix(res.Body, "%PDF-")
	if !ok && (res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "%PDF")) {
		c.t.Fatalf("document.pdf: status %d; want 200 with a PDF or 403 without one", res.StatusCode)
	}
	return ok
}

func (c *otpCase) challenges() []models.Challenge {
	c.t.Helper()
	var rows []models.Challenge
	if err := c.app.DB.Where("recipient_id = ?", c.rid).Order("created_at").Find(&rows).Error; err != nil {
		c.t.Fatal(err)
	}
	return rows
}

func (c *otpCase) recipient() models.Recipient {
	c.t.Helper()
	var r models.Recipient
	if err := c.app.DB.First(&r, "id = ?", c.rid).Error; err != nil {
		c.t.Fatal(err)
	}
	return r
}

// emailJobs counts the email jobs ever enqueued (River keeps completed jobs for a day).
func (c *otpCase) emailJobs() int64 {
	c.t.Helper()
	var n int64
	if err := c.app.DB.Table("river_job").Where("kind = ?", "email").Count(&n).Error; err != nil {
		c.t.Fatal(err)
	}
	return n
}

func (c *otpCase) auditCount(event string) int {
	c.t.Helper()
	events, err := c.app.Store.AuditEvents(c.t.Context(), c.doc.ID)
	if err != nil {
		c.t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Event == event {
			n++
		}
	}
	return n
}

// codeMessage is the message shown under the code input.
func codeMessage(t *testing.T, res *testapp.Response) string {
	t.Helper()
	return strings.TrimSpace(res.Doc(t).Find(`form[data-testid="verify-form"] .field-error`).Text())
}

// wrongCodeFor returns a well-formed code that differs from code.
func wrongCodeFor(code string) string {
	n, _ := strconv.Atoi(code)
	return fmt.Sprintf("%06d", (n+1)%1000000)
}

func containsOrFatal(t *testing.T, what, s, want string) {
	t.Helper()
	if !strings.Contains(s, want) {
		t.Fatalf("%s: %q does not contain %q", what, s, want)
	}
}

// A code is 6 digits, stored only as a keyed hash, and valid for 10 minutes: after 11 the right code is refused.
func TestOTPCodeExpires(t *testing.T) {
	c := newOTPCase(t)
	jane := c.app.NewBrowser()
	code := c.sendAndReceive(jane, 1)
	if !regexp.MustCompile(`^\d{6}$`).MatchString(code) {
		t.Fatalf("code %q is not 6 digits", code)
	}
	rows := c.challenges()
	if len(rows) != 1 || rows[0].CodeHash == "" || strings.Contains(rows[0].CodeHash, code) || rows[0].IP == code {
		t.Fatalf("challenge row %+v: want one row holding only a hash of the code", rows)
	}
	if d := rows[0].ExpiresAt.Sub(rows[0].CreatedAt); d != 10*time.Minute {
		t.Fatalf("code validity %s, want 10m", d)
	}

	c.app.Clock.Advance(11 * time.Minute)
	res := c.submit(jane, code, http.StatusUnprocessableEntity)
	containsOrFatal(t, "expired code", strings.ToLower(codeMessage(t, res)), "expired")
	if c.canSeePDF(jane) {
		t.Fatal("an expired code opened the document")
	}
	if r := c.recipient(); r.VerifiedAt != nil {
		t.Fatal("an expired code marked the recipient verified")
	}
}

// Just under 10 minutes, the code still works (the validity is not shorter than the policy says).
func TestOTPCodeValidForTenMinutes(t *testing.T) {
	c := newOTPCase(t)
	jane := c.app.NewBrowser()
	code := c.sendAndReceive(jane, 1)
	c.app.Clock.Advance(9*time.Minute + 30*time.Second)
	c.submit(jane, code, http.StatusSeeOther)
	if !c.canSeePDF(jane) {
		t.Fatal("verified session cannot see the document")
	}
}

// A code works once: the same right code from another browser is refused afterwards.
func TestOTPCodeIsSingleUse(t *testing.T) {
	c := newOTPCase(t)
	a := c.app.NewBrowser()
	code := c.sendAndReceive(a, 1)
	c.submit(a, code, http.StatusSeeOther)
	if !c.canSeePDF(a) {
		t.Fatal("browser A verified but cannot see the document")
	}

	b := c.app.NewBrowser()
	res := c.submit(b, code, http.StatusUnprocessableEntity)
	if codeMessage(t, res) == "" {
		t.Fatal("reused code: no message on the form")
	}
	if c.canSeePDF(b) {
		t.Fatal("a used code verified a second browser")
	}
	rows := c.challenges()
	if len(rows) != 1 || rows[0].ConsumedAt == nil {
		t.Fatalf("challenge after use: %+v, want consumed", rows)
	}
	if n := c.auditCount("identity_verified"); n != 1 {
		t.Fatalf("%d identity_verified events, want 1", n)
	}
}

// Five wrong tries burn the code, counted in the database across browsers; then the right code is refused.
func TestOTPFiveWrongTriesBurnTheCode(t *testing.T) {
	c := newOTPCase(t)
	a := c.app.NewBrowser()
	code := c.sendAndReceive(a, 1)
	wrong := wrongCodeFor(code)
	want := []string{"4 tries left", "3 tries left", "2 tries left", "1 try left", "can no longer be used"}
	for i, w := range want {
		b := a
		if i%2 == 1 {
			b = c.app.NewBrowser() // a fresh session: the count must not live in the session
		}
		res := c.submit(b, wrong, http.StatusUnprocessableEntity)
		containsOrFatal(t, fmt.Sprintf("wrong try %d", i+1), codeMessage(t, res), w)
	}
	if rows := c.challenges(); len(rows) != 1 || rows[0].Attempts != 5 {
		t.Fatalf("challenge rows %+v, want one with 5 attempts", rows)
	}

	res := c.submit(a, code, http.StatusUnprocessableEntity)
	containsOrFatal(t, "right code after 5 wrong tries", codeMessage(t, res), "no longer be used")
	if c.canSeePDF(a) {
		t.Fatal("a burnt code opened the document")
	}
	if r := c.recipient(); r.FailedAttempts != 5 || r.LockedUntil != nil {
		t.Fatalf("recipient failures %d locked %v, want 5 and not locked", r.FailedAttempts, r.LockedUntil)
	}
}

// A new code retires the older one: the old code is refused, the new one accepted.
func TestOTPNewCodeInvalidatesOlder(t *testing.T) {
	c := newOTPCase(t)
	b := c.app.NewBrowser()
	old := c.sendAndReceive(b, 1)
	c.app.Clock.Advance(31 * time.Second)
	fresh := c.sendAndReceive(b, 2)
	if old == fresh {
		t.Skip("the two random codes happen to be equal")
	}
	rows := c.challenges()
	if len(rows) != 2 || rows[0].SupersededAt == nil || rows[1].SupersededAt != nil {
		t.Fatalf("challenges %+v: want the first superseded and the second active", rows)
	}

	c.submit(b, old, http.StatusUnprocessableEntity)
	if c.canSeePDF(b) {
		t.Fatal("the superseded code opened the document")
	}
	c.submit(b, fresh, http.StatusSeeOther)
	if !c.canSeePDF(b) {
		t.Fatal("the new code did not open the document")
	}
}

// A new code does not reset the recipient's failure count: 4 wrong on code 1, 5 on code 2, 1 on code 3 make
// 10 failures in the hour and lock the recipient (429, page says locked) in every browser, for sending too;
// the sender's unlock lets the right code through again.
func TestOTPNewCodeDoesNotResetFailuresAndLockout(t *testing.T) {
	c := newOTPCase(t)
	a := c.app.NewBrowser()

	code1 := c.sendAndReceive(a, 1)
	for range 4 {
		c.submit(a, wrongCodeFor(code1), http.StatusUnprocessableEntity)
	}
	c.app.Clock.Advance(31 * time.Second)
	code2 := c.sendAndReceive(a, 2)
	for i := range 5 {
		res := c.submit(a, wrongCodeFor(code2), http.StatusUnprocessableEntity)
		if strings.Contains(strings.ToLower(res.Body), "locked") {
			t.Fatalf("locked after %d failures, want 10", 4+i+1)
		}
	}
	if r := c.recipient(); r.FailedAttempts != 9 {
		t.Fatalf("recipient failures %d after 4+5 wrong tries on two codes, want 9 (a new code must not reset them)", r.FailedAttempts)
	}
	c.app.Clock.Advance(31 * time.Second)
	code3 := c.sendAndReceive(a, 3)
	res := c.submit(a, wrongCodeFor(code3), http.StatusTooManyRequests)
	containsOrFatal(t, "10th failure", strings.ToLower(codeMessage(t, res)), "locked")

	// The lock is in the database: the right code is refused here and in a fresh browser, and no code can be sent.
	res = c.submit(a, code3, http.StatusTooManyRequests)
	containsOrFatal(t, "right code while locked", strings.ToLower(codeMessage(t, res)), "locked")
	other := c.app.NewBrowser()
	res = c.submit(other, code3, http.StatusTooManyRequests)
	containsOrFatal(t, "right code while locked, other browser", strings.ToLower(codeMessage(t, res)), "locked")
	res = other.RequestCode(c.link)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(strings.ToLower(res.Body), "locked") {
		t.Fatalf("send code while locked: status %d, want 429 saying locked", res.StatusCode)
	}
	if n := len(c.challenges()); n != 3 {
		t.Fatalf("%d challenges after a send while locked, want 3", n)
	}
	if c.canSeePDF(a) || c.canSeePDF(other) {
		t.Fatal("a locked recipient sees the document")
	}
	r := c.recipient()
	if r.LockedUntil == nil || r.LockedUntil.Sub(c.app.Clock.Now()) < 59*time.Minute || r.LockedUntil.Sub(c.app.Clock.Now()) > 61*time.Minute {
		t.Fatalf("locked_until %v, want about an hour from now", r.LockedUntil)
	}

	// The sender sees the lock and lifts it.
	sender := c.app.Login(c.sender)
	unlockForm := fmt.Sprintf(`form[action="/documents/%s/recipients/%s/unlock"]`, c.doc.ID, c.rid)
	page := sender.Get("/documents/" + c.doc.ID)
	if page.StatusCode != http.StatusOK || page.Doc(t).Find(unlockForm).Length() != 1 {
		t.Fatalf("sender's document page: status %d, unlock form missing", page.StatusCode)
	}
	res = sender.PostForm("/documents/"+c.doc.ID+"/recipients/"+c.rid+"/unlock", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlock: status %d, body %s", res.StatusCode, res.Body)
	}
	if r := c.recipient(); r.LockedUntil != nil || r.FailedAttempts != 0 {
		t.Fatalf("after unlock: locked_until %v, failures %d", r.LockedUntil, r.FailedAttempts)
	}
	if n := c.auditCount("recipient_unlocked"); n != 1 {
		t.Fatalf("%d recipient_unlocked events, want 1", n)
	}
	c.submit(a, code3, http.StatusSeeOther)
	if !c.canSeePDF(a) {
		t.Fatal("after the unlock the right code did not open the document")
	}
}

// The lock lasts an hour: still locked after 59 minutes, free again after 61 without the sender.
func TestOTPLockoutLastsAnHour(t *testing.T) {
	c := newOTPCase(t)
	b := c.app.NewBrowser()
	code1 := c.sendAndReceive(b, 1)
	for range 5 {
		c.submit(b, wrongCodeFor(code1), http.StatusUnprocessableEntity)
	}
	c.app.Clock.Advance(31 * time.Second)
	code2 := c.sendAndReceive(b, 2)
	for range 4 {
		c.submit(b, wrongCodeFor(code2), http.StatusUnprocessableEntity)
	}
	c.submit(b, wrongCodeFor(code2), http.StatusTooManyRequests)

	c.app.Clock.Advance(59 * time.Minute)
	if res := b.RequestCode(c.link); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("send code 59 minutes into the lock: status %d, want 429", res.StatusCode)
	}
	c.app.Clock.Advance(2 * time.Minute)
	code3 := c.sendAndReceive(b, 3)
	c.submit(b, code3, http.StatusSeeOther)
}

// Failures older than the hour window do not count towards the lock.
func TestOTPFailuresOutsideTheHourDoNotLock(t *testing.T) {
	c := newOTPCase(t)
	b := c.app.NewBrowser()
	code1 := c.sendAndReceive(b, 1)
	for range 5 {
		c.submit(b, wrongCodeFor(code1), http.StatusUnprocessableEntity)
	}
	c.app.Clock.Advance(31 * time.Second)
	code2 := c.sendAndReceive(b, 2)
	for range 4 {
		c.submit(b, wrongCodeFor(code2), http.StatusUnprocessableEntity)
	}
	c.app.Clock.Advance(61 * time.Minute)
	code3 := c.sendAndReceive(b, 3)
	res := c.submit(b, wrongCodeFor(code3), http.StatusUnprocessableEntity)
	containsOrFatal(t, "first failure of a new hour", codeMessage(t, res), "4 tries left")
	if r := c.recipient(); r.LockedUntil != nil {
		t.Fatal("failures from more than an hour ago locked the recipient")
	}
}

var waitSeconds = regexp.MustCompile(`in (\d+) seconds`)

// flashAfter follows a send-code redirect and returns the error flash shown on the verify page.
func (c *otpCase) flashAfter(b *testapp.Browser, res *testapp.Response) string {
	c.t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.verifyPath() {
		c.t.Fatalf("refused send: status %d location %q, want 303 to the verify form", res.StatusCode, res.Header.Get("Location"))
	}
	page := b.Follow(res)
	return strings.TrimSpace(page.Doc(c.t).Find(`[data-testid="flash-error"]`).Text())
}

// A second send within 30 s is refused with a flash naming the seconds to wait; nothing is created or mailed.
func TestOTPResendCooldown(t *testing.T) {
	c := newOTPCase(t)
	b := c.app.NewBrowser()
	c.sendAndReceive(b, 1)
	jobs := c.emailJobs()

	c.app.Clock.Advance(5 * time.Second)
	flash := c.flashAfter(b, b.RequestCode(c.link))
	m := waitSeconds.FindStringSubmatch(flash)
	if m == nil {
		t.Fatalf("cool-down flash %q does not name the seconds to wait", flash)
	}
	if n, _ := strconv.Atoi(m[1]); n < 1 || n > 26 {
		t.Fatalf("cool-down flash says %d seconds 5 s after a send, want at most 26", n)
	}
	if n := len(c.challenges()); n != 1 {
		t.Fatalf("%d challenges after a refused resend, want 1", n)
	}
	if n := c.emailJobs(); n != jobs {
		t.Fatalf("a refused resend enqueued %d email jobs", n-jobs)
	}
	if n := c.auditCount("code_sent"); n != 1 {
		t.Fatalf("%d code_sent events after a refused resend, want 1", n)
	}

	c.app.Clock.Advance(15 * time.Second)
	m = waitSeconds.FindStringSubmatch(c.flashAfter(b, b.RequestCode(c.link)))
	if m == nil {
		t.Fatal("20 s after a send: no cool-down flash")
	}
	if n, _ := strconv.Atoi(m[1]); n < 1 || n > 11 {
		t.Fatalf("cool-down flash says %d seconds 20 s after a send, want at most 11 (the wait counts down)", n)
	}

	c.app.Clock.Advance(11 * time.Second) // 31 s after the first send
	code2 := c.sendAndReceive(b, 2)
	if n := len(c.challenges()); n != 2 {
		t.Fatalf("%d challenges after the cool-down, want 2", n)
	}
	c.submit(b, code2, http.StatusSeeOther)
	if n := len(c.app.CodeMails(c.email)); n != 2 {
		t.Fatalf("%d code emails, want 2", n)
	}
}

// At most 5 sends per hour per recipient: the 6th is refused; an hour later sending works again.
func TestOTPHourlySendCap(t *testing.T) {
	c := newOTPCase(t)
	b := c.app.NewBrowser()
	for i := 1; i <= 5; i++ {
		c.sendAndReceive(b, i)
		c.app.Clock.Advance(31 * time.Second)
	}
	jobs := c.emailJobs()
	flash := c.flashAfter(b, b.RequestCode(c.link))
	containsOrFatal(t, "6th send", flash, "Too many codes")
	if n := len(c.challenges()); n != 5 {
		t.Fatalf("%d challenges after the 6th send, want 5", n)
	}
	if n := c.emailJobs(); n != jobs {
		t.Fatal("the refused 6th send enqueued an email")
	}

	c.app.Clock.Advance(time.Hour)
	code := c.sendAndReceive(b, 6)
	c.submit(b, code, http.StatusSeeOther)
}

// The per-IP send limit holds across recipients, and X-Forwarded-For does not get around it (no trusted proxy).
func TestOTPPerIPSendLimit(t *testing.T) {
	policy := otp.DefaultPolicy()
	policy.MaxSendsPerIPHour = 3
	app := testapp.New(t, testapp.Options{Policy: &policy})
	sender := app.NewSender("owner@example.com")
	emails := []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com"}
	doc := app.SendDocument(sender, emails...)
	for i, r := range doc.Recipients {
		b := app.NewBrowser()
		b.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
		res := b.RequestCode(r.Link)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("send %d: status %d", i+1, res.StatusCode)
		}
		flash := strings.TrimSpace(b.Follow(res).Doc(t).Find(`[data-testid="flash-error"]`).Text())
		if i < 3 && flash != "" {
			t.Fatalf("send %d from the IP refused: %q", i+1, flash)
		}
		if i == 3 {
			containsOrFatal(t, "4th send from one IP", flash, "from your network")
		}
	}
	var n int64
	app.DB.Model(&models.Challenge{}).Count(&n)
	if n != 3 {
		t.Fatalf("%d challenges, want 3 (the 4th send from one IP refused)", n)
	}
}

// Concurrent submissions of the right code, each from its own browser: exactly one wins, in every round.
func TestOTPConcurrentRightCodes(t *testing.T) {
	const contenders = 8
	c := newOTPCase(t)
	sender := c.app.NewBrowser()
	for round := 1; round <= 3; round++ {
		if round > 1 {
			c.app.Clock.Advance(31 * time.Second)
		}
		code := c.sendAndReceive(sender, round)
		browsers := make([]*testapp.Browser, contenders)
		reqs := make([]*http.Request, contenders)
		for i := range browsers {
			b := c.app.NewBrowser()
			if res := b.Get(c.link + "/verify"); res.StatusCode != http.StatusOK || b.CSRF == "" {
				t.Fatalf("verify form: status %d, csrf %q", res.StatusCode, b.CSRF)
			}
			form := url.Values{"code": {code}, "_csrf": {b.CSRF}}
			reqs[i], _ = http.NewRequest(http.MethodPost, c.link+"/verify", strings.NewReader(form.Encode()))
			reqs[i].Header.Set("Content-Type", "application/x-www-form-urlencoded")
			browsers[i] = b
		}
		statuses := make([]int, contenders)
		errs := make([]error, contenders)
		var ready, done sync.WaitGroup
		start := make(chan struct{})
		for i := range browsers {
			ready.Add(1)
			done.Add(1)
			go func() {
				defer done.Done()
				ready.Done()
				<-start
				res, err := browsers[i].Client.Do(reqs[i])
				if err != nil {
					errs[i] = err
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				statuses[i] = res.StatusCode
			}()
		}
		ready.Wait()
		close(start)
		done.Wait()

		winners := 0
		for i, s := range statuses {
			if errs[i] != nil {
				t.Fatalf("round %d, contender %d: %v", round, i, errs[i])
			}
			switch s {
			case http.StatusSeeOther:
				winners++
				if !c.canSeePDF(browsers[i]) {
					t.Fatalf("round %d: the winner cannot see the document", round)
				}
			case http.StatusUnprocessableEntity:
				if c.canSeePDF(browsers[i]) {
					t.Fatalf("round %d: a refused contender sees the document", round)
				}
			default:
				t.Fatalf("round %d: statuses %v, want one 303 and the rest 422", round, statuses)
			}
		}
		if winners != 1 {
			t.Fatalf("round %d: %d contenders won with the same code (statuses %v), want exactly 1", round, winners, statuses)
		}
		if n := c.auditCount("identity_verified"); n != round {
			t.Fatalf("after round %d: %d identity_verified events, want %d", round, n, round)
		}
	}
}

// A burst of concurrent wrong codes is answered (never a 5xx) and still burns the code: the right one is refused after.
func TestOTPConcurrentWrongCodesBurnTheCode(t *testing.T) {
	const contenders = 12
	c := newOTPCase(t)
	a := c.app.NewBrowser()
	code := c.sendAndReceive(a, 1)
	wrong := wrongCodeFor(code)
	statuses := make([]int, contenders)
	errs := make([]error, contenders)
	reqs := make([]*http.Request, contenders)
	clients := make([]*http.Client, contenders)
	for i := range reqs {
		b := c.app.NewBrowser()
		b.Get(c.link + "/verify")
		form := url.Values{"code": {wrong}, "_csrf": {b.CSRF}}
		reqs[i], _ = http.NewRequest(http.MethodPost, c.link+"/verify", strings.NewReader(form.Encode()))
		reqs[i].Header.Set("Content-Type", "application/x-www-form-urlencoded")
		clients[i] = b.Client
	}
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range reqs {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			res, err := clients[i].Do(reqs[i])
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	for i, s := range statuses {
		if errs[i] != nil || (s != http.StatusUnprocessableEntity && s != http.StatusTooManyRequests) {
			t.Fatalf("concurrent wrong codes: statuses %v, errors %v; want only 422 or 429", statuses, errs)
		}
	}
	if rows := c.challenges(); rows[0].Attempts != 5 {
		t.Fatalf("%d concurrent wrong codes recorded %d attempts, want exactly 5 (they burn the code, no more)", contenders, rows[0].Attempts)
	}
	if r := c.recipient(); r.FailedAttempts != 5 {
		t.Fatalf("%d concurrent wrong codes counted %d recipient failures, want 5: failures after the code burnt must not count", contenders, r.FailedAttempts)
	}
	res := c.submit(a, code, statusRefused(t, c))
	if msg := codeMessage(t, res); msg == "" {
		t.Fatal("the right code after the burst: no message")
	}
	if c.canSeePDF(a) {
		t.Fatal("the right code opened the document after a burst of wrong ones")
	}
}

// statusRefused is 429 when the recipient got locked (10 failures in the hour), otherwise 422.
func statusRefused(t *testing.T, c *otpCase) int {
	t.Helper()
	if r := c.recipient(); r.LockedUntil != nil && r.LockedUntil.After(c.app.Clock.Now()) {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}
