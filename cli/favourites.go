package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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

// lightroomLine is the picks' names without extension joined by ", ",
// to paste into Lightroom Classic's Library filter (Text › Filename ›
// Contains) or Capture One.
func lightroomLine(names []string) string {
	stems := make([]string, len(names))
	for i, n := range names {
		stems[i] = strings.TrimSuffix(n, filepath.Ext(n))
	}
	return strings.Join(stems, ", ")
}

// writeSidecars writes or updates NAME.xmp beside each pick found in dir
// (matched by file name, case-insensitively if need be), never touching
// the photo and keeping every other field of an existing sidecar.
func writeSidecars(c *call, dir string, picks []string, label string, rating int) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("xmp: %w", err)
	}
	exact, folded := map[string]string{}, map[string]string{}
	for _, e := range ents {
		if e.Type().IsRegular() && !strings.EqualFold(filepath.Ext(e.Name()), ".xmp") {
			exact[e.Name()] = e.Name()
			folded[strings.ToLower(e.Name())] = e.Name()
		}
	}
	var written, missing int
	var errs []error
	for _, p := range picks {
		name, ok := exact[p]
		if !ok {
			name, ok = folded[strings.ToLower(p)]
		}
		if !ok {
			missing++
			fmt.Fprintln(c.Stderr, studio.PrintableName(fmt.Sprintf("not in %s: %s", dir, p)))
			continue
		}
		side := filepath.Join(dir, strings.TrimSuffix(name, filepath.Ext(name))+".xmp")
		if err := updateSidecar(side, label, rating); err != nil {
			errs = append(errs, err)
			fmt.Fprintln(c.Stderr, studio.PrintableName(err.Error()))
			continue
		}
		written++
	}
	fmt.Fprintf(c.Stdout, "%d sidecars written or updated in %s", written, dir)
	if missing > 0 {
		fmt.Fprintf(c.Stdout, "; %d picks not found there", missing)
	}
	fmt.Fprintln(c.Stdout)
	if len(errs) > 0 {
		return errSilent
	}
	return nil
}

const xmpNS = "http://ns.adobe.com/xap/1.0/"

const newSidecar = `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Pinhole">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="` + xmpNS + `"/>
 </rdf:RDF>
</x:xmpmeta>
`

var descriptionTag = regexp.MustCompile(`<rdf:Description\b`)

// updateSidecar sets xmp:Rating and xmp:Label in an XMP file, creating it
// if needed. Both attribute and element forms are updated in place; other
// content is left byte for byte.
func updateSidecar(path, label string, rating int) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		b = []byte(newSidecar)
	} else if err != nil {
		return fmt.Errorf("xmp %s: %w", path, err)
	}
	loc := descriptionTag.FindIndex(b)
	if loc == nil {
		return fmt.Errorf("xmp %s: no rdf:Description; left as it is", path)
	}
	if !bytes.Contains(b, []byte(`xmlns:xmp="`+xmpNS+`"`)) {
		b = insertAt(b, loc[1], ` xmlns:xmp="`+xmpNS+`"`)
	}
	b = setXMPField(b, "Rating", fmt.Sprint(rating))
	b = setXMPField(b, "Label", label)
	tmp := path + ".tmp-pinhole"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("xmp %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("xmp %s: %w", path, err)
	}
	return nil
}

// setXMPField sets xmp:NAME as an attribute or an element, whichever the
// file uses, or adds it as an attribute of the first rdf:Description.
func setXMPField(b []byte, name, value string) []byte {
	value = xmlEscape(value)
	attr := regexp.MustCompile(`(\sxmp:` + name + `=)("[^"]*"|'[^']*')`)
	if attr.Match(b) {
		return attr.ReplaceAll(b, []byte(`${1}"`+strings.ReplaceAll(value, "$", "$$")+`"`))
	}
	elem := regexp.MustCompile(`(<xmp:` + name + `>)([^<]*)(</xmp:` + name + `>)`)
	if elem.Match(b) {
		return elem.ReplaceAll(b, []byte("${1}"+strings.ReplaceAll(value, "$", "$$")+"${3}"))
	}
	loc := descriptionTag.FindIndex(b)
	return insertAt(b, loc[1], "\n    xmp:"+name+`="`+value+`"`)
}

func insertAt(b []byte, at int, s string) []byte {
	out := make([]byte, 0, len(b)+len(s))
	out = append(out, b[:at]...)
	out = append(out, s...)
	return append(out, b[at:]...)
}

func xmlEscape(s string) string {
	var buf bytes.Buffer
	for _, r := range s {
		switch r {
		case '&':
			buf.WriteString("&amp;")
		case '<':
			buf.WriteString("&lt;")
		case '>':
			buf.WriteString("&gt;")
		case '"':
			buf.WriteString("&quot;")
		default:
			buf.WriteRune(r)
		}
	}
	return buf.String()
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
	fs.StringVar(&cmd.label, "label", "Green", "colour label the XMP sidecars get")
	fs.IntVar(&cmd.rating, "rating", 5, "star rating the XMP sidecars get (0 to 5)")
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
		// Per list, in the gallery's order; and every pick once.
		people := []FavouritesJSON{}
		picked := map[string]bool{}
		for _, p := range sels {
			j := FavouritesJSON{Person: p.Label, Client: p.Client, Changed: p.Changed, Photos: p.Photos, sent: p.SentText()}
			if !p.Sent.IsZero() {
				j.Sent = p.Sent.Format(time.RFC3339)
			}
			people = append(people, j)
			for _, name := range p.Photos {
				picked[name] = true
			}
		}
		var picks []string // every pick once, in the gallery's order
		for _, p := range photos {
			if picked[p.Filename] {
				picks = append(picks, p.Filename)
				delete(picked, p.Filename)
			}
		}
		switch {
		case cmd.lightroom:
			fmt.Fprintln(c.Stdout, studio.PrintableName(lightroomLine(picks)))
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
