package media

import "fmt"

// A Rendition is one size of every photo that Pinhole makes at import and
// the website serves. The table below is the only place that knows them:
// import, doctor, the website's routes and srcset, the viewer and the
// terminal UI all read it, so adding a size is adding a row.
type Rendition struct {
	Name    string // "preview", "medium", "thumbnail": messages, JSON
	Code    string // one letter: the website's path (/g/SLUG/CODE/ID) and ETag suffix
	Dir     string // its folder under the library root
	Long    int    // long side in pixels; a smaller picture is never enlarged
	Quality int    // JPEG quality
	From    string // the larger rendition it is resized from; "" for the original
}

// Names of the renditions that code asks for by role.
const (
	Preview   = "preview"   // the viewer's picture and the web-size download
	Medium    = "medium"    // grid tiles on dense screens
	Thumbnail = "thumbnail" // grid tiles, cards; kept in memory by the website
)

// renditionTable lists the renditions largest first: each is made from one
// before it (or the original), so one decode makes them all. Each is half
// the next: whatever a grid tile covers on a screen (up to the preview's
// size), one of them has at least its pixels and at most twice as many.
//
// A row whose size changes takes a new folder, so that doctor --repair
// makes it for every photo; the old folder goes in retiredDirs.
var renditionTable = [...]Rendition{
	{Name: Preview, Code: "v", Dir: "previews", Long: 2048, Quality: 80},
	{Name: Medium, Code: "m", Dir: "medium", Long: 1024, Quality: 80, From: Preview},
	{Name: Thumbnail, Code: "t", Dir: "small", Long: 512, Quality: 80, From: Medium},
}

// retiredDirs held renditions of sizes no longer in the table: everything
// in them is a stray, which doctor --repair removes.
var retiredDirs = [...]string{
	"thumbs", // 400 px thumbnails, before the medium size (1024 px) halved the gaps
}

// Renditions returns the table of renditions, largest first.
func Renditions() []Rendition {
	t := renditionTable
	return t[:]
}

// RenditionNamed returns the rendition called name.
func RenditionNamed(name string) (Rendition, bool) {
	for _, r := range renditionTable {
		if r.Name == name {
			return r, true
		}
	}
	return Rendition{}, false
}

// mustRendition is RenditionNamed for the names above.
func mustRendition(name string) Rendition {
	r, ok := RenditionNamed(name)
	if !ok {
		panic(fmt.Sprintf("media: no rendition %q", name))
	}
	return r
}

// Fit is the size of a rendition of a w×h picture: scaled so that its
// long side is at most r.Long, never enlarged.
func (r Rendition) Fit(w, h int) (int, int) { return fitLong(w, h, r.Long) }
