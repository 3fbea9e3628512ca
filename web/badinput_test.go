package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"signet/internal/testapp"
	"signet/models"
	"signet/pdf"
)

// apiErrorBody is the JSON error every API failure must carry.
type apiErrorBody struct {
	Error *struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// fieldErrors selects the messages the server rendered next to invalid fields (components.FieldError).
const fieldErrors = `.field-error[role="alert"]`

// storedTables are the tables a refused request must leave untouched.
var storedTables = []string{"documents", "recipients", "audit_events", "challenges", "river_job"}

type rowCounts map[string]int64

func countStoredRows(t *testing.T, app *testapp.App) rowCounts {
	t.Helper()
	app.WaitJobsIdle() // deliveries append audit events of their own
	c := rowCounts{}
	for _, table := range storedTables {
		var n int64
		if err := app.DB.Table(table).Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		c[table] = n
	}
	return c
}

// blobFiles lists every file below the data dir's blobs folder (temporary files included).
func blobFiles(t *testing.T, app *testapp.App) []string {
	t.Helper()
	var files []string
	root := filepath.Join(app.Config.DataDir, "blobs")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	return files
}

// requireNothingStored checks that no row was added since before and that no blob exists.
func requireNothingStored(t *testing.T, app *testapp.App, before rowCounts) {
	t.Helper()
	after := countStoredRows(t, app)
	for _, table := range storedTables {
		if after[table] != before[table] {
			t.Errorf("%s: %d rows before, %d after a refused request", table, before[table], after[table])
		}
	}
	if files := blobFiles(t, app); len(files) != 0 {
		t.Errorf("a refused request left blobs behind: %v", files)
	}
}

var (
	encryptedOnce sync.Once
	encryptedPDF  []byte
	encryptedErr  error
)

// encryptedFixture is in-10.pdf protected with a user password by pdfcpu itself (AES-256).
func encryptedFixture(t *testing.T) []byte {
	t.Helper()
	plain := testapp.Fixture(t, "in-10.pdf")
	encryptedOnce.Do(func() {
		api.DisableConfigDir() // pdfcpu would otherwise write a config dir under $HOME
		var out bytes.Buffer
		encryptedErr = api.Encrypt(bytes.NewReader(plain), &out, model.NewAESConfiguration("user-secret", "owner-secret", 256))
		encryptedPDF = out.Bytes()
	})
	if encryptedErr != nil {
		t.Fatalf("encrypt fixture: %v", encryptedErr)
	}
	if !bytes.HasPrefix(encryptedPDF, []byte("%PDF-")) || !bytes.Contains(encryptedPDF, []byte("/Encrypt")) {
		t.Fatal("the encrypted fixture has no /Encrypt dictionary")
	}
	return encryptedPDF
}

// signedFixture is in-10.pdf finalised and sealed by Signet itself: a finished document uploaded again.
func signedFixture(t *testing.T) []byte {
	t.Helper()
	sealer, err := pdf.LoadOrCreateSealer(t.TempDir(), "Test seal")
	if err != nil {
		t.Fatalf("sealer: %v", err)
	}
	ctx := context.Background()
	stamped, err := pdf.Finalize(ctx, testapp.Fixture(t, "in-10.pdf"), nil, pdf.Audit{DocumentID: "d", Title: "Signed before"})
	if err != nil {
		t.Fatalf("finalize fixture: %v", err)
	}
	sealed, err := sealer.Seal(ctx, stamped)
	if err != nil {
		t.Fatalf("seal fixture: %v", err)
	}
	return sealed
}

// overLimit is a PDF-looking file of n bytes (header and trailer present, padding between).
func overLimit(n int) []byte {
	b := bytes.Repeat([]byte{' '}, n)
	copy(b, "%PDF-1.7\n")
	copy(b[n-6:], "%%EOF\n")
	return b
}

func truncatedFixture(t *testing.T) []byte {
	full := testapp.Fixture(t, "in-10.pdf")
	return full[:len(full)/2]
}

// apiSend sends a raw body with the sender's key and decodes the answer as an API error.
func apiSend(t *testing.T, app *testapp.App, key, contentType string, body []byte) (*http.Response, string, apiErrorBody) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/v1/documents", bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /api/v1/documents: %v", err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var e apiErrorBody
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("status %d: the answer is not JSON: %q", res.StatusCode, truncateForLog(string(data)))
	}
	return res, string(data), e
}

