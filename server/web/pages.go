package web

import (
	"html/template"
	"net/url"
	"strconv"
)

// gridPage is how many photos one page of a gallery's grid holds. The
// first page is all a visitor's browser gets at once, whatever the
// gallery's size; the script loads the next pages as the visitor scrolls,
// and without it each page links to the next. 200 tiles fill several
// screens of the largest display, and are ~130 kB of HTML (~10 kB
// gzipped), so a 10,000-photo gallery answers as fast as a 200-photo one.
const gridPage = 200

// listQuery is the part of a gallery's address that picks what its grid
// shows: only the visitor's favourites or not, and which page.
type listQuery struct {
	Fav  bool
	Page int // from 1
}

// parseList reads ?fav=1 and ?page=N; ok is false for a page that is not
// a whole number from 1.
func parseList(q url.Values) (l listQuery, ok bool) {
	l.Fav, l.Page = q.Get("fav") == "1", 1
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return l, false
		}
		l.Page = n
	}
	return l, true
}

// url is the gallery's address showing this list; page 1 has no number.
func (l listQuery) url(slug string) string {
	u := galleryPath(slug)
	sep := "?"
	if l.Fav {
		u += "?fav=1"
		sep = "&"
	}
	if l.Page > 1 {
		u += sep + "page=" + strconv.Itoa(l.Page)
	}
	return u
}

// partURL is the address of the page's tiles alone, which the script
// appends to the grid.
func (l listQuery) partURL(slug string) string {
	u := l.url(slug)
	if l.Page > 1 || l.Fav {
		return u + "&part=grid"
	}
	return u + "?part=grid"
}

// listNext is where a form posted from a gallery's grid returns to: the
// same list and page, or else the gallery itself.
func listNext(slug, next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Path != galleryPath(slug) || u.Host != "" || u.Scheme != "" {
		return safeNext(slug, next)
	}
	l, ok := parseList(u.Query())
	if !ok {
		return galleryPath(slug)
	}
	return l.url(slug)
}

// pager is the navigation between a grid's pages.
type pager struct {
	First, Last, Of int    // the photos shown, from 1, and how many there are
	Offset          int    // photos before this page
	Prev, Next      string // "" at either end
	NextPart        string // the next page's tiles, for the script
}

// span picks the page l asks for out of n photos: the indexes [lo, hi) and
// the navigation. A page past the end shows the last one.
func (l *listQuery) span(slug string, n int) (lo, hi int, p pager) {
	pages := max(1, (n+gridPage-1)/gridPage)
	l.Page = min(l.Page, pages)
	lo, hi = (l.Page-1)*gridPage, min(l.Page*gridPage, n)
	p = pager{First: lo + 1, Last: hi, Of: n, Offset: lo}
	if l.Page > 1 {
		prev := *l
		prev.Page--
		p.Prev = prev.url(slug)
	}
	if l.Page < pages {
		next := *l
		next.Page++
		p.Next, p.NextPart = next.url(slug), next.partURL(slug)
	}
	return lo, hi, p
}

// Paged reports whether the grid needs navigation at all.
func (p pager) Paged() bool { return p.Prev != "" || p.Next != "" }

// gridPart is the answer to the script's request for one page of tiles:
// the list items in a list that names the next page (template "gridpart").
type gridPart struct {
	Grid  template.HTML // gridMark, where the list items go
	Pager pager
}
