package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"signet/handlers"
	"signet/internal/testapp"
	"signet/models"
	"signet/web"
)

// routeParams lists the parameters of an Echo path: ":id" gives "id", a trailing "*" gives "*".
func routeParams(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		switch {
		case strings.HasPrefix(seg, ":"):
			out = append(out, seg[1:])
		case seg == "*":
			out = append(out, "*")
		}
	}
	return out
}

// knownParams are the parameters these tests know how to fill (or know to skip: token and * are not tenant IDs).
var knownParams = map[string]bool{"id": true, "rid": true, "token": true, "*": true}

// tenantIDs are one organization's identifiers, by the kind of thing an ":id" names.
type tenantIDs struct {
	document, recipient, apiKey string
}

// fillRoute substitutes the organization's IDs into a route path; ok is false when it does not know what :id names.
func fillRoute(path string, ids tenantIDs) (string, bool) {
	idKind := ""
	switch {
	case strings.HasPrefix(path, "/documents/:id"), strings.HasPrefix(path, "/api/v1/documents/:id"):
		idKind = ids.document
	case strings.HasPrefix(path, "/settings/api-keys/:id"):
		idKind = ids.apiKey
	default:
		return "", false
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch s {
		case ":id":
			segs[i] = idKind
		case ":rid":
			segs[i] = ids.recipient
		}
	}
	return strings.Join(segs, "/"), true
}

// routeAreas maps "METHOD path" to its area in web.Routes, the table the app registers.
func routeAreas(t *testing.T, app *testapp.App) map[string]string {
	t.Helper()
	areas := map[string]string{}
	for _, r := range web.Routes(&handlers.Handler{}, app.DB) {
		areas[r.Method+" "+r.Path] = r.Area
	}
	return areas
}

func apiKeyID(t *testing.T, app *testapp.App, key string) string {
	t.Helper()
	var k models.APIKey
	if err := app.DB.First(&k, "hash = ?", handlers.HashAPIKey(key)).Error; err != nil {
		t.Fatal(err)
	}
	return k.ID
}

// senderRequest calls a sender route in a browser, with the CSRF token on anything but GET.
func senderRequest(t *testing.T, b *testapp.Browser, method, path string) *testapp.Response {
	t.Helper()
	switch method {
	case http.MethodGet:
		return b.Get(path)
	case http.MethodPost:
		return b.PostForm(path, nil)
	}
	req, _ := http.NewRequest(method, b.App.URL+path, nil)
	req.Header.Set("X-CSRF-Token", b.CSRF)
	return b.Do(req)
}

func apiRequestEmptyBody(app *testapp.App, key, method, path string) *testapp.Response {
	var body any
	if method != http.MethodGet && method != http.MethodHead {
		body = map[string]any{}
	}
	return app.API(key, method, path, body, nil)
}