// multipartBody builds an API multipart request: an optional "request" JSON part and an optional "file" part.
func multipartBody(request *string, fileName string, file []byte) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if request != nil {
		w.WriteField("request", *request)
	}
	if fileName != "" {
		fw, _ := w.CreateFormFile("file", fileName)
		fw.Write(file)
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func jsonString(v any) *string {
	b, _ := json.Marshal(v)
	s := string(b)
	return &s
}

func truncateForLog(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

var (
	okSigner  = map[string]any{"name": "Jane Doe", "email": "jane@example.com"}
	okRequest = map[string]any{"title": "Agreement", "recipients": []any{okSigner}, "send": true}
)

func requestWith(changes map[string]any) map[string]any {
	r := map[string]any{}
	for k, v := range okRequest {
		r[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(r, k)
		} else {
			r[k] = v
		}
	}
	return r
}

// Every refused API upload gets the right status and a JSON error, and stores nothing at all.
func TestAPIRefusesBadUploadsAndStoresNothing(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	good := testapp.Fixture(t, "in-10.pdf")
	limit := int(app.Config.MaxUploadBytes)

	jsonCreate := func(file []byte, changes map[string]any) []byte {
		body := createRequest(file, okSigner)
		for k, v := range changes {
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
		}
		b, _ := json.Marshal(body)
		return b
	}
	type tc struct {
		name        string
		contentType string
		body        []byte
		status      int
		code        string
		message     string // a part of error.message
		field       string // a key that must be in error.fields
	}
	mp := func(name string, request *string, fileName string, file []byte, status int, code, message, field string) tc {
		ct, body := multipartBody(request, fileName, file)
		return tc{name: "multipart/" + name, contentType: ct, body: body, status: status, code: code, message: message, field: field}
	}
	js := func(name string, body []byte, status int, code, message, field string) tc {
		return tc{name: "json/" + name, contentType: "application/json", body: body, status: status, code: code, message: message, field: field}
	}
	req := jsonString(okRequest)
	cases := []tc{
		js("not a PDF", jsonCreate([]byte("hello, this is plain text and not a PDF"), nil), 415, "unsupported_media_type", "not a PDF", "file"),
		js("truncated PDF", jsonCreate(truncatedFixture(t), nil), 422, "invalid", "damaged", "file"),
		js("encrypted PDF", jsonCreate(encryptedFixture(t), nil), 422, "invalid", "password", "file"),
		js("already signed PDF", jsonCreate(signedFixture(t), nil), 422, "invalid", "already digitally signed", "file"),
		js("empty file", jsonCreate(nil, nil), 422, "invalid", "missing", "filedata.content"),
		js("just over the limit", jsonCreate(overLimit(limit+1), nil), 413, "too_large", "too large", ""),
		js("far over the limit", jsonCreate(overLimit(3*limit), nil), 413, "too_large", "too large", ""),
		js("bad base64", jsonCreate(nil, map[string]any{"filedata": map[string]string{"name": "a.pdf", "content": "%%% not base64 %%%"}}), 400, "bad_request", "base64", "filedata.content"),
		js("invalid email", jsonCreate(good, map[string]any{"recipients": []any{map[string]any{"name": "Jane", "email": "jane@@example"}}}), 422, "invalid", "not valid", "recipients[0].email"),
		js("second email invalid", jsonCreate(good, map[string]any{"recipients": []any{okSigner, map[string]any{"name": "Bob", "email": "bob at example.com"}}}), 422, "invalid", "not valid", "recipients[1].email"),
		js("email without a dotted domain", jsonCreate(good, map[string]any{"recipients": []any{map[string]any{"name": "Jane", "email": "jane@localhost"}}}), 422, "invalid", "not valid", "recipients[0].email"),
		js("no recipients", jsonCreate(good, map[string]any{"recipients": []any{}}), 422, "invalid", "not valid", "recipients"),
		js("recipients absent", jsonCreate(good, map[string]any{"recipients": nil}), 422, "invalid", "not valid", "recipients"),
		js("unknown field", jsonCreate(good, map[string]any{"recipeints": []any{okSigner}}), 400, "bad_request", "unknown field", ""),
		js("unknown recipient field", jsonCreate(good, map[string]any{"recipients": []any{map[string]any{"name": "Jane", "email": "jane@example.com", "emial": "x"}}}), 400, "bad_request", "unknown field", ""),
		js("malformed JSON", []byte(`{"title": "Agreement", "recipients": [`), 400, "bad_request", "not valid", ""),
		js("wrong JSON type", []byte(`{"title": 42}`), 400, "bad_request", "title", ""),
		js("trailing data", append(jsonCreate(good, nil), []byte(` {"again": true}`)...), 400, "bad_request", "after the object", ""),
		js("empty body", nil, 400, "bad_request", "empty", ""),
		js("missing file", jsonCreate(nil, map[string]any{"filedata": nil}), 422, "invalid", "missing", "filedata.content"),
		{name: "text/plain", contentType: "text/plain", body: []byte("title=Agreement"), status: 415, code: "unsupported_media_type", message: "application/json"},
		{name: "form-urlencoded", contentType: "application/x-www-form-urlencoded", body: []byte("title=Agreement"), status: 415, code: "unsupported_media_type", message: "multipart/form-data"},
		{name: "no content type", body: jsonCreate(good, nil), status: 415, code: "unsupported_media_type", message: "application/json"},
		{name: "application/pdf", contentType: "application/pdf", body: good, status: 415, code: "unsupported_media_type", message: "application/json"},
		{name: "JSON in UTF-16", contentType: "application/json; charset=utf-16", body: utf16LE(jsonCreate(good, nil)), status: 415, code: "unsupported_media_type", message: "UTF-8"},
		{name: "JSON labelled latin-1", contentType: "application/json; charset=ISO-8859-1", body: jsonCreate(good, nil), status: 415, code: "unsupported_media_type", message: "UTF-8"},

		mp("not a PDF", req, "a.pdf", []byte("GIF89a not a pdf at all"), 415, "unsupported_media_type", "not a PDF", "file"),
		mp("truncated PDF", req, "a.pdf", truncatedFixture(t), 422, "invalid", "damaged", "file"),
		mp("encrypted PDF", req, "a.pdf", encryptedFixture(t), 422, "invalid", "password", "file"),
		mp("already signed PDF", req, "a.pdf", signedFixture(t), 422, "invalid", "already digitally signed", "file"),
		mp("empty file", req, "a.pdf", []byte{}, 422, "invalid", "empty", "file"),
		mp("just over the limit", req, "a.pdf", overLimit(limit+1), 413, "too_large", "too large", "file"),
		mp("far over the limit", req, "a.pdf", overLimit(3*limit), 413, "too_large", "too large", ""),
		mp("invalid email", jsonString(requestWith(map[string]any{"recipients": []any{map[string]any{"name": "Jane", "email": "not-an-email"}}})), "a.pdf", good, 422, "invalid", "not valid", "recipients[0].email"),
		mp("no recipients", jsonString(requestWith(map[string]any{"recipients": []any{}})), "a.pdf", good, 422, "invalid", "not valid", "recipients"),
		mp("unknown field", jsonString(requestWith(map[string]any{"sendd": true})), "a.pdf", good, 400, "bad_request", "unknown field", ""),
		mp("malformed JSON", func() *string { s := `{"title":`; return &s }(), "a.pdf", good, 400, "bad_request", "not valid", ""),
		mp("request part missing", nil, "a.pdf", good, 400, "bad_request", "empty", ""),
		mp("filedata in multipart", jsonString(requestWith(map[string]any{"filedata": map[string]string{"name": "a.pdf", "content": base64.StdEncoding.EncodeToString(good)}})), "a.pdf", good, 400, "bad_request", "file", ""),
		mp("missing file", req, "", nil, 422, "invalid", "PDF", "file"),
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := countStoredRows(t, app)
			res, raw, e := apiSend(t, app, sender.APIKey, c.contentType, c.body)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d; body %s", res.StatusCode, c.status, truncateForLog(raw))
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			if e.Error == nil {
				t.Fatalf("no error object in %s", truncateForLog(raw))
			}
			if e.Error.Code != c.code {
				t.Errorf("error.code %q, want %q", e.Error.Code, c.code)
			}
			if !strings.Contains(strings.ToLower(e.Error.Message), strings.ToLower(c.message)) {
				t.Errorf("error.message %q does not mention %q", e.Error.Message, c.message)
			}
			assertNoPlumbing(t, e.Error.Message)
			if c.field != "" {
				msg, ok := e.Error.Fields[c.field]
				if !ok || strings.TrimSpace(msg) == "" {
					t.Errorf("error.fields lacks %q: %v", c.field, e.Error.Fields)
				}
				assertNoPlumbing(t, msg)
			}
			requireNothingStored(t, app, before)
		})
	}
	var n int64
	app.DB.Model(&models.Document{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d documents exist after only refused uploads", n)
	}
}

// assertNoPlumbing rejects messages that leak Go error wrapping ("pdf: inspect: …") to people.
func assertNoPlumbing(t *testing.T, msg string) {
	t.Helper()
	for _, leak := range []string{"pdf:", "Pdf:", "inspect:", "handlers:", "signing:", "models:", "storage:"} {
		if strings.Contains(msg, leak) {
			t.Errorf("message %q leaks the internal prefix %q", msg, leak)
		}
	}
}

// assertSentence is assertNoPlumbing plus a capital first letter, for messages shown on pages.
func assertSentence(t *testing.T, msg string) {
	t.Helper()
	assertNoPlumbing(t, msg)
	if msg != "" && strings.ToUpper(msg[:1]) != msg[:1] {
		t.Errorf("message %q does not start with a capital letter", msg)
	}
}

// signInSender logs a store-made sender in through the login form.
func signInSender(t *testing.T, app *testapp.App, s *testapp.Sender) *testapp.Browser {
	t.Helper()
	b := app.NewBrowser()
	if res := b.Get("/login"); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /login: status %d", res.StatusCode)
	}
	res := b.PostForm("/login", url.Values{"email": {s.User.Email}, "password": {s.Password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/documents" {
		t.Fatalf("login: status %d location %q", res.StatusCode, res.Header.Get("Location"))
	}
	b.Follow(res) // log-in rotates the CSRF token
	return b
}

// uploadFields is the web upload form with one valid signer.
func uploadFields() url.Values {
	return url.Values{
		"title":                      {"Lease 2026"},
		"message":                    {"Please sign."},
		"recipients[0].name":         {"Jane Doe"},
		"recipients[0].email":        {"jane@example.com"},
		"recipients[0].verification": {"email_otp"},
		"intent":                     {"send"},
	}
}

// The web upload form refuses the same inputs: the form comes back with the message, and nothing is stored.
func TestWebUploadRefusesBadInputAndStoresNothing(t *testing.T) {
	app := testapp.New(t)
	b := signInSender(t, app, app.NewSender("alice@example.com"))
	good := testapp.Fixture(t, "in-10.pdf")
	limit := int(app.Config.MaxUploadBytes)

	with := func(changes map[string]string) url.Values {
		v := uploadFields()
		for k, val := range changes {
			if val == "" {
				v.Del(k)
			} else {
				v.Set(k, val)
			}
		}
		return v
	}
	cases := []struct {
		name     string
		fields   url.Values
		fileName string
		file     []byte
		status   int
		message  string // shown next to the form
		unread   bool   // refused before the body was read: the form comes back without what was typed
	}{
		{"not a PDF", uploadFields(), "notes.pdf", []byte("just some text, no PDF here"), 415, "not a PDF", false},
		{"truncated PDF", uploadFields(), "cut.pdf", truncatedFixture(t), 422, "damaged", false},
		{"encrypted PDF", uploadFields(), "locked.pdf", encryptedFixture(t), 422, "password", false},
		{"already signed PDF", uploadFields(), "signed.pdf", signedFixture(t), 422, "already digitally signed", false},
		{"empty file", uploadFields(), "empty.pdf", []byte{}, 422, "empty", false},
		{"just over the limit", uploadFields(), "big.pdf", overLimit(limit + 1), 413, "too large", false},
		{"far over the limit", uploadFields(), "huge.pdf", overLimit(3 * limit), 413, "too large", true},
		{"invalid email", with(map[string]string{"recipients[0].email": "jane@@example"}), "a.pdf", good, 422, "Enter a valid email address", false},
		{"no recipients", with(map[string]string{"recipients[0].name": "", "recipients[0].email": ""}), "a.pdf", good, 422, "Add at least one signer", false},
		{"missing file", uploadFields(), "", nil, 422, "Choose a PDF file", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := countStoredRows(t, app)
			res := b.PostMultipart("/documents", c.fields, c.fileName, c.file)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d; body %s", res.StatusCode, c.status, truncateForLog(res.Body))
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want an HTML page", ct)
			}
			doc := res.Doc(t)
			form := doc.Find(`form[data-testid="new-document-form"]`)
			if form.Length() != 1 {
				t.Fatalf("the upload form was not re-rendered: %s", truncateForLog(res.Body))
			}
			errs := form.Find(fieldErrors).Text()
			if !strings.Contains(strings.ToLower(errs), strings.ToLower(c.message)) {
				t.Errorf("the form's messages %q do not mention %q", errs, c.message)
			}
			form.Find(fieldErrors).Each(func(_ int, s *goquery.Selection) { assertSentence(t, strings.TrimSpace(s.Text())) })
			if v, _ := form.Find(`input[name="title"]`).Attr("value"); !c.unread && v != "Lease 2026" {
				t.Errorf("the title the sender typed was lost: %q", v)
			}
			requireNothingStored(t, app, before)
		})
	}

	t.Run("url-encoded form without a file", func(t *testing.T) {
		before := countStoredRows(t, app)
		res := b.PostForm("/documents", uploadFields())
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose a PDF file") {
			t.Fatalf("status %d, want 422 with the missing-file message", res.StatusCode)
		}
		requireNothingStored(t, app, before)
	})
	t.Run("invalid email keeps the other values", func(t *testing.T) {
		res := b.PostMultipart("/documents", with(map[string]string{"recipients[0].email": "nope"}), "a.pdf", good)
		doc := res.Doc(t)
		if v, _ := doc.Find(`input[name="recipients[0].email"]`).Attr("value"); v != "nope" {
			t.Errorf("the email field lost what was typed: %q", v)
		}
		if v, _ := doc.Find(`input[name="recipients[0].name"]`).Attr("value"); v != "Jane Doe" {
			t.Errorf("the name field lost what was typed: %q", v)
		}
	})
}

