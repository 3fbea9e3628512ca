package jobs

// Messages carried by AccountEmailArgs.
const (
	AccountEmailConfirm        = "confirm_email"
	AccountEmailSignupExisting = "signup_existing"
)

// AccountEmailArgs asks for one email about a sender's own account. The confirmation link is
// rebuilt from the user and expiry by the worker, so the jobs table holds no token.
type AccountEmailArgs struct {
	Message   string `json:"message"`
	UserID    string `json:"user_id"`
	ExpiresAt int64  `json:"expires_at,omitempty"` // Unix seconds; confirmation links only
}

// Kind names the job for River.
func (AccountEmailArgs) Kind() string { return "account_email" }
