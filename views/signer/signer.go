// Package signer holds the pages a signer sees.
package signer

import "signet/models"

// View is what every signer page knows about the document and the person.
type View struct {
	Token      string
	Doc        *models.Document
	Recipient  *models.Recipient
	SenderName string
	OrgName    string
	MaskedTo   string // where the code goes, masked
	Notice     string // why the signer cannot act now, if so
	Errors     map[string]string
	TypedName  *string // what the signer typed, when the form comes back with an error
}

// TypedNameValue prefills the typed-name input: what they typed, else the name on file.
func (v View) TypedNameValue() string {
	if v.TypedName != nil {
		return *v.TypedName
	}
	return v.Recipient.Name
}

// Base is the signer's URL prefix.
func (v View) Base() string { return "/s/" + v.Token }
