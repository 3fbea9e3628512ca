package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"signet/internal/testapp"
)

// BenchmarkLandingPage measures GET /s/{token} (link lookup, document load, page render) through the whole stack
// on SQLite; requests/s is reported as a metric. A first visit has no session yet, so rendering the form's CSRF
// token creates one (a session row written); a repeat visit brings its session cookie back.
func BenchmarkLandingPage(b *testing.B) {
	app := testapp.New(b)
	sender := app.NewSender("bench@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	link := doc.Recipients[0].Link
	jar, _ := cookiejar.New(nil)
	for _, v := range []struct {
		name string
		jar  http.CookieJar
	}{{"first-visit", nil}, {"repeat-visit", jar}} {
		client := &http.Client{Jar: v.jar, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		get := func() {
			res, err := client.Get(link)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
		get() // the first request records "opened" (and, with a jar, starts the session); the rest are read-only
		b.Run(v.name, func(b *testing.B) {
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					get()
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
