// Command essor runs the Essor service and its maintenance tasks (migrations, demo data, imports).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(exitCode())
}

// exitCode runs the program and turns its error into the process exit status: 2 for usage, 1 for anything else.
func exitCode() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Fprintln(os.Stderr, "essor:", err)
	return 1
}

const usage = `Usage: essor <command> [options]

Commands:
  serve [--addr :8080] [--data-dir ./essor-data] [--demo]   run the HTTP service
  migrate up|down|status                                   apply, roll back one, or show migrations
  seed demo [--count 300] [--seed 1]                        fill the directory with fictitious demo data
  import sirene --unites-legales F --etablissements F [--communes …|--departement D|--epci SIREN] [--report F]
                                                           import the ESS establishments of a territory from SIRENE
  import decp [--report F] FILE…                           import awarded contracts (DECP), recompute first-time bidders
  reindex                                                  rebuild the search index from the database (resumable)
  users create --email E --role admin|network|buyer|structure [--organisation SIRET] [--structure SIRET]
                                                           create an account (password on stdin, or generated)
  tokens create --email E [--name N] [--ttl 8760h]         create an API key for an account, printed once
  version                                                  print the version

Configuration comes from the environment: ESSOR_ADDR, ESSOR_DATA_DIR, DATABASE_URL, ESSOR_LOG_LEVEL,
ESSOR_LOG_FORMAT (see docs/operations.md).`

// usageError is a mistake in the command line; main exits 2 for it.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg + "\n\n" + usage }

// run is the whole program: it takes everything from the outside world as arguments so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"essor: a command is required"}
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], getenv, stdout, stderr)
	case "reindex":
		return runReindex(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], getenv, stdout, stderr)
	case "seed":
		return runSeed(ctx, args[1:], getenv, stdout, stderr)
	case "users":
		return runUsers(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "tokens":
		return runTokens(ctx, args[1:], getenv, stdout, stderr)
	case "version", "--version", "-v":
		_, err := fmt.Fprintln(stdout, "essor", version)
		return err
	case "help", "--help", "-h":
		_, err := fmt.Fprintln(stdout, usage)
		return err
	default:
		return usageError{fmt.Sprintf("essor: unknown command %q", args[0])}
	}
}
