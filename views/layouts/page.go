// Package layouts holds the page frames every Signet page is drawn in.
package layouts

// Page is what every page needs besides its own content.
type Page struct {
	Title      string
	CSRF       string
	Flash      string
	FlashError string
	UserName   string // empty for signers and visitors
	OrgName    string
	DevMailbox bool // mail is stored, not delivered: say so on every sender page
	Active     string
}

// Nav is one entry of the sender navigation.
type Nav struct{ Href, Label, Key string }

// SenderNav lists the sender pages in the top bar.
func SenderNav(devMailbox bool) []Nav {
	n := []Nav{{"/documents", "Documents", "documents"}, {"/documents/new", "New document", "new"}, {"/settings/api-keys", "API keys", "apikeys"}}
	if devMailbox {
		n = append(n, Nav{"/dev/mailbox", "Dev mailbox", "mailbox"})
	}
	return n
}
