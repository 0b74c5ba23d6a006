package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"pinhole/db"
	"pinhole/studio"
)

// galleriesMsg carries every gallery, in list order, with their overviews.
type galleriesMsg struct {
	all  []db.Gallery
	ov   map[int64]db.Overview
	dec  map[int64]studio.Decision // what a client with the link gets
	base string                    // for the links
}

// galleriesModel is the list of galleries.
type galleriesModel struct {
	c      *common
	all    []db.Gallery // newest first, sub-galleries under their parent
	ov     map[int64]db.Overview
	dec    map[int64]studio.Decision
	base   string
	shown  []int // indexes into all that pass the filter
	loaded bool
	list   listState
	filter filterBox
	w, h   int
}

func newGalleries(c *common) galleriesModel {
	return galleriesModel{c: c, filter: newFilterBox(c.st, "title or slug")}
}

func (m galleriesModel) load() tea.Cmd {
	s := m.c.cfg.Store
	ctx, now, given := m.c.ctx, m.c.now(), m.c.base()
	return func() tea.Msg {
		gs, err := s.Galleries(ctx)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		ov, err := s.GalleryOverviews(ctx)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		base, err := studio.BaseURL(ctx, s, given)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		return galleriesMsg{all: studio.Ordered(gs), ov: ov, dec: studio.LinkDecisions(gs, now), base: base}
	}
}

func (m *galleriesModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.list.setHeight(h - 3)
	m.filter.input.Width = max(w-4, 10)
}

func (m galleriesModel) Capturing() bool { return m.filter.typing }

func (m galleriesModel) KeyMap() help.KeyMap {
	k := m.c.keys
	if m.filter.typing {
		return oneRowHelp(k.Open, k.ClearFilter)
	}
	return keyHelp{
		short: []key.Binding{k.Open, k.New, k.Filter, k.Share, k.Import},
		full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
			{k.Open, k.New, k.Edit, k.Share, k.Import, k.Filter},
		},
	}
}

func (m galleriesModel) selected() (db.Gallery, bool) {
	if len(m.shown) == 0 {
		return db.Gallery{}, false
	}
	return m.all[m.shown[m.list.cursor]], true
}

func (m *galleriesModel) applyFilter() {
	q := m.filter.query()
	m.shown = m.shown[:0]
	for i, g := range m.all {
		if q == "" || strings.Contains(strings.ToLower(g.Title), q) || strings.Contains(g.Slug, q) {
			m.shown = append(m.shown, i)
		}
	}
	m.list.setLen(len(m.shown))
}

// paste puts pasted text in the filter.
func (m *galleriesModel) paste(text string) tea.Cmd {
	cmd := m.filter.paste(text)
	m.applyFilter()
	return cmd
}

func (m *galleriesModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m galleriesModel) Update(msg tea.Msg) (galleriesModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case galleriesMsg:
		var keep string
		if g, ok := m.selected(); ok {
			keep = g.Slug
		}
		m.all, m.ov, m.dec, m.base, m.loaded = msg.all, msg.ov, msg.dec, msg.base, true
		m.shown = make([]int, 0, len(m.all))
		m.applyFilter()
		for i, idx := range m.shown {
			if m.all[idx].Slug == keep {
				m.list.cursor = i
				m.list.clamp()
			}
		}
		return m, nil
	case tea.KeyMsg:
		if !m.filter.typing && m.list.update(msg, k) {
			return m, nil
		}
		if cmd, handled, changed := m.filter.update(msg, k, &m.list); handled {
			if changed {
				m.applyFilter()
			}
			return m, cmd
		}
		switch {
		case key.Matches(msg, k.New):
			return m, m.c.goTo(editGalleryMsg{})
		}
		g, ok := m.selected()
		if !ok {
			return m, nil
		}
		switch {
		case key.Matches(msg, k.Open):
			return m, m.c.goTo(openGalleryMsg{g.Slug})
		case key.Matches(msg, k.Edit):
			return m, m.c.goTo(editGalleryMsg{slug: g.Slug})
		case key.Matches(msg, k.Share):
			return m, m.c.goTo(shareMsg{g.Slug})
		case key.Matches(msg, k.Import):
			return m, m.c.goTo(importStartMsg{g.Slug})
		}
	case tea.MouseMsg:
		m.list.update(msg, k)
	}
	return m, nil
}

// columns of the list, dropped from the right as the terminal narrows.
type galleryCols struct{ access, photos, expires, visit, favs int }

func (m galleriesModel) cols() (int, galleryCols) {
	c := galleryCols{access: 14, photos: 8, expires: 12, visit: 12, favs: 5}
	if m.w < 96 {
		c.visit = 0
	}
	if m.w < 72 {
		c.favs = 0
	}
	title := m.w - 2 - c.access - c.photos - c.expires - c.visit - c.favs
	return max(title, 10), c
}

// sidePane is how wide the pane of the selected gallery is, on terminals
// wide enough for it.
const sidePane = 44

