// Package mail sends plain-text e-mail through an SMTP server given as a
// URL: smtp://USER:PASS@HOST:PORT (STARTTLS) or smtps://USER:PASS@HOST:PORT
// (TLS from the first byte).
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"os"
	"strings"
	"time"
)

// Server is where mail is sent.
type Server struct {
	Host, Port string
	Implicit   bool // smtps: TLS from the start; otherwise STARTTLS
	User, Pass string
	RootCAs    *x509.CertPool // nil: the system's
	Timeout    time.Duration  // for the whole conversation
}

// Parse reads an SMTP URL. Port 587 is smtp's default, 465 smtps'. A ca
// parameter names a PEM file of certificates to trust instead of the
// system's (a relay with a private CA): smtp://host:587?ca=/etc/relay.pem.
func Parse(raw string) (*Server, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("smtp-url: %w", err)
	}
	s := &Server{Host: u.Hostname(), Port: u.Port(), Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		if s.Port == "" {
			s.Port = "587"
		}
	case "smtps":
		s.Implicit = true
		if s.Port == "" {
			s.Port = "465"
		}
	default:
		return nil, fmt.Errorf("smtp-url %q: use smtp://USER:PASS@HOST:PORT (STARTTLS) or smtps://… (TLS)", u.Redacted())
	}
	if s.Host == "" {
		return nil, fmt.Errorf("smtp-url %q: no host", u.Redacted())
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.Pass, _ = u.User.Password()
	}
	if ca := u.Query().Get("ca"); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, fmt.Errorf("smtp-url: ca: %w", err)
		}
		s.RootCAs = x509.NewCertPool()
		if !s.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("smtp-url: ca: no certificate in %s", ca)
		}
	}
	return s, nil
}

// Message is one plain-text message to one recipient.
type Message struct {
	From, To, Subject, Body string
}

// Address checks one e-mail address and returns it bare (no name).
func Address(s string) (string, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || strings.ContainsAny(a.Address, "\r\n") {
		return "", fmt.Errorf("%q is not an e-mail address", s)
	}
	return a.Address, nil
}

// Bytes is the message as sent: UTF-8, quoted-printable, headers encoded.
func (m Message) Bytes(now time.Time) []byte {
	id := make([]byte, 12)
	rand.Read(id)
	domain := "pinhole.invalid"
	if at := strings.LastIndex(m.From, "@"); at >= 0 {
		domain = m.From[at+1:]
	}
	oneLine := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\n", m.From)
	fmt.Fprintf(&b, "To: %s\r\n", m.To)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id), domain)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")))
	qp.Close()
	b.WriteString("\r\n")
	return []byte(b.String())
}

// loopback hosts may take credentials without TLS (a relay on the same
// machine); anywhere else they go only over TLS.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers one message. It gives up after the server's Timeout.
func (s *Server) Send(ctx context.Context, m Message) error {
	from, err := Address(m.From)
	if err != nil {
		return fmt.Errorf("from: %w", err)
	}
	to, err := Address(m.To)
	if err != nil {
		return fmt.Errorf("to: %w", err)
	}
	m.From, m.To = from, to
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.Host, s.Port)
	tcfg := &tls.Config{ServerName: s.Host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if s.Implicit {
		tc := tls.Client(conn, tcfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("smtps %s: %w", addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp %s: hello: %w", addr, err)
	}
	if !s.Implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tcfg); err != nil {
				return fmt.Errorf("smtp %s: starttls: %w", addr, err)
			}
		} else if s.User != "" && !loopback(s.Host) {
			return fmt.Errorf("smtp %s: the server offers no STARTTLS, and the password must not go in the clear (use smtps:// if it speaks TLS from the start)", addr)
		}
	}
	if s.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Pass, s.Host)); err != nil {
			return fmt.Errorf("smtp %s: log in as %s: %w", addr, s.User, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("smtp %s: from %s: %w", addr, from, err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp %s: to %s: %w", addr, to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp %s: data: %w", addr, err)
	}
	if _, err := w.Write(m.Bytes(time.Now())); err != nil {
		return fmt.Errorf("smtp %s: data: %w", addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp %s: data: %w", addr, err)
	}
	if err := c.Quit(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("smtp %s: quit: %w", addr, err)
	}
	return nil
}
