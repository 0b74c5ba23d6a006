package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"

	"github.com/spf13/pflag"
)

// GalleryJSON is a gallery as scripts see it.
type GalleryJSON struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Date        string `json:"date"`
	Access      string `json:"access"`
	PIN         string `json:"pin"` // the PIN a client types here: its own, or its parent's; "" when public
	PINVersion  int    `json:"pin_version"`
	Downloads   string `json:"downloads"`
	Expires     string `json:"expires"`
	Published   bool   `json:"published"`
	Listed      bool   `json:"listed"`
	NavigateUp  bool   `json:"navigate_up"`
	Parent      string `json:"parent"`
	Cover       int64  `json:"cover"` // photo id; 0: none chosen
	CoverOnPIN  bool   `json:"cover_on_pin"`
	URL         string `json:"url"`
	Photos      int    `json:"photos"`
	Bytes       int64  `json:"bytes"`
	Created     string `json:"created"`
	MaxPicks    int    `json:"max_picks"` // 0: no limit
	// What a client with the link actually gets, its parent included.
	Effective EffectiveJSON `json:"effective"`
}

// EffectiveJSON is what a client with the link gets.
type EffectiveJSON struct {
	State   string `json:"state"`    // open, draft, expired, closed-with-parent
	Access  string `json:"access"`   // public, pin, download-pin
	Expires string `json:"expires"`  // last day open, YYYY-MM-DD, or ""
	PINFrom string `json:"pin_from"` // the gallery whose PIN is typed, when not this one
	Expired bool   `json:"expired"`  // its last day, or its parent's, has passed: publishing a draft does not open it
	Listed  bool   `json:"listed"`   // on the studio's home page now (open, public, at the top, marked listed)
}

func toGalleryJSON(g db.Gallery, base string, d studio.Decision) GalleryJSON {
	access := string(g.Access)
	if g.Access == db.Inherit {
		access = "inherit"
	}
	// The PIN's version is that of the PIN given, a parent's when the
	// gallery takes its parent's.
	version := g.PINVersion
	if d.PIN != "" && d.PINGallery.ID != 0 {
		version = d.PINGallery.PINVersion
	}
	return GalleryJSON{
		ID: g.ID, Slug: g.Slug, Title: g.Title, Description: g.Description, Date: g.EventDate,
		Access: access, PIN: d.PIN, PINVersion: version, Downloads: string(g.Downloads),
		Expires: g.ExpiresOn(), Published: g.Published, Listed: g.Listed, NavigateUp: g.NavigateUp,
		Parent: g.ParentSlug, Cover: g.CoverID, CoverOnPIN: g.CoverOnPIN, URL: studio.GalleryURL(base, g.Slug), Photos: g.Photos, Bytes: g.Bytes,
		Created: g.CreatedAt.Format(time.RFC3339),
		Effective: EffectiveJSON{State: string(d.State), Access: string(d.Access), Expires: d.ExpiresOn(),
			PINFrom: d.PINFrom(g), Expired: d.Gone, Listed: d.Listed},
	}
}

// galleryFlags are the settings shared by create and set.
type galleryFlags struct {
	title, description, date, pin, access, downloads, expires, parent, cover string
	draft, listed, navigateUp, coverOnPIN                                    bool
	maxPicks                                                                 int
}

func (f *galleryFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&f.title, "title", "", "the gallery's title")
	fs.StringVar(&f.description, "description", "", "a few words shown above the photos")
	fs.StringVar(&f.date, "date", "", "the event's date, YYYY-MM-DD")
	fs.StringVar(&f.pin, "pin", "", "4 to 12 digits, or auto to generate 6")
	fs.StringVar(&f.access, "access", "", "public, pin or download-pin (a sub-gallery may inherit)")
	fs.StringVar(&f.downloads, "downloads", "", fmt.Sprintf("off, web (%d px) or original", webLong()))
	fs.StringVar(&f.expires, "expires", "", "last day available, YYYY-MM-DD (never to clear)")
	fs.StringVar(&f.parent, "parent", "", "slug of the parent gallery (\"\" for top level)")
	fs.BoolVar(&f.draft, "draft", false, "hide from clients until published (--draft=false publishes)")
	fs.BoolVar(&f.listed, "listed", false, "show a public gallery on the studio home page")
	fs.BoolVar(&f.navigateUp, "navigate-up", false, "let visitors of a sub-gallery go up to its parent")
	fs.IntVar(&f.maxPicks, "max-picks", 0, "how many photos a visitor may pick as favourites here, sets without a limit of their own included (0: no limit)")
	fs.StringVar(&f.cover, "cover", "", "id of the photo shown large above the gallery (pinhole photo list SLUG), none to clear")
	fs.BoolVar(&f.coverOnPIN, "cover-on-pin", false, "show the cover on the PIN page too (--cover-on-pin=false hides it)")
}

