package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"signet/models"
)

const maxAttempts = 5

// newChallenge stores a code for the recipient, created at the given time and valid for ten minutes.
func newChallenge(t *testing.T, st *models.Store, recipientID, ip string, created time.Time) *models.Challenge {
	t.Helper()
	c := &models.Challenge{ID: models.NewID(), RecipientID: recipientID, Channel: models.VerifyEmailOTP, CodeHash: "h-" + recipientID,
		IP: ip, ExpiresAt: created.Add(10 * time.Minute), CreatedAt: created}
	if err := st.CreateChallenge(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func challengeRow(t *testing.T, db *gorm.DB, id string) models.Challenge {
	t.Helper()
	var c models.Challenge
	if err := db.First(&c, "id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateChallengeSupersedesOlderActiveOnes(t *testing.T) {
	st, db := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com", "b@example.com")
	ra, rb := doc.Recipients[0].ID, doc.Recipients[1].ID
	now := time.Now().UTC()

	first := newChallenge(t, st, ra, "192.0.2.1", now.Add(-2*time.Minute))
	other := newChallenge(t, st, rb, "192.0.2.1", now.Add(-2*time.Minute))
	second := newChallenge(t, st, ra, "192.0.2.1", now.Add(-time.Minute))

	if c := challengeRow(t, db, first.ID); c.SupersededAt == nil {
		t.Fatal("a new code did not retire the recipient's older one")
	}
	if c := challengeRow(t, db, other.ID); c.SupersededAt != nil {
		t.Fatal("a new code for one recipient retired another recipient's code")
	}
	active, err := st.ActiveChallenge(ctx, ra)
	if err != nil || active.ID != second.ID {
		t.Fatalf("ActiveChallenge = %+v, %v; want the newest code", active, err)
	}
	if ok, err := st.ConsumeChallenge(ctx, first.ID, maxAttempts, now); err != nil || ok {
		t.Fatalf("consuming a superseded code: %v, %v; want refused", ok, err)
	}
	if ok, err := st.ConsumeChallenge(ctx, second.ID, maxAttempts, now); err != nil || !ok {
		t.Fatalf("consuming the active code: %v, %v", ok, err)
	}
	if _, err := st.ActiveChallenge(ctx, ra); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("ActiveChallenge after the code was used: %v, want ErrNotFound", err)
	}
	// A consumed code is not superseded by the next one: it keeps its record of use.
	newChallenge(t, st, ra, "192.0.2.1", now)
	if c := challengeRow(t, db, second.ID); c.SupersededAt != nil || c.ConsumedAt == nil {
		t.Fatalf("the used code was rewritten by a new one: %+v", c)
	}
}

func TestConsumeChallengeExactlyOneConcurrentWinner(t *testing.T) {
	st, db := newStore(t)
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com")
	now := time.Now().UTC()
	c := newChallenge(t, st, doc.Recipients[0].ID, "192.0.2.1", now)

	const n = 16
	results := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = st.ConsumeChallenge(context.Background(), c.ID, maxAttempts, now)
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
		}
		if results[i] {
			won++
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d concurrent consumers won, want exactly 1", won, n)
	}
	if row := challengeRow(t, db, c.ID); row.ConsumedAt == nil {
		t.Fatal("the winner did not mark the code consumed")
	}
	if ok, err := st.ConsumeChallenge(context.Background(), c.ID, maxAttempts, now); ok || err != nil {
		t.Fatalf("consuming again: %v, %v; want refused", ok, err)
	}
}

func TestConsumeChallengeRefusesUnusableCodes(t *testing.T) {
	st, db := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com", "b@example.com", "c@example.com", "d@example.com")
	now := time.Now().UTC()

	fresh := newChallenge(t, st, doc.Recipients[0].ID, "192.0.2.1", now.Add(-9*time.Minute))
	expired := newChallenge(t, st, doc.Recipients[1].ID, "192.0.2.1", now.Add(-10*time.Minute-time.Second))
	burnt := newChallenge(t, st, doc.Recipients[2].ID, "192.0.2.1", now)
	for range maxAttempts {
		if _, err := st.AddChallengeAttempt(ctx, burnt.ID); err != nil {
			t.Fatal(err)
		}
	}
	almost := newChallenge(t, st, doc.Recipients[3].ID, "192.0.2.1", now)
	for range maxAttempts - 1 {
		if _, err := st.AddChallengeAttempt(ctx, almost.ID); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name string
		id   string
		at   time.Time
		want bool
	}{
		{"expired ten minutes after creation", expired.ID, now, false},
		{"at the exact expiry instant", fresh.ID, fresh.ExpiresAt, false},
		{"with as many wrong tries as allowed", burnt.ID, now, false},
		{"unknown id", models.NewID(), now, false},
		{"one try left", almost.ID, now, true},
		{"within its ten minutes", fresh.ID, now, true},
	}
	for _, tt := range tests {
		ok, err := st.ConsumeChallenge(ctx, tt.id, maxAttempts, tt.at)
		if err != nil || ok != tt.want {
			t.Errorf("consume %s: %v, %v; want %v", tt.name, ok, err, tt.want)
		}
	}
	for _, id := range []string{expired.ID, burnt.ID} {
		if row := challengeRow(t, db, id); row.ConsumedAt != nil {
			t.Errorf("a refused code %s was marked consumed", id)
		}
	}
}

func TestAddChallengeAttemptCounts(t *testing.T) {
	st, db := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com", "b@example.com")
	c := newChallenge(t, st, doc.Recipients[0].ID, "192.0.2.1", time.Now().UTC())
	other := newChallenge(t, st, doc.Recipients[1].ID, "192.0.2.1", time.Now().UTC())
	for want := 1; want <= 3; want++ {
		got, err := st.AddChallengeAttempt(ctx, c.ID)
		if err != nil || got != want {
			t.Fatalf("attempt %d: AddChallengeAttempt = %d, %v", want, got, err)
		}
	}
	const n = 10 // concurrent wrong tries are all counted: none is lost to a read-modify-write race
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := st.AddChallengeAttempt(context.Background(), c.ID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if row := challengeRow(t, db, c.ID); row.Attempts != 3+n {
		t.Fatalf("attempts = %d, want %d", row.Attempts, 3+n)
	}
	if row := challengeRow(t, db, other.ID); row.Attempts != 0 {
		t.Fatalf("another code's attempts changed to %d", row.Attempts)
	}
	if _, err := st.AddChallengeAttempt(ctx, models.NewID()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("attempt on an unknown code: %v, want ErrNotFound", err)
	}
}

func TestChallengeSendCounters(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com", "b@example.com")
	ra, rb := doc.Recipients[0].ID, doc.Recipients[1].ID
	now := time.Now().UTC().Truncate(time.Millisecond)

	if last, err := st.LastChallengeAt(ctx, ra); err != nil || !last.IsZero() {
		t.Fatalf("LastChallengeAt before any code: %v, %v; want zero", last, err)
	}
	newChallenge(t, st, ra, "192.0.2.1", now.Add(-2*time.Hour))
	newChallenge(t, st, ra, "192.0.2.1", now.Add(-30*time.Minute))
	newChallenge(t, st, ra, "192.0.2.2", now.Add(-time.Minute))
	newChallenge(t, st, rb, "192.0.2.1", now.Add(-10*time.Minute))

	last, err := st.LastChallengeAt(ctx, ra)
	if err != nil || !last.Equal(now.Add(-time.Minute)) {
		t.Fatalf("LastChallengeAt = %v, %v; want %v", last, err, now.Add(-time.Minute))
	}
	if n, err := st.CountChallengesSince(ctx, ra, now.Add(-time.Hour)); err != nil || n != 2 {
		t.Fatalf("codes to a in the last hour: %d, %v; want 2", n, err)
	}
	if n, err := st.CountChallengesFromIPSince(ctx, "192.0.2.1", now.Add(-time.Hour)); err != nil || n != 2 {
		t.Fatalf("codes from 192.0.2.1 in the last hour: %d, %v; want 2", n, err)
	}
}
