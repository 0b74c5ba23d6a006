package cli

import (
	"context"
)

// ClientGrantCommand is "pinhole client grant": let a client login open galleries without their PINs.
type ClientGrantCommand struct{}

func (cmd *ClientGrantCommand) spec() spec {
	return spec{name: "grant", args: "CLIENT SLUG...",
		summary: "let a client login open galleries without their PINs", complete: codeThenSlugs}
}

func (cmd *ClientGrantCommand) run(ctx context.Context, c *call) error {
	return changeGrants(ctx, c, true)
}
