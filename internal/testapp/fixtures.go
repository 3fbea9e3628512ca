package testapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/alexedwards/argon2id"

	"signet/handlers"
	"signet/models"
)

// Sender is a user with an organization and an API key, made directly in the store.
type Sender struct {
	User     *models.User
	Password string
	APIKey   string
}

// lightParams keep test users cheap to create; production uses argon2id.DefaultParams.
var lightParams = &argon2id.Params{Memory: 8 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// NewSender creates a user, their organization and an API key.
func (a *App) NewSender(email string) *Sender {
	a.T.Helper()
	ctx := context.Background()
	const password = "correct horse battery"
	hash, err := argon2id.CreateHash(password, lightParams)
	if err != nil {
		a.T.Fatal(err)
	}
	confirmed := a.Clock.Now()
	u := &models.User{Email: email, Name: "Sender " + email, PasswordHash: hash, ConfirmedAt: &confirmed}
	if err := a.Store.CreateUserWithOrganization(ctx, "Org of "+email, u); err != nil {
		a.T.Fatalf("create sender: %v", err)
	}
	key, err := handlers.NewAPIKey(ctx, a.Store, u, "test")
	if err != nil {
		a.T.Fatalf("create api key: %v", err)
	}
	return &Sender{User: u, Password: password, APIKey: key}
}

// API sends a JSON (or raw) request with the sender's key and decodes the JSON answer into out (if not nil).
func (a *App) API(key, method, path string, body any, out any) *Response {
	a.T.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		r, ct = bytes.NewReader(b), "application/json"
	default:
		j, _ := json.Marshal(b)
		r, ct = bytes.NewReader(j), "application/json"
	}
	req, _ := http.NewRequest(method, a.URL+path, r)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			a.T.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return &Response{Response: res, Body: string(data)}
}

// Fixture reads a file from the repository's pdf/testdata folder.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "pdf", "testdata", name))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}
