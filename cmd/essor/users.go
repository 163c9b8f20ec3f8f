package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// runUsers runs `essor users create --email E --role R [--organisation SIRET] [--structure SIRET]`. The password
// is the first line of stdin; when stdin is a terminal or empty, one is generated and printed once.
func runUsers(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{"essor users: the only action is \"create\""}
	}
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail of the account (required)")
	role := fs.String("role", "", "admin, network, buyer or structure (required)")
	org := fs.String("organisation", "", "SIRET of the buyer organisation a buyer belongs to")
	orgName := fs.String("organisation-name", "", "name of that organisation when it is not registered yet")
	structure := fs.String("structure", "", "SIRET of the structure a structure user owns")
	cfg, err := loadConfig(getenv, fs, args[1:])
	if err != nil {
		return err
	}
	if *email == "" || !service.Role(*role).Valid() {
		return usageError{"essor users create: --email and --role admin|network|buyer|structure are required"}
	}
	password, generated, err := readPassword(stdin)
	if err != nil {
		return err
	}
	a, err := openMigratedApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	u, err := a.accounts.ProvisionUser(ctx, a.directory, service.NewUser{Email: *email, Password: password,
		Role: service.Role(*role), OrganisationSIRET: *org, OrganisationName: *orgName, StructureSIRET: *structure})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s account %s (%s)\n", u.Role, u.Email, u.ID)
	if generated {
		fmt.Fprintf(stdout, "password (shown once, store it now): %s\n", password)
	}
	return nil
}

// runTokens runs `essor tokens create --email E [--name N] [--ttl 720h]` and prints the API key once.
func runTokens(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{"essor tokens: the only action is \"create\""}
	}
	fs := flag.NewFlagSet("tokens create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail of the account (required)")
	name := fs.String("name", "command line", "what the key is for")
	ttl := fs.Duration("ttl", service.DefaultAPIKeyTTL, "lifetime of the key")
	cfg, err := loadConfig(getenv, fs, args[1:])
	if err != nil {
		return err
	}
	if *email == "" {
		return usageError{"essor tokens create: --email is required"}
	}
	a, err := openMigratedApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	t, err := a.accounts.IssueToken(ctx, *email, *name, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "API key %q for %s, valid until %s (shown once, store it now):\n%s\n",
		t.Name, *email, t.ExpiresAt.Format(time.RFC3339), t.Token)
	return nil
}

func openMigratedApp(ctx context.Context, cfg config, stderr io.Writer) (*app, error) {
	a, err := openApp(ctx, cfg, cfg.logger(stderr))
	if err != nil {
		return nil, err
	}
	if err := sqlstore.Migrate(ctx, a.db, sqlstore.MigrateUp, io.Discard); err != nil {
		a.close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return a, nil
}

// readPassword reads the first line of stdin; a terminal or an empty input gets a generated password.
func readPassword(stdin io.Reader) (password string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			return service.GeneratePassword(), true, nil
		}
	}
	if stdin == nil {
		return service.GeneratePassword(), true, nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, fmt.Errorf("read the password from stdin: %w", err)
	}
	if line = strings.TrimRight(line, "\r\n"); line == "" {
		return service.GeneratePassword(), true, nil
	}
	return line, false, nil
}

// Demo accounts: fictitious, on the reserved example domain, created by `serve --demo`.
const (
	demoDomain        = "demo.essor.example"
	demoBuyerOrgSIRET = "21440109300015"
	demoBuyerOrgName  = "Ville de Nantes (démo)"
)

// createDemoAccounts creates one account per role and prints their credentials once, clearly marked as demo.
// A second start finds them and prints nothing secret: passwords are not stored in a readable form.
func createDemoAccounts(ctx context.Context, a *app, stdout io.Writer) error {
	page, err := a.store.FindStructures(ctx, domain.StructureFilter{}, domain.PageRequest{Size: 1})
	if err != nil {
		return err
	}
	type demoAccount struct{ role, email, org, structure, password string }
	accounts := []demoAccount{
		{role: "admin", email: "admin@" + demoDomain},
		{role: "network", email: "reseau@" + demoDomain},
		{role: "buyer", email: "acheteur@" + demoDomain, org: demoBuyerOrgSIRET},
	}
	if len(page.Items) > 0 {
		accounts = append(accounts, demoAccount{role: "structure", email: "structure@" + demoDomain, structure: page.Items[0].SIRET})
	}
	var created []demoAccount
	for _, d := range accounts {
		d.password = service.GeneratePassword()
		_, err := a.accounts.ProvisionUser(ctx, a.directory, service.NewUser{Email: d.email, Password: d.password,
			Role: service.Role(d.role), OrganisationSIRET: d.org, OrganisationName: demoBuyerOrgName, OrganisationKind: "commune",
			StructureSIRET: d.structure})
		if domain.KindOf(err) == domain.KindConflict {
			continue // created by an earlier start
		}
		if err != nil {
			return fmt.Errorf("demo account %s: %w", d.email, err)
		}
		created = append(created, d)
	}
	if len(created) == 0 {
		fmt.Fprintln(stdout, "DEMO accounts already exist (passwords were printed when they were created).")
		return nil
	}
	fmt.Fprintln(stdout, "==== DEMO ACCOUNTS: fictitious, for trying Essor only; never use them in production ====")
	for _, d := range created {
		extra := ""
		if d.org != "" {
			extra = " (" + demoBuyerOrgName + ")"
		}
		if d.structure != "" {
			extra = " (owner of structure SIRET " + d.structure + ")"
		}
		fmt.Fprintf(stdout, "  %-9s  %-32s  password: %s%s\n", d.role, d.email, d.password, extra)
	}
	fmt.Fprintln(stdout, "Passwords are shown once. Get a token: curl -X POST localhost:8080/v1/auth/token -H 'Content-Type: application/json' -d '{\"email\":\"…\",\"password\":\"…\"}'")
	fmt.Fprintln(stdout, "=========================================================================================")
	return nil
}
