package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"pinhole/db"
	"pinhole/studio"
)

// ClientJSON is a client login as scripts see it.
type ClientJSON struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	Code      string      `json:"code"`
	Note      string      `json:"note"`
	Galleries []string    `json:"galleries"`
	Opens     []OpensJSON `json:"opens,omitempty"`
	Created   string      `json:"created"`
	LastSeen  string      `json:"last_seen"`
}

// OpensJSON is one gallery a client login opens, and how.
type OpensJSON struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	SkipsPIN    bool   `json:"opens_without_pin"`
	Via         string `json:"via,omitempty"` // the granted parent
	Unreachable string `json:"unreachable,omitempty"`
}

func toClientJSON(c db.Client) ClientJSON {
	j := ClientJSON{ID: c.ID, Name: c.Name, Code: db.FormatCode(c.Code), Note: c.Note,
		Galleries: c.Galleries, Created: c.CreatedAt.Format(time.RFC3339)}
	if j.Galleries == nil {
		j.Galleries = []string{}
	}
	if !c.LastSeenAt.IsZero() {
		j.LastSeen = c.LastSeenAt.Format(time.RFC3339)
	}
	return j
}

func changeGrants(ctx context.Context, c *call, grant bool) error {
	if err := c.needArgs(2, "CLIENT and at least one SLUG"); err != nil {
		return err
	}
	return withStore(ctx, c, func(s *db.Store) error {
		cl, err := s.Client(ctx, c.args[0])
		if err != nil {
			return err
		}
		if grant {
			err = studio.Grant(ctx, s, cl.ID, c.args[1:]...)
		} else {
			err = studio.Revoke(ctx, s, cl.ID, c.args[1:]...)
		}
		if err != nil {
			return err
		}
		cl, err = s.ClientByID(ctx, cl.ID)
		if err != nil {
			return err
		}
		return printClient(ctx, c, s, cl)
	})
}

// clientOpens lists what a login opens, with the sentence the photographer needs.
func clientOpens(ctx context.Context, s *db.Store, cl db.Client) ([]OpensJSON, error) {
	opens, err := studio.ClientOpens(ctx, s, cl)
	if err != nil {
		return nil, err
	}
	var out []OpensJSON
	for _, o := range opens {
		out = append(out, OpensJSON{Slug: o.Gallery.Slug, Title: o.Gallery.Title, SkipsPIN: o.SkipsPIN,
			Via: o.Via, Unreachable: o.Unreachable})
	}
	return out, nil
}

func printClient(ctx context.Context, c *call, s *db.Store, cl db.Client) error {
	j := toClientJSON(cl)
	opens, err := clientOpens(ctx, s, cl)
	if err != nil {
		return err
	}
	j.Opens = opens
	if j.Opens == nil {
		j.Opens = []OpensJSON{}
	}
	return c.output(j, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "Name\t%s\n", studio.PrintableName(j.Name))
		fmt.Fprintf(tw, "Access code\t%s\n", j.Code)
		if j.Note != "" {
			fmt.Fprintf(tw, "Note\t%s\n", studio.PrintableName(j.Note))
		}
		fmt.Fprintf(tw, "Id\t%d\n", j.ID)
		fmt.Fprintf(tw, "Last visit\t%s\n", dash(j.LastSeen))
		tw.Flush()
		if len(opens) == 0 {
			fmt.Fprintln(w, "\nThis login opens no gallery yet: pinhole client grant", j.ID, "SLUG")
			return
		}
		var open, closed []OpensJSON
		for _, o := range opens {
			if o.Unreachable == "" {
				open = append(open, o)
			} else {
				closed = append(closed, o)
			}
		}
		fmt.Fprintf(w, "\nThis login opens %d %s:\n", len(open), studio.Plural(len(open), "gallery", "galleries"))
		printOpens(w, open)
		if len(closed) > 0 {
			fmt.Fprintln(w, "\nGranted, but not open to the client now:")
			printOpens(w, closed)
		}
	})
}

func printOpens(w io.Writer, opens []OpensJSON) {
	for _, o := range opens {
		var notes []string
		if o.SkipsPIN {
			notes = append(notes, "opens without its PIN")
		}
		if o.Via != "" {
			notes = append(notes, "through "+o.Via)
		}
		if o.Unreachable != "" {
			notes = append(notes, o.Unreachable)
		}
		line := fmt.Sprintf("  %s (%s)", studio.PrintableName(o.Title), o.Slug)
		if len(notes) > 0 {
			line += " — " + strings.Join(notes, "; ")
		}
		fmt.Fprintln(w, line)
	}
}