// galleryFlagValues are the words --access and --downloads take, which
// completion offers.
func galleryFlagValues() map[string][]string {
	return map[string][]string{
		"access":    {string(db.Public), string(db.PINAccess), string(db.DownloadPIN), "inherit"},
		"downloads": {string(db.DownloadsOff), string(db.DownloadsWeb), string(db.DownloadsOriginal)},
	}
}

// input turns the flags that were given into a GalleryInput.
func (f *galleryFlags) input(c *call) (db.GalleryInput, error) {
	var in db.GalleryInput
	str := func(name string, v *string) *string {
		if c.set(name) {
			return v
		}
		return nil
	}
	in.Title = str("title", &f.title)
	in.Description = str("description", &f.description)
	in.EventDate = str("date", &f.date)
	in.PIN = str("pin", &f.pin)
	in.Expires = str("expires", &f.expires)
	in.Parent = str("parent", &f.parent)
	if c.set("access") {
		a, err := db.ParseAccess(f.access)
		if err != nil {
			return in, err
		}
		in.Access = &a
	}
	if c.set("downloads") {
		d, err := db.ParseDownloads(f.downloads)
		if err != nil {
			return in, err
		}
		in.Downloads = &d
	}
	if c.set("draft") {
		pub := !f.draft
		in.Published = &pub
	}
	if c.set("listed") {
		in.Listed = &f.listed
	}
	if c.set("navigate-up") {
		in.NavigateUp = &f.navigateUp
	}
	if c.set("cover") {
		id, err := parseCover(f.cover)
		if err != nil {
			return in, err
		}
		in.CoverID = &id
	}
	if c.set("cover-on-pin") {
		in.CoverOnPIN = &f.coverOnPIN
	}
	if c.set("max-picks") {
		if f.maxPicks < 0 {
			return in, usagef("--max-picks must be 0 (no limit) or more")
		}
		in.MaxPicks = &f.maxPicks
	}
	return in, nil
}

// parseCover reads --cover: a photo id, or none (also "" or 0).
func parseCover(v string) (int64, error) {
	switch v = strings.TrimSpace(v); v {
	case "", "none", "0":
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, usagef("--cover %q: give a photo's id from pinhole photo list SLUG, or none", v)
	}
	return id, nil
}

// emailShare queues the gallery's link message for a client and sends it
// now; if the mail server fails, it stays queued and pinhole serve (or
// the TUI) tries again.
func emailShare(ctx context.Context, c *call, s *db.Store, g db.Gallery, to string) error {
	m, err := studio.QueueShare(ctx, s, c.Links, g, to)
	if err != nil {
		return err
	}
	if _, _, err := studio.Deliver(ctx, s); err != nil {
		return err
	}
	if m, err = s.MailByID(ctx, m.ID); err != nil {
		return err
	}
	sent := !m.SentAt.IsZero()
	out := map[string]any{"email": m.To, "sent": sent, "error": m.LastError}
	if err := c.output(out, func(w io.Writer) {
		if sent {
			fmt.Fprintf(w, "E-mailed the link for %q to %s.\n", g.Title, m.To)
			if sh, err := studio.ShareFor(ctx, s, c.Links, g); err == nil && sh.PIN != "" {
				fmt.Fprintf(w, "The PIN was not in it: send %s apart, e.g. by text message.\n", sh.PIN)
			}
		}
	}); err != nil {
		return err
	}
	if !sent {
		return fmt.Errorf("not sent yet: %s; it stays queued and is tried again while pinhole serve (or the TUI) runs", m.LastError)
	}
	return nil
}

