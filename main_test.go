package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alexedwards/argon2id"

	"signet/handlers"
	"signet/models"
)

// cliEnv points the CLI at a fresh data dir (SQLite, local blobs) whatever the caller's environment says.
func cliEnv(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("SIGNET_DATA_DIR", dir)
	for _, name := range []string{"SIGNET_DATABASE_URL", "SIGNET_REDIS_URL", "SIGNET_STORAGE_URL", "SIGNET_SMTP_URL", "SIGNET_SECRET_KEY"} {
		t.Setenv(name, "")
	}
	t.Setenv("SIGNET_BASE_URL", "http://localhost:8080")
	t.Setenv("SIGNET_LOG_LEVEL", "warn")
	return dir
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func openDB(t *testing.T, dir string) *models.Store {
	t.Helper()
	db, err := models.Open("sqlite", filepath.Join(dir, "signet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return models.NewStore(db)
}

// everyValue returns every cell of every table of the SQLite database, as text.
func everyValue(t *testing.T, store *models.Store) []string {
	t.Helper()
	sqlDB, err := store.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	rows, err := sqlDB.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 5 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	var values []string
	for _, table := range tables {
		rows, err := sqlDB.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			cells := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range cells {
				ptrs[i] = &cells[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("scan %s: %v", table, err)
			}
			for _, c := range cells {
				values = append(values, string(c))
			}
		}
		rows.Close()
	}
	return values
}

// `signet user create` then `signet apikey create`: the key is printed last, works, and is stored only hashed.
func TestCLIUserAndAPIKey(t *testing.T) {
	dir := cliEnv(t)
	const password = "a long enough password"
	stdout, _, err := runCLI(t, "user", "create", "--email", " Bob@Example.com ", "--password", password, "--name", "Bob Builder")
	if err != nil {
		t.Fatalf("user create: %v", err)
	}
	if !strings.Contains(stdout, "created user bob@example.com") {
		t.Errorf("user create printed %q", stdout)
	}
	store := openDB(t, dir)
	u, err := store.UserByEmail(context.Background(), "bob@example.com")
	if err != nil {
		t.Fatalf("the user is not in the database: %v", err)
	}
	if u.ConfirmedAt == nil {
		t.Error("a user made with the CLI must not need to confirm the email")
	}
	if u.Name != "Bob Builder" || u.Role != models.RoleOwner || u.Organization.Name != "Bob Builder" {
		t.Errorf("user %+v", u)
	}
	if ok, err := argon2id.ComparePasswordAndHash(password, u.PasswordHash); err != nil || !ok || strings.Contains(u.PasswordHash, password) {
		t.Errorf("the password hash does not verify (%v) or holds the password", err)
	}

	stdout, _, err = runCLI(t, "apikey", "create", "--email", "bob@example.com", "--name", "deploy")
	if err != nil {
		t.Fatalf("apikey create: %v", err)
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	key := lines[len(lines)-1]
	if !strings.HasPrefix(key, "sgn_") || len(key) < 40 || strings.ContainsAny(key, " \t") {
		t.Fatalf("the last line of stdout is %q, want the key", key)
	}
	k, err := store.APIKeyByHash(context.Background(), handlers.HashAPIKey(key))
	if err != nil {
		t.Fatalf("the printed key does not authenticate: %v", err)
	}
	if k.UserID != u.ID || k.OrganizationID != u.OrganizationID || k.Name != "deploy" || k.Prefix != key[:12] {
		t.Errorf("stored key %+v", k)
	}
	for _, v := range everyValue(t, store) {
		if strings.Contains(v, key) || strings.Contains(v, key[len(key)-20:]) {
			t.Fatalf("the database holds the API key in clear: %q", v)
		}
		if strings.Contains(v, password) {
			t.Fatalf("the database holds the password in clear")
		}
	}

	// A second key is a different key.
	stdout, _, err = runCLI(t, "apikey", "create", "--email", "bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	if second := lines[len(lines)-1]; second == key || !strings.HasPrefix(second, "sgn_") {
		t.Errorf("second key %q", second)
	}
}

// Bad arguments give errors and change nothing.
func TestCLIRejectsBadArguments(t *testing.T) {
	dir := cliEnv(t)
	if _, _, err := runCLI(t, "user", "create", "--email", "taken@example.com", "--password", "long enough password"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string // part of the error
	}{
		{"user without subcommand", []string{"user"}, "usage"},
		{"user with unknown subcommand", []string{"user", "delete", "--email", "a@example.com"}, "usage"},
		{"user without email", []string{"user", "create", "--password", "long enough password"}, "email"},
		{"user with bad email", []string{"user", "create", "--email", "not-an-email", "--password", "long enough password"}, "email"},
		{"user with short password", []string{"user", "create", "--email", "new@example.com", "--password", "short"}, "password"},
		{"user without password", []string{"user", "create", "--email", "new@example.com"}, "password"},
		{"user with repeated characters", []string{"user", "create", "--email", "new@example.com", "--password", "aaaaaaaaaa"}, "too easy to guess"},
		{"user with sequential digits", []string{"user", "create", "--email", "new@example.com", "--password", "1234567890"}, "leaked from other sites"},
		{"user with a leaked password", []string{"user", "create", "--email", "new@example.com", "--password", "password12"}, "leaked from other sites"},
		{"user with unknown flag", []string{"user", "create", "--email", "new@example.com", "--password", "long enough password", "--admin"}, "admin"},
		{"user already exists", []string{"user", "create", "--email", "TAKEN@example.com", "--password", "long enough password"}, "already"},
		{"apikey without subcommand", []string{"apikey"}, "usage"},
		{"apikey with unknown subcommand", []string{"apikey", "list"}, "usage"},
		{"apikey for nobody", []string{"apikey", "create", "--email", "nobody@example.com"}, "nobody@example.com"},
		{"apikey without email", []string{"apikey", "create"}, "no user"},
		{"apikey with unknown flag", []string{"apikey", "create", "--email", "taken@example.com", "--scope", "all"}, "scope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, _, err := runCLI(t, c.args...)
			if err == nil {
				t.Fatalf("no error; stdout %q", stdout)
			}
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(c.want)) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
			if strings.Contains(stdout, "sgn_") {
				t.Errorf("a failed command printed a key: %q", stdout)
			}
		})
	}
	store := openDB(t, dir)
	var users, keys int64
	store.DB().Model(&models.User{}).Count(&users)
	store.DB().Model(&models.APIKey{}).Count(&keys)
	if users != 1 || keys != 0 {
		t.Errorf("after only refused commands: %d users (want 1), %d keys (want 0)", users, keys)
	}
}

// `signet migrate` creates the schema in an empty data dir, and is idempotent.
func TestCLIMigrate(t *testing.T) {
	dir := cliEnv(t)
	for i := 0; i < 2; i++ {
		stdout, _, err := runCLI(t, "migrate")
		if err != nil {
			t.Fatalf("migrate (run %d): %v", i+1, err)
		}
		if !strings.Contains(stdout, "up to date") {
			t.Errorf("migrate printed %q", stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "signet.db")); err != nil {
		t.Fatalf("no database file: %v", err)
	}
	store := openDB(t, dir)
	for _, table := range []string{"organizations", "users", "api_keys", "documents", "recipients", "audit_events", "challenges", "river_job"} {
		if !store.DB().Migrator().HasTable(table) {
			t.Errorf("migrate did not create %s", table)
		}
	}
}

// Unknown commands fail with the usage on stderr; help prints it on stdout.
func TestCLIUnknownCommandAndHelp(t *testing.T) {
	cliEnv(t)
	stdout, stderr, err := runCLI(t, "frobnicate")
	if err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: err %v", err)
	}
	if !strings.Contains(stderr, "Usage: signet") || stdout != "" {
		t.Errorf("unknown command: stdout %q, stderr lacks the usage: %q", stdout, stderr)
	}
	for _, arg := range []string{"help", "-h", "--help"} {
		stdout, _, err := runCLI(t, arg)
		if err != nil || !strings.Contains(stdout, "apikey create") {
			t.Errorf("%s: err %v, stdout %q", arg, err, stdout)
		}
	}
}

// A configuration error stops every command before it touches anything.
func TestCLIRejectsBadConfiguration(t *testing.T) {
	dir := cliEnv(t)
	t.Setenv("SIGNET_BASE_URL", "not a url")
	_, _, err := runCLI(t, "migrate")
	if err == nil || !strings.Contains(err.Error(), "SIGNET_BASE_URL") {
		t.Fatalf("bad base URL: err %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "signet.db")); err == nil {
		t.Error("a refused configuration still created the database")
	}
}
