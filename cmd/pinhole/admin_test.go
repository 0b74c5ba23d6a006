package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func newPublicKey(t *testing.T, comment string) (line, fingerprint string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " " + comment, ssh.FingerprintSHA256(k)
}

func TestCLI_Admin(t *testing.T) {
	c := newCLI(t)
	if r := c.run("", "admin", "list"); r.code != 0 || !strings.Contains(r.stdout, "pinhole admin add") {
		t.Errorf("admin list without keys: exit %d, %q; want a hint to add one", r.code, r.stdout)
	}
	line, fp := newPublicKey(t, "anna@laptop")
	file := filepath.Join(t.TempDir(), "id_ed25519.pub")
	os.WriteFile(file, []byte(line+"\n"), 0o644)

	var k adminKeyJSON
	c.ok(&k, "admin", "add", "anna", file)
	if k.Name != "anna" || k.Fingerprint != fp || k.PublicKey != line || k.Type != "ssh-ed25519" {
		t.Errorf("admin add: %+v, want %s with %s", k, line, fp)
	}
	line2, _ := newPublicKey(t, "")
	if r := c.run(line2+"\n", "admin", "add", "ben", "-"); r.code != 0 || !strings.Contains(r.stdout, `Added admin key "ben"`) {
		t.Errorf("admin add from stdin: exit %d, %q %q", r.code, r.stdout, r.stderr)
	} else if !strings.Contains(r.stdout, "serve --ssh") {
		// It cannot know which port serve listens on: it says where that is set.
		t.Errorf("admin add names a port as if it knew serve's: %q", r.stdout)
	}
	var ks []adminKeyJSON
	c.ok(&ks, "admin", "list")
	if len(ks) != 2 || ks[0].Name != "anna" || ks[1].Name != "ben" {
		t.Errorf("admin list: %+v", ks)
	}

	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, _ := ssh.MarshalPrivateKey(priv, "")
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		says        string
	}{
		{"same name", line2, []string{"admin", "add", "anna", "-"}, 1, "already there"},
		{"same key", line, []string{"admin", "add", "carl", file}, 1, "already there"},
		{"not a key", "hello", []string{"admin", "add", "carl", "-"}, 1, "not an SSH public key"},
		{"empty", "", []string{"admin", "add", "carl", "-"}, 1, "no public key given"},
		{"private key", string(pem.EncodeToMemory(block)), []string{"admin", "add", "carl", "-"}, 1, "private key"},
		{"two keys", line2 + "\n" + line, []string{"admin", "add", "carl", "-"}, 1, "one at a time"},
		{"missing file", "", []string{"admin", "add", "carl", "/nonexistent.pub"}, 1, "no such file"},
		{"missing args", "", []string{"admin", "add", "carl"}, 2, "missing NAME and KEYFILE"},
		{"remove unknown", "", []string{"admin", "remove", "nobody"}, 1, `no admin key has that name (see pinhole admin list)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.stdin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.says) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.says)
			}
		})
	}
	if r := c.run("", "admin", "remove", "anna"); r.code != 0 {
		t.Errorf("admin remove: exit %d, %q", r.code, r.stderr)
	}
	c.ok(&ks, "admin", "list")
	if len(ks) != 1 || ks[0].Name != "ben" {
		t.Errorf("after remove: %+v", ks)
	}
}