// A sender of organization X gets 404 for organization Y's IDs on every sender and API route with an :id,
// exactly as for a missing ID, and nothing of Y's changes; the same routes with X's own IDs do not 404.
// The route list is Echo's, so a new route is covered by default.
func TestAuthzForeignOrganizationGets404OnEveryRoute(t *testing.T) {
	app := testapp.New(t)
	x := app.NewSender("x@example.com")
	y := app.NewSender("y@example.com")

	// Y's draft, with a locked recipient: sending, unlocking or reading it would be visible.
	yDoc := app.CreateDocument(y.APIKey, false, "ysigner@example.com")
	yIDs := tenantIDs{document: yDoc.ID, recipient: yDoc.Recipients[0].ID, apiKey: apiKeyID(t, app, y.APIKey)}
	lockedUntil := time.Now().Add(time.Hour).UTC()
	if err := app.DB.Model(&models.Recipient{}).Where("id = ?", yIDs.recipient).Update("locked_until", lockedUntil).Error; err != nil {
		t.Fatal(err)
	}
	yEvents, _ := app.Store.AuditEvents(t.Context(), yDoc.ID)

	xDoc := app.CreateDocument(x.APIKey, false, "xsigner@example.com")
	spare, err := handlers.NewAPIKey(t.Context(), app.Store, x.User, "spare")
	if err != nil {
		t.Fatal(err)
	}
	xIDs := tenantIDs{document: xDoc.ID, recipient: xDoc.Recipients[0].ID, apiKey: apiKeyID(t, app, spare)}

	browser := app.Login(x)
	browser.Get("/documents")
	areas := routeAreas(t, app)

	type check struct {
		method, path, area string
	}
	var checks []check
	for _, r := range app.Echo.Routes() {
		params := routeParams(r.Path)
		hasID := false
		for _, p := range params {
			if !knownParams[p] {
				t.Errorf("%s %s: parameter %q is unknown to this test; teach it what to substitute", r.Method, r.Path, p)
			}
			hasID = hasID || p == "id"
		}
		if !hasID {
			continue
		}
		area, ok := areas[r.Method+" "+r.Path]
		if !ok && r.Method == http.MethodHead {
			area, ok = areas[http.MethodGet+" "+r.Path] // HEAD is served wherever GET is
		}
		if !ok {
			t.Errorf("%s %s is served but not in web.Routes", r.Method, r.Path)
			continue
		}
		if area != web.AreaSender && area != web.AreaAPI {
			t.Errorf("%s %s: an :id route in area %q; this test only knows sender and API routes", r.Method, r.Path, area)
			continue
		}
		checks = append(checks, check{r.Method, r.Path, area})
	}
	t.Logf("%d sender and API routes with :id checked", len(checks))
	if len(checks) < 8 {
		t.Fatalf("only %d routes with :id found; the route list was not read right", len(checks))
	}

	call := func(c check, path, key string) *testapp.Response {
		if c.area == web.AreaAPI {
			return apiRequestEmptyBody(app, key, c.method, path)
		}
		return senderRequest(t, browser, c.method, path)
	}
	for _, c := range checks {
		path, ok := fillRoute(c.path, yIDs)
		if !ok {
			t.Errorf("%s %s: this test does not know what :id names here; teach fillRoute", c.method, c.path)
			continue
		}
		res := call(c, path, x.APIKey)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s with organization Y's IDs: status %d, want 404", c.method, c.path, res.StatusCode)
		}
		if strings.Contains(res.Body, "ysigner@example.com") || strings.HasPrefix(res.Body, "%PDF") {
			t.Errorf("%s %s: the 404 reveals Y's data", c.method, c.path)
		}
		if c.area == web.AreaAPI && c.method != http.MethodHead {
			var e struct {
				Error struct{ Code string } `json:"error"`
			}
			if json.Unmarshal([]byte(res.Body), &e) != nil || e.Error.Code != "not_found" {
				t.Errorf("%s %s: API body %s, want error code not_found", c.method, c.path, res.Body)
			}
		}
		// X's own document with Y's recipient is no way in either.
		if strings.Contains(c.path, ":rid") {
			mixed, _ := fillRoute(c.path, tenantIDs{document: xIDs.document, recipient: yIDs.recipient, apiKey: xIDs.apiKey})
			if m := call(c, mixed, x.APIKey); m.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s with X's document and Y's recipient: status %d, want 404", c.method, c.path, m.StatusCode)
			}
		}
		// A missing ID answers the same way: the two cannot be told apart.
		missing, _ := fillRoute(c.path, tenantIDs{document: models.NewID(), recipient: models.NewID(), apiKey: models.NewID()})
		if m := call(c, missing, x.APIKey); m.StatusCode != res.StatusCode {
			t.Errorf("%s %s: foreign ID gives %d, missing ID %d", c.method, c.path, res.StatusCode, m.StatusCode)
		}
	}

	// Nothing of Y's changed.
	var d models.Document
	app.DB.First(&d, "id = ?", yDoc.ID)
	if d.Status != models.DocDraft {
		t.Errorf("Y's draft is now %q", d.Status)
	}
	var r models.Recipient
	app.DB.First(&r, "id = ?", yIDs.recipient)
	if r.LockedUntil == nil {
		t.Error("Y's recipient was unlocked by X")
	}
	if res := app.API(y.APIKey, http.MethodGet, "/api/v1/documents/"+yDoc.ID, nil, nil); res.StatusCode != http.StatusOK {
		t.Errorf("Y's API key no longer works (revoked by X?): status %d", res.StatusCode)
	}
	if events, _ := app.Store.AuditEvents(t.Context(), yDoc.ID); len(events) != len(yEvents) {
		t.Errorf("X's requests added %d audit events to Y's document", len(events)-len(yEvents))
	}

	// Control: the same routes with X's own IDs are found (so the 404s above are the organization check).
	for _, c := range checks {
		path, _ := fillRoute(c.path, xIDs)
		res := call(c, path, x.APIKey)
		if res.StatusCode == http.StatusNotFound || res.StatusCode >= 500 ||
			(res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/login") {
			t.Errorf("%s %s with X's own IDs: status %d, want the route to work", c.method, c.path, res.StatusCode)
		}
	}
}

