package web_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/skip2/go-qrcode"

	"signet/internal/testapp"
)

// The QR code on the sender's page encodes exactly the recipient's signing link and is never cached.
func TestRecipientQRCodeEncodesTheSigningLink(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipient(t, "jane@example.com")
	b := app.Login(sender)

	page := b.Get("/documents/" + doc.ID)
	img := page.Doc(t).Find(`[data-testid="qr"] img`)
	src, ok := img.Attr("src")
	if !ok || img.Length() != 1 {
		t.Fatalf("the document page shows %d QR images", img.Length())
	}
	res := b.Get(src)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("QR: status %d, type %q, cache %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
	want, err := qrcode.Encode(jane.Link, qrcode.Medium, 320)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal([]byte(res.Body), want) {
		t.Fatal("the QR code does not encode the recipient's signing link")
	}
	if res := b.Get("/documents/" + doc.ID + "/recipients/" + doc.ID + "/qr.png"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("QR of an unknown recipient: status %d, want 404", res.StatusCode)
	}
}
