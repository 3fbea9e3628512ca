package signing_test

import (
	"maps"
	"strings"
	"testing"

	"signet/models"
	"signet/signing"
)

func signer(email string) signing.RecipientInput {
	return signing.RecipientInput{Name: "Jane Doe", Email: email, Verification: models.VerifyEmailOTP}
}

func validInput() signing.CreateInput {
	return signing.CreateInput{Title: "Consulting agreement", FileName: "agreement.pdf", Recipients: []signing.RecipientInput{signer("jane@example.com")}}
}

const (
	msgEmail     = "Enter a valid email address, like name@example.com."
	msgDuplicate = "This email address is already a signer of this document."
	msgPhone     = "Enter the phone number in international form, like +44 20 7946 0000."
	msgOrder     = "The signing order must be between 1 and 50."
	msgAuth      = `Choose "none" or "email_otp".`
)

// TestValidate checks that each bad field gets its own message, and nothing else does.
func TestValidate(t *testing.T) {
	with := func(change func(*signing.CreateInput)) signing.CreateInput {
		in := validInput()
		change(&in)
		return in
	}
	recipient := func(change func(*signing.RecipientInput)) signing.CreateInput {
		return with(func(in *signing.CreateInput) { change(&in.Recipients[0]) })
	}
	many := func(n int) []signing.RecipientInput {
		out := make([]signing.RecipientInput, n)
		for i := range out {
			out[i] = signer("s" + strings.Repeat("x", i) + "@example.com")
		}
		return out
	}
	tests := []struct {
		name string
		in   signing.CreateInput
		want map[string]string // nil: valid
	}{
		{"valid", validInput(), nil},
		{"no title and no file name", with(func(in *signing.CreateInput) { in.Title, in.FileName = "  ", "" }), map[string]string{"title": "Give the document a title."}},
		{"title of 300 characters", with(func(in *signing.CreateInput) { in.Title = strings.Repeat("é", 300) }), nil},
		{"title of 301 characters", with(func(in *signing.CreateInput) { in.Title = strings.Repeat("é", 301) }), map[string]string{"title": "The title can be at most 300 characters."}},
		{"message of 5001 characters", with(func(in *signing.CreateInput) { in.Message = strings.Repeat("m", 5001) }), map[string]string{"message": "The message can be at most 5000 characters."}},
		{"no recipients", with(func(in *signing.CreateInput) { in.Recipients = nil }), map[string]string{"recipients": "Add at least one signer."}},
		{"50 recipients", with(func(in *signing.CreateInput) { in.Recipients = many(50) }), nil},
		{"51 recipients", with(func(in *signing.CreateInput) { in.Recipients = many(51) }), map[string]string{"recipients": "A document can have at most 50 recipients."}},
		{"no name", recipient(func(r *signing.RecipientInput) { r.Name = " \t" }), map[string]string{"recipients[0].name": "Enter the signer's name."}},
		{"name of 201 characters", recipient(func(r *signing.RecipientInput) { r.Name = strings.Repeat("n", 201) }), map[string]string{"recipients[0].name": "The name can be at most 200 characters."}},
		{"phone with spaces", recipient(func(r *signing.RecipientInput) { r.Phone = "+44 20 7946 0000" }), nil},
		{"phone with dashes and brackets", recipient(func(r *signing.RecipientInput) { r.Phone = "(020) 7946-0000" }), nil},
		{"phone of 7 digits", recipient(func(r *signing.RecipientInput) { r.Phone = "+123 4567" }), nil},
		{"phone of 15 digits", recipient(func(r *signing.RecipientInput) { r.Phone = "+123456789012345" }), nil},
		{"phone of 6 digits", recipient(func(r *signing.RecipientInput) { r.Phone = "+123 456" }), map[string]string{"recipients[0].phone": msgPhone}},
		{"phone of 16 digits", recipient(func(r *signing.RecipientInput) { r.Phone = "+1234567890123456" }), map[string]string{"recipients[0].phone": msgPhone}},
		{"phone with letters", recipient(func(r *signing.RecipientInput) { r.Phone = "+1 800 FLOWERS" }), map[string]string{"recipients[0].phone": msgPhone}},
		{"phone with + inside", recipient(func(r *signing.RecipientInput) { r.Phone = "44+20 7946 0000" }), map[string]string{"recipients[0].phone": msgPhone}},
		{"phone with a dot", recipient(func(r *signing.RecipientInput) { r.Phone = "+44.20.7946.0000" }), map[string]string{"recipients[0].phone": msgPhone}},
		{"order 1", recipient(func(r *signing.RecipientInput) { r.Order = 1 }), nil},
		{"order 50", recipient(func(r *signing.RecipientInput) { r.Order = 50 }), nil},
		{"order 51", recipient(func(r *signing.RecipientInput) { r.Order = 51 }), map[string]string{"recipients[0].order": msgOrder}},
		{"order -1", recipient(func(r *signing.RecipientInput) { r.Order = -1 }), map[string]string{"recipients[0].order": msgOrder}},
		{"verification none", recipient(func(r *signing.RecipientInput) { r.Verification = models.VerifyNone }), nil},
		{"verification unknown", recipient(func(r *signing.RecipientInput) { r.Verification = "carrier_pigeon" }), map[string]string{"recipients[0].authentication": msgAuth}},
		{"verification with other case", recipient(func(r *signing.RecipientInput) { r.Verification = "EMAIL_OTP" }), map[string]string{"recipients[0].authentication": msgAuth}},
		{"duplicate emails differing in case and spaces", with(func(in *signing.CreateInput) {
			in.Recipients = []signing.RecipientInput{signer("jane@example.com"), signer("bob@example.com"), signer(" JANE@Example.com ")}
		}), map[string]string{"recipients[2].email": msgDuplicate}},
		{"several bad fields at once", with(func(in *signing.CreateInput) {
			in.Title, in.FileName = "", ""
			in.Recipients = []signing.RecipientInput{{Name: "", Email: "nope", Order: 99, Verification: "x"}, signer("ok@example.com")}
		}), map[string]string{"title": "Give the document a title.", "recipients[0].name": "Enter the signer's name.",
			"recipients[0].email": msgEmail, "recipients[0].order": msgOrder, "recipients[0].authentication": msgAuth}},
	}
	for _, email := range []string{"", "jane", "jane@", "@example.com", "jane@example", "jane doe@example.com", "Jane <jane@example.com>",
		"jane@example.com, bob@example.com", "jane@@example.com", "jane@example.com\nBcc: x@example.com", "<jane@example.com>",
		strings.Repeat("a", 310) + "@example.com"} {
		tests = append(tests, struct {
			name string
			in   signing.CreateInput
			want map[string]string
		}{"bad email " + email, recipient(func(r *signing.RecipientInput) { r.Email = email }), map[string]string{"recipients[0].email": msgEmail}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			verr := in.Validate()
			var got map[string]string
			if verr != nil {
				got = verr.Fields
			}
			if !maps.Equal(got, tt.want) {
				t.Fatalf("Validate fields = %q, want %q", got, tt.want)
			}
		})
	}
}

