package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"signet/internal/testapp"
	"signet/models"
)

// A sender re-sends an invitation: it arrives marked as a reminder, is audited,
// and a second one within the cool-down is refused with a message and no email.
func TestSenderSendsAReminder(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipient(t, "jane@example.com")
	app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign"))
	b := app.Login(sender)
	remind := "/documents/" + doc.ID + "/recipients/" + jane.ID + "/remind"

	page := b.Get("/documents/" + doc.ID)
	if page.Doc(t).Find(`[data-testid="remind"]`).Length() != 1 {
		t.Fatal("the document page offers no reminder button")
	}
	// right after the invitation the cool-down applies
	res := b.Follow(b.PostForm(remind, nil))
	if !strings.Contains(res.Body, "You can send a reminder in") {
		t.Fatalf("a reminder right after the invitation was not refused: %s", res.Doc(t).Find(`[data-testid="flash-error"]`).Text())
	}
	app.Clock.Advance(11 * time.Minute)
	res = b.PostForm(remind, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remind: status %d", res.StatusCode)
	}
	reminder := app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "Reminder:"))
	if !strings.Contains(reminder.Text, jane.Link) {
		t.Fatal("the reminder does not carry the signing link")
	}
	events, _ := app.Store.AuditEvents(t.Context(), doc.ID)
	if last := events[len(events)-1]; last.Event != "reminder_sent" || last.RecipientID != jane.ID {
		t.Fatalf("last audit event %+v, want reminder_sent for Jane", last)
	}
	res = b.Follow(b.PostForm(remind, nil))
	if !strings.Contains(res.Body, "You can send a reminder in") {
		t.Fatal("a second reminder within the cool-down was not refused")
	}
	var reminders int64
	app.DB.Model(&models.AuditEvent{}).Where("document_id = ? AND event = ?", doc.ID, "reminder_sent").Count(&reminders)
	if reminders != 1 {
		t.Fatalf("%d reminders recorded (each is enqueued with its audit event), want 1", reminders)
	}
	if n := countMails(app, "jane@example.com", "Reminder:"); n != 1 {
		t.Fatalf("%d reminders delivered, want 1", n)
	}
}

func countMails(app *testapp.App, to, subject string) int {
	n := 0
	for _, m := range app.SMTP.Messages() {
		if toAndSubject(to, subject)(m) {
			n++
		}
	}
	return n
}
