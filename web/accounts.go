package web

import (
	"signet/accounts"
	"signet/config"
)

// accountLimits carries the SIGNET_LOGIN_* and SIGNET_SIGNUP_* settings to the accounts service.
func accountLimits(cfg config.Config) accounts.Limits {
	return accounts.Limits{LoginWindow: cfg.LoginWindow, LoginFailuresPerAccount: cfg.LoginFailuresPerAccount,
		LoginFailuresPerIPAcct: cfg.LoginFailuresPerIPAcct, LoginFailuresPerIP: cfg.LoginFailuresPerIP,
		LoginFailuresPerDevice: cfg.LoginFailuresPerDevice, TrustedDeviceLifetime: cfg.TrustedDeviceLifetime,
		SignupWindow: cfg.SignupWindow, SignupsPerIP: cfg.SignupsPerIP}
}