// Sign-up and log-in refuse bad input with clear messages, create nothing and log nobody in.
func TestSignupAndLoginRefuseBadInput(t *testing.T) {
	app := testapp.New(t)
	existing := app.NewSender("alice@example.com")
	countUsers := func() int64 {
		var n int64
		if err := app.DB.Model(&models.User{}).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	countOrgs := func() int64 {
		var n int64
		if err := app.DB.Model(&models.Organization{}).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	valid := func(changes map[string]string) url.Values {
		v := url.Values{"name": {"Ann Smith"}, "organization": {"Smith & Co"}, "email": {"ann@example.com"}, "password": {"a long enough password"}}
		for k, val := range changes {
			v.Set(k, val)
		}
		return v
	}
	cases := []struct {
		name    string
		form    url.Values
		field   string
		message string
	}{
		{"bad email", valid(map[string]string{"email": "ann-at-example.com"}), "email", "Enter a valid email address"},
		{"email without domain dot", valid(map[string]string{"email": "ann@example"}), "email", "Enter a valid email address"},
		{"short password", valid(map[string]string{"password": "short"}), "password", "at least 10 characters"},
		{"missing name", valid(map[string]string{"name": "   "}), "name", "Enter your name"},
		{"repeated characters", valid(map[string]string{"password": "aaaaaaaaaa"}), "password", "too easy to guess"},
		{"sequential digits", valid(map[string]string{"password": "1234567890"}), "password", "leaked from other sites"},
		{"leaked password", valid(map[string]string{"password": "password12"}), "password", "leaked from other sites"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			users, orgs := countUsers(), countOrgs()
			b := app.NewBrowser()
			b.Get("/signup")
			res := b.PostForm("/signup", c.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			form := res.Doc(t).Find(`form[data-testid="signup-form"]`)
			if form.Length() != 1 {
				t.Fatal("the sign-up form was not re-rendered")
			}
			input := form.Find(`[name="` + c.field + `"]`)
			if msg := input.Parent().Find(fieldErrors).Text(); !strings.Contains(msg, c.message) {
				t.Errorf("the message next to %s is %q, want %q", c.field, msg, c.message)
			}
			if form.Find(`input[name="password"]`).AttrOr("value", "") != "" {
				t.Error("the password was echoed back into the form")
			}
			if strings.Contains(res.Body, c.form.Get("password")) {
				t.Error("the page contains the password")
			}
			if countUsers() != users || countOrgs() != orgs {
				t.Error("a refused sign-up created a user or organization")
			}
			if res := b.Get("/documents"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
				t.Errorf("after a refused sign-up /documents answered %d %q, want a redirect to /login", res.StatusCode, res.Header.Get("Location"))
			}
		})
	}

	logins := map[string]url.Values{
		"wrong password": {"email": {existing.User.Email}, "password": {"not the password"}},
		"unknown email":  {"email": {"nobody@example.com"}, "password": {existing.Password}},
		"empty":          {},
	}
	for name, form := range logins {
		t.Run("login/"+name, func(t *testing.T) {
			b := app.NewBrowser()
			b.Get("/login")
			res := b.PostForm("/login", form)
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", res.StatusCode)
			}
			if msg := res.Doc(t).Find(`form[data-testid="login-form"]`).Find(fieldErrors).Text(); !strings.Contains(msg, "email or password is not right") {
				t.Errorf("login message %q", msg)
			}
			if res := b.Get("/documents"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
				t.Errorf("after a failed login /documents answered %d %q", res.StatusCode, res.Header.Get("Location"))
			}
		})
	}
}

// A signer's bad input is refused with 422 and the document stays as it was; bad links and files give clear errors.
func TestSigningRefusesBadInput(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	var created apiDoc
	res := app.API(sender.APIKey, http.MethodPost, "/api/v1/documents",
		createRequest(testapp.Fixture(t, "in-10.pdf"), map[string]any{"name": "Jane Doe", "email": "jane@example.com", "authentication": "none"}), &created)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: status %d body %s", res.StatusCode, res.Body)
	}
	link := created.Recipients[0].SigningURL
	jane := app.NewBrowser()
	if page := jane.Get(link); page.Doc(t).Find(`form[data-testid="sign-form"]`).Length() != 1 {
		t.Fatalf("landing without verification: status %d, no sign form", page.StatusCode)
	}
	app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign"))

	recipientStatus := func() string {
		r, err := app.Store.RecipientByID(t.Context(), created.Recipients[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return r.Status
	}
	docStatus := func() string {
		d, err := app.Store.Document(t.Context(), sender.User.OrganizationID, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d.Status
	}
	pngHeaderOnly := base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nnot really"))
	cases := []struct {
		name, path string
		form       url.Values
		field      string
		message    string
	}{
		{"empty typed name, no signature", "/sign", url.Values{"typed_name": {""}}, "typed_name", "Type your full name"},
		{"blank typed name", "/sign", url.Values{"typed_name": {" \t "}, "signature": {""}}, "typed_name", "Type your full name"},
		{"signature not base64", "/sign", url.Values{"signature": {"data:image/png;base64,@@@not-base64@@@"}, "typed_name": {"Jane Doe"}}, "signature", "could not be read"},
		{"signature not a PNG", "/sign", url.Values{"signature": {"data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte("GIF89a....."))}}, "signature", "could not be read"},
		{"signature truncated PNG", "/sign", url.Values{"signature": {"data:image/png;base64," + pngHeaderOnly}}, "signature", "could not be read"},
		{"signature of another type", "/sign", url.Values{"signature": {"data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte("<svg/>"))}}, "signature", "could not be read"},
		{"signature not a data URL", "/sign", url.Values{"signature": {"https://evil.example/sig.png"}}, "signature", "could not be read"},
		{"typed name too long", "/sign", url.Values{"typed_name": {strings.Repeat("J", 201)}}, "typed_name", "at most 200"},
		{"typed name huge", "/sign", url.Values{"typed_name": {strings.Repeat("Jane Doe ", 20000)}}, "typed_name", "at most 200"},
		{"decline without reason", "/decline", url.Values{"reason": {""}}, "reason", "Tell the sender why"},
		{"decline with a blank reason", "/decline", url.Values{"reason": {"   \n "}}, "reason", "Tell the sender why"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := countStoredRows(t, app)
			res := jane.PostForm(link+c.path, c.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422; body %s", res.StatusCode, truncateForLog(res.Body))
			}
			doc := res.Doc(t)
			if doc.Find(`form[data-testid="sign-form"]`).Length() != 1 {
				t.Error("the signing page was not re-rendered")
			}
			if msg := doc.Find(fieldErrors).Text(); !strings.Contains(msg, c.message) {
				t.Errorf("messages %q do not mention %q", msg, c.message)
			}
			if s := recipientStatus(); s == models.RecipientSigned || s == models.RecipientDeclined {
				t.Errorf("the recipient is %s after a refused request", s)
			}
			if s := docStatus(); s != models.DocSent {
				t.Errorf("the document is %s after a refused request, want sent", s)
			}
			after := countStoredRows(t, app)
			for _, table := range storedTables {
				if after[table] != before[table] {
					t.Errorf("%s: %d rows before, %d after", table, before[table], after[table])
				}
			}
		})
	}

	t.Run("unknown signing token", func(t *testing.T) {
		for _, path := range []string{"/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/s/x", "/s/" + strings.Repeat("z", 2000)} {
			res := app.NewBrowser().Get(path)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%.20s…: status %d, want 404", path, res.StatusCode)
				continue
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want an HTML page", ct)
			}
			if msg := res.Doc(t).Find(`[data-testid="error"]`).Text(); !strings.Contains(msg, "signing link is not valid") {
				t.Errorf("404 page says %q", msg)
			}
		}
	})

	t.Run("signed file before completion", func(t *testing.T) {
		var e apiErrorBody
		res := app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+created.ID+"/file?version=signed", nil, &e)
		if res.StatusCode != http.StatusConflict || e.Error == nil || e.Error.Code != "conflict" || !strings.Contains(e.Error.Message, "every signer") {
			t.Errorf("API signed file: status %d body %s", res.StatusCode, res.Body)
		}
		if strings.HasPrefix(res.Body, "%PDF") {
			t.Error("PDF bytes were served")
		}
		if res := signInSender(t, app, sender).Get("/documents/" + created.ID + "/signed.pdf"); res.StatusCode != http.StatusConflict || strings.HasPrefix(res.Body, "%PDF") {
			t.Errorf("web signed file: status %d", res.StatusCode)
		}
		if res := jane.Get(link + "/signed.pdf"); res.StatusCode != http.StatusConflict || strings.HasPrefix(res.Body, "%PDF") {
			t.Errorf("signer's signed file: status %d", res.StatusCode)
		}
	})

	t.Run("version=bogus", func(t *testing.T) {
		var e apiErrorBody
		res := app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+created.ID+"/file?version=bogus", nil, &e)
		if res.StatusCode != http.StatusBadRequest || e.Error == nil || e.Error.Code != "bad_request" || e.Error.Fields["version"] == "" {
			t.Errorf("status %d body %s", res.StatusCode, res.Body)
		}
	})

	t.Run("the refusals left the signer able to sign", func(t *testing.T) {
		res := jane.PostForm(link+"/sign", url.Values{"typed_name": {"Jane Doe"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign: status %d body %s", res.StatusCode, truncateForLog(res.Body))
		}
		if s := recipientStatus(); s != models.RecipientSigned {
			t.Fatalf("recipient is %s after signing", s)
		}
	})
}

// utf16LE re-encodes ASCII JSON as UTF-16LE, as a client honouring charset=utf-16 would send it.
func utf16LE(b []byte) []byte {
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, c, 0)
	}
	return out
}

// charset=utf-8 (in any case) is JSON's own encoding and is accepted.
func TestAPIJSONWithUTF8CharsetIsAccepted(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	body, _ := json.Marshal(createRequest(testapp.Fixture(t, "in-10.pdf"), map[string]any{"name": "Jane Doe", "email": "jane@example.com"}))
	if res, raw, _ := apiSend(t, app, sender.APIKey, "application/json; charset=UTF-8", body); res.StatusCode != http.StatusCreated {
		t.Fatalf("charset=UTF-8: status %d, body %s", res.StatusCode, truncateForLog(raw))
	}
}
