package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"pinhole/db"
	"pinhole/studio"
)

type clientJSON struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	Code      string      `json:"code"`
	Note      string      `json:"note"`
	Galleries []string    `json:"galleries"`
	Opens     []opensJSON `json:"opens,omitempty"`
	Created   string      `json:"created"`
	LastSeen  string      `json:"last_seen"`
}

// opensJSON is one gallery a client login opens, and how.
type opensJSON struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	SkipsPIN    bool   `json:"opens_without_pin"`
	Via         string `json:"via,omitempty"` // the granted parent
	Unreachable string `json:"unreachable,omitempty"`
}

func toClientJSON(c db.Client) clientJSON {
	j := clientJSON{ID: c.ID, Name: c.Name, Code: db.FormatCode(c.Code), Note: c.Note,
		Galleries: c.Galleries, Created: c.CreatedAt.Format(time.RFC3339)}
	if j.Galleries == nil {
		j.Galleries = []string{}
	}
	if !c.LastSeenAt.IsZero() {
		j.LastSeen = c.LastSeenAt.Format(time.RFC3339)
	}
	return j
}

func clientCommand() *command {
	var name, code, note *string
	var yes *bool
	return &command{name: "client", sub: []*command{
		{
			name: "create", args: "--name N [--code C] [--note T]", summary: "create a client login (an access code is generated unless given)",
			flags: func(fs *flag.FlagSet) {
				name = fs.String("name", "", "the client's name")
				code = fs.String("code", "", "an access code of your choice (at least 8 letters or digits)")
				note = fs.String("note", "", "a note for yourself")
			},
			run: func(ctx context.Context, c *call) error {
				if err := c.exactArgs(0, ""); err != nil {
					return err
				}
				if !c.set("name") {
					return usagef("--name is required")
				}
				in := db.ClientInput{Name: name, Note: note}
				if c.set("code") {
					if db.NormalizeCode(*code) == "" {
						return errors.New("the access code is empty: leave --code out to generate one")
					}
					in.Code = code
				}
				return withStore(ctx, c, func(s *db.Store) error {
					cl, err := s.CreateClient(ctx, in)
					if err != nil {
						return err
					}
					return printClient(ctx, c, s, cl)
				})
			},
		},
		{
			name: "list", summary: "list client logins",
			run: func(ctx context.Context, c *call) error {
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
					out := make([]clientJSON, 0, len(cs))
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
			},
		},
		{
			name: "show", args: "CLIENT", summary: "show a client login and exactly what it opens",
			run: func(ctx context.Context, c *call) error {
				return withClient(ctx, c, func(s *db.Store, cl db.Client) error {
					return printClient(ctx, c, s, cl)
				})
			},
		},
		{
			name: "grant", args: "CLIENT SLUG...", summary: "let a client login open galleries without their PINs",
			run: func(ctx context.Context, c *call) error { return changeGrants(ctx, c, true) },
		},
		{
			name: "revoke", args: "CLIENT SLUG...", summary: "take galleries away from a client login",
			run: func(ctx context.Context, c *call) error { return changeGrants(ctx, c, false) },
		},
		{
			name: "delete", args: "CLIENT [--yes]", summary: "delete a client login (its galleries stay)",
			flags: func(fs *flag.FlagSet) { yes = fs.Bool("yes", false, "do not ask") },
			run: func(ctx context.Context, c *call) error {
				return withClient(ctx, c, func(s *db.Store, cl db.Client) error {
					if !*yes && !c.confirm(fmt.Sprintf("Delete client login %q (%s)?", cl.Name, db.FormatCode(cl.Code))) {
						return errors.New("nothing deleted (answer y, or pass --yes)")
					}
					if err := s.DeleteClient(ctx, cl.ID); err != nil {
						return err
					}
					return c.output(map[string]any{"deleted": cl.ID}, func(w io.Writer) {
						fmt.Fprintf(w, "Deleted client login %q. Its access code no longer works.\n", cl.Name)
					})
				})
			},
		},
	}}
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
			err = s.Grant(ctx, cl.ID, c.args[1:]...)
		} else {
			err = s.Revoke(ctx, cl.ID, c.args[1:]...)
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
func clientOpens(ctx context.Context, s *db.Store, cl db.Client) ([]opensJSON, error) {
	opens, err := studio.ClientOpens(ctx, s, cl)
	if err != nil {
		return nil, err
	}
	var out []opensJSON
	for _, o := range opens {
		out = append(out, opensJSON{Slug: o.Gallery.Slug, Title: o.Gallery.Title, SkipsPIN: o.SkipsPIN,
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
		j.Opens = []opensJSON{}
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
		var open, closed []opensJSON
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

func printOpens(w io.Writer, opens []opensJSON) {
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
