package web_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signet/internal/testapp"
	"signet/models"
)

// Text that PostgreSQL refuses (NUL, invalid UTF-8) or that fills a column to the brim never
// turns into a 500: it is cleaned, clipped at a character boundary or refused with a message.
func TestAwkwardTextNeverBreaksStorage(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")

	long := strings.Repeat("名", 200)
	req := map[string]any{
		"title":    "Lease\x00 \xff2026",
		"message":  "Hi\x00there",
		"filedata": map[string]string{"name": strings.Repeat("ä", 400) + ".pdf", "content": base64.StdEncoding.EncodeToString(testapp.Fixture(t, "in-10.pdf"))},
		"recipients": []map[string]any{{"name": long, "email": strings.Repeat("a", 60) + "@" + strings.Repeat("b", 60) + ".example.com",
			"authentication": "email_otp"}},
		"send": true,
	}
	var created apiDoc
	res := app.API(sender.APIKey, http.MethodPost, "/api/v1/documents", req, &created)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create with awkward text: status %d, body %s", res.StatusCode, res.Body)
	}
	if strings.ContainsRune(created.Title, 0) || !strings.HasPrefix(created.Title, "Lease") {
		t.Fatalf("title stored as %q", created.Title)
	}
	link := created.Recipients[0].SigningURL
	b := app.NewBrowser()
	if res := b.Get(link); res.StatusCode != http.StatusOK {
		t.Fatalf("landing for a recipient with a 200-character name: status %d", res.StatusCode)
	}
	b.Verify(link, created.Recipients[0].Email)
	reason := strings.Repeat("理由", 1000) // 2,000 characters, 6,000 bytes
	if res := b.PostForm(link+"/decline", url.Values{"reason": {reason}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decline with a long multi-byte reason: status %d", res.StatusCode)
	}
	r, _ := app.Store.RecipientByID(t.Context(), created.Recipients[0].ID)
	if r.Status != models.RecipientDeclined || r.DeclineReason != reason {
		t.Fatalf("decline stored as %s with a %d-rune reason", r.Status, len([]rune(r.DeclineReason)))
	}

	login := app.NewBrowser()
	login.Get("/login")
	if res := login.PostForm("/login", url.Values{"email": {strings.Repeat("x", 400) + "@example.com\x00"}, "password": {"nope"}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("log-in with an over-long email: status %d, want 401", res.StatusCode)
	}
}
