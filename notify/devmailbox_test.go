package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"signet/notify"
)

// memStore is an in-memory MailboxStore.
type memStore struct {
	mu   sync.Mutex
	msgs []notify.StoredMessage
	err  error
}

func (s *memStore) SaveDevMessage(_ context.Context, m notify.StoredMessage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.msgs = append(s.msgs, m)
	return nil
}

func TestDevMailboxStoresAndLogs(t *testing.T) {
	store := &memStore{}
	var logs bytes.Buffer
	box := notify.NewDevMailbox(store, slog.New(slog.NewJSONHandler(&logs, nil)))

	msg := notify.CodeMessage(notify.CodeMail{RecipientEmail: "bob@example.com", DocumentTitle: "NDA", Code: "731904", ValidMinutes: 10})
	msg.OrganizationID = "org-1"
	msg.Link = "http://localhost:8080/s/tok"
	if err := box.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(store.msgs) != 1 {
		t.Fatalf("stored %d messages", len(store.msgs))
	}
	got := store.msgs[0]
	if got.OrganizationID != "org-1" || got.To != "bob@example.com" || got.Subject != msg.Subject ||
		got.Text != msg.Text || got.HTML != msg.HTML || got.Link != msg.Link || got.CreatedAt.IsZero() {
		t.Errorf("stored = %+v", got)
	}

	var entry map[string]any
	if err := json.Unmarshal(logs.Bytes(), &entry); err != nil {
		t.Fatalf("log line %q: %v", logs.String(), err)
	}
	want := map[string]any{
		"level": "INFO", "msg": "dev mailbox: message not delivered", "to": "bob@example.com",
		"subject": "Your Signet verification code", "link": msg.Link, "code": "731904",
	}
	for k, v := range want {
		if entry[k] != v {
			t.Errorf("log %s = %v, want %v", k, entry[k], v)
		}
	}
}

func TestDevMailboxStoreError(t *testing.T) {
	var logs bytes.Buffer
	box := notify.NewDevMailbox(&memStore{err: errors.New("disk full")}, slog.New(slog.NewTextHandler(&logs, nil)))
	err := box.Send(context.Background(), notify.Message{To: "bob@example.com", Subject: "s", Code: "123456"})
	if err == nil || !strings.HasPrefix(err.Error(), "notify: ") || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Send = %v", err)
	}
	if strings.Contains(logs.String(), "123456") {
		t.Errorf("a message that was not stored was logged with its code")
	}
}
