// Package mailpittest starts a real Mailpit SMTP server for tests, with
// TLS and a password, and reads what it received through its HTTP API.
package mailpittest

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"pinhole/internal/testio"
)

// Mailpit is one running server.
type Mailpit struct {
	SMTP       string // host:port
	API        string // http://host:port
	CA         string // PEM file of the certificate it presents
	User, Pass string
	Implicit   bool // TLS from the start (smtps) rather than STARTTLS
}

// Install is the command that builds the server.
const Install = "go install github.com/axllent/mailpit@v1.33.1"

// Start runs Mailpit until the test ends: STARTTLS required, or with
// implicit true TLS from the first byte; a login is required either way.
func Start(t testing.TB, implicit bool) *Mailpit {
	t.Helper()
	bin := testio.GoProgram(t, "mailpit", Install)
	dir := t.TempDir()
	m := &Mailpit{SMTP: testio.FreeAddr(t), User: "studio", Pass: "s3cret pass", Implicit: implicit}
	m.API = "http://" + testio.FreeAddr(t)
	var key string
	m.CA, key = testio.SelfSigned(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte(m.Pass), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	auth := filepath.Join(dir, "auth")
	if err := os.WriteFile(auth, []byte(m.User+":"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--smtp", m.SMTP, "--listen", strings.TrimPrefix(m.API, "http://"), "--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-tls-cert", m.CA, "--smtp-tls-key", key, "--smtp-auth-file", auth, "--smtp-disable-rdns", "--quiet"}
	if implicit {
		args = append(args, "--smtp-require-tls")
	} else {
		args = append(args, "--smtp-require-starttls")
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for deadline := time.Now().Add(20 * time.Second); ; {
		resp, err := http.Get(m.API + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", m.SMTP); err == nil {
				c.Close()
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return m
}

// URL is the smtp-url setting that reaches this server.
func (m *Mailpit) URL() string {
	scheme := "smtp"
	if m.Implicit {
		scheme = "smtps"
	}
	u := url.URL{Scheme: scheme, User: url.UserPassword(m.User, m.Pass), Host: m.SMTP, RawQuery: url.Values{"ca": {m.CA}}.Encode()}
	return u.String()
}

// Message is one received message.
type Message struct {
	ID      string
	From    string
	To      []string
	Subject string
	Text    string
}

// Messages lists what the server received, newest first, with the text.
func (m *Mailpit) Messages(t testing.TB) []Message {
	t.Helper()
	var list struct {
		Messages []struct {
			ID      string
			From    struct{ Address string }
			To      []struct{ Address string }
			Subject string
		}
	}
	get(t, m.API+"/api/v1/messages", &list)
	var out []Message
	for _, l := range list.Messages {
		msg := Message{ID: l.ID, From: l.From.Address, Subject: l.Subject}
		for _, a := range l.To {
			msg.To = append(msg.To, a.Address)
		}
		var full struct{ Text string }
		get(t, m.API+"/api/v1/message/"+l.ID, &full)
		msg.Text = full.Text
		out = append(out, msg)
	}
	return out
}

// Wait waits until the server has received n messages and returns them.
func (m *Mailpit) Wait(t testing.TB, n int) []Message {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; {
		got := m.Messages(t)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit received %d messages, want %d", len(got), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func get(t testing.TB, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}
