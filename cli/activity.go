package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"pinhole/db"
	"pinhole/studio"

	"github.com/spf13/pflag"
)

// followEvery is how often activity --follow looks for new events.
const followEvery = time.Second

// EventJSON is an event as activity --json prints it.
type EventJSON struct {
	ID      int64  `json:"id"`
	At      string `json:"at"`
	Kind    string `json:"kind"`
	What    string `json:"what"`
	Who     string `json:"who"`
	Client  string `json:"client,omitempty"`
	Visitor string `json:"visitor,omitempty"`
	Address string `json:"address,omitempty"`
	Gallery string `json:"gallery,omitempty"`
	Photo   string `json:"photo,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

func toEventJSON(e db.Event) EventJSON {
	what := studio.EventWords(e.Kind)
	return EventJSON{ID: e.ID, At: e.At.Format(time.RFC3339), Kind: e.Kind, What: what, Who: e.Who(),
		Client: e.ClientName, Visitor: e.Visitor, Address: e.Address, Gallery: e.GallerySlug, Photo: e.PhotoName, Detail: e.Detail}
}

// parseSince reads a duration such as 90m, 24h or 7d.
func parseSince(s string) (time.Duration, error) {
	d, err := db.ParseDuration(s)
	if err != nil {
		return 0, usagef("--since %q: use a duration such as 90m, 24h or 7d", s)
	}
	return d, nil
}

func printEvent(w io.Writer, e db.Event, withGallery bool) {
	who := e.Who()
	if e.Address != "" && who != e.Address {
		who += " (" + e.Address + ")"
	}
	line := fmt.Sprintf("%s  %-28s %s", e.At.Local().Format("2006-01-02 15:04"), who, studio.Describe(e))
	if withGallery && e.GalleryTitle != "" {
		line += " — " + e.GalleryTitle
	}
	fmt.Fprintln(w, studio.PrintableName(line))
}

// ActivityCommand is "pinhole activity": who opened, downloaded and favourited what, and when.
type ActivityCommand struct {
	client, since string
	follow        bool
}

func (cmd *ActivityCommand) spec() spec {
	return spec{name: "activity", args: "[SLUG] [--client CLIENT] [--since DURATION] [--follow]",
		summary: "who opened, downloaded and favourited what, and when", complete: firstSlug, flagComplete: map[string]completer{"client": firstCode}}
}

func (cmd *ActivityCommand) flags(fs *pflag.FlagSet) {
	fs.StringVar(&cmd.client, "client", "", "only this client login (id or code)")
	fs.StringVar(&cmd.since, "since", "", "only this recent: 90m, 24h, 7d")
	fs.BoolVar(&cmd.follow, "follow", false, "keep printing new events as they happen")
}

func (cmd *ActivityCommand) run(ctx context.Context, c *call) error {
	if len(c.args) > 1 {
		return usagef("unexpected argument %q", c.args[1])
	}
	return withStore(ctx, c, func(s *db.Store) error {
		var f db.EventFilter
		var title string
		if len(c.args) == 1 {
			g, err := s.Gallery(ctx, c.args[0])
			if err != nil {
				return err
			}
			f.GalleryID, title = g.ID, g.Title
		}
		if cmd.client != "" {
			cl, err := s.Client(ctx, cmd.client)
			if err != nil {
				return err
			}
			f.ClientID = cl.ID
		}
		if cmd.since != "" {
			d, err := parseSince(cmd.since)
			if err != nil {
				return err
			}
			f.Since = s.Now().Add(-d)
		}
		// Events go out as they are read: a history of a million
		// events is a stream, not a list held in memory.
		print := func(e db.Event) error {
			f.AfterID = max(f.AfterID, e.ID)
			if c.json && cmd.follow {
				return json.NewEncoder(c.Stdout).Encode(toEventJSON(e)) // one object a line
			}
			printEvent(c.Stdout, e, title == "")
			return nil
		}
		if c.json && !cmd.follow {
			return writeJSONArray(c.Stdout, func(emit func(any) error) error {
				return s.EachEvent(ctx, f, func(e db.Event) error { return emit(toEventJSON(e)) })
			})
		}
		if err := s.EachEvent(ctx, f, print); err != nil {
			return err
		}
		if !cmd.follow {
			if f.AfterID == 0 {
				fmt.Fprintln(c.Stdout, "No activity yet.")
			}
			return nil
		}
		// Follow: like tail -f, one JSON object per line with --json.
		f.Since = time.Time{}
		tick := time.NewTicker(followEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
			err := s.EachEvent(ctx, f, print)
			if ctx.Err() != nil {
				return nil // stopped (Ctrl-C) while asking
			}
			if err != nil {
				return err
			}
		}
	})
}
