package models_test

import (
	"context"
	"testing"
	"time"

	"signet/models"
)

func TestDevMessagesScopedByOrganization(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice, bob := newOwner(t, st, "alice@example.com"), newOwner(t, st, "bob@example.com")
	t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	for i, subject := range []string{"first", "second", "third"} {
		m := &models.DevMessage{OrganizationID: alice.OrganizationID, To: "x@example.com", Subject: subject, Text: "text", CreatedAt: t0.Add(time.Duration(i) * time.Minute)}
		if err := st.CreateDevMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
		if m.ID == "" {
			t.Fatal("CreateDevMessage assigned no id")
		}
	}
	if err := st.CreateDevMessage(ctx, &models.DevMessage{OrganizationID: bob.OrganizationID, Subject: "bob's", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	subjects := func(orgID string, limit int) []string {
		msgs, err := st.DevMessages(ctx, orgID, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range msgs {
			if m.OrganizationID != orgID {
				t.Fatalf("org %s sees a message of org %s", orgID, m.OrganizationID)
			}
			out = append(out, m.Subject)
		}
		return out
	}
	if got := subjects(alice.OrganizationID, 10); len(got) != 3 || got[0] != "third" || got[2] != "first" {
		t.Fatalf("alice's mailbox = %v, want her three messages newest first", got)
	}
	if got := subjects(alice.OrganizationID, 2); len(got) != 2 || got[0] != "third" {
		t.Fatalf("limit 2 = %v", got)
	}
	if got := subjects(bob.OrganizationID, 10); len(got) != 1 || got[0] != "bob's" {
		t.Fatalf("bob's mailbox = %v", got)
	}
	if got := subjects(models.NewID(), 10); len(got) != 0 {
		t.Fatalf("an unknown organization sees %v", got)
	}
}
