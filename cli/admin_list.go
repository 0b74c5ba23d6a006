package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"pinhole/db"
	"pinhole/studio"
)

// AdminListCommand is "pinhole admin list": list the SSH keys that may administer Pinhole.
type AdminListCommand struct{}

func (cmd *AdminListCommand) spec() spec {
	return spec{name: "list", args: "",
		summary: "list the SSH keys that may administer Pinhole"}
}

func (cmd *AdminListCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	return withStore(ctx, c, func(s *db.Store) error {
		ks, err := s.AdminKeys(ctx)
		if err != nil {
			return err
		}
		out := make([]AdminKeyJSON, 0, len(ks))
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
}
