package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/studio"
)

// GalleryShareCommand is "pinhole gallery share": print the link and the PIN as two messages to send separately; --email sends the link message.
type GalleryShareCommand struct {
	email string
}

func (cmd *GalleryShareCommand) spec() spec {
	return spec{name: "share", args: "SLUG [--email ADDRESS]",
		summary: "print the link and the PIN as two messages to send separately; --email sends the link message", complete: firstSlug}
}

func (cmd *GalleryShareCommand) flags(fs *pflag.FlagSet) {
	fs.StringVar(&cmd.email, "email", "", "e-mail the link message (never the PIN) to this address; needs smtp-url (pinhole config)")
}

func (cmd *GalleryShareCommand) run(ctx context.Context, c *call) error {
	return withGallery(ctx, c, func(s *db.Store, g db.Gallery) error {
		if c.set("email") {
			return emailShare(ctx, c, s, g, cmd.email)
		}
		sh, err := studio.ShareFor(ctx, s, c.Links, g)
		if err != nil {
			return err
		}
		out := map[string]string{"url": sh.URL, "pin": sh.PIN, "link_message": sh.LinkMessage, "pin_message": sh.PINMessage}
		if sh.Warning != "" {
			out["warning"] = sh.Warning
		}
		if !c.json && studio.LocalOnly(sh.URL) {
			// As serve says at start: a client given this link sees nothing.
			notice, err := studio.LocalOnlyNotice(ctx, s, c.Links)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.Stderr, "⚠ %s\n", notice)
		}
		return c.output(out, func(w io.Writer) {
			if sh.Warning != "" {
				fmt.Fprintf(w, "⚠ %s.\n\n", sh.Warning)
			}
			fmt.Fprintf(w, "LINK  %s\n\n%s\n", sh.URL, indent(sh.LinkMessage))
			if sh.PIN != "" {
				fmt.Fprintf(w, "\nPIN   %s   (send it apart from the link, e.g. by text message)\n\n%s\n", sh.PIN, indent(sh.PINMessage))
			} else {
				fmt.Fprintln(w, "\nNo PIN: the link alone opens this gallery.")
			}
		})
	})
}