// Every sender route sends a visitor who is not logged in to /login, whatever the method.
func TestAuthzSenderRoutesNeedLogin(t *testing.T) {
	app := testapp.New(t)
	owner := app.NewSender("owner@example.com")
	doc := app.CreateDocument(owner.APIKey, false, "signer@example.com")
	ids := tenantIDs{document: doc.ID, recipient: doc.Recipients[0].ID, apiKey: apiKeyID(t, app, owner.APIKey)}
	visitor := app.NewBrowser()
	visitor.Get("/login") // the CSRF token, so that POSTs reach the login check
	n := 0
	for _, r := range web.Routes(&handlers.Handler{}, app.DB) {
		if r.Area != web.AreaSender {
			continue
		}
		path := r.Path
		if strings.Contains(path, ":") {
			var ok bool
			if path, ok = fillRoute(r.Path, ids); !ok {
				t.Errorf("%s %s: this test does not know what :id names here", r.Method, r.Path)
				continue
			}
		}
		res := senderRequest(t, visitor, r.Method, path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Errorf("visitor %s %s: status %d, location %q; want 303 to /login", r.Method, r.Path, res.StatusCode, res.Header.Get("Location"))
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d sender routes checked", n)
	}
	var d models.Document
	app.DB.First(&d, "id = ?", doc.ID)
	if d.Status != models.DocDraft {
		t.Errorf("a visitor changed the draft to %q", d.Status)
	}
	if res := app.API(owner.APIKey, http.MethodGet, "/api/v1/documents/"+doc.ID, nil, nil); res.StatusCode != http.StatusOK {
		t.Errorf("a visitor revoked the API key: status %d", res.StatusCode)
	}
}

// apiCall sends one API request with the given headers.
func apiCallWithHeaders(t *testing.T, app *testapp.App, method, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, app.URL+path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func wantUnauthorized(t *testing.T, what string, res *http.Response, body string) {
	t.Helper()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("%s: status %d, want 401", what, res.StatusCode)
		return
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want JSON", what, ct)
	}
	var e struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == nil || e.Error.Code != "unauthorized" || e.Error.Message == "" {
		t.Errorf("%s: body %s, want {\"error\":{\"code\":\"unauthorized\",\"message\":…}}", what, body)
	}
}

// API keys: none, wrong or revoked → 401 JSON; Bearer and X-API-Key both work; every API route needs a key.
func TestAuthzAPIKeys(t *testing.T) {
	app := testapp.New(t)
	owner := app.NewSender("owner@example.com")
	doc := app.CreateDocument(owner.APIKey, false, "signer@example.com")
	path := "/api/v1/documents/" + doc.ID

	res, body := apiCallWithHeaders(t, app, http.MethodGet, path, nil)
	wantUnauthorized(t, "no key", res, body)
	res, body = apiCallWithHeaders(t, app, http.MethodGet, path, http.Header{"Authorization": {"Bearer sgn_not-a-real-key"}})
	wantUnauthorized(t, "unknown key", res, body)
	res, body = apiCallWithHeaders(t, app, http.MethodGet, path, http.Header{"Authorization": {"Basic " + owner.APIKey}})
	wantUnauthorized(t, "key under the Basic scheme", res, body)

	if res, body := apiCallWithHeaders(t, app, http.MethodGet, path, http.Header{"X-API-Key": {owner.APIKey}}); res.StatusCode != http.StatusOK || !strings.Contains(body, doc.ID) {
		t.Fatalf("X-API-Key: status %d", res.StatusCode)
	}
	if res, body := apiCallWithHeaders(t, app, http.MethodGet, path, http.Header{"Authorization": {"Bearer " + owner.APIKey}}); res.StatusCode != http.StatusOK || !strings.Contains(body, doc.ID) {
		t.Fatalf("Bearer: status %d", res.StatusCode)
	}

	// Every API route refuses a request without a key, before doing anything.
	for _, r := range web.Routes(&handlers.Handler{}, app.DB) {
		if r.Area != web.AreaAPI {
			continue
		}
		p := r.Path
		if strings.Contains(p, ":") {
			var ok bool
			if p, ok = fillRoute(r.Path, tenantIDs{document: doc.ID}); !ok {
				t.Errorf("%s %s: this test does not know what :id names here", r.Method, r.Path)
				continue
			}
		}
		res, body := apiCallWithHeaders(t, app, r.Method, p, nil)
		wantUnauthorized(t, r.Method+" "+r.Path+" without a key", res, body)
	}

	// A key revoked in the settings page stops working at once, under either header.
	sender := app.Login(owner)
	sender.Get("/settings/api-keys")
	created := sender.PostForm("/settings/api-keys", url.Values{"name": {"integration"}})
	if created.StatusCode != http.StatusCreated {
		t.Fatalf("create key: status %d", created.StatusCode)
	}
	var newKey string
	created.Doc(t).Find("code, input, pre").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, v := range []string{s.Text(), s.AttrOr("value", "")} {
			if strings.HasPrefix(strings.TrimSpace(v), "sgn_") {
				newKey = strings.TrimSpace(v)
				return false
			}
		}
		return true
	})
	if newKey == "" {
		t.Fatal("the new key is not shown on the page")
	}
	if res, _ := apiCallWithHeaders(t, app, http.MethodGet, path, http.Header{"X-API-Key": {newKey}}); res.StatusCode != http.StatusOK {
		t.Fatalf("new key: status %d", res.StatusCode)
	}
	if res := sender.PostForm("/settings/api-keys/"+apiKeyID(t, app, newKey)+"/revoke", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: status %d", res.StatusCode)
	}
	res, body = apiCallWithHeaders(t, app, http.MethodGet, path, http.Header{"Authorization": {"Bearer " + newKey}})
	wantUnauthorized(t, "revoked key (Bearer)", res, body)
	res, body = apiCallWithHeaders(t, app, http.MethodGet, path, http.Header{"X-API-Key": {newKey}})
	wantUnauthorized(t, "revoked key (X-API-Key)", res, body)
	if res, _ := apiCallWithHeaders(t, app, http.MethodGet, path, http.Header{"X-API-Key": {owner.APIKey}}); res.StatusCode != http.StatusOK {
		t.Fatalf("revoking one key broke another: status %d", res.StatusCode)
	}
}
