package cli

import (
	"context"
	"fmt"
	"io"

	"pinhole/db"
)

// AdminRemoveCommand is "pinhole admin remove": stop an SSH key from administering Pinhole.
type AdminRemoveCommand struct{}

func (cmd *AdminRemoveCommand) spec() spec {
	return spec{name: "remove", args: "NAME",
		summary: "stop an SSH key from administering Pinhole", complete: adminNames}
}

func (cmd *AdminRemoveCommand) run(ctx context.Context, c *call) error {
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
}
