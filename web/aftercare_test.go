package web_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"signet/internal/testapp"
	"signet/models"
)

// A drawn signature that finalisation could not use (here: fully transparent) is refused
// when submitted, so a document can never be left waiting on an unusable signature.
func TestBlankDrawnSignatureIsRefusedAtSubmit(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipient(t, "jane@example.com")
	b := app.NewBrowser()
	b.Verify(jane.Link, jane.Email)

	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 300, 100))) // transparent: nothing drawn
	res := b.PostForm(jane.Link+"/sign", url.Values{"signature": {"data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, "typed_name": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Draw it again") {
		t.Fatalf("blank signature: status %d, want 422 with a message", res.StatusCode)
	}
	r, _ := app.Store.RecipientByID(t.Context(), jane.ID)
	if r.Status == models.RecipientSigned {
		t.Fatal("a blank drawn signature was recorded as signed")
	}
}

// The sender's message is part of the document: it shows only after verification.
func TestSenderMessageWaitsForVerification(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com") // message "Please sign."
	jane := doc.Recipient(t, "jane@example.com")
	b := app.NewBrowser()
	if landing := b.Get(jane.Link); strings.Contains(landing.Body, "Please sign.") {
		t.Fatal("the landing page shows the sender's message before verification")
	}
	b.Verify(jane.Link, jane.Email)
	if page := b.Get(jane.Link); page.Doc(t).Find(`[data-testid="sender-message"]`).Text() != "Please sign." {
		t.Fatal("the document page does not show the sender's message after verification")
	}
}

// After completion a signer whose session has ended verifies again and downloads the signed PDF;
// the signing record is not changed by it.
func TestSignerGetsTheSignedPDFAfterCompletionWithANewSession(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipient(t, "jane@example.com")
	first := app.NewBrowser()
	first.Verify(jane.Link, jane.Email)
	if res := first.PostForm(jane.Link+"/sign", url.Values{"typed_name": {"Jane"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: status %d", res.StatusCode)
	}
	testapp.Eventually(t, "completion", func() bool {
		d, _ := app.Store.Document(t.Context(), sender.User.OrganizationID, doc.ID)
		return d.Status == models.DocCompleted
	})
	signedBefore, _ := app.Store.RecipientByID(t.Context(), jane.ID)

	later := app.NewBrowser()
	if res := later.Get(jane.Link + "/signed.pdf"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("signed PDF without verification: status %d, want 403", res.StatusCode)
	}
	if landing := later.Get(jane.Link); !strings.Contains(landing.Body, "Send verification code") {
		t.Fatal("a signed recipient coming back after completion is not offered a code")
	}
	app.Clock.Advance(time.Minute) // past the resend cool-down of the first code
	later.Verify(jane.Link, jane.Email)
	done := later.Get(jane.Link)
	href, ok := done.Doc(t).Find(`[data-testid="download-signed"]`).Attr("href")
	if !ok {
		t.Fatal("after verifying again the signer is not offered the signed PDF")
	}
	if res := later.Get(href); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF-") {
		t.Fatalf("signed PDF after verifying again: status %d", res.StatusCode)
	}
	after, _ := app.Store.RecipientByID(t.Context(), jane.ID)
	if after.Status != models.RecipientSigned || !after.SignedAt.Equal(*signedBefore.SignedAt) || !after.VerifiedAt.Equal(*signedBefore.VerifiedAt) {
		t.Fatalf("verifying again changed the signing record: before %v/%v, after %v/%v", signedBefore.Status, signedBefore.VerifiedAt, after.Status, after.VerifiedAt)
	}
}

// Finalisation of a document cancelled before the job ran gives up at once and leaves it cancelled.
func TestFinalizeLeavesACancelledDocumentAlone(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	b := app.Login(sender)
	if res := b.PostForm("/documents/"+doc.ID+"/cancel", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: status %d", res.StatusCode)
	}
	if err := app.Signing.Finalize(t.Context(), doc.ID); err == nil {
		t.Fatal("finalising a cancelled document reported success")
	}
	d, _ := app.Store.Document(t.Context(), sender.User.OrganizationID, doc.ID)
	if d.Status != models.DocCancelled || d.SignedKey != "" {
		t.Fatalf("after a finalisation attempt the document is %s with signed key %q", d.Status, d.SignedKey)
	}
}