func (m galleriesModel) View() string {
	st := m.c.st
	if !m.loaded {
		return st.Subtle.Render("Loading galleries…")
	}
	if g, ok := m.selected(); ok && m.w >= 140-2 {
		list := m
		list.w = m.w - sidePane - 2
		return lipgloss.JoinHorizontal(lipgloss.Top, list.listView(), "  ", m.pane(g))
	}
	return m.listView()
}

// pane is the selected gallery at a glance: what a client with the link
// gets, and how it went.
func (m galleriesModel) pane(g db.Gallery) string {
	st := m.c.st
	now := m.c.now()
	w := sidePane - 4
	row := func(k, v string) string { return st.Label.Render(pad(k, 11)) + st.Value.Render(truncate(v, w-11)) }
	d := m.dec[g.ID]
	ov := m.ov[g.ID]
	lines := []string{st.Title.Render(truncate(shown(g.Title), w))}
	if !d.Open() {
		lines = append(lines, st.Warn.Render(truncate("Closed: "+d.Why(), w)))
	}
	lines = append(lines,
		row("Access", accessText(d.Access)),
		row("Expires", expiryText(d)),
		row("Photos", fmt.Sprintf("%d · %s", g.Photos, studio.SizeText(g.Bytes))),
		row("Last visit", ago(now, ov.LastVisit)),
		row("Picks", fmt.Sprintf("♥ %d", ov.Favourites)),
		row("Link", ""),
	)
	// The link whole, broken where the pane ends: a cut one cannot be
	// read out or typed.
	for _, l := range strings.Split(ansi.Hardwrap(studio.GalleryURL(m.base, g.Slug), w, false), "\n") {
		lines = append(lines, st.Accent.Render(l))
	}
	return st.Box.Width(sidePane - 2).Render(strings.Join(lines, "\n"))
}

func (m galleriesModel) listView() string {
	st := m.c.st
	var b strings.Builder
	if len(m.all) == 0 {
		b.WriteString(st.Title.Render("No galleries yet") + "\n\n")
		b.WriteString(st.Text.Render("Press ") + st.Accent.Render("n") + st.Text.Render(" to create your first gallery: give it a title, choose who may see it,") + "\n")
		b.WriteString(st.Text.Render("then import a folder of photos and share the link and the PIN with your client.") + "\n")
		return b.String()
	}
	head := fmt.Sprintf("%d %s", len(m.all), studio.Plural(len(m.all), "gallery", "galleries"))
	if q := m.filter.input.Value(); q != "" && len(m.shown) != len(m.all) {
		head = fmt.Sprintf("%d of %d galleries match", len(m.shown), len(m.all))
	}
	if p := position(m.list); p != "" {
		head += " · " + p
	}
	if m.filter.shown() {
		f := m.filter.input
		f.Width = max(min(lipgloss.Width(f.Value())+1, m.w-lipgloss.Width(head)-6), 14)
		b.WriteString(f.View() + "   " + st.Subtle.Render(head) + "\n")
	} else {
		b.WriteString(st.Subtle.Render(head) + "\n")
	}
	tw, c := m.cols()
	hdr := "  " + pad("TITLE", tw) + pad("ACCESS", c.access) + padLeft("PHOTOS", c.photos-2) + "  " + pad("EXPIRES", c.expires)
	if c.visit > 0 {
		hdr += pad("LAST VISIT", c.visit)
	}
	if c.favs > 0 {
		hdr += padLeft("♥", c.favs)
	}
	b.WriteString(st.Header.Render(hdr) + "\n")
	if len(m.shown) == 0 {
		b.WriteString(st.Subtle.Render("  No gallery matches “"+m.filter.input.Value()+"”. esc clears the filter.") + "\n")
	}
	from, to := m.list.window()
	now := m.c.now()
	for i := from; i < to; i++ {
		g := m.all[m.shown[i]]
		title := shown(g.Title)
		if g.ParentID != 0 {
			title = "  └ " + title
		}
		// What follows the title says what a client meets and what runs:
		// a long title gives way to it.
		var tail string
		d := m.dec[g.ID]
		if !d.Open() {
			tail += " (" + stateText(d) + ")"
		}
		if j := m.c.imports.job(g.Slug); j != nil && !j.done {
			tail += fmt.Sprintf(" ⟳ %d%%", j.percent())
		}
		if tail != "" {
			title = truncate(title, max(tw-1-lipgloss.Width(tail), 4)) + tail
		}
		ov := m.ov[g.ID]
		row := pad(title, tw-1) + " " + pad(accessText(d.Access), c.access) + padLeft(fmt.Sprint(g.Photos), c.photos-2) + "  " + pad(expiryText(d), c.expires)
		if c.visit > 0 {
			row += pad(ago(now, ov.LastVisit), c.visit)
		}
		if c.favs > 0 {
			row += padLeft(fmt.Sprint(ov.Favourites), c.favs)
		}
		if i == m.list.cursor {
			b.WriteString(st.Cursor.Render("▌ ") + st.Selected.Render(row) + "\n")
		} else {
			b.WriteString("  " + st.Text.Render(row) + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}
