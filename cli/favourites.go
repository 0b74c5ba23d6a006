package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"pinhole/db"
	"pinhole/studio"

	"github.com/spf13/pflag"
)

// FavouritesJSON is one person's picks as favourites --json prints them.
type FavouritesJSON struct {
	Person  string   `json:"person"`
	Client  bool     `json:"client"`
	Sent    string   `json:"sent"`    // RFC 3339, or "" until sent
	Changed bool     `json:"changed"` // changed after it was sent
	Photos  []string `json:"photos"`
	sent    string
}

// selectionBy keeps the one list named as listed ("Anna (2)"), in any case.
func selectionBy(sels []studio.Selection, name, title string) ([]studio.Selection, error) {
	var labels []string
	for _, p := range sels {
		if strings.EqualFold(strings.TrimSpace(name), p.Label) {
			return []studio.Selection{p}, nil
		}
		labels = append(labels, fmt.Sprintf("%q", p.Label))
	}
	if len(labels) == 0 {
		return nil, usagef("--by %q: no favourites in %q yet", name, title)
	}
	return nil, usagef("--by %q: no list of that name in %q; the lists are %s", name, title, strings.Join(labels, ", "))
}

// writeSidecars writes the XMP sidecars of the picks in dir and says what
// it did: each pick not found and each sidecar that failed on stderr, as
// they come, then the count.
func writeSidecars(c *call, dir string, picks []string, label string, rating int) error {
	rep, err := studio.WriteSidecars(dir, picks, label, rating)
	if err != nil {
		return err
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(c.Stderr, studio.PrintableName(p.String(dir)))
	}
	fmt.Fprintln(c.Stdout, studio.PrintableName(rep.Summary(dir)))
	if rep.Failed() > 0 {
		return errSilent
	}
	return nil
}

// FavouritesCommand is "pinhole favourites": the photos each person picked, for your editing software.
type FavouritesCommand struct {
	lightroom         bool
	xmpDir, label, by string
	rating            int
}

func (cmd *FavouritesCommand) spec() spec {
	return spec{name: "favourites", args: "SLUG [--by NAME] [--lightroom | --xmp DIR]",
		summary: "the photos each person picked, for your editing software", complete: firstSlug}
}

func (cmd *FavouritesCommand) flags(fs *pflag.FlagSet) {
	fs.BoolVar(&cmd.lightroom, "lightroom", false, "one line of file names for Lightroom's or Capture One's filename filter")
	fs.StringVar(&cmd.xmpDir, "xmp", "", "write or update XMP sidecars for the picks found in this folder")
	fs.StringVar(&cmd.label, "label", studio.SidecarLabel, "colour label the XMP sidecars get")
	fs.IntVar(&cmd.rating, "rating", studio.SidecarRating, "star rating the XMP sidecars get (0 to 5)")
	fs.StringVar(&cmd.by, "by", "", `only the list of this person, named as listed ("Anna", "Anna (2)"); all lists if not given`)
}

func (cmd *FavouritesCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(1, "gallery slug"); err != nil {
		return err
	}
	if cmd.rating < 0 || cmd.rating > 5 {
		return usagef("--rating must be 0 to 5")
	}
	return withStore(ctx, c, func(s *db.Store) error {
		g, err := s.Gallery(ctx, c.args[0])
		if err != nil {
			return err
		}
		sels, err := studio.Selections(ctx, s, g.ID)
		if err != nil {
			return err
		}
		if cmd.by != "" {
			if sels, err = selectionBy(sels, cmd.by, g.Title); err != nil {
				return err
			}
		}
		photos, err := s.Photos(ctx, g.ID)
		if err != nil {
			return err
		}
		people := []FavouritesJSON{} // per list, in the gallery's order
		for _, p := range sels {
			j := FavouritesJSON{Person: p.Label, Client: p.Client, Changed: p.Changed, Photos: p.Photos, sent: p.SentText()}
			if !p.Sent.IsZero() {
				j.Sent = p.Sent.Format(time.RFC3339)
			}
			people = append(people, j)
		}
		picks := studio.Picked(sels, photos)
		switch {
		case cmd.lightroom:
			fmt.Fprintln(c.Stdout, studio.PrintableName(studio.LightroomLine(picks)))
			return nil
		case cmd.xmpDir != "":
			return writeSidecars(c, cmd.xmpDir, picks, cmd.label, cmd.rating)
		}
		return c.output(people, func(w io.Writer) {
			if len(people) == 0 {
				fmt.Fprintf(w, "No favourites in %q yet.\n", g.Title)
			}
			for i, p := range people {
				if i > 0 {
					fmt.Fprintln(w)
				}
				kind := "visitor"
				if p.Client {
					kind = "client login"
				}
				sent := ""
				if p.sent != "" {
					sent = ", " + p.sent
				}
				fmt.Fprintf(w, "%s (%s, %d%s)\n", studio.PrintableName(p.Person), kind, len(p.Photos), sent)
				for _, name := range p.Photos {
					fmt.Fprintf(w, "  %s\n", studio.PrintableName(name))
				}
			}
		})
	})
}
