package web

import (
	"signet/config"
	"signet/otp"
)

// otpPolicy is otp.DefaultPolicy with every SIGNET_OTP_* setting that is set applied.
func otpPolicy(cfg config.Config) otp.Policy {
	p, o := otp.DefaultPolicy(), cfg.OTP
	setPositive(&p.Validity, cfg.OTPValidity)
	setPositive(&p.MaxAttempts, o.MaxAttempts)
	setPositive(&p.LockoutFailures, o.LockoutFailures)
	setPositive(&p.LockoutWindow, o.LockoutWindow)
	setPositive(&p.LockoutDuration, o.LockoutDuration)
	setPositive(&p.ResendCooldown, o.ResendCooldown)
	setPositive(&p.MaxSendsPerHour, o.SendsPerHour)
	setPositive(&p.MaxSendsPerIPRecipientHour, o.SendsPerIPRecipient)
	setPositive(&p.MaxSendsPerIPHour, o.SendsPerIPHour)
	return p
}

func setPositive[T ~int | ~int64](dst *T, v T) {
	if v > 0 {
		*dst = v
	}
}
