package signing

import (
	"context"
	"time"

	"signet/models"
)

func (s *Service) audit(ctx context.Context, st *models.Store, docID, recipientID, event string, a Actor, details string) error {
	return st.AppendAuditEvent(ctx, &models.AuditEvent{
		DocumentID: docID, RecipientID: recipientID, Actor: a.Name, Event: event,
		At: s.clock(), IP: a.IP, UserAgent: truncate(a.UserAgent, 500), Details: truncate(details, 4000),
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// durationMicro spaces creation times so recipients keep the order they were given in.
func durationMicro(i int) time.Duration { return time.Duration(i) * time.Microsecond }
