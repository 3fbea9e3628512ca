package handlers

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"signet/models"
	"signet/signing"
	"signet/views/signer"
)

// signerView loads what every signer page shows, without side effects.
func (h *Handler) signerView(c echo.Context, doc *models.Document, r *models.Recipient) (signer.View, error) {
	ctx := c.Request().Context()
	v := signer.View{Token: c.Param("token"), Doc: doc, Recipient: r, MaskedTo: signing.MaskEmail(r.Email)}
	org, err := h.Store.OrganizationByID(ctx, doc.OrganizationID)
	if err != nil {
		return v, err
	}
	v.OrgName, v.SenderName = org.Name, org.Name
	if u, err := h.Store.UserByID(ctx, doc.CreatedByID); err == nil {
		v.SenderName = firstNonEmpty(u.Name, u.Email)
	}
	return v, nil
}

// isVerified reports whether this session may see this recipient's document.
func (h *Handler) isVerified(c echo.Context, r *models.Recipient) bool {
	if r.Verification == models.VerifyNone {
		return true
	}
	return h.Sessions.GetString(c.Request().Context(), sessSignerRecipient) == r.ID
}

// signerContext resolves the link and checks the session; it never records anything.
func (h *Handler) signerContext(c echo.Context, needVerified bool) (*models.Document, *models.Recipient, error) {
	doc, r, err := h.Signing.ByToken(c.Request().Context(), c.Param("token"))
	if err != nil {
		return nil, nil, linkNotFound(err)
	}
	if needVerified && !h.isVerified(c, r) {
		return nil, nil, echo.NewHTTPError(http.StatusForbidden, "Verify your identity first: open the link from your email and press “Send verification code”.")
	}
	return doc, r, nil
}

func linkNotFound(err error) error {
	if models.IsNotFound(err) {
		return echo.NewHTTPError(http.StatusNotFound, "This signing link is not valid. Check that you copied the whole link from your email.")
	}
	return err
}

// SignerLanding is GET /s/{token}: records "opened" and nothing else.
func (h *Handler) SignerLanding(c echo.Context) error {
	doc, r, err := h.Signing.OpenLink(c.Request().Context(), c.Param("token"), actor(c, ""))
	if err != nil {
		return linkNotFound(err)
	}
	v, err := h.signerView(c, doc, r)
	if err != nil {
		return err
	}
	verified := h.isVerified(c, r)
	if r.Status == models.RecipientSigned || r.Status == models.RecipientDeclined {
		if verified {
			return Render(c, http.StatusOK, signer.Done(h.Page(c, "Done", ""), v))
		}
	}
	if err := signing.CanAct(doc, r); err != nil {
		if signing.CanVerify(doc, r) == nil && !verified { // signed and complete: verify again to download
			return Render(c, http.StatusOK, signer.Landing(h.Page(c, doc.Title, ""), v))
		}
		v.Notice = err.Error()
		return Render(c, http.StatusOK, signer.Notice(h.Page(c, doc.Title, ""), v))
	}
	if verified {
		return Render(c, http.StatusOK, signer.Document(h.Page(c, doc.Title, ""), v))
	}
	return Render(c, http.StatusOK, signer.Landing(h.Page(c, doc.Title, ""), v))
}

// SendCode is POST /s/{token}/code: creates a code and queues its email.
func (h *Handler) SendCode(c echo.Context) error {
	token := c.Param("token")
	err := h.Signing.SendCode(c.Request().Context(), token, actor(c, ""))
	var rl *signing.RateLimitError
	var locked *signing.LockedError
	switch {
	case errors.As(err, &rl):
		h.Sessions.Put(c.Request().Context(), sessFlashError, rl.Message)
		return redirect(c, "/s/"+token+"/verify")
	case errors.As(err, &locked):
		return h.renderVerify(c, http.StatusTooManyRequests, map[string]string{"code": locked.Error()})
	case err != nil:
		return linkNotFound(err)
	}
	_, r, err := h.Signing.ByToken(c.Request().Context(), token)
	if err != nil {
		return linkNotFound(err)
	}
	h.flash(c, "We emailed a code to "+signing.MaskEmail(r.Email)+". It is valid for "+minutes(h.Signing.Policy().Validity)+".")
	return redirect(c, "/s/"+token+"/verify")
}

func minutes(d time.Duration) string {
	if n := int(d.Minutes()); n != 1 {
		return strconv.Itoa(n) + " minutes"
	}
	return "1 minute"
}

// VerifyForm is GET /s/{token}/verify.
func (h *Handler) VerifyForm(c echo.Context) error {
	return h.renderVerify(c, http.StatusOK, nil)
}

func (h *Handler) renderVerify(c echo.Context, status int, errs map[string]string) error {
	doc, r, err := h.signerContext(c, false)
	if err != nil {
		return err
	}
	v, err := h.signerView(c, doc, r)
	if err != nil {
		return err
	}
	if h.isVerified(c, r) && status == http.StatusOK {
		return redirect(c, v.Base())
	}
	v.Errors = errs
	return Render(c, status, signer.Verify(h.Page(c, doc.Title, ""), v))
}

