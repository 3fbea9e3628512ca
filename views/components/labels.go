package components

import (
	"strings"
	"time"
)

// StatusLabel turns a status code into words.
func StatusLabel(s string) string {
	switch s {
	case "in_progress":
		return "In progress"
	case "":
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Time formats a UTC time for display; nil shows a dash.
func Time(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

// TimeV is Time for a value.
func TimeV(t time.Time) string { return Time(&t) }

// VerificationLabel names a verification method for people.
func VerificationLabel(v string) string {
	switch v {
	case "email_otp":
		return "Email code"
	case "sms_otp":
		return "SMS code"
	case "access_code":
		return "Access code"
	}
	return "Link only"
}

// EventLabel turns an audit event code into words.
func EventLabel(e string) string {
	return StatusLabel(strings.ReplaceAll(e, "_", " "))
}

// EventClass colours a timeline entry by what happened.
func EventClass(e string) string {
	switch e {
	case "signed", "document_completed", "identity_verified":
		return "is-success"
	case "declined", "code_failed", "email_failed", "finalize_failed":
		return "is-danger"
	case "link_opened", "code_sent", "email_delivered":
		return "is-muted"
	}
	return ""
}
