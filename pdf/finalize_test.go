package pdf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// finalizeOK runs Finalize and checks what every output must satisfy: valid, original pages + added, all texts present.
func finalizeOK(t *testing.T, in []byte, signers []Signer, audit Audit, added int, texts ...string) (out []byte, text string) {
	t.Helper()
	out, err := Finalize(context.Background(), in, signers, audit)
	if err != nil {
		t.Fatalf("Finalize: %v", err)
	}
	if err := Validate(out); err != nil {
		t.Fatalf("output does not validate: %v", err)
	}
	qpdfClean(t, "finalized", out)
	want, err := PageCount(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := PageCount(out); err != nil || (added >= 0 && got != want+added) || got <= want {
		t.Fatalf("PageCount = %d, %v; want %d + %d", got, err, want, added)
	}
	text, err = Text(out)
	if err != nil {
		t.Fatalf("Text: %v", err)
	}
	for _, s := range texts {
		if !strings.Contains(text, s) {
			t.Errorf("output text lacks %q", s)
		}
	}
	return out, text
}

func auditFor(in []byte, events int) Audit {
	a := sampleAudit(events)
	sum := sha256.Sum256(in)
	a.OriginalSHA256 = hex.EncodeToString(sum[:])
	return a
}

func TestFinalizeTwoSigners(t *testing.T) {
	in := fixture(t, "in-10.pdf")
	a := auditFor(in, 5)
	_, text := finalizeOK(t, in, twoSigners(t), a, 1,
		"Signed by Jane Doe", "jane@example.com", "Signed by Richard Roe", "richard@example.org",
		"2026-11-23 10:00:00 UTC", "Audit trail", a.OriginalSHA256, a.ChainHead, a.DocumentID,
		"Mozilla/5.0", "203.0.113.7", "email_otp", "Page 1 of 1",
		"Master Services Agreement - page 10 of 10")
	// The signature block is on the last original page, before the audit trail.
	if strings.Index(text, "Signed by Jane Doe") > strings.Index(text, "Audit trail") {
		t.Error("signature block is not before the audit trail")
	}
}

// Each signature image must be one XObject however the document is laid out (bench fact 2).
func TestFinalizeCreatesEachImageOnce(t *testing.T) {
	in := fixture(t, "in-10.pdf")
	s := twoSigners(t)
	s = append(s, Signer{Name: "Jane Again", Email: "jane2@example.com", Image: s[0].Image, SignedAt: signedAt})
	out, err := Finalize(context.Background(), in, s, auditFor(in, 1))
	if err != nil {
		t.Fatal(err)
	}
	pctx, err := load(context.Background(), out, newConf())
	if err != nil {
		t.Fatal(err)
	}
	images := 0
	for _, e := range pctx.XRefTable.Table {
		if e == nil || e.Free {
			continue
		}
		if sd, ok := e.Object.(types.StreamDict); ok && sd.Subtype() != nil && *sd.Subtype() == "Image" {
			if _, hasMask := sd.Find("SMask"); hasMask {
				images++
			}
		}
	}
	if images != 2 { // one drawn PNG shared by two signers + one typed name; the original's JPEG has no soft mask
		t.Fatalf("found %d masked image XObjects, want 2", images)
	}
}

func TestFinalizeRotatedInput(t *testing.T) {
	in := fixture(t, "in-rot.pdf")
	finalizeOK(t, in, twoSigners(t), auditFor(in, 3), 1, "Signed by Jane Doe", "Signed by Richard Roe")
}

// A rotated last page gets the block upright at its displayed bottom: the overlay matrix undoes /Rotate.
func TestFinalizeRotatedLastPage(t *testing.T) {
	want := map[int]string{
		90:  "q 0.00 1.00 -1.00 0.00 612.00 0.00 cm",
		180: "q -1.00 0.00 0.00 -1.00 612.00 792.00 cm",
		270: "q 0.00 -1.00 1.00 0.00 0.00 792.00 cm",
	}
	for rot, matrix := range want {
		t.Run(fmt.Sprint(rot), func(t *testing.T) {
			var rotated bytes.Buffer
			if err := api.Rotate(bytes.NewReader(fixture(t, "in-10.pdf")), &rotated, rot, []string{"10"}, newConf()); err != nil {
				t.Fatal(err)
			}
			out, _ := finalizeOK(t, rotated.Bytes(), twoSigners(t), auditFor(rotated.Bytes(), 1), 1, "Signed by Jane Doe")
			pctx, err := load(context.Background(), out, newConf())
			if err != nil {
				t.Fatal(err)
			}
			content, err := pageContent(pctx.XRefTable, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(content, []byte(matrix)) {
				t.Fatalf("page 10 content lacks %q", matrix)
			}
			// Added pages are upright Letter/A4 pages whatever the original's rotation.
			dims, err := pctx.XRefTable.PageDims()
			if err != nil {
				t.Fatal(err)
			}
			if d := dims[10]; d.Width != 612 || d.Height != 792 {
				t.Fatalf("audit page is %v×%v, want 612×792", d.Width, d.Height)
			}
		})
	}
}

// Pages that inherit /Rotate and share one /Resources dict: the stamp must not leak into other pages or new ones.
func TestFinalizeInheritedAttributesAndSharedResources(t *testing.T) {
	for rot, size := range map[int][2]float64{0: {595, 842}, 90: {612, 792}} {
		t.Run(fmt.Sprint(rot), func(t *testing.T) { checkInherited(t, rot, size) })
	}
}

// checkInherited expects A4 audit pages after an A4 portrait page, Letter after a landscape one.
func checkInherited(t *testing.T, rot int, size [2]float64) {
	in := tinyPDF(3, rot)
	out, _ := finalizeOK(t, in, twoSigners(t), auditFor(in, 2), 1, "Tiny page 1", "Signed by Jane Doe")
	pctx, err := load(context.Background(), out, newConf())
	if err != nil {
		t.Fatal(err)
	}
	xt := pctx.XRefTable
	for p := 1; p <= 2; p++ {
		_, _, inh, err := xt.PageDict(p, false)
		if err != nil {
			t.Fatal(err)
		}
		if xo, _ := inh.Resources.Find("XObject"); xo != nil {
			t.Fatalf("page %d gained XObjects %v: shared resources were modified", p, xo)
		}
	}
	_, _, inh, err := xt.PageDict(4, false)
	if err != nil {
		t.Fatal(err)
	}
	if inh.Rotate != 0 || inh.MediaBox.Width() != size[0] || inh.MediaBox.Height() != size[1] {
		t.Fatalf("audit page: rotate %d, box %v; want upright %v", inh.Rotate, inh.MediaBox, size)
	}
}

func TestFinalizeTwelveSignersAddsSignaturesPage(t *testing.T) {
	in := fixture(t, "in-10.pdf")
	var signers []Signer
	var names []string
	for i := range 12 {
		s := Signer{Name: fmt.Sprintf("Signer %02d Łukasz", i+1), Email: fmt.Sprintf("signer%02d@example.com", i+1), SignedAt: signedAt.Add(time.Duration(i) * time.Minute)}
		if i%3 == 0 {
			s.Image = fixture(t, "sig.png")
		}
		signers = append(signers, s)
		names = append(names, fmt.Sprintf("Signed by Signer %02d Lukasz", i+1), s.Email)
	}
	_, text := finalizeOK(t, in, signers, auditFor(in, 3), 2, append(names, "Signatures", "Page 1 of 1")...)
	if strings.Index(text, "Signatures") > strings.Index(text, "Audit trail") {
		t.Fatal("the Signatures page must come before the audit trail")
	}
}

func TestFinalizeLongTimelineWrapsOntoMorePages(t *testing.T) {
	in := fixture(t, "in-10.pdf")
	a := auditFor(in, 150)
	a.Events[149].Event = "document.completed"
	out, text := finalizeOK(t, in, twoSigners(t), a, -1, "Audit trail (continued)", "document.completed", "2026-11-23 12:29:00")
	n, _ := PageCount(out)
	if last := fmt.Sprintf("Page %d of %d", n-10, n-10); n-10 < 3 || !strings.Contains(text, last) {
		t.Fatalf("%d audit pages; want at least 3, each footed up to %q", n-10, last)
	}
	if strings.Count(text, "Time (UTC)") != n-10 {
		t.Fatalf("the events table header should repeat on each of the %d audit pages, found %d", n-10, strings.Count(text, "Time (UTC)"))
	}
}

func TestFinalizeWithoutSignersStillAddsAudit(t *testing.T) {
	in := fixture(t, "in-10.pdf")
	a := auditFor(in, 0)
	_, text := finalizeOK(t, in, nil, a, 1, "Audit trail", "No events were recorded.")
	if strings.Contains(text, "Signed by") {
		t.Fatal("no signer, yet a signature box was drawn")
	}
}

func TestFinalizeEscapesHostileText(t *testing.T) {
	in := fixture(t, "in-10.pdf")
	s := []Signer{{Name: `Bobby (Tables) \ ) Tj ET BT`, Email: "b@x.io", TypedName: "Bobby", SignedAt: signedAt}}
	a := auditFor(in, 1)
	a.Title = "Ünïcødé € “quotes” 王"
	finalizeOK(t, in, s, a, 1, `Signed by Bobby (Tables) \ ) Tj ET BT`, "Ünïcødé € “quotes” ?")
}

func TestFinalizeRefusesBadInput(t *testing.T) {
	in := fixture(t, "in-10.pdf")
	if _, err := Finalize(context.Background(), encrypt(t, in, "u", "o"), twoSigners(t), auditFor(in, 1)); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted: got %v, want ErrEncrypted", err)
	}
	if _, err := Finalize(context.Background(), in[:1000], twoSigners(t), auditFor(in, 1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("truncated: got %v, want ErrInvalid", err)
	}
	bad := []Signer{{Name: "X", Email: "x@example.com", Image: []byte("not a png"), SignedAt: signedAt}}
	if _, err := Finalize(context.Background(), in, bad, auditFor(in, 1)); err == nil || !strings.Contains(err.Error(), "x@example.com") {
		t.Errorf("bad image: got %v, want an error naming the signer", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Finalize(ctx, in, twoSigners(t), auditFor(in, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

// The finalisation job may run several documents at once; outputs must not bleed into each other.
func TestFinalizeConcurrent(t *testing.T) {
	in := fixture(t, "in-10.pdf")
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			s := []Signer{{Name: fmt.Sprintf("Parallel %d", i), Email: "p@example.com", TypedName: fmt.Sprintf("Parallel %d", i), SignedAt: signedAt}}
			out, err := Finalize(context.Background(), in, s, auditFor(in, 2))
			if err == nil {
				var text string
				if text, err = Text(out); err == nil && !strings.Contains(text, fmt.Sprintf("Signed by Parallel %d", i)) {
					err = fmt.Errorf("output %d lacks its own signer", i)
				}
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