// Validate normalises what it accepts: the stored values are the ones it checked.
func TestValidateNormalises(t *testing.T) {
	in := signing.CreateInput{Title: "  Lease  ", Recipients: []signing.RecipientInput{
		{Name: "  Jane Doe ", Email: "  Jane.Doe@Example.COM ", Phone: " +44 20 7946 0000 ", Order: 0, Verification: ""},
	}}
	if verr := in.Validate(); verr != nil {
		t.Fatal(verr)
	}
	r := in.Recipients[0]
	if in.Title != "Lease" || r.Name != "Jane Doe" || r.Email != "jane.doe@example.com" || r.Phone != "+44 20 7946 0000" {
		t.Fatalf("not normalised: title %q, recipient %+v", in.Title, r)
	}
	if r.Order != 1 {
		t.Fatalf("order 0 became %d, want round 1", r.Order)
	}
	if r.Verification != models.VerifyNone {
		t.Fatalf("an empty verification became %q, want none", r.Verification)
	}
}

func TestValidateTitleDefaultsToFileName(t *testing.T) {
	tests := []struct{ title, file, want string }{
		{"", "agreement.pdf", "agreement"},
		{"   ", "  Q3 report.pdf ", "Q3 report"},
		{"", "notes", "notes"},
		{"Given title", "agreement.pdf", "Given title"},
		{"", "archive.pdf.pdf", "archive.pdf"},
	}
	for _, tt := range tests {
		in := validInput()
		in.Title, in.FileName = tt.title, tt.file
		if verr := in.Validate(); verr != nil {
			t.Fatalf("title %q file %q: %v", tt.title, tt.file, verr)
		}
		if in.Title != tt.want {
			t.Errorf("title %q file %q: Title = %q, want %q", tt.title, tt.file, in.Title, tt.want)
		}
	}
	in := validInput()
	in.Title, in.FileName = "", ".pdf"
	if verr := in.Validate(); verr == nil || verr.Fields["title"] != "Give the document a title." {
		t.Fatalf("a file named just .pdf leaves no title: %v", verr)
	}
	in = validInput()
	in.Title, in.FileName = "", strings.Repeat("t", 400)+".pdf"
	if verr := in.Validate(); verr != nil || len([]rune(in.FileName)) != 300 || in.Title != strings.Repeat("t", 300) {
		t.Fatalf("a too long file name is clipped to 300 characters (it names the upload, the sender did not type it): %v, %d, %d", verr, len([]rune(in.FileName)), len(in.Title))
	}
}
