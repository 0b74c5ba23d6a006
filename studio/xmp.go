package studio

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"pinhole/db"
)

// Picked is every photo picked in any of the lists, once each, in the
// gallery's order: what an export to editing software takes.
func Picked(sels []Selection, photos []db.Photo) []string {
	picked := map[string]bool{}
	for _, p := range sels {
		for _, name := range p.Photos {
			picked[name] = true
		}
	}
	var names []string
	for _, p := range photos {
		if picked[p.Filename] {
			names = append(names, p.Filename)
			delete(picked, p.Filename)
		}
	}
	return names
}

// LightroomLine is the picks' names without extension joined by ", ",
// to paste into Lightroom Classic's Library filter (Text › Filename ›
// Contains) or Capture One.
func LightroomLine(names []string) string {
	stems := make([]string, len(names))
	for i, n := range names {
		stems[i] = strings.TrimSuffix(n, filepath.Ext(n))
	}
	return strings.Join(stems, ", ")
}

// What sidecars get unless told otherwise: Lightroom's green label and
// five stars.
const (
	SidecarLabel  = "Green"
	SidecarRating = 5
)

// Sidecars is what WriteSidecars did.
type Sidecars struct {
	Written  int
	Problems []SidecarProblem // in the order of the picks
}

// SidecarProblem is a pick without a sidecar: not found in the folder
// (Err nil), or its sidecar could not be written.
type SidecarProblem struct {
	Pick string
	Err  error
}

// Missing counts the picks not found in the folder.
func (s Sidecars) Missing() int {
	n := 0
	for _, p := range s.Problems {
		if p.Err == nil {
			n++
		}
	}
	return n
}

// Failed counts the sidecars that could not be written.
func (s Sidecars) Failed() int { return len(s.Problems) - s.Missing() }

// Summary says what was done in dir, in one line.
func (s Sidecars) Summary(dir string) string {
	line := fmt.Sprintf("%d %s written or updated in %s", s.Written, Plural(s.Written, "sidecar", "sidecars"), dir)
	if n := s.Missing(); n > 0 {
		line += fmt.Sprintf("; %d %s not found there", n, Plural(n, "pick", "picks"))
	}
	if n := s.Failed(); n > 0 {
		line += fmt.Sprintf("; %d could not be written", n)
	}
	return line
}

// Problem says what went wrong with one pick.
func (p SidecarProblem) String(dir string) string {
	if p.Err != nil {
		return p.Err.Error()
	}
	return fmt.Sprintf("not in %s: %s", dir, p.Pick)
}

// WriteSidecars writes or updates NAME.xmp beside each pick found in dir
// (matched by file name, case-insensitively if need be) with the colour
// label and star rating, never touching the photo and keeping every other
// field of an existing sidecar, for Lightroom, Capture One or darktable.
// The error is for a folder that cannot be read.
func WriteSidecars(dir string, picks []string, label string, rating int) (Sidecars, error) {
	var rep Sidecars
	ents, err := os.ReadDir(dir)
	if err != nil {
		return rep, fmt.Errorf("xmp: %w", err)
	}
	exact, folded := map[string]string{}, map[string]string{}
	for _, e := range ents {
		if e.Type().IsRegular() && !strings.EqualFold(filepath.Ext(e.Name()), ".xmp") {
			exact[e.Name()] = e.Name()
			folded[strings.ToLower(e.Name())] = e.Name()
		}
	}
	for _, p := range picks {
		name, ok := exact[p]
		if !ok {
			name, ok = folded[strings.ToLower(p)]
		}
		if !ok {
			rep.Problems = append(rep.Problems, SidecarProblem{Pick: p})
			continue
		}
		side := filepath.Join(dir, strings.TrimSuffix(name, filepath.Ext(name))+".xmp")
		if err := updateSidecar(side, label, rating); err != nil {
			rep.Problems = append(rep.Problems, SidecarProblem{Pick: p, Err: err})
			continue
		}
		rep.Written++
	}
	return rep, nil
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