// Verify is POST /s/{token}/verify: a right code renews the session and binds it to this recipient.
func (h *Handler) Verify(c echo.Context) error {
	ctx, token := c.Request().Context(), c.Param("token")
	r, err := h.Signing.VerifyCode(ctx, token, c.FormValue("code"), actor(c, ""))
	var ce *signing.CodeError
	var locked *signing.LockedError
	switch {
	case errors.As(err, &ce):
		return h.renderVerify(c, http.StatusUnprocessableEntity, map[string]string{"code": ce.Message})
	case errors.As(err, &locked):
		return h.renderVerify(c, http.StatusTooManyRequests, map[string]string{"code": locked.Error()})
	case err != nil:
		return linkNotFound(err)
	}
	if err := h.renewSession(c); err != nil {
		return err
	}
	h.Sessions.Put(ctx, sessSignerRecipient, r.ID)
	h.Sessions.Put(ctx, sessSignerVerified, time.Now().UTC().Format(time.RFC3339))
	return redirect(c, "/s/"+token)
}

// SignerPDF serves the original to a verified signer only.
func (h *Handler) SignerPDF(c echo.Context) error {
	doc, r, err := h.signerContext(c, true)
	if err != nil {
		return err
	}
	if doc.Status == models.DocCancelled {
		return echo.NewHTTPError(http.StatusGone, "The sender cancelled this document.")
	}
	if err := signing.CanView(doc, r); err != nil {
		return echo.NewHTTPError(http.StatusForbidden, err.Error())
	}
	return h.servePDF(c, doc.OriginalKey, doc.Title+".pdf")
}

// SignerSignedPDF serves the signed PDF to a verified signer once complete.
func (h *Handler) SignerSignedPDF(c echo.Context) error {
	doc, _, err := h.signerContext(c, true)
	if err != nil {
		return err
	}
	if doc.Status != models.DocCompleted {
		return echo.NewHTTPError(http.StatusConflict, "The signed PDF is ready once everyone has signed.")
	}
	return h.servePDF(c, doc.SignedKey, doc.Title+" (signed).pdf")
}

// Sign is POST /s/{token}/sign.
func (h *Handler) Sign(c echo.Context) error {
	doc, r, err := h.signerContext(c, true)
	if err != nil {
		return err
	}
	in := signing.SignInput{TypedName: c.FormValue("typed_name"), Actor: actor(c, "")}
	if sig := c.FormValue("signature"); sig != "" {
		png, ok := decodePNGDataURL(sig)
		if !ok {
			return h.renderSignError(c, doc, r, map[string]string{"signature": "The drawn signature could not be read. Clear it and draw it again, or type your name."})
		}
		in.ImagePNG = png
	}
	err = h.Signing.Sign(c.Request().Context(), c.Param("token"), in)
	var verr *signing.ValidationError
	if errors.As(err, &verr) {
		return h.renderSignError(c, doc, r, verr.Fields)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/s/"+c.Param("token")+"/done")
}

func (h *Handler) renderSignError(c echo.Context, doc *models.Document, r *models.Recipient, errs map[string]string) error {
	v, err := h.signerView(c, doc, r)
	if err != nil {
		return err
	}
	v.Errors = errs
	if typed, ok := c.Request().PostForm["typed_name"]; ok { // show what they typed, not the name on file
		v.TypedName = &typed[0]
	}
	return Render(c, http.StatusUnprocessableEntity, signer.Document(h.Page(c, doc.Title, ""), v))
}

// decodePNGDataURL accepts only "data:image/png;base64,…" as signature_pad produces.
func decodePNGDataURL(s string) ([]byte, bool) {
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(s, prefix) || len(s) > signing.MaxSignatureBytes*4/3+len(prefix)+4 {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(s[len(prefix):])
	return b, err == nil
}

// Decline is POST /s/{token}/decline.
func (h *Handler) Decline(c echo.Context) error {
	doc, r, err := h.signerContext(c, true)
	if err != nil {
		return err
	}
	err = h.Signing.Decline(c.Request().Context(), c.Param("token"), c.FormValue("reason"), actor(c, ""))
	var verr *signing.ValidationError
	if errors.As(err, &verr) {
		return h.renderSignError(c, doc, r, verr.Fields)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/s/"+c.Param("token")+"/done")
}

// Done is GET /s/{token}/done.
func (h *Handler) Done(c echo.Context) error {
	doc, r, err := h.signerContext(c, true)
	if err != nil {
		return err
	}
	v, err := h.signerView(c, doc, r)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, signer.Done(h.Page(c, "Done", ""), v))
}

// DoneStatus is the htmx fragment the done page polls until the signed PDF is ready.
func (h *Handler) DoneStatus(c echo.Context) error {
	doc, r, err := h.signerContext(c, true)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, signer.DoneStatus(signer.View{Token: c.Param("token"), Doc: doc, Recipient: r}))
}
