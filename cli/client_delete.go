package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/studio"
)

// ClientDeleteCommand is "pinhole client delete": delete a client login (its galleries stay).
type ClientDeleteCommand struct {
	yes bool
}

func (cmd *ClientDeleteCommand) spec() spec {
	return spec{name: "delete", args: "CLIENT [--yes]",
		summary: "delete a client login (its galleries stay)", complete: firstCode}
}

func (cmd *ClientDeleteCommand) flags(fs *pflag.FlagSet) {
	fs.BoolVar(&cmd.yes, "yes", false, "do not ask")
}

func (cmd *ClientDeleteCommand) run(ctx context.Context, c *call) error {
	return withClient(ctx, c, func(s *db.Store, cl db.Client) error {
		if !cmd.yes && !c.confirm(fmt.Sprintf("Delete client login %q (%s)?", cl.Name, db.FormatCode(cl.Code))) {
			return errors.New("nothing deleted (answer y, or pass --yes)")
		}
		if err := studio.DeleteClient(ctx, s, cl.ID); err != nil {
			return err
		}
		return c.output(map[string]any{"deleted": cl.ID}, func(w io.Writer) {
			fmt.Fprintf(w, "Deleted client login %q. Its access code no longer works.\n", cl.Name)
		})
	})
}
