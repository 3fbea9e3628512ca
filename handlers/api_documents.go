package handlers

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"signet/models"
	"signet/signing"
)

type apiRecipientIn struct {
	Name           string `json:"name"`
	Email          string `json:"email"`
	Phone          string `json:"phone"`
	Order          int    `json:"order"`
	Authentication string `json:"authentication"`
}

type apiFileData struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

type apiCreateRequest struct {
	Title      string           `json:"title"`
	Message    string           `json:"message"`
	FileData   *apiFileData     `json:"filedata"`
	Recipients []apiRecipientIn `json:"recipients"`
	Send       bool             `json:"send"`
}

type apiRecipientOut struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Order      int        `json:"order"`
	Status     string     `json:"status"`
	SigningURL string     `json:"signing_url,omitempty"`
	SignedAt   *time.Time `json:"signed_at,omitempty"`
}

type apiDocument struct {
	ID             string            `json:"id"`
	Title          string            `json:"title"`
	Status         string            `json:"status"`
	CreatedAt      *time.Time        `json:"created_at,omitempty"`
	SentAt         *time.Time        `json:"sent_at,omitempty"`
	CompletedAt    *time.Time        `json:"completed_at,omitempty"`
	OriginalSHA256 string            `json:"original_sha256,omitempty"`
	SignedSHA256   string            `json:"signed_sha256,omitempty"`
	Recipients     []apiRecipientOut `json:"recipients"`
}

// APICreateDocument is POST /api/v1/documents (JSON with base64 filedata, or multipart file + request).
func (h *Handler) APICreateDocument(c echo.Context) error {
	req, data, name, err := h.parseCreateRequest(c)
	if err != nil {
		return err
	}
	k := currentAPIKey(c)
	in := signing.CreateInput{OrganizationID: k.OrganizationID, UserID: k.UserID, Title: req.Title, Message: req.Message,
		FileName: name, PDF: data, Send: req.Send, Actor: actor(c, "API key "+k.Prefix+"…")}
	for _, r := range req.Recipients {
		in.Recipients = append(in.Recipients, signing.RecipientInput{Name: r.Name, Email: r.Email, Phone: r.Phone, Order: r.Order, Verification: r.Authentication})
	}
	doc, err := h.Signing.CreateDocument(c.Request().Context(), in)
	if err != nil {
		setRetryAfterFor(c, err)
		return apiCreateError(err)
	}
	out := h.apiDocument(doc)
	for i := range out.Recipients {
		out.Recipients[i].SigningURL = h.Signing.SigningURL(out.Recipients[i].ID)
	}
	return c.JSON(http.StatusCreated, out)
}

func apiCreateError(err error) error {
	var verr *signing.ValidationError
	switch {
	case errors.As(err, &verr):
		return &APIError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "Some fields are not valid.", Fields: verr.Fields}
	case isPDFError(err):
		status := uploadStatus(err)
		return &APIError{Status: status, Code: APICodeForStatus(status), Message: pdfMessage(err), Fields: map[string]string{"file": pdfMessage(err)}}
	}
	return err
}

// parseCreateRequest reads either body shape; every failure is an APIError.
func (h *Handler) parseCreateRequest(c echo.Context) (apiCreateRequest, []byte, string, error) {
	var req apiCreateRequest
	mt, params, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	switch mt {
	case echo.MIMEApplicationJSON:
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") { // JSON is UTF-8 (RFC 8259): other bytes would be misread
			return req, nil, "", apiErr(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send the JSON encoded as UTF-8: no other charset is accepted.")
		}
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return req, nil, "", tooLargeOr(err)
		}
		if err := decodeStrict(body, &req); err != nil {
			return req, nil, "", err
		}
		if req.FileData == nil || req.FileData.Content == "" {
			return req, nil, "", &APIError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "The PDF is missing.",
				Fields: map[string]string{"filedata.content": "Send the PDF as base64 in filedata.content."}}
		}
		data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(req.FileData.Content))
		if err != nil {
			return req, nil, "", &APIError{Status: http.StatusBadRequest, Code: "bad_request", Message: "filedata.content is not valid base64.",
				Fields: map[string]string{"filedata.content": "Not valid base64 (standard alphabet, with padding)."}}
		}
		return req, data, req.FileData.Name, nil
	case echo.MIMEMultipartForm:
		if err := decodeStrict([]byte(c.FormValue("request")), &req); err != nil {
			return req, nil, "", err
		}
		if req.FileData != nil {
			return req, nil, "", apiErr(http.StatusBadRequest, "bad_request", "With multipart, send the PDF in the \"file\" part, not in filedata.")
		}
		data, name, err := h.readUpload(c)
		if err != nil {
			return req, nil, "", apiCreateError(err)
		}
		return req, data, name, nil
	}
	return req, nil, "", apiErr(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send application/json or multipart/form-data.")
}

func tooLargeOr(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	return apiErr(http.StatusBadRequest, "bad_request", "The request body could not be read.")
}

// decodeStrict rejects unknown fields and trailing data so typos do not pass silently.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return apiErr(http.StatusBadRequest, "bad_request", "The request body is empty: send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apiErr(http.StatusBadRequest, "bad_request", "The JSON is not valid: "+jsonProblem(err))
	}
	if dec.More() {
		return apiErr(http.StatusBadRequest, "bad_request", "The JSON is not valid: unexpected data after the object.")
	}
	return nil
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d.", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be %s.", te.Field, te.Type.String())
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ") + "."
	}
	return err.Error()
}

// APIGetDocument is GET /api/v1/documents/{id}.
func (h *Handler) APIGetDocument(c echo.Context) error {
	doc, err := h.Store.Document(c.Request().Context(), currentAPIKey(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.apiDocument(doc))
}

func (h *Handler) apiDocument(doc *models.Document) apiDocument {
	created := doc.CreatedAt.UTC()
	out := apiDocument{ID: doc.ID, Title: doc.Title, Status: doc.Status, CreatedAt: &created, SentAt: utc(doc.SentAt),
		CompletedAt: utc(doc.CompletedAt), OriginalSHA256: doc.OriginalSHA256, SignedSHA256: doc.SignedSHA256, Recipients: []apiRecipientOut{}}
	for _, r := range doc.Recipients {
		out.Recipients = append(out.Recipients, apiRecipientOut{ID: r.ID, Name: r.Name, Email: r.Email, Order: r.SigningOrder, Status: r.Status, SignedAt: utc(r.SignedAt)})
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// APIDocumentFile is GET /api/v1/documents/{id}/file?version=original|signed.
func (h *Handler) APIDocumentFile(c echo.Context) error {
	doc, err := h.Store.Document(c.Request().Context(), currentAPIKey(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	switch c.QueryParam("version") {
	case "", "original":
		return h.servePDF(c, doc.OriginalKey, doc.Title+".pdf")
	case "signed":
		if doc.Status != models.DocCompleted || doc.SignedKey == "" {
			return apiErr(http.StatusConflict, "conflict", "The signed file exists once every signer has signed; the document is "+doc.Status+".")
		}
		return h.servePDF(c, doc.SignedKey, doc.Title+" (signed).pdf")
	}
	return &APIError{Status: http.StatusBadRequest, Code: "bad_request", Message: "version must be original or signed.", Fields: map[string]string{"version": "Use original or signed."}}
}
