package accounts

import (
	"crypto/rand"
	"strconv"
	"time"
)

const devicePurpose = "trusted-device"

// DeviceCookieValue names a device that logged in to the account: user id, a random device id
// and an expiry, signed with the server key.
func (s *Service) deviceCookieValue(userID, deviceID string) string {
	exp := s.now().Add(s.limits.TrustedDeviceLifetime).Unix()
	return s.signer.sign(devicePurpose, userID, deviceID, strconv.FormatInt(exp, 10))
}

// trustedDevice returns the device id when the cookie is valid, unexpired and names userID.
func (s *Service) trustedDevice(cookie, userID string) string {
	if cookie == "" || userID == "" {
		return ""
	}
	parts, ok := s.signer.open(devicePurpose, cookie, 3)
	if !ok || parts[0] != userID {
		return ""
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || s.now().After(time.Unix(exp, 0)) {
		return ""
	}
	return parts[1]
}

func newDeviceID() string { return rand.Text() }
