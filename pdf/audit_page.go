package pdf

import (
	"fmt"
	"strconv"
	"time"
)

// AuditRecipient is one recipient's row in the audit trail.
type AuditRecipient struct {
	Name, Email, Role, Verification, Status, IP, UserAgent string
	OpenedAt, VerifiedAt, SignedAt                         *time.Time // UTC, nil if never
}

// AuditEvent is one entry of the hash-chained timeline.
type AuditEvent struct {
	At               time.Time
	Actor, Event, IP string
}

// Audit is everything the appended audit trail shows.
type Audit struct {
	DocumentID, Title, OriginalSHA256, ChainHead string
	CompletedAt                                  time.Time
	Recipients                                   []AuditRecipient
	Events                                       []AuditEvent // may be long: it wraps onto more audit pages
}

const (
	bodySize  = 9.0
	labelW    = 112.0
	eventSize = 8.0
)

// auditPages lays out the audit trail on pages of size w×h, with "Page i of n" footers.
func auditPages(a Audit, w, h float64) []*canvas {
	f := newFlow(w, h, func(f *flow, first bool) {
		if first {
			f.heading("Audit trail", 20)
			f.para(regular, 8.5, 0.35, "Added by Signet when the document was completed. The SHA-256 below identifies the original upload; the chain head seals the event log.")
			f.gap(6)
			return
		}
		f.heading("Audit trail (continued)", 12)
	})
	section := func(title string) {
		f.need(13*1.5 + 3*bodySize*1.3) // keep a heading with its first lines
		f.gap(6)
		f.heading(title, 13)
	}
	kv := func(indent float64, label, value string) {
		f.row(bodySize, 0, []cell{
			{x: indent, w: labelW - 4, f: bold, s: label},
			{x: indent + labelW, w: max(minColW, f.contentW()-indent-labelW), f: regular, s: value},
		})
	}

	section("Document")
	kv(0, "Document ID", a.DocumentID)
	kv(0, "Title", a.Title)
	kv(0, "Original SHA-256", a.OriginalSHA256)
	kv(0, "Audit chain head", a.ChainHead)
	kv(0, "Completed", utcStamp(a.CompletedAt))
	kv(0, "Recipients", strconv.Itoa(len(a.Recipients)))

	section("Recipients")
	for i, r := range a.Recipients {
		f.need(7 * bodySize * 1.3)
		f.gap(3)
		f.row(10, 0, []cell{{w: f.contentW(), f: bold, s: fmt.Sprintf("%d. %s <%s>", i+1, r.Name, r.Email)}})
		kv(12, "Role", r.Role)
		kv(12, "Verification", r.Verification)
		kv(12, "Status", r.Status)
		kv(12, "Opened", optStamp(r.OpenedAt))
		kv(12, "Verified", optStamp(r.VerifiedAt))
		kv(12, "Signed", optStamp(r.SignedAt))
		kv(12, "IP address", orDash(r.IP))
		kv(12, "User agent", orDash(r.UserAgent))
	}

	section("Events")
	cols := eventColumns(f.contentW())
	row := func(at, actor, event, ip string, fc face) []cell {
		return []cell{
			{x: cols[0].x, w: cols[0].w, f: fc, s: at},
			{x: cols[1].x, w: cols[1].w, f: fc, s: actor},
			{x: cols[2].x, w: cols[2].w, f: fc, s: event},
			{x: cols[3].x, w: cols[3].w, f: fc, s: ip},
		}
	}
	tableHead := func(f *flow) {
		f.row(eventSize, 0, row("Time (UTC)", "Actor", "Event", "IP address", bold))
		f.gap(2)
		f.rule(0.6)
		f.gap(3)
	}
	tableHead(f)
	f.repeat = tableHead
	for _, e := range a.Events {
		f.row(eventSize, 0.1, row(e.At.UTC().Format("2006-01-02 15:04:05"), e.Actor, e.Event, orDash(e.IP), regular))
		f.gap(2)
	}
	if len(a.Events) == 0 {
		f.para(regular, eventSize, 0.35, "No events were recorded.")
	}
	f.repeat = nil

	n := len(f.pages)
	for i, c := range f.pages {
		c.gray(0.4)
		c.text(f.margin, f.margin/2, regular, 7.5, "Signet audit trail \u2014 document "+a.DocumentID)
		right := toWinAnsi(fmt.Sprintf("Page %d of %d", i+1, n))
		c.encText(w-f.margin-regular.width(right, 7.5), f.margin/2, regular, 7.5, right)
	}
	return f.pages
}

// minColW keeps every column wide enough for a few characters whatever the page size.
const minColW = 40.0

// column is a table column's offset from the left margin and its width.
type column struct{ x, w float64 }

// eventColumns lays out time, actor, event and IP address across width cw: fixed time, actor and IP columns and the
// rest for the event on a normal page; on a narrow one each gets minColW plus a share of the rest, and none is ever narrower than minColW.
func eventColumns(cw float64) [4]column {
	const gap = 4.0
	widths := [4]float64{100, 126, cw - 100 - 126 - 80 - 3*gap, 80}
	if widths[2] < 120 {
		rest := max(0, cw-3*gap-4*minColW)
		widths = [4]float64{minColW + rest*0.25, minColW + rest*0.25, minColW + rest*0.3, minColW + rest*0.2}
	}
	var cols [4]column
	x := 0.0
	for i, w := range widths {
		cols[i] = column{x: x, w: max(minColW, w)}
		x += cols[i].w + gap
	}
	return cols
}

func optStamp(t *time.Time) string {
	if t == nil {
		return "\u2014"
	}
	return utcStamp(*t)
}

func orDash(s string) string {
	if s == "" {
		return "\u2014"
	}
	return s
}
