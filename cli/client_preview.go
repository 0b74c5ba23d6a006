package cli

import (
	"context"

	"pinhole/db"
	"pinhole/studio"
)

// ClientPreviewCommand is "pinhole client preview": print a 15-minute link that shows the client's dashboard as they see it.
type ClientPreviewCommand struct{}

func (cmd *ClientPreviewCommand) spec() spec {
	return spec{name: "preview", args: "CLIENT",
		summary: "print a 15-minute link that shows the client's dashboard as they see it", complete: firstCode}
}

func (cmd *ClientPreviewCommand) run(ctx context.Context, c *call) error {
	return withClient(ctx, c, func(s *db.Store, cl db.Client) error {
		url, exp, err := studio.PreviewURL(ctx, s, c.Links, db.Session{ClientID: cl.ID})
		if err != nil {
			return err
		}
		return printPreview(c, url, exp, cl.Name+"'s dashboard", "")
	})
}
