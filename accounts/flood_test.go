package accounts_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/config"
	"signet/internal/testapp"
)

// postLogin submits the log-in form from a fresh browser.
func postLogin(app *testapp.App, email, password string) *testapp.Response {
	b := app.NewBrowser()
	b.Get("/login")
	return b.PostForm("/login", url.Values{"email": {email}, "password": {password}})
}

// 60 wrong passwords at once for one account: the attempts are reserved before hashing, so at
// most the limit (10) are evaluated and the others are refused with 429 and Retry-After.
func TestConcurrentLoginsForOneAccountEvaluateAtMostTheLimit(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	hasher := app.Accounts.Hasher()
	before := hasher.Evaluations()
	statuses := make([]*testapp.Response, 60)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = postLogin(app, sender.User.Email, "wrong password "+strconv.Itoa(i))
		}()
	}
	wg.Wait()
	evaluated := hasher.Evaluations() - before
	if evaluated > 10 {
		t.Errorf("%d passwords were hashed, want at most the limit of 10", evaluated)
	}
	count := map[int]int{}
	for _, res := range statuses {
		count[res.StatusCode]++
		switch res.StatusCode {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra <= 0 {
				t.Errorf("status %d with Retry-After %q, want a number of seconds", res.StatusCode, res.Header.Get("Retry-After"))
			}
		case http.StatusUnauthorized:
		default:
			t.Errorf("unexpected status %d", res.StatusCode)
		}
	}
	if count[http.StatusTooManyRequests] < 50 || int64(count[http.StatusUnauthorized]) != evaluated {
		t.Errorf("answers %v with %d hashed: want at least 50 refusals (429) and one 401 per hashed password", count, evaluated)
	}
	if res := postLogin(app, sender.User.Email, sender.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password after the flood: status %d, want 429 (the account is locked)", res.StatusCode)
	}
}

// boundPostgresPool keeps 400 requests in flight under PostgreSQL's connection limit (the
// server's own pool settings are not what this test measures).
func boundPostgresPool(t *testing.T, app *testapp.App) {
	if app.DB.Dialector.Name() != "postgres" {
		return
	}
	sqlDB, err := app.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(20)
}

// peakRSS is the process's high-water resident set (VmHWM) in bytes.
func peakRSS(t *testing.T) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status on this system (%v): the memory bound cannot be measured here", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmHWM in /proc/self/status: the memory bound cannot be measured here")
	return 0
}

// memoryMargin is what the process may grow by above its baseline during the floods: the
// hashing budget (4 × 64 MiB) and a fixed 200 MiB for 400 requests in flight, their sessions,
// database work and the collector's slack. Without the limiter the same floods reach gigabytes.
const memoryMargin = 256<<20 + 200<<20

// 200 log-ins (random emails and one real account) and 200 sign-ups at once keep the peak RSS
// within the hashing budget plus a fixed margin: argon2id runs in at most 4 slots of 64 MiB.
func TestLoginAndSignupFloodsKeepMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("floods take a few seconds")
	}
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.SignupsPerIP, c.LoginFailuresPerIP = 1000, 1000 // measure the hashing limiter, not the throttles
	}})
	boundPostgresPool(t, app)
	sender := app.NewSender("alice@example.com")
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak RSS (%v): the memory bound cannot be measured here", err)
	}
	runtime.GC()
	baseline := peakRSS(t)
	before := app.Accounts.Hasher().Evaluations()
	count := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	run := func(f func() *testapp.Response) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := f()
			mu.Lock()
			count[res.StatusCode]++
			mu.Unlock()
		}()
	}
	for i := 0; i < 200; i++ {
		email := fmt.Sprintf("nobody-%d@example.com", i)
		if i%20 == 0 {
			email = sender.User.Email
		}
		run(func() *testapp.Response { return postLogin(app, email, "wrong password "+strconv.Itoa(i)) })
		run(func() *testapp.Response {
			b := app.NewBrowser()
			b.Get("/signup")
			return b.PostForm("/signup", url.Values{"name": {"Flood " + strconv.Itoa(i)}, "email": {fmt.Sprintf("flood-%d@example.com", i)},
				"password": {"flooding sign-up password " + strconv.Itoa(i)}})
		})
	}
	wg.Wait()
	peak := peakRSS(t)
	t.Logf("baseline %d MiB, peak %d MiB (+%d MiB), %d hashes in %d slots, answers %v", baseline>>20, peak>>20, (peak-baseline)>>20,
		app.Accounts.Hasher().Evaluations()-before, app.Accounts.Hasher().Slots(), count)
	if peak-baseline > memoryMargin {
		t.Errorf("peak RSS grew by %d MiB, want at most %d MiB", (peak-baseline)>>20, memoryMargin>>20)
	}
	if count[http.StatusUnauthorized]+count[http.StatusSeeOther] == 0 {
		t.Errorf("no request was evaluated at all: %v", count)
	}
	for status := range count {
		if status != http.StatusUnauthorized && status != http.StatusSeeOther && status != http.StatusServiceUnavailable && status != http.StatusTooManyRequests {
			t.Errorf("unexpected status %d in %v", status, count)
		}
	}
}

// When every hashing slot stays taken, a log-in is answered 503 with Retry-After and a page a
// person understands, and it does not count as a failed attempt.
func TestBusyHasherAnswers503AndCountsNoFailure(t *testing.T) {
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.HashMemoryMiB, c.HashWait = 64, time.Millisecond // one slot, almost no wait
		c.LoginFailuresPerAccount, c.LoginFailuresPerIPAcct = 40, 40
	}})
	sender := app.NewSender("alice@example.com")
	answers := make([]*testapp.Response, 30)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = postLogin(app, sender.User.Email, "wrong password")
		}()
	}
	wg.Wait()
	busy, failed := 0, 0
	for _, res := range answers {
		switch res.StatusCode {
		case http.StatusServiceUnavailable:
			busy++
			if res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "Signet is busy checking other passwords") {
				t.Errorf("503 without Retry-After or explanation: %q", res.Header.Get("Retry-After"))
			}
		case http.StatusUnauthorized:
			failed++
		default:
			t.Errorf("unexpected status %d", res.StatusCode)
		}
	}
	if busy == 0 {
		t.Fatalf("no request found the single slot busy (%d failures)", failed)
	}
	// only the evaluated failures count: 40 - failed more wrong passwords are still evaluated
	for i := 0; i < 40-failed; i++ {
		if res := postLogin(app, sender.User.Email, "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password #%d after %d evaluated ones: status %d, want 401", i+1, failed, res.StatusCode)
		}
	}
	if res := postLogin(app, sender.User.Email, "wrong password"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("past the limit: status %d, want 429", res.StatusCode)
	}
}
