package handlers

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"signet/models"
	"signet/pdf"
	"signet/signing"
	"signet/views/sender"
)

// Dashboard lists the organization's documents with counts by status.
func (h *Handler) Dashboard(c echo.Context) error {
	u, ctx := currentUser(c), c.Request().Context()
	filter := c.QueryParam("status")
	if !validStatus(filter) {
		filter = ""
	}
	docs, err := h.Store.Documents(ctx, u.OrganizationID, filter, 200)
	if err != nil {
		return err
	}
	counts, err := h.Store.DocumentCounts(ctx, u.OrganizationID)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, sender.Dashboard(h.Page(c, "Documents", "documents"), docs, counts, filter))
}

func validStatus(s string) bool {
	for _, v := range models.DocumentStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// NewDocumentForm shows the upload form.
func (h *Handler) NewDocumentForm(c echo.Context) error {
	f := sender.NewDocumentForm{Recipients: []sender.RecipientRow{{Order: 1, Verification: models.VerifyEmailOTP}}}
	return h.renderNewDocument(c, http.StatusOK, f)
}

func (h *Handler) renderNewDocument(c echo.Context, status int, f sender.NewDocumentForm) error {
	f.MaxUploadMB = h.MaxUploadBytes >> 20
	return Render(c, status, sender.NewDocument(h.Page(c, "New document", "new"), f))
}

// CreateDocument takes the upload, validates it and the signers, stores it and (unless a draft) sends it.
func (h *Handler) CreateDocument(c echo.Context) error {
	u := currentUser(c)
	f := sender.NewDocumentForm{Title: c.FormValue("title"), Message: c.FormValue("message"), Errors: map[string]string{}}
	in := signing.CreateInput{OrganizationID: u.OrganizationID, UserID: u.ID, Title: f.Title, Message: f.Message,
		Send: c.FormValue("intent") != "draft", Actor: actor(c, u.Name+" <"+u.Email+">")}
	for i := 0; i < signing.MaxRecipients; i++ {
		row := sender.RecipientRow{Name: c.FormValue(fieldKey(i, "name")), Email: c.FormValue(fieldKey(i, "email")),
			Phone: c.FormValue(fieldKey(i, "phone")), Verification: c.FormValue(fieldKey(i, "verification"))}
		order, _ := strconv.Atoi(c.FormValue(fieldKey(i, "order")))
		row.Order = order
		if strings.TrimSpace(row.Name+row.Email+row.Phone) == "" {
			continue // blank rows are the spare ones the form offers
		}
		f.Recipients = append(f.Recipients, row)
		in.Recipients = append(in.Recipients, signing.RecipientInput{Name: row.Name, Email: row.Email, Phone: row.Phone, Order: order, Verification: row.Verification})
	}
	data, name, err := h.readUpload(c)
	if err != nil {
		f.Errors["file"] = pdfMessage(err)
	}
	in.PDF, in.FileName = data, name
	if verr := in.Validate(); verr != nil {
		for k, v := range verr.Fields {
			f.Errors[k] = v
		}
	}
	if len(f.Errors) > 0 {
		return h.renderNewDocumentWithRows(c, uploadStatus(err), f)
	}
	doc, err := h.Signing.CreateDocument(c.Request().Context(), in)
	setRetryAfterFor(c, err)
	var (
		verr *signing.ValidationError
		rl   *signing.RateLimitError
	)
	switch {
	case errors.As(err, &rl): // too many uploads of this account at once: keep what they typed
		f.Errors["file"] = rl.Message
		return h.renderNewDocumentWithRows(c, http.StatusTooManyRequests, f)
	case errors.As(err, &verr):
		for k, v := range verr.Fields {
			f.Errors[k] = v
		}
		return h.renderNewDocumentWithRows(c, http.StatusUnprocessableEntity, f)
	case isPDFError(err):
		f.Errors["file"] = pdfMessage(err)
		return h.renderNewDocumentWithRows(c, uploadStatus(err), f)
	case err != nil:
		return err
	}
	if in.Send {
		h.flash(c, fmt.Sprintf("“%s” was sent for signature.", doc.Title))
	} else {
		h.flash(c, fmt.Sprintf("“%s” was saved as a draft.", doc.Title))
	}
	if c.Request().Header.Get("X-Requested-With") == "XMLHttpRequest" {
		// the upload script navigates itself, so the flash survives for the real page load
		c.Response().Header().Set("HX-Redirect", "/documents/"+doc.ID)
		return c.NoContent(http.StatusNoContent)
	}
	return redirect(c, "/documents/"+doc.ID)
}

// UploadTooLarge answers an upload refused before any middleware read it: the form again, with the limit.
func (h *Handler) UploadTooLarge(c echo.Context) error {
	u, err := h.Store.UserByID(c.Request().Context(), h.Sessions.GetString(c.Request().Context(), sessUserID))
	if err != nil {
		return err
	}
	c.Set("user", u)
	c.Set(ctxCSRF, h.Sessions.GetString(c.Request().Context(), sessCSRF)) // the CSRF middleware never ran
	f := sender.NewDocumentForm{Recipients: []sender.RecipientRow{{Order: 1, Verification: models.VerifyEmailOTP}},
		Errors: map[string]string{"file": fmt.Sprintf("The file is too large: the limit is %d MB.", h.MaxUploadBytes>>20)}}
	return h.renderNewDocument(c, http.StatusRequestEntityTooLarge, f)
}

func (h *Handler) renderNewDocumentWithRows(c echo.Context, status int, f sender.NewDocumentForm) error {
	if len(f.Recipients) == 0 {
		f.Recipients = []sender.RecipientRow{{Order: 1, Verification: models.VerifyEmailOTP}}
	}
	return h.renderNewDocument(c, status, f)
}

func fieldKey(i int, name string) string { return "recipients[" + strconv.Itoa(i) + "]." + name }

// errNoFile is the message for a form sent without a PDF.
var errNoFile = errors.New("choose a PDF file to upload")

// readUpload reads the "file" part, refusing more than the configured size before reading it all.
func (h *Handler) readUpload(c echo.Context) ([]byte, string, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, "", errNoFile
	}
	if fh.Size > h.MaxUploadBytes {
		return nil, fh.Filename, fmt.Errorf("%w (the limit is %d MB)", pdf.ErrTooLarge, h.MaxUploadBytes>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fh.Filename, fmt.Errorf("handlers: unable to open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, h.MaxUploadBytes+1))
	if err != nil {
		return nil, fh.Filename, fmt.Errorf("handlers: unable to read upload: %w", err)
	}
	if int64(len(data)) > h.MaxUploadBytes {
		return nil, fh.Filename, pdf.ErrTooLarge
	}
	if len(data) == 0 {
		return nil, fh.Filename, pdf.ErrEmpty
	}
	return data, fh.Filename, nil
}

// ShowDocument is the sender's page of one document.
func (h *Handler) ShowDocument(c echo.Context) error {
	u, ctx := currentUser(c), c.Request().Context()
	doc, err := h.Store.Document(ctx, u.OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	events, err := h.Store.AuditEvents(ctx, doc.ID)
	if err != nil {
		return err
	}
	v := sender.DocumentView{Doc: doc, Events: events, FinalizeFailed: signing.FinalizeFailed(doc, events),
		UndeliveredEmails: signing.UndeliveredEmails(events)}
	now := h.Signing.Now()
	for _, r := range doc.Recipients {
		v.Recipients = append(v.Recipients, sender.DocumentRecipient{Recipient: r, SigningURL: h.Signing.SigningURL(r.ID),
			Locked: r.LockedUntil != nil && r.LockedUntil.After(now)})
	}
	return Render(c, http.StatusOK, sender.Document(h.Page(c, doc.Title, "documents"), v))
}

// SendDocument sends a draft.
func (h *Handler) SendDocument(c echo.Context) error {
	u := currentUser(c)
	if err := h.Signing.Send(c.Request().Context(), u.OrganizationID, c.Param("id"), actor(c, u.Name+" <"+u.Email+">")); err != nil {
		return err
	}
	h.flash(c, "The document was sent for signature.")
	return redirect(c, "/documents/"+c.Param("id"))
}

// RetryFinalize queues the signed PDF again after a failure the sender was shown.
func (h *Handler) RetryFinalize(c echo.Context) error {
	u := currentUser(c)
	if err := h.Signing.RetryFinalize(c.Request().Context(), u.OrganizationID, c.Param("id"), actor(c, u.Name+" <"+u.Email+">")); err != nil {
		return err
	}
	h.flash(c, "Preparing the signed PDF again.")
	return redirect(c, "/documents/"+c.Param("id"))
}

// CancelDocument withdraws a document that is not finished.
func (h *Handler) CancelDocument(c echo.Context) error {
	u := currentUser(c)
	if err := h.Signing.Cancel(c.Request().Context(), u.OrganizationID, c.Param("id"), c.FormValue("reason"), actor(c, u.Name+" <"+u.Email+">")); err != nil {
		return err
	}
	h.flash(c, "The document was cancelled. Recipients who were invited have been told.")
	return redirect(c, "/documents/"+c.Param("id"))
}

// RemindRecipient emails the invitation again.
func (h *Handler) RemindRecipient(c echo.Context) error {
	u := currentUser(c)
	err := h.Signing.Remind(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("rid"), actor(c, u.Name+" <"+u.Email+">"))
	var rl *signing.RateLimitError
	var se *signing.StateError
	switch {
	case errors.As(err, &rl):
		h.Sessions.Put(c.Request().Context(), sessFlashError, rl.Message)
	case errors.As(err, &se):
		h.Sessions.Put(c.Request().Context(), sessFlashError, se.Message)
	case err != nil:
		return err
	default:
		h.flash(c, "A reminder is on its way.")
	}
	return redirect(c, "/documents/"+c.Param("id"))
}

// UnlockRecipient clears a recipient's verification lockout.
func (h *Handler) UnlockRecipient(c echo.Context) error {
	u := currentUser(c)
	if err := h.Signing.Unlock(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("rid"), actor(c, u.Name+" <"+u.Email+">")); err != nil {
		return err
	}
	h.flash(c, "The recipient can verify again.")
	return redirect(c, "/documents/"+c.Param("id"))
}

// DownloadOriginal serves the uploaded PDF.
func (h *Handler) DownloadOriginal(c echo.Context) error {
	doc, err := h.Store.Document(c.Request().Context(), currentUser(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	return h.servePDF(c, doc.OriginalKey, doc.Title+".pdf")
}

// DownloadSigned serves the signed PDF once the document is complete.
func (h *Handler) DownloadSigned(c echo.Context) error {
	doc, err := h.Store.Document(c.Request().Context(), currentUser(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	if doc.Status != models.DocCompleted || doc.SignedKey == "" {
		return echo.NewHTTPError(http.StatusConflict, "The signed PDF is ready once everyone has signed.")
	}
	return h.servePDF(c, doc.SignedKey, doc.Title+" (signed).pdf")
}

// servePDF sends document bytes that must never be cached.
func (h *Handler) servePDF(c echo.Context, key, name string) error {
	data, err := h.Blobs.Get(c.Request().Context(), key)
	if err != nil {
		return fmt.Errorf("handlers: unable to read PDF: %w", err)
	}
	hd := c.Response().Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Disposition", contentDisposition(name, c.QueryParam("download") == "1"))
	return c.Blob(http.StatusOK, "application/pdf", data)
}
