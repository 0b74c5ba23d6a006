package cli

import (
	"context"
	"fmt"
	"io"

	"pinhole/db"
)

// AdminAddCommand is "pinhole admin add": let an SSH public key administer Pinhole (- reads the key from stdin).
type AdminAddCommand struct{}

func (cmd *AdminAddCommand) spec() spec {
	return spec{name: "add", args: "NAME KEYFILE|-",
		summary: "let an SSH public key administer Pinhole (- reads the key from stdin)"}
}

func (cmd *AdminAddCommand) run(ctx context.Context, c *call) error {
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
			// The port is serve's, which this command cannot know:
			// say where it is set rather than guess.
			fmt.Fprintln(w, "It can now log in over SSH: ssh -p PORT HOST, PORT as pinhole serve --ssh listens (2222 unless changed)")
		})
	})
}