func printGallery(ctx context.Context, c *call, s *db.Store, g db.Gallery) error {
	base, err := studio.BaseURL(ctx, s, c.Links)
	if err != nil {
		return err
	}
	d, err := studio.Effective(ctx, s, g)
	if err != nil {
		return err
	}
	j := toGalleryJSON(g, base, d)
	if j.MaxPicks, err = s.MaxPicks(ctx, g.ID); err != nil {
		return err
	}
	// A set without a limit of its own is held to its parent's, which
	// counts the picks of the whole collection (as the website does).
	parentPicks := 0
	if j.MaxPicks == 0 && g.ParentID != 0 {
		if parentPicks, err = s.MaxPicks(ctx, g.ParentID); err != nil {
			return err
		}
	}
	up, err := upText(ctx, s, g, d)
	if err != nil {
		return err
	}
	return c.output(j, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, studio.PrintableName(v)) }
		row("Title", j.Title)
		row("Slug", j.Slug)
		row("Link", j.URL)
		if j.Effective.PINFrom != "" {
			row("Access", j.Effective.Access+" (its parent's: "+j.Effective.PINFrom+")")
		} else {
			row("Access", j.Effective.Access)
		}
		if d.PIN != "" {
			row("PIN", d.PIN)
		}
		row("Downloads", j.Downloads)
		if j.Effective.Expires != j.Expires {
			row("Expires", j.Effective.Expires+" (its parent's)")
		} else {
			row("Expires", orNever(j.Expires))
		}
		row("State", state(j))
		if why := d.Closed(); why != "" {
			row("", "clients cannot open it: "+why)
		}
		if j.Parent != "" {
			row("Parent", j.Parent)
		}
		if up != "" {
			row("Up", up)
		}
		if j.Date != "" {
			row("Date", j.Date)
		}
		if j.Description != "" {
			row("Description", j.Description)
		}
		if j.Cover != 0 {
			where := "above the photos"
			if j.CoverOnPIN {
				where += " and on the PIN page"
			}
			row("Cover", fmt.Sprintf("photo %d, %s", j.Cover, where))
		}
		row("Photos", fmt.Sprint(j.Photos))
		switch {
		case j.MaxPicks > 0:
			row("Picks", fmt.Sprintf("up to %d per visitor", j.MaxPicks))
		case parentPicks > 0:
			row("Picks", fmt.Sprintf("up to %d per visitor with %s and its other sets without a limit of their own (its parent's)", parentPicks, j.Parent))
		}
		tw.Flush()
	})
}

// upText says, for a set that lets visitors go up to its parent, what
// they find there (studio.GoingUp); "" for any other gallery.
func upText(ctx context.Context, s *db.Store, g db.Gallery, d studio.Decision) (string, error) {
	if g.ParentID == 0 || !g.NavigateUp {
		return "", nil
	}
	parent, err := s.GalleryByID(ctx, g.ParentID)
	if err != nil {
		return "", fmt.Errorf("parent of %s: %w", g.Slug, err)
	}
	return "visitors may go up to " + parent.Slug + ": " + studio.GoingUp(g, &parent, d, s.Now()), nil
}

// state is the state a client meets, as Decide says, then the listing.
func state(g GalleryJSON) string {
	s := []string{strings.ReplaceAll(g.Effective.State, "-", " ")}
	if g.Effective.Expired && g.Effective.State == string(studio.Draft) {
		s = append(s, "expired") // publishing it would not open it
	}
	switch {
	case g.Effective.Listed:
		s = append(s, "listed")
	case g.Listed && g.Parent != "":
		s = append(s, "marked listed, but the home page shows no sets")
	case g.Listed && g.Effective.Access != string(db.Public):
		s = append(s, "marked listed, but the home page shows only public galleries")
	case g.Listed:
		s = append(s, "marked listed: on the home page once open")
	}
	return strings.Join(s, ", ")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orNever(s string) string {
	if s == "" {
		return "never"
	}
	return s
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// withStore runs fn with the store open.
func withStore(ctx context.Context, c *call, fn func(*db.Store) error) error {
	s, err := c.OpenStore(ctx)
	if err != nil {
		return err
	}
	return fn(s)
}

// withGallery runs fn with the gallery named by the command's one argument.
func withGallery(ctx context.Context, c *call, fn func(*db.Store, db.Gallery) error) error {
	if err := c.exactArgs(1, "SLUG"); err != nil {
		return err
	}
	return withStore(ctx, c, func(s *db.Store) error {
		g, err := s.Gallery(ctx, c.args[0])
		if err != nil {
			return err
		}
		return fn(s, g)
	})
}

// withClient runs fn with the client login named by the command's one
// argument, its id or access code.
func withClient(ctx context.Context, c *call, fn func(*db.Store, db.Client) error) error {
	if err := c.exactArgs(1, "CLIENT (id or access code)"); err != nil {
		return err
	}
	return withStore(ctx, c, func(s *db.Store) error {
		cl, err := s.Client(ctx, c.args[0])
		if err != nil {
			return err
		}
		return fn(s, cl)
	})
}

// webLong is the long side of web-size downloads: the preview's.
func webLong() int {
	r, _ := media.RenditionNamed(media.Preview)
	return r.Long
}
