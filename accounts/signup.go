package accounts

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
)

// SignupInput is a validated sign-up form and where it came from.
type SignupInput struct {
	Name, Organization, Email, Password, IP string
}

// Signup answers the same way whether the email is new or taken, after the same work (one
// hash): a new address gets an unconfirmed account and a confirmation link, a taken one an
// email (see signupForTakenEmail). Either way the caller shows "check your email".
func (s *Service) Signup(ctx context.Context, in SignupInput) error {
	in.Email = NormalizeEmail(in.Email)
	if err := CheckPassword(in.Password, in.Email, in.Name); err != nil {
		return err
	}
	signupBucket := []bucket{{key: "signup-ip:" + in.IP, limit: s.limits.SignupsPerIP, window: s.limits.SignupWindow}}
	if err := s.reserve(ctx, CodeSignupThrottled, signupBucket); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		s.giveBack(ctx, signupBucket)
		return err
	}
	orgName := strings.TrimSpace(in.Organization)
	if orgName == "" {
		orgName = in.Name
	}
	u := &models.User{Email: in.Email, Name: in.Name, PasswordHash: hash}
	err = s.queue.Transact(ctx, func(tx *gorm.DB) error {
		if err := s.store.WithTx(tx).CreateUserWithOrganization(ctx, orgName, u); err != nil {
			return err
		}
		return s.queue.Enqueue(ctx, tx, s.confirmationArgs(u.ID))
	})
	if errors.Is(err, models.ErrConflict) {
		return s.signupForTakenEmail(ctx, in, orgName, hash)
	}
	return err
}

// signupForTakenEmail tells a confirmed owner that someone tried. An unconfirmed account takes
// the latest sign-up's name and password and gets a fresh link: whoever reads the mailbox and
// knows the last password confirms, so nobody can squat an address before its owner.
func (s *Service) signupForTakenEmail(ctx context.Context, in SignupInput, orgName, hash string) error {
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		owner, err := st.UserByEmail(ctx, in.Email)
		if err != nil {
			return err
		}
		if owner.ConfirmedAt != nil {
			return s.queue.Enqueue(ctx, tx, jobs.AccountEmailArgs{Message: jobs.AccountEmailSignupExisting, UserID: owner.ID})
		}
		if err := st.ReplacePendingUser(ctx, owner, in.Name, orgName, hash); err != nil {
			return err
		}
		return s.queue.Enqueue(ctx, tx, s.confirmationArgs(owner.ID))
	})
}

// CreateConfirmedUser makes an account whose email needs no confirmation (`signet user create`);
// the password policy applies and the hash goes through the limiter like any other.
func (s *Service) CreateConfirmedUser(ctx context.Context, email, name, password string) (*models.User, error) {
	email = NormalizeEmail(email)
	if err := CheckPassword(password, email, name); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &models.User{Email: email, Name: strings.TrimSpace(name), PasswordHash: hash, ConfirmedAt: &now}
	orgName := u.Name
	if orgName == "" {
		orgName = email
	}
	if err := s.store.CreateUserWithOrganization(ctx, orgName, u); err != nil {
		return nil, err
	}
	return u, nil
}
