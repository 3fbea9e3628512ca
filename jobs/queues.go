package jobs

import (
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// Queues, worked in this order of urgency: a signer waiting for a code must never wait behind
// PDF work, and finalisation must not wait behind a burst of notices.
const (
	QueueInteractive = "interactive" // verification codes, invitations, reminders
	QueueFinalize    = "finalize"    // stamping and sealing completed documents
	QueueMail        = "mail"        // completion, declined, cancelled and other notices
)

// Settings size the queues and bound how long jobs may run; zero values take the defaults.
type Settings struct {
	InteractiveWorkers int
	FinalizeWorkers    int
	MailWorkers        int
	// EmailTimeout and FinalizeTimeout cancel one attempt's context when it runs longer.
	EmailTimeout    time.Duration
	FinalizeTimeout time.Duration
	// RescueAfter is how long a job may stay running before it counts as abandoned by a crashed
	// process and is retried; it must exceed both timeouts.
	RescueAfter time.Duration
	// ShutdownGrace is how long a stop lets running jobs finish before cancelling them.
	ShutdownGrace time.Duration
}

// DefaultSettings suit a small server with two cores.
func DefaultSettings() Settings {
	return Settings{InteractiveWorkers: 4, FinalizeWorkers: 2, MailWorkers: 2,
		EmailTimeout: time.Minute, FinalizeTimeout: 2 * time.Minute, RescueAfter: 3 * time.Minute, ShutdownGrace: 10 * time.Second}
}

// WithDefaults fills zero fields from DefaultSettings.
func (s Settings) WithDefaults() Settings {
	d := DefaultSettings()
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pickD := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&s.InteractiveWorkers, d.InteractiveWorkers)
	pick(&s.FinalizeWorkers, d.FinalizeWorkers)
	pick(&s.MailWorkers, d.MailWorkers)
	pickD(&s.EmailTimeout, d.EmailTimeout)
	pickD(&s.FinalizeTimeout, d.FinalizeTimeout)
	pickD(&s.RescueAfter, d.RescueAfter)
	pickD(&s.ShutdownGrace, d.ShutdownGrace)
	return s
}

// Validate reports settings River would refuse or that would rescue jobs still working.
func (s Settings) Validate() error {
	s = s.WithDefaults()
	if s.RescueAfter <= max(s.EmailTimeout, s.FinalizeTimeout) {
		return fmt.Errorf("jobs: the rescue delay (%s) must be longer than the job timeouts (%s, %s)", s.RescueAfter, s.EmailTimeout, s.FinalizeTimeout)
	}
	return nil
}

// queueConfig gives each queue its own workers; the default queue keeps working jobs enqueued
// before the queues were split.
func (s Settings) queueConfig() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{
		QueueInteractive:   {MaxWorkers: s.InteractiveWorkers},
		QueueFinalize:      {MaxWorkers: s.FinalizeWorkers},
		QueueMail:          {MaxWorkers: s.MailWorkers},
		river.QueueDefault: {MaxWorkers: 1},
	}
}
