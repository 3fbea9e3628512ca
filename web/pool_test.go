package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"signet/config"
	"signet/internal/testapp"
	"signet/models"
)

// More signers at once than the pool has connections all get through, and PostgreSQL never
// sees more connections than the two pools allow (issue: 873 were opened in one run).
func TestManySignersShareASmallPool(t *testing.T) {
	const poolSize, jobsPool, signers, perDocument = 4, 3, 60, 30
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.DBMaxConns, c.DBMinIdleConns, c.JobsDBMaxConns = poolSize, 0, jobsPool
	}})
	sender := app.NewSender("alice@example.com")
	var docs []*testapp.SignerDoc
	var recipients []testapp.SignerRecipient
	for first := 0; first < signers; first += perDocument {
		var emails []string
		for i := first; i < min(first+perDocument, signers); i++ {
			emails = append(emails, fmt.Sprintf("signer%03d@example.com", i))
		}
		doc := app.SendDocument(sender, emails...)
		docs, recipients = append(docs, doc), append(recipients, doc.Recipients...)
	}

	peak, stop := watchConnections(t, app)
	var wg sync.WaitGroup
	var failures atomic.Int32
	for _, r := range recipients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := signThrough(app, r); err != nil {
				failures.Add(1)
				t.Errorf("%s: %v", r.Email, err)
			}
		}()
	}
	wg.Wait()
	stop()
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d of %d concurrent signers failed", n, signers)
	}
	for _, doc := range docs {
		var out struct{ Status string }
		testapp.Eventually(t, "document "+doc.ID+" to complete", func() bool {
			app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+doc.ID, nil, &out)
			return out.Status == models.DocCompleted
		})
	}
	if p := peak(); p >= 0 {
		t.Logf("peak PostgreSQL connections of the app: %d (bound %d + %d)", p, poolSize, jobsPool)
		if p > poolSize+jobsPool {
			t.Fatalf("the app held %d connections at once, more than its pools allow (%d + %d)", p, poolSize, jobsPool)
		}
	}
}

// signThrough walks one signer along the whole path: open the link, send a code, verify, sign.
func signThrough(app *testapp.App, r testapp.SignerRecipient) error {
	b := app.NewBrowser()
	if res := b.Get(r.Link); res.StatusCode != http.StatusOK {
		return fmt.Errorf("open link: status %d", res.StatusCode)
	}
	if res := b.PostForm(r.Link+"/code", nil); res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("send code: status %d: %s", res.StatusCode, res.Body)
	}
	code := app.WaitForCode(r.Email, 1)
	res := b.SubmitCode(r.Link, code)
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("verify: status %d: %s", res.StatusCode, res.Body)
	}
	if res := b.Follow(res); res.StatusCode != http.StatusOK { // the document page, with the renewed session's token
		return fmt.Errorf("document page: status %d", res.StatusCode)
	}
	if res := b.PostForm(r.Link+"/sign", url.Values{"typed_name": {r.Name}}); res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign: status %d: %s", res.StatusCode, res.Body)
	}
	return nil
}

// watchConnections samples pg_stat_activity for the app's database (from a connection of its
// own, not counted) until stop; peak is -1 on SQLite.
func watchConnections(t *testing.T, app *testapp.App) (peak func() int, stop func()) {
	if !models.IsPostgres(app.DB) {
		return func() int { return -1 }, func() {}
	}
	conn, err := pgx.Connect(context.Background(), app.Config.DatabaseURL)
	if err != nil {
		t.Fatalf("watch connections: %v", err)
	}
	var max atomic.Int32
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		for {
			var n int32
			err := conn.QueryRow(context.Background(),
				"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()").Scan(&n)
			if err == nil && n > max.Load() {
				max.Store(n)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() int { return int(max.Load()) }, func() {
		close(done)
		<-finished
		conn.Close(context.Background())
	}
}

// When every connection is taken, a request is refused at once with 503 and Retry-After
// (a page for people, JSON for the API) instead of hanging or failing with 500.
func TestExhaustedPoolAnswers503(t *testing.T) {
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.DBMaxConns, c.DBMinIdleConns, c.DBAcquireTimeout = 1, 0, 200*time.Millisecond
	}})
	if !models.IsPostgres(app.DB) {
		t.Skip("the bounded pool with an acquire deadline is PostgreSQL's; run with " + testapp.EnvPostgres)
	}
	sender := app.NewSender("alice@example.com")
	doc := app.SendDocument(sender, "jane@example.com")
	link := doc.Recipients[0].Link
	jane := app.NewBrowser()
	if res := jane.Get(link); res.StatusCode != http.StatusOK || jane.Cookie("signet") == "" {
		t.Fatalf("signing link: status %d, no session", res.StatusCode)
	}
	sqlDB, err := app.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	held := holdConnection(t, sqlDB)

	// With a session the session store answers first (in the database unless Redis holds sessions).
	if res := jane.Get(link); res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("signing link with a session, pool exhausted: status %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}

	page := app.NewBrowser().Get(link)
	if page.StatusCode != http.StatusServiceUnavailable || page.Header.Get("Retry-After") == "" ||
		!strings.Contains(page.Body, "very busy") {
		t.Fatalf("signing link with the pool exhausted: status %d, Retry-After %q, body %q", page.StatusCode, page.Header.Get("Retry-After"), page.Body)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	api := app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+doc.ID, nil, &body)
	if api.StatusCode != http.StatusServiceUnavailable || api.Header.Get("Retry-After") == "" || body.Error.Code != "busy" {
		t.Fatalf("API with the pool exhausted: status %d, Retry-After %q, body %s", api.StatusCode, api.Header.Get("Retry-After"), api.Body)
	}

	held.Close()
	if res := app.NewBrowser().Get(link); res.StatusCode != http.StatusOK {
		t.Fatalf("signing link once a connection is free: status %d", res.StatusCode)
	}
}

func holdConnection(t *testing.T, db *sql.DB) *sql.Conn {
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatalf("take the only connection: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
