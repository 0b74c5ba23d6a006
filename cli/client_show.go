package cli

import (
	"context"

	"pinhole/db"
)

// ClientShowCommand is "pinhole client show": show a client login and exactly what it opens.
type ClientShowCommand struct{}

func (cmd *ClientShowCommand) spec() spec {
	return spec{name: "show", args: "CLIENT",
		summary: "show a client login and exactly what it opens", complete: firstCode}
}

func (cmd *ClientShowCommand) run(ctx context.Context, c *call) error {
	return withClient(ctx, c, func(s *db.Store, cl db.Client) error {
		return printClient(ctx, c, s, cl)
	})
}
