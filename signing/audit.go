package signing

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"signet/models"
)

func (s *Service) audit(ctx context.Context, st *models.Store, docID, recipientID, event string, a Actor, details string) error {
	return st.AppendAuditEvent(ctx, &models.AuditEvent{
		DocumentID: docID, RecipientID: recipientID, Actor: truncate(a.Name, 400), Event: event,
		At: s.clock(), IP: truncate(a.IP, 64), UserAgent: truncate(a.UserAgent, 500), Details: truncate(details, 4000),
	})
}

// truncate keeps at most n runes of valid UTF-8, so a cut never splits a character.
func truncate(s string, n int) string {
	s = clean(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// CleanText is truncate for other packages: valid UTF-8, no NUL, at most n runes.
func CleanText(s string, n int) string { return truncate(s, n) }

// clean makes untrusted text storable everywhere: valid UTF-8 and no NUL bytes (PostgreSQL refuses both).
func clean(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// durationMicro spaces creation times so recipients keep the order they were given in.
func durationMicro(i int) time.Duration { return time.Duration(i) * time.Microsecond }
