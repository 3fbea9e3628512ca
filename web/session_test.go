package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"signet/config"
	"signet/internal/testapp"
	"signet/models"
)

// rawGet fetches a path with exactly one cookie and no jar, as someone replaying a stolen or old cookie would.
func getWithCookie(t *testing.T, app *testapp.App, path string, cookie *http.Cookie) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, app.URL+path, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func linkPath(link string) string {
	u, _ := url.Parse(link)
	return u.Path
}

// setCookie returns the Set-Cookie header line of a response for a cookie name ("" when absent).
func setCookieLine(res *http.Response, name string) string {
	for _, line := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, name+"=") {
			return line
		}
	}
	return ""
}

// The session token changes on verification and on login; the token it replaces is dead, not upgraded.
func TestSessionRenewedOnVerificationAndLogin(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	doc := app.SendDocument(sender, "jane@example.com")
	link := doc.Recipients[0].Link
	jane := app.NewBrowser()

	if res := jane.RequestCode(link); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send code: status %d", res.StatusCode)
	}
	code := app.WaitForCode("jane@example.com", 1)
	jane.Get(linkPath(link) + "/verify")
	before := jane.Cookie("signet")
	if before == "" {
		t.Fatal("no session cookie before verification: the renewal cannot be checked")
	}
	if res := jane.SubmitCode(link, code); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: status %d", res.StatusCode)
	}
	verified := jane.Cookie("signet")
	if verified == "" || verified == before {
		t.Fatalf("session cookie %q → %q: want a new token on verification", before, verified)
	}
	if res, body := getWithCookie(t, app, linkPath(link)+"/document.pdf", &http.Cookie{Name: "signet", Value: before}); res.StatusCode != http.StatusForbidden || strings.HasPrefix(body, "%PDF") {
		t.Fatalf("the pre-verification token opened the document: status %d", res.StatusCode)
	}
	if res, body := getWithCookie(t, app, linkPath(link)+"/document.pdf", &http.Cookie{Name: "signet", Value: verified}); res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("the verified token alone does not open the document: status %d", res.StatusCode)
	}

	// Logging in from the same browser renews the token again.
	jane.Get("/login")
	res := jane.PostForm("/login", url.Values{"email": {sender.User.Email}, "password": {sender.Password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}
	loggedIn := jane.Cookie("signet")
	if loggedIn == "" || loggedIn == verified {
		t.Fatalf("session cookie %q → %q: want a new token on login", verified, loggedIn)
	}
	if res, _ := getWithCookie(t, app, "/documents", &http.Cookie{Name: "signet", Value: verified}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("the token from before login reached /documents: status %d", res.StatusCode)
	}
	if res, _ := getWithCookie(t, app, "/documents", &http.Cookie{Name: "signet", Value: loggedIn}); res.StatusCode != http.StatusOK {
		t.Fatalf("the new token does not reach /documents: status %d", res.StatusCode)
	}

	// A fresh sender login also gets a new token when a session already existed (no fixation).
	other := app.NewBrowser()
	other.RequestCode(link) // creates an anonymous session (flash)
	anon := other.Cookie("signet")
	if anon == "" {
		t.Fatal("no anonymous session to fixate")
	}
	other.Get("/login")
	other.PostForm("/login", url.Values{"email": {sender.User.Email}, "password": {sender.Password}})
	if got := other.Cookie("signet"); got == "" || got == anon {
		t.Fatalf("login kept the anonymous session token %q", anon)
	}
	if res, _ := getWithCookie(t, app, "/documents", &http.Cookie{Name: "signet", Value: anon}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the anonymous token became a logged-in one: status %d", res.StatusCode)
	}
}

// A verification opens one recipient of one document: not a co-signer's, not the same person's on another document.
func TestSessionVerificationIsBoundToOneRecipient(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	doc1 := app.SendDocument(sender, "jane@example.com", "bob@example.com")
	doc2 := app.SendDocument(sender, "jane@example.com")
	jane1, bob1, jane2 := doc1.Recipient(t, "jane@example.com"), doc1.Recipient(t, "bob@example.com"), doc2.Recipient(t, "jane@example.com")

	b := app.NewBrowser()
	b.Verify(jane1.Link, "jane@example.com")
	if res := b.Get(jane1.Link + "/document.pdf"); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF-") {
		t.Fatalf("own document: status %d", res.StatusCode)
	}

	for _, other := range []struct {
		what string
		r    testapp.SignerRecipient
	}{{"co-signer on the same document", bob1}, {"same person on another document", jane2}} {
		for _, p := range []string{"/document.pdf", "/done", "/status"} {
			if res := b.Get(other.r.Link + p); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "%PDF") {
				t.Errorf("%s: GET %s: status %d, want 403 without document bytes", other.what, p, res.StatusCode)
			}
		}
		landing := b.Get(other.r.Link)
		if landing.StatusCode != http.StatusOK || !strings.Contains(landing.Body, "Send verification code") ||
			landing.Doc(t).Find(`form[data-testid="sign-form"]`).Length() != 0 {
			t.Errorf("%s: landing status %d: want the Send verification code button and no signing form", other.what, landing.StatusCode)
		}
		if res := b.PostForm(other.r.Link+"/sign", url.Values{"typed_name": {other.r.Name}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: sign: status %d, want 403", other.what, res.StatusCode)
		}
		if res := b.PostForm(other.r.Link+"/decline", url.Values{"reason": {"no"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: decline: status %d, want 403", other.what, res.StatusCode)
		}
		var r models.Recipient
		if err := app.DB.First(&r, "id = ?", other.r.ID).Error; err != nil {
			t.Fatal(err)
		}
		if r.SignedAt != nil || r.DeclinedAt != nil || r.VerifiedAt != nil {
			t.Errorf("%s: recipient changed: %+v", other.what, r)
		}
	}
}

// The session cookie over http: named signet, HttpOnly, SameSite=Lax, not persistent, not Secure.
func TestSessionCookieAttributes(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	b := app.NewBrowser()
	line := setCookieLine(b.Get("/login").Response, "signet")
	if line == "" {
		t.Fatal("the login form set no session cookie (its CSRF token lives in the session)")
	}
	checkCookieLine(t, "session cookie (before log-in)", line, false)
	res := b.PostForm("/login", url.Values{"email": {sender.User.Email}, "password": {sender.Password}})
	line = setCookieLine(res.Response, "signet")
	if line == "" {
		t.Fatalf("login set no signet cookie; Set-Cookie: %q", res.Header.Values("Set-Cookie"))
	}
	checkCookieLine(t, "session cookie", line, false)
}

// checkCookieLine checks a Set-Cookie line; only the session cookie must be non-persistent (DESIGN §4).
func checkCookieLine(t *testing.T, what, line string, secure bool) {
	t.Helper()
	c, err := http.ParseSetCookie(line)
	if err != nil {
		t.Fatalf("%s: %q: %v", what, line, err)
	}
	lower := strings.ToLower(line)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Errorf("%s %q: want HttpOnly, SameSite=Lax, Path=/ and no Domain", what, line)
	}
	if strings.Contains(what, "session") && (strings.Contains(lower, "expires=") || strings.Contains(lower, "max-age")) {
		t.Errorf("%s %q: persistent; want a browser-session cookie", what, line)
	}
	if c.Secure != secure {
		t.Errorf("%s %q: Secure=%v, want %v", what, line, c.Secure, secure)
	}
}

// Under an https base URL the cookies are Secure and the session one is __Host-signet; HSTS is sent.
func TestSessionCookieSecureUnderHTTPS(t *testing.T) {
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.BaseURL = strings.Replace(c.BaseURL, "http://", "https://", 1)
	}})
	sender := app.NewSender("owner@example.com")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// The test server speaks http, so the secure cookies are carried by hand (a jar would withhold them).
	res, err := client.Get(app.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS under an https base URL: %q", res.Header.Get("Strict-Transport-Security"))
	}
	preLine := setCookieLine(res, "__Host-signet")
	if preLine == "" {
		t.Fatalf("login form set no session cookie for its CSRF token: %q", res.Header.Values("Set-Cookie"))
	}
	checkCookieLine(t, "session cookie (before log-in)", preLine, true)
	preSession, _ := http.ParseSetCookie(preLine)
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(string(body))
	if m == nil {
		t.Fatal("login form has no _csrf input")
	}

	form := url.Values{"_csrf": {m[1]}, "email": {sender.User.Email}, "password": {sender.Password}}
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: preSession.Name, Value: preSession.Value})
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}
	if line := setCookieLine(res, "signet"); line != "" {
		t.Errorf("a plain signet cookie under https: %q", line)
	}
	line := setCookieLine(res, "__Host-signet")
	if line == "" {
		t.Fatalf("login under https set no __Host-signet cookie: %q", res.Header.Values("Set-Cookie"))
	}
	checkCookieLine(t, "session cookie", line, true)
	session, _ := http.ParseSetCookie(line)
	if res, _ := getWithCookie(t, app, "/documents", &http.Cookie{Name: "__Host-signet", Value: session.Value}); res.StatusCode != http.StatusOK {
		t.Fatalf("the __Host-signet cookie does not carry the login: status %d", res.StatusCode)
	}
	if res, _ := getWithCookie(t, app, "/documents", &http.Cookie{Name: "signet", Value: session.Value}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("under https a cookie named signet was accepted: status %d", res.StatusCode)
	}
}

