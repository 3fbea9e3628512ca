package notify

// Account emails: kept apart from the document messages so each area's texts stay together.
func init() {
	templates["confirm_email"] = parsePair("confirm_email")
	templates["signup_existing"] = parsePair("signup_existing")
}

// ConfirmEmail asks a new account's owner to open a link that proves the address is theirs.
type ConfirmEmail struct {
	Name, Email, ConfirmURL string
	ValidHours              int
}

// ConfirmEmailMessage: subject "Confirm your email address for Signet".
func ConfirmEmailMessage(in ConfirmEmail) Message {
	const subject = "Confirm your email address for Signet"
	v := struct {
		frame
		ConfirmEmail
	}{
		frame: frame{
			Subject: subject, Greeting: greeting(in.Name),
			Preheader:   "One click and your Signet account is ready.",
			ButtonLabel: "Confirm my email address", ButtonURL: in.ConfirmURL,
		},
		ConfirmEmail: in,
	}
	text, html := render("confirm_email", v)
	return Message{To: in.Email, ToName: in.Name, Subject: subject, Text: text, HTML: html, Link: in.ConfirmURL}
}

// SignupExisting tells an account's owner that someone tried to sign up with their address.
type SignupExisting struct {
	Name, Email, LoginURL string
}

// SignupExistingMessage: subject "Someone tried to sign up to Signet with your email address".
func SignupExistingMessage(in SignupExisting) Message {
	const subject = "Someone tried to sign up to Signet with your email address"
	v := struct {
		frame
		SignupExisting
	}{
		frame: frame{
			Subject: subject, Greeting: greeting(in.Name),
			Preheader:   "You already have an account: log in instead.",
			ButtonLabel: "Log in", ButtonURL: in.LoginURL,
		},
		SignupExisting: in,
	}
	text, html := render("signup_existing", v)
	return Message{To: in.Email, ToName: in.Name, Subject: subject, Text: text, HTML: html, Link: in.LoginURL}
}
