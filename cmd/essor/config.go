package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/essor-ess/essor/internal/httpapi"
)

// config is the validated configuration of one process.
type config struct {
	Addr        string
	DataDir     string
	DatabaseURL string
	LogLevel    slog.Level
	LogFormat   string
	// SMTPURL is where notification e-mails go (ESSOR_SMTP_URL, smtp://user:password@host:587?from=…); empty: the log.
	SMTPURL string
	// Security: ESSOR_TRUSTED_PROXIES, ESSOR_CORS_ORIGINS, ESSOR_RATE_LIMIT_*, ESSOR_REQUEST_TIMEOUT (security_config.go).
	Security httpapi.Security
}

// loadConfig reads the environment, lets command-line flags override it and validates the result.
func loadConfig(getenv func(string) string, fs *flag.FlagSet, args []string) (config, error) {
	cfg := config{
		Addr:        envOr(getenv, "ESSOR_ADDR", ":8080"),
		DataDir:     envOr(getenv, "ESSOR_DATA_DIR", "./essor-data"),
		DatabaseURL: getenv("DATABASE_URL"),
		LogFormat:   envOr(getenv, "ESSOR_LOG_FORMAT", "text"),
		SMTPURL:     getenv("ESSOR_SMTP_URL"),
	}
	if fs != nil {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (ESSOR_ADDR)")
		fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "data directory: SQLite file and search index (ESSOR_DATA_DIR)")
		if err := fs.Parse(args); err != nil {
			return cfg, usageError{err.Error()}
		}
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(envOr(getenv, "ESSOR_LOG_LEVEL", "info"))); err != nil {
		return cfg, fmt.Errorf("ESSOR_LOG_LEVEL: %w", err)
	}
	sec, secErr := loadSecurity(getenv)
	cfg.Security = sec
	return cfg, errors.Join(cfg.validate(), secErr)
}

func (c *config) validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("ESSOR_ADDR %q: %w", c.Addr, err))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("ESSOR_DATA_DIR must not be empty"))
	} else {
		c.DataDir = filepath.Clean(c.DataDir)
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("DATABASE_URL must be a postgres:// URL"))
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("ESSOR_LOG_FORMAT %q: must be text or json", c.LogFormat))
	}
	return errors.Join(errs...)
}

// redactedDatabaseURL is the database URL with its password masked, for logs.
func (c *config) redactedDatabaseURL() string {
	if c.DatabaseURL == "" {
		return ""
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil {
		return "(invalid)"
	}
	return u.Redacted()
}

func (c *config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