// checkSecurityHeaders asserts DESIGN §4's headers on one response.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			directives[strings.ToLower(name)] = value
		}
	}
	if directives["frame-ancestors"] != "'none'" {
		t.Errorf("%s: CSP %q lacks frame-ancestors 'none'", what, csp)
	}
	script, ok := directives["script-src"]
	if !ok {
		script, ok = directives["default-src"]
	}
	if !ok || strings.Contains(script, "'unsafe-inline'") || strings.Contains(script, "'unsafe-eval'") || strings.Contains(script, "*") {
		t.Errorf("%s: CSP %q: script-src must exist and allow no inline script", what, csp)
	}
	if got := h.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy %q", what, got)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", what, got)
	}
}

// Every kind of response carries the security headers: pages, error pages, the API, PDFs (never cached).
func TestSecurityHeaders(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	doc := app.SendDocument(sender, "jane@example.com")
	link := doc.Recipients[0].Link
	jane := app.NewBrowser()
	jane.Verify(link, "jane@example.com")
	owner := app.Login(sender)
	visitor := app.NewBrowser()

	pages := map[string]*testapp.Response{
		"login page":           visitor.Get("/login"),
		"signer landing":       app.NewBrowser().Get(link),
		"signer document page": jane.Get(link),
		"sender dashboard":     owner.Get("/documents"),
	}
	for what, res := range pages {
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", what, res.StatusCode)
		}
		checkSecurityHeaders(t, what, res.Header)
		// The CSP forbids inline script, so pages must not rely on any.
		doc := res.Doc(t)
		if n := doc.Find("script:not([src])").Length(); n != 0 {
			t.Errorf("%s: %d inline <script> elements, blocked by the CSP", what, n)
		}
		if strings.Contains(strings.ToLower(res.Body), " onclick=") || strings.Contains(strings.ToLower(res.Body), " onsubmit=") {
			t.Errorf("%s: inline event handler, blocked by the CSP", what)
		}
	}

	errorPages := map[string]*testapp.Response{
		"404 page":         visitor.Get("/no-such-page"),
		"bad signing link": visitor.Get("/s/" + strings.Repeat("A", 43)),
		"403 page":         visitor.Get(link + "/document.pdf"),
		"405 page":         visitor.Get("/logout"),
		"CSRF failure":     visitor.Do(emptyFormRequest(t, http.MethodPost, app.URL+"/logout")),
	}
	for what, res := range errorPages {
		if res.StatusCode < 400 {
			t.Fatalf("%s: status %d, want an error", what, res.StatusCode)
		}
		checkSecurityHeaders(t, what, res.Header)
	}

	api := map[string]*testapp.Response{
		"API document":   app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+doc.ID, nil, nil),
		"API 401":        app.API("", http.MethodGet, "/api/v1/documents/"+doc.ID, nil, nil),
		"API 404":        app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+models.NewID(), nil, nil),
		"API file (PDF)": app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+doc.ID+"/file", nil, nil),
	}
	for what, res := range api {
		checkSecurityHeaders(t, what, res.Header)
	}

	pdfs := map[string]*testapp.Response{
		"signer PDF":          jane.Get(link + "/document.pdf"),
		"sender original PDF": owner.Get("/documents/" + doc.ID + "/original.pdf"),
		"API file (PDF)":      api["API file (PDF)"],
	}
	for what, res := range pdfs {
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF-") {
			t.Fatalf("%s: status %d", what, res.StatusCode)
		}
		checkSecurityHeaders(t, what, res.Header)
		if got := res.Header.Get("Cache-Control"); !strings.Contains(got, "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store", what, got)
		}
	}
}

func emptyFormRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// postWithoutToken posts a form with the browser's cookies (its session included) but the given _csrf value.
func postWithoutToken(b *testapp.Browser, path string, v url.Values) *testapp.Response {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.App.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// A state-changing form without (or with a wrong) _csrf is refused with 403 and changes nothing.
func TestCSRFRequiredOnForms(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	sent := app.SendDocument(sender, "jane@example.com")
	draft := app.CreateDocument(sender.APIKey, false, "bob@example.com")
	link := linkPath(sent.Recipients[0].Link)

	// Signer: send code.
	jane := app.NewBrowser()
	jane.Get(link)
	if jane.CSRF == "" || jane.Cookie("signet") == "" {
		t.Fatal("the landing gave no CSRF token and session")
	}
	for _, token := range []string{"", "forged-token"} {
		v := url.Values{}
		if token != "" {
			v.Set("_csrf", token)
		}
		if res := postWithoutToken(jane, link+"/code", v); res.StatusCode != http.StatusForbidden {
			t.Fatalf("send code with _csrf %q: status %d, want 403", token, res.StatusCode)
		}
	}
	if n := countChallenges(t, app); n != 0 {
		t.Fatalf("%d codes created by forged requests", n)
	}
	// The same request with the token works (so the 403 above was the CSRF check), also as htmx sends it.
	req, _ := http.NewRequest(http.MethodPost, app.URL+link+"/code", nil)
	req.Header.Set("X-CSRF-Token", jane.CSRF)
	if res := jane.Do(req); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send code with the X-CSRF-Token header: status %d", res.StatusCode)
	}
	if n := countChallenges(t, app); n != 1 {
		t.Fatalf("%d codes after one genuine request, want 1", n)
	}

	// Sender: send a draft, log out.
	owner := app.Login(sender)
	owner.Get("/documents/" + draft.ID)
	if res := postWithoutToken(owner, "/documents/"+draft.ID+"/send", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("send draft without _csrf: status %d, want 403", res.StatusCode)
	}
	var d models.Document
	if err := app.DB.First(&d, "id = ?", draft.ID).Error; err != nil || d.Status != models.DocDraft {
		t.Fatalf("draft after a forged send: status %q (%v), want draft", d.Status, err)
	}
	if res := postWithoutToken(owner, "/logout", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without _csrf: status %d, want 403", res.StatusCode)
	}
	if res := owner.Get("/documents"); res.StatusCode != http.StatusOK {
		t.Fatalf("a forged logout logged the sender out: status %d", res.StatusCode)
	}
	if res := owner.PostForm("/documents/"+draft.ID+"/send", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send draft with _csrf: status %d", res.StatusCode)
	}

	// Login itself is protected (login CSRF).
	visitor := app.NewBrowser()
	visitor.Get("/login")
	res := postWithoutToken(visitor, "/login", url.Values{"email": {sender.User.Email}, "password": {sender.Password}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("login without _csrf: status %d, want 403", res.StatusCode)
	}
	if res := visitor.Get("/documents"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a login without _csrf logged the visitor in: GET /documents status %d", res.StatusCode)
	}
}
