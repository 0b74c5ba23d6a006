package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/crypto/ssh"

	"pinhole/db"
	"pinhole/studio"
)

// adminKeyJSON is an admin key as scripts see it.
type adminKeyJSON struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Fingerprint string `json:"fingerprint"`
	PublicKey   string `json:"public_key"`
	Created     string `json:"created"`
	LastUsed    string `json:"last_used"`
}

func toAdminKeyJSON(k db.AdminKey) adminKeyJSON {
	j := adminKeyJSON{Name: k.Name, Fingerprint: k.Fingerprint, PublicKey: k.PublicKey,
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

func adminCommand() *command {
	return &command{name: "admin", sub: []*command{
		{
			name: "add", args: "NAME KEYFILE|-", summary: "let an SSH public key administer Pinhole (- reads the key from stdin)",
			run: func(ctx context.Context, c *call) error {
				if err := c.exactArgs(2, "NAME and KEYFILE (a .pub file, or - for stdin)"); err != nil {
					return err
				}
				name, file := c.args[0], c.args[1]
				var data []byte
				var err error
				switch {
				case file == "-":
					data, err = io.ReadAll(io.LimitReader(c.Stdin, maxKeyFile))
				case c.Remote:
					return usagef("over SSH the key comes on stdin: ssh HOST admin add %s - < ~/.ssh/id_ed25519.pub", name)
				default:
					data, err = readKeyFile(file)
				}
				if err != nil {
					return fmt.Errorf("read key: %w", err)
				}
				_, line, fp, err := parseAdminKey(data)
				if err != nil {
					return err
				}
				return withStore(ctx, c, func(s *db.Store) error {
					k, err := s.AddAdminKey(ctx, db.AdminKey{Name: name, PublicKey: line, Fingerprint: fp})
					if err != nil {
						return err
					}
					return c.output(toAdminKeyJSON(k), func(w io.Writer) {
						fmt.Fprintf(w, "Added admin key %q (%s).\n", k.Name, k.Fingerprint)
						fmt.Fprintln(w, "It can now log in over SSH: ssh -p 2222 HOST")
					})
				})
			},
		},
		{
			name: "list", summary: "list the SSH keys that may administer Pinhole",
			run: func(ctx context.Context, c *call) error {
				if err := c.exactArgs(0, ""); err != nil {
					return err
				}
				return withStore(ctx, c, func(s *db.Store) error {
					ks, err := s.AdminKeys(ctx)
					if err != nil {
						return err
					}
					out := make([]adminKeyJSON, 0, len(ks))
					for _, k := range ks {
						out = append(out, toAdminKeyJSON(k))
					}
					return c.output(out, func(w io.Writer) {
						if len(out) == 0 {
							fmt.Fprintln(w, "No admin keys yet: nobody can log in over SSH.")
							fmt.Fprintln(w, "Add yours: pinhole admin add NAME ~/.ssh/id_ed25519.pub")
							return
						}
						tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
						fmt.Fprintln(tw, "NAME\tTYPE\tFINGERPRINT\tADDED\tLAST USED")
						for _, k := range out {
							fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", studio.PrintableName(k.Name), k.Type, k.Fingerprint,
								day(k.Created), dash(day(k.LastUsed)))
						}
						tw.Flush()
					})
				})
			},
		},
		{
			name: "remove", args: "NAME", summary: "stop an SSH key from administering Pinhole",
			run: func(ctx context.Context, c *call) error {
				if err := c.exactArgs(1, "NAME"); err != nil {
					return err
				}
				return withStore(ctx, c, func(s *db.Store) error {
					if err := s.RemoveAdminKey(ctx, c.args[0]); err != nil {
						return err
					}
					return c.output(map[string]string{"removed": c.args[0]}, func(w io.Writer) {
						fmt.Fprintf(w, "Removed admin key %q.\n", c.args[0])
					})
				})
			},
		},
	}}
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
