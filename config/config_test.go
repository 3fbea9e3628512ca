package config

import (
	"testing"
	"time"
)

// Every code limit and the database pool are read from SIGNET_* (DESIGN §4: each number is configurable).
func TestLoadReadsLimitsAndPool(t *testing.T) {
	for k, v := range map[string]string{
		"SIGNET_OTP_MAX_ATTEMPTS": "3", "SIGNET_OTP_LOCKOUT_FAILURES": "7", "SIGNET_OTP_LOCKOUT_WINDOW": "2h",
		"SIGNET_OTP_LOCKOUT_DURATION": "15m", "SIGNET_OTP_RESEND_COOLDOWN": "10s", "SIGNET_OTP_SENDS_PER_HOUR": "8",
		"SIGNET_OTP_SENDS_PER_IP_RECIPIENT_HOUR": "4", "SIGNET_OTP_SENDS_PER_IP_HOUR": "900",
		"SIGNET_DB_MAX_OPEN_CONNS": "12", "SIGNET_DB_MIN_IDLE_CONNS": "1", "SIGNET_DB_CONN_MAX_LIFETIME": "10m",
		"SIGNET_DB_CONN_MAX_IDLE_TIME": "1m", "SIGNET_DB_ACQUIRE_TIMEOUT": "2s", "SIGNET_JOBS_DB_MAX_CONNS": "3",
	} {
		t.Setenv(k, v)
	}
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := OTPLimits{MaxAttempts: 3, LockoutFailures: 7, LockoutWindow: 2 * time.Hour, LockoutDuration: 15 * time.Minute,
		ResendCooldown: 10 * time.Second, SendsPerHour: 8, SendsPerIPRecipient: 4, SendsPerIPHour: 900}
	if c.OTP != want {
		t.Errorf("OTP limits %+v, want %+v", c.OTP, want)
	}
	if c.DBMaxConns != 12 || c.DBMinIdleConns != 1 || c.DBConnLifetime != 10*time.Minute || c.DBConnIdleTime != time.Minute ||
		c.DBAcquireTimeout != 2*time.Second || c.JobsDBMaxConns != 3 {
		t.Errorf("pool settings %+v", c)
	}
}

// Nonsense limits are refused at start-up rather than silently disabling a protection.
func TestLoadRefusesBadLimits(t *testing.T) {
	for k, v := range map[string]string{"SIGNET_OTP_SENDS_PER_IP_HOUR": "0", "SIGNET_DB_MAX_OPEN_CONNS": "0", "SIGNET_DB_MIN_IDLE_CONNS": "50"} {
		t.Run(k, func(t *testing.T) {
			t.Setenv(k, v)
			if _, err := Load(); err == nil {
				t.Fatalf("%s=%s accepted", k, v)
			}
		})
	}
}
