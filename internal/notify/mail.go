// Package notify delivers the e-mails of notifications: over SMTP when configured, else into the log.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/service"
)

// LogMailer writes each e-mail to the log instead of sending it: the default when no SMTP server is configured.
type LogMailer struct{ Log *slog.Logger }

// Send logs the e-mail.
func (m LogMailer) Send(ctx context.Context, mail service.Mail) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.Log.Info("notification e-mail (no SMTP configured)", "to", mail.To, "subject", mail.Subject)
	return nil
}

// SMTPMailer sends e-mails through an SMTP server with STARTTLS when offered and PLAIN authentication when the
// URL carries credentials.
type SMTPMailer struct {
	addr, host, from string
	auth             smtp.Auth
}

// NewSMTPMailer reads a URL such as smtp://user:password@smtp.example.org:587?from=essor@example.org.
func NewSMTPMailer(raw string) (*SMTPMailer, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("ESSOR_SMTP_URL must look like smtp://user:password@host:587?from=essor@example.org")
	}
	from := u.Query().Get("from")
	if from == "" {
		return nil, fmt.Errorf("ESSOR_SMTP_URL needs a from= address")
	}
	port := u.Port()
	if port == "" {
		port = "587"
	}
	m := &SMTPMailer{addr: net.JoinHostPort(u.Hostname(), port), host: u.Hostname(), from: from}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return m, nil
}

// Send delivers one e-mail; the connection is closed when ctx ends, which aborts the exchange.
func (m *SMTPMailer) Send(ctx context.Context, mail service.Mail) error {
	conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(nil); err != nil {
			return err
		}
	}
	if m.auth != nil {
		if err := c.Auth(m.auth); err != nil {
			return err
		}
	}
	if err := c.Mail(m.from); err != nil {
		return err
	}
	if err := c.Rcpt(mail.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	msg := "From: " + m.from + "\r\nTo: " + mail.To + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", mail.Subject) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(mail.Body, "\n", "\r\n")
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// New returns the SMTP mailer of smtpURL, or a LogMailer when it is empty.
func New(smtpURL string, log *slog.Logger) (service.Mailer, error) {
	if smtpURL == "" {
		return LogMailer{Log: log}, nil
	}
	return NewSMTPMailer(smtpURL)
}
