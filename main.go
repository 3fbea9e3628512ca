// Command signet runs the Signet e-signature portal and its admin tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"signet/accounts"
	"signet/config"
	"signet/handlers"
	"signet/models"
	"signet/pdf/worker"
	"signet/web"
)

const usage = `Usage: signet [command]

Commands:
  serve                                       run the portal (default)
  user create --email E --password P [--name N]   create a sender and their organization
  apikey create --email E [--name N]          create an API key; the key is the last line printed
  migrate                                     bring the database schema up to date
  pdf-worker                                  parse PDFs from stdin for a parent signet (started by serve)

Configuration comes from SIGNET_* environment variables (see README.md).
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "signet:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "pdf-worker" { // needs no configuration: every request carries what it needs
		return worker.ServeStdio()
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg.LogLevel)
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(cfg, logger)
	case "migrate":
		return migrate(cfg, logger, stdout)
	case "user":
		return userCommand(cfg, args, stdout)
	case "apikey":
		return apikeyCommand(cfg, args, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func serve(cfg config.Config, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app, err := web.New(ctx, cfg, web.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer app.Close(context.Background())
	// River's context is not the signal's: on a stop, Close gives running jobs SIGNET_SHUTDOWN_GRACE to
	// finish after the HTTP server drained, then cancels them so the next start works them again
	if err := app.Start(context.Background()); err != nil {
		return err
	}
	return app.Serve(ctx)
}

func migrate(cfg config.Config, logger *slog.Logger, stdout io.Writer) error {
	app, err := web.New(context.Background(), cfg, web.Options{Logger: logger})
	if err != nil {
		return err
	}
	app.Close(context.Background())
	fmt.Fprintln(stdout, "database is up to date")
	return nil
}

func openStore(cfg config.Config) (*models.Store, func(), error) {
	db, err := models.Open(cfg.DSN())
	if err != nil {
		return nil, nil, err
	}
	closeDB := func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	}
	if err := models.Migrate(db); err != nil {
		closeDB()
		return nil, nil, err
	}
	return models.NewStore(db), closeDB, nil
}

func userCommand(cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: signet user create --email E --password P [--name N]")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stdout)
	email, password, name := fs.String("email", "", "email"), fs.String("password", "", "password"), fs.String("name", "", "name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !handlers.ValidEmail(strings.ToLower(strings.TrimSpace(*email))) {
		return errors.New("--email must be a valid email address")
	}
	store, closeDB, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	svc := accounts.New(accounts.Deps{Store: store, Hasher: accounts.NewDefaultHasher(cfg.HashMemoryMiB, cfg.HashWait)})
	u, err := svc.CreateConfirmedUser(context.Background(), *email, strings.TrimSpace(*name), *password)
	if msg, refused := handlers.PasswordMessage(err); refused {
		return errors.New("--password: " + msg)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (organization %s)\n", u.Email, u.OrganizationID)
	return nil
}

func apikeyCommand(cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: signet apikey create --email E [--name N]")
	}
	fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
	fs.SetOutput(stdout)
	email, name := fs.String("email", "", "email of the user who owns the key"), fs.String("name", "CLI key", "name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	store, closeDB, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := store.UserByEmail(context.Background(), *email)
	if err != nil {
		return fmt.Errorf("no user with email %q: %w", *email, err)
	}
	key, err := handlers.NewAPIKey(context.Background(), store, u, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "API key created; it is shown only once:")
	fmt.Fprintln(stdout, key)
	return nil
}
