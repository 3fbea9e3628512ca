package web

import (
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// securityHeaders sets DESIGN §4's headers on every response.
func securityHeaders(tls bool) echo.MiddlewareFunc {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
		"font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
		"form-action 'self'; frame-ancestors 'none'"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if tls {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
				h.Set("Cache-Control", "no-store")
			}
			return next(c)
		}
	}
}

// requestLog logs the route pattern, never the URL: signing tokens live in paths.
func requestLog(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			route := c.Path()
			if route == "" {
				route = "(no route)"
			}
			logger.Info("request", "method", c.Request().Method, "route", route,
				"status", c.Response().Status, "duration_ms", time.Since(start).Milliseconds(), "ip", c.RealIP())
			return nil
		}
	}
}
