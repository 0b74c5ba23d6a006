package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"pinhole/db"
	"pinhole/studio"
)

// ClientListCommand is "pinhole client list": list client logins.
type ClientListCommand struct{}

func (cmd *ClientListCommand) spec() spec {
	return spec{name: "list", args: "",
		summary: "list client logins"}
}

func (cmd *ClientListCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	return withStore(ctx, c, func(s *db.Store) error {
		cs, err := s.Clients(ctx)
		if err != nil {
			return err
		}
		all, err := s.Galleries(ctx)
		if err != nil {
			return err
		}
		all = studio.Ordered(all)
		out := make([]ClientJSON, 0, len(cs))
		opens := make([]int, 0, len(cs))
		for _, cl := range cs {
			out = append(out, toClientJSON(cl))
			opens = append(opens, studio.Reachable(studio.Opens(all, cl.Galleries, s.Now())))
		}
		return c.output(out, func(w io.Writer) {
			if len(cs) == 0 {
				fmt.Fprintln(w, "No client logins yet. Create one: pinhole client create --name \"Anna Smith\"")
				return
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tCODE\tOPENS\tLAST VISIT")
			for i, j := range out {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d %s\t%s\n", j.ID, studio.PrintableName(j.Name), j.Code, opens[i],
					studio.Plural(opens[i], "gallery", "galleries"), dash(j.LastSeen))
			}
			tw.Flush()
		})
	})
}
