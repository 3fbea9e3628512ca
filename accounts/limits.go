package accounts

import "time"

// Limits are the throttles of log-in and sign-up; every one is configurable (SIGNET_LOGIN_*,
// SIGNET_SIGNUP_*), zero values take the defaults.
type Limits struct {
	LoginWindow             time.Duration // the window every log-in count lives in
	LoginFailuresPerAccount int           // wrong passwords for one account, from anywhere
	LoginFailuresPerIPAcct  int           // wrong passwords for one account from one address
	LoginFailuresPerIP      int           // wrong passwords from one address, all accounts together
	LoginFailuresPerDevice  int           // wrong passwords from one trusted device for its account
	SignupWindow            time.Duration
	SignupsPerIP            int           // sign-up attempts from one address
	TrustedDeviceLifetime   time.Duration // how long a device that logged in may pass an account lock
	ConfirmationValidity    time.Duration // how long an emailed confirmation link works
}

// DefaultLimits are the numbers of DESIGN §4 and the README.
func DefaultLimits() Limits {
	return Limits{LoginWindow: 15 * time.Minute, LoginFailuresPerAccount: 10, LoginFailuresPerIPAcct: 10,
		LoginFailuresPerIP: 100, LoginFailuresPerDevice: 10, SignupWindow: time.Hour, SignupsPerIP: 10,
		TrustedDeviceLifetime: 90 * 24 * time.Hour, ConfirmationValidity: 48 * time.Hour}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	pick := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	pickD := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	pickD(&l.LoginWindow, d.LoginWindow)
	pick(&l.LoginFailuresPerAccount, d.LoginFailuresPerAccount)
	pick(&l.LoginFailuresPerIPAcct, d.LoginFailuresPerIPAcct)
	pick(&l.LoginFailuresPerIP, d.LoginFailuresPerIP)
	pick(&l.LoginFailuresPerDevice, d.LoginFailuresPerDevice)
	pickD(&l.SignupWindow, d.SignupWindow)
	pick(&l.SignupsPerIP, d.SignupsPerIP)
	pickD(&l.TrustedDeviceLifetime, d.TrustedDeviceLifetime)
	pickD(&l.ConfirmationValidity, d.ConfirmationValidity)
	return l
}
