package cli

import (
	"context"
)

// ClientRevokeCommand is "pinhole client revoke": take galleries away from a client login.
type ClientRevokeCommand struct{}

func (cmd *ClientRevokeCommand) spec() spec {
	return spec{name: "revoke", args: "CLIENT SLUG...",
		summary: "take galleries away from a client login", complete: codeThenSlugs}
}

func (cmd *ClientRevokeCommand) run(ctx context.Context, c *call) error {
	return changeGrants(ctx, c, false)
}
