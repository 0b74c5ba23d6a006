package mail_test

import (
	"context"
	"strings"
	"testing"

	"pinhole/mail"
	"pinhole/mail/mailpittest"
)

// TestServer_Send: a message reaches a real Mailpit over STARTTLS and over
// TLS from the start, logged in, with its subject and UTF-8 text intact; a
// wrong password and an untrusted certificate are refused with the reason.
func TestServer_Send(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		name := "starttls"
		if implicit {
			name = "tls"
		}
		t.Run(name, func(t *testing.T) {
			mp := mailpittest.Start(t, implicit)
			s, err := mail.Parse(mp.URL())
			if err != nil {
				t.Fatal(err)
			}
			msg := mail.Message{From: "studio@example.com", To: "Anna <anna@example.com>", Subject: "Your photos: Zoë & Ben — wedding",
				Body: "Hello!\nYour photos are ready: https://photos.example.com/g/zoe-ben-k4q9x2\n" + strings.Repeat("long line ", 20)}
			if err := s.Send(context.Background(), msg); err != nil {
				t.Fatal(err)
			}
			got := mp.Wait(t, 1)
			if got[0].Subject != msg.Subject || got[0].From != "studio@example.com" || len(got[0].To) != 1 || got[0].To[0] != "anna@example.com" ||
				!strings.Contains(got[0].Text, "https://photos.example.com/g/zoe-ben-k4q9x2") || !strings.Contains(got[0].Text, strings.Repeat("long line ", 20)) {
				t.Errorf("received %+v", got[0])
			}

			bad := *s
			bad.Pass = "wrong"
			if err := bad.Send(context.Background(), msg); err == nil || !strings.Contains(err.Error(), "log in as studio") {
				t.Errorf("wrong password: %v", err)
			}
			untrusted := *s
			untrusted.RootCAs = nil
			if err := untrusted.Send(context.Background(), msg); err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Errorf("untrusted certificate: %v", err)
			}
		})
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		url, want string // want: host:port/implicit/user, or the error's words
	}{
		{"smtp://me:pw@mail.example.com", "mail.example.com:587/false/me"},
		{"smtps://me%40example.com:pw@mail.example.com", "mail.example.com:465/true/me@example.com"},
		{"smtp://mail.example.com:2525", "mail.example.com:2525/false/"},
		{"http://mail.example.com", "use smtp://"},
		{"smtp://", "no host"},
		{"smtp://h?ca=/nonexistent.pem", "ca"},
	} {
		s, err := mail.Parse(c.url)
		var got string
		if err != nil {
			got = err.Error()
		} else {
			got = s.Host + ":" + s.Port + "/" + map[bool]string{true: "true", false: "false"}[s.Implicit] + "/" + s.User
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("Parse(%q) = %q, want %q", c.url, got, c.want)
		}
	}
	if _, err := mail.Address("a@b.c\r\nBcc: x@y.z"); err == nil {
		t.Error("an address with a line break is taken")
	}
}
