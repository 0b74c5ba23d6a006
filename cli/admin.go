package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"pinhole/db"
)

// AdminKeyJSON is an admin key as scripts see it.
type AdminKeyJSON struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Fingerprint string `json:"fingerprint"`
	PublicKey   string `json:"public_key"`
	Created     string `json:"created"`
	LastUsed    string `json:"last_used"`
}

func toAdminKeyJSON(k db.AdminKey) AdminKeyJSON {
	j := AdminKeyJSON{Name: k.Name, Fingerprint: k.Fingerprint, PublicKey: k.PublicKey,
		Created: k.CreatedAt.Format(time.RFC3339)}
	if typ, _, ok := strings.Cut(k.PublicKey, " "); ok {
		j.Type = typ
	}
	if !k.LastUsedAt.IsZero() {
		j.LastUsed = k.LastUsedAt.Format(time.RFC3339)
	}
	return j
}

// maxKeyFile bounds what admin add reads: a public key is a few hundred bytes.
const maxKeyFile = 64 << 10

// parseAdminKey reads one public key in authorized_keys format (the content
// of an id_*.pub file) and returns it normalized with its SHA256 fingerprint.
func parseAdminKey(data []byte) (pub ssh.PublicKey, line, fingerprint string, err error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, "", "", errors.New("no public key given (expected one line like \"ssh-ed25519 AAAA… you@laptop\")")
	}
	if bytes.Contains(data, []byte("PRIVATE KEY")) {
		return nil, "", "", errors.New("that is a private key: give the public key (the .pub file) and keep the private key to yourself")
	}
	pub, comment, _, rest, err := ssh.ParseAuthorizedKey(data)
	if err != nil {
		return nil, "", "", fmt.Errorf("not an SSH public key (expected one line like \"ssh-ed25519 AAAA… you@laptop\"): %w", err)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, "", "", errors.New("more than one key given: add them one at a time, each with its own name")
	}
	if _, ok := pub.(*ssh.Certificate); ok {
		return nil, "", "", errors.New("SSH certificates are not supported: give the plain public key")
	}
	line = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	if comment != "" {
		line += " " + comment
	}
	return pub, line, ssh.FingerprintSHA256(pub), nil
}
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxKeyFile))
}

// day shortens an RFC 3339 time to its date.
func day(rfc string) string {
	if t, err := time.Parse(time.RFC3339, rfc); err == nil {
		return t.Format("2006-01-02")
	}
	return rfc
}
