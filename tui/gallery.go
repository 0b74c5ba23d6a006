package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"pinhole/db"
	"pinhole/studio"
)

// galleryMsg is everything the gallery screen shows.
type galleryMsg struct {
	slug    string
	g       db.Gallery
	share   studio.Share // with the decision for a client holding the link
	stats   db.Stats
	events  []db.Event
	favs    []studio.Selection
	kids    []db.Gallery
	parent  string // the parent's title, for a sub-gallery
	up      string // what visitors find going up to the parent (studio.GoingUp), "" when they cannot
	loadErr error
}

type (
	gallerySavedMsg struct {
		g    db.Gallery
		text string
	}
	galleryDeletedMsg struct{ text string }
)

// galleryModel shows one gallery with its actions.
type galleryModel struct {
	c       *common
	slug    string
	data    *galleryMsg
	vp      viewport.Model
	confirm string       // "delete", "pin" or ""
	xmp     *folderField // asking where to write the favourites' XMP sidecars
	preview bool
	link    string // a preview link, once made
	w, h    int
}

func newGallery(c *common, slug string) galleryModel {
	vp := viewport.New(0, 0)
	vp.Style = c.st.r.NewStyle()
	vp.KeyMap = viewport.KeyMap{
		PageDown: c.keys.PageDown, PageUp: c.keys.PageUp,
		Up: c.keys.Up, Down: c.keys.Down,
	}
	return galleryModel{c: c, slug: slug, vp: vp}
}

func (m galleryModel) load() tea.Cmd {
	s, ctx, slug, now, base := m.c.cfg.Store, m.c.ctx, m.slug, m.c.now(), m.c.base()
	return func() tea.Msg {
		out := galleryMsg{slug: slug}
		g, err := s.Gallery(ctx, slug)
		if err != nil {
			out.loadErr = err
			return out
		}
		out.g = g
		out.loadErr = func() (err error) {
			if out.share, err = studio.ShareFor(ctx, s, base, g); err != nil {
				return err
			}
			if out.stats, err = s.GalleryStats(ctx, g.ID, now.Add(-24*time.Hour)); err != nil {
				return err
			}
			if out.events, err = s.Events(ctx, db.EventFilter{GalleryID: g.ID, Limit: 8}); err != nil {
				return err
			}
			if out.favs, err = studio.Selections(ctx, s, g.ID); err != nil {
				return err
			}
			if g.ParentID != 0 {
				p, err := s.GallerySettings(ctx, g.ParentSlug)
				if err != nil {
					return err
				}
				out.parent = p.Title
				out.up = studio.GoingUp(g, &p, out.share.Decision, now)
			}
			out.kids, err = s.Children(ctx, g.ID)
			return err
		}()
		return out
	}
}

func (m *galleryModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.vp.Width, m.vp.Height = w, max(h-3, 1)
	if m.xmp != nil {
		m.xmp.input.Width = max(w-6, 10)
	}
	if m.c != nil && m.data != nil {
		m.vp.SetContent(m.content())
	}
}

func (m galleryModel) Capturing() bool { return m.confirm != "" || m.xmp != nil }

func (m galleryModel) KeyMap() help.KeyMap {
	k := m.c.keys
	if m.confirm != "" {
		return oneRowHelp(k.Yes, k.No)
	}
	if m.xmp != nil {
		return oneRowHelp(k.WriteSidecars, k.Complete, k.Cancel)
	}
	return keyHelp{
		short: []key.Binding{k.Edit, k.Share, k.Import, k.NewPIN, k.Preview, k.Delete},
		full: [][]key.Binding{
			{k.Edit, k.NewPIN, k.Import, k.Share, k.Preview, k.Delete},
			{k.NewSub, k.ActivityOf, k.Lightroom, k.Sidecars, k.Plain},
			{k.Up, k.Down, k.PageUp, k.PageDown},
		},
	}
}

func (m *galleryModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m galleryModel) Update(msg tea.Msg) (galleryModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case galleryMsg:
		if msg.slug != m.slug {
			return m, nil
		}
		if msg.loadErr != nil {
			return m, errCmd(msg.loadErr)
		}
		m.data = &msg
		m.vp.SetContent(m.content())
		return m, nil
	case galleryPreviewMsg:
		if msg.slug == m.slug {
			m.link = msg.url
			m.vp.SetContent(m.content())
			return m, m.c.copy(msg.url, "Preview link copied", m.c.keys.Plain.Help().Key)
		}
		return m, nil
	case lightroomMsg:
		plain := plainMsg{msg.text}
		return m, tea.Batch(m.c.copy(msg.line, "Filter copied", ""), func() tea.Msg { return plain })
	case completionMsg:
		if m.xmp != nil {
			m.xmp.update(msg, k)
		}
		return m, nil
	case tea.KeyMsg:
		if m.xmp != nil {
			switch {
			case key.Matches(msg, k.Cancel):
				m.xmp = nil
				return m, nil
			case key.Matches(msg, k.WriteSidecars):
				dir := m.xmp.path()
				if dir == "" {
					return m, errCmd(fmt.Errorf("type the folder the photos are in"))
				}
				m.xmp = nil
				return m, m.writeSidecars(filepath.Clean(dir))
			}
			return m, m.xmp.update(msg, k)
		}
		if m.confirm != "" {
			switch {
			case key.Matches(msg, k.Yes):
				what := m.confirm
				m.confirm = ""
				if what == "delete" {
					return m, m.delete()
				}
				return m, m.newPIN()
			case key.Matches(msg, k.No):
				m.confirm = ""
			}
			return m, nil
		}
		if m.data == nil {
			return m, nil
		}
		g := m.data.g
		switch {
		case key.Matches(msg, k.Edit):
			return m, m.c.goTo(editGalleryMsg{slug: g.Slug})
		case key.Matches(msg, k.Share):
			return m, m.c.goTo(shareMsg{g.Slug})
		case key.Matches(msg, k.Import):
			return m, m.c.goTo(importStartMsg{g.Slug})
		case key.Matches(msg, k.NewSub):
			parent := g.Slug
			if g.ParentID != 0 {
				parent = g.ParentSlug
			}
			return m, m.c.goTo(editGalleryMsg{parent: parent})
		case key.Matches(msg, k.NewPIN):
			if m.data.share.Decision.PIN == "" || g.Access == db.Inherit {
				return m, statusCmd("This gallery has no PIN of its own: edit it to choose PIN access")
			}
			m.confirm = "pin"
			return m, nil
		case key.Matches(msg, k.Delete):
			m.confirm = "delete"
			return m, nil
		case key.Matches(msg, k.ActivityOf):
			return m, m.c.goTo(activityForMsg{g.Title})
		case key.Matches(msg, k.Lightroom):
			if len(m.data.favs) == 0 {
				return m, statusCmd("No favourites picked yet in " + g.Title)
			}
			return m, m.lightroom()
		case key.Matches(msg, k.Sidecars):
			if len(m.data.favs) == 0 {
				return m, statusCmd("No favourites picked yet in " + g.Title)
			}
			f := newFolderField(m.c.st, "the folder the photos are in, e.g. ~/Pictures/smith-wedding", lastFolder(m.c, g.Slug))
			f.input.Width = max(m.w-6, 10)
			m.xmp = &f
			return m, textinput.Blink
		case key.Matches(msg, k.Plain):
			return m, m.c.goTo(plainMsg{m.plainText()})
		case key.Matches(msg, k.Preview):
			m.preview = !m.preview
			m.vp.SetContent(m.content())
			if m.preview && m.link == "" {
				return m, m.makePreview()
			}
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(msg)
	return m, cmd
}

// plainText is what o shows to select by hand: the link, the PIN and the
// preview link once made.
func (m galleryModel) plainText() string {
	sh := m.data.share
	text := sh.URL
	if sh.PIN != "" {
		text += "\n\n" + sh.PIN
	}
	if m.link != "" {
		text += "\n\n" + m.link
	}
	return text
}

// lightroom copies every pick of the gallery as Lightroom's or Capture
// One's filename filter takes them, and shows the line to select by hand.
func (m galleryModel) lightroom() tea.Cmd {
	s, ctx, g, sels := m.c.cfg.Store, m.c.ctx, m.data.g, m.data.favs
	return func() tea.Msg {
		photos, err := s.Photos(ctx, g.ID)
		if err != nil {
			return statusMsg{text: "Favourites: " + err.Error(), err: true}
		}
		picks := studio.Picked(sels, photos)
		line := studio.PrintableName(studio.LightroomLine(picks))
		return lightroomMsg{line, fmt.Sprintf("The %d %s of “%s”, for the filename filter of Lightroom (Library › Text › Filename › Contains) or Capture One:\n\n%s",
			len(picks), studio.Plural(len(picks), "favourite", "favourites"), shown(g.Title), line)}
	}
}

// writeSidecars writes an XMP sidecar beside each pick found in dir, and
// says what it did: in the status bar, and the picks it could not mark as
// text to read.
func (m galleryModel) writeSidecars(dir string) tea.Cmd {
	s, ctx, g, sels := m.c.cfg.Store, m.c.ctx, m.data.g, m.data.favs
	return func() tea.Msg {
		photos, err := s.Photos(ctx, g.ID)
		if err != nil {
			return statusMsg{text: "XMP sidecars: " + err.Error(), err: true}
		}
		rep, err := studio.WriteSidecars(dir, studio.Picked(sels, photos), studio.SidecarLabel, studio.SidecarRating)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		shownDir := abbreviateHome(dir)
		sum := studio.PrintableName(rep.Summary(shownDir))
		if len(rep.Problems) == 0 {
			return statusMsg{text: sum}
		}
		lines := []string{sum, ""}
		for _, p := range rep.Problems {
			lines = append(lines, studio.PrintableName(p.String(shownDir)))
		}
		return plainMsg{strings.Join(lines, "\n")}
	}
}

// lightroomMsg is the filter line, and the text around it to show.
type lightroomMsg struct{ line, text string }

type galleryPreviewMsg struct{ slug, url string }

// makePreview makes a short-lived link that shows the gallery exactly as a
// client sees it, without its PIN.
func (m galleryModel) makePreview() tea.Cmd {
	s, ctx, slug, id, base := m.c.cfg.Store, m.c.ctx, m.slug, m.data.g.ID, m.c.base()
	return func() tea.Msg {
		url, _, err := studio.PreviewURL(ctx, s, base, db.Session{GalleryID: id})
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		return galleryPreviewMsg{slug: slug, url: url}
	}
}

func (m galleryModel) newPIN() tea.Cmd {
	s, ctx, slug := m.c.cfg.Store, m.c.ctx, m.slug
	return func() tea.Msg {
		g, err := studio.EditGallery(ctx, s, slug, db.GalleryInput{}, true)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		return gallerySavedMsg{g: g, text: "New PIN " + g.PIN + ": the old one no longer opens " + g.Title}
	}
}

func (m galleryModel) delete() tea.Cmd {
	s, lib, ctx, slug := m.c.cfg.Store, m.c.cfg.Library, m.c.ctx, m.slug
	title := m.data.g.Title
	return func() tea.Msg {
		if _, err := studio.DeleteGallery(ctx, s, lib, slug); err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		return galleryDeletedMsg{text: fmt.Sprintf("Deleted “%s”", title)}
	}
}

func (m galleryModel) View() string {
	st := m.c.st
	if m.data == nil {
		return st.Subtle.Render("Loading " + m.slug + "…")
	}
	g := m.data.g
	title := st.Title.Render(truncate(shown(g.Title), m.w))
	var sub []string
	if g.ParentID != 0 {
		sub = append(sub, "in “"+m.data.parent+"”")
	}
	sub = append(sub, g.Slug)
	if g.EventDate != "" {
		sub = append(sub, g.EventDate)
	}
	sub = append(sub, stateText(m.data.share.Decision))
	switch {
	case m.data.share.Decision.Listed:
		sub = append(sub, "listed on the home page")
	case g.Listed: // marked, but the home page shows only open public galleries at the top
		sub = append(sub, "marked listed, not on the home page")
	}
	line := shown(strings.Join(sub, " · "))
	if j := m.c.imports.job(g.Slug); j != nil && !j.done {
		// The import under way stays in view: the rest gives way to it.
		importing := fmt.Sprintf(" · importing: %d%% (i shows it)", j.percent())
		line = truncate(line, max(m.w-lipgloss.Width(importing), 8)) + importing
	}
	subtitle := st.Subtle.Render(truncate(line, m.w))
	if m.xmp != nil {
		lines := []string{title, subtitle, "", st.Header.Render("XMP SIDECARS"),
			st.Subtle.Width(m.w).Render(fmt.Sprintf("Marks the favourites in Lightroom, Capture One or darktable: writes NAME.xmp "+
				"(a %s label, %d stars) beside each picked photo found in this folder, on the machine Pinhole runs on. "+
				"Then in Lightroom: Metadata › Read Metadata from Files.", strings.ToLower(studio.SidecarLabel), studio.SidecarRating)), ""}
		return strings.Join(append(lines, m.xmp.view(st, m.w)...), "\n")
	}
	var foot string
	var question []string
	switch m.confirm {
	case "delete":
		// Its sub-galleries go with it, and their photos.
		what := fmt.Sprintf("Delete “%s” with its %d %s? Clients lose it at once.", shown(g.Title), g.Photos, studio.Plural(g.Photos, "photo", "photos"))
		if n := len(m.data.kids); n > 0 {
			photos := g.Photos
			for _, k := range m.data.kids {
				photos += k.Photos
			}
			what = fmt.Sprintf("Delete “%s” and its %d sub-%s, %d %s in all? Clients lose them at once.", shown(g.Title),
				n, studio.Plural(n, "gallery", "galleries"), photos, studio.Plural(photos, "photo", "photos"))
		}
		question = ask(st, what, m.w)
	case "pin":
		question = ask(st, "A new PIN ends every PIN session of this gallery. New PIN?", m.w)
	default:
		if !m.vp.AtTop() || !m.vp.AtBottom() {
			foot = st.Faint.Render(fmt.Sprintf("%3.0f%% · ↑/↓ scroll", m.vp.ScrollPercent()*100))
		}
	}
	if question != nil {
		// The question whole, in place of the end of what scrolls.
		body := strings.Split(m.vp.View(), "\n")
		body = body[:max(min(len(body), m.h-2-len(question)), 0)]
		return strings.Join(append(append([]string{title, subtitle}, body...), question...), "\n")
	}
	return title + "\n" + subtitle + "\n" + m.vp.View() + "\n" + foot
}

// content is the scrolling part of the gallery screen.
func (m galleryModel) content() string {
	st := m.c.st
	d := m.data
	g := d.g
	now := m.c.now()
	row := func(k, v string) string { return st.Label.Render(pad(k, 11)) + st.Value.Render(v) }

	settings := []string{st.Header.Render("SETTINGS")}
	dec := d.share.Decision
	access := accessText(dec.Access)
	if dec.PINFrom(g) != "" {
		access += " (as “" + shown(dec.PINGallery.Title) + "”)"
	}
	settings = append(settings, row("Access", access))
	if d.share.PIN != "" {
		settings = append(settings, row("PIN", st.Secret.Render(d.share.PIN)))
	}
	settings = append(settings,
		row("Downloads", downloadsText(g.Downloads)),
		row("Expires", expiresRow(g, dec)),
		row("Photos", fmt.Sprintf("%d · %s", g.Photos, studio.SizeText(g.Bytes))),
	)
	if len(d.kids) > 0 {
		var names []string
		for _, k := range d.kids {
			names = append(names, shown(k.Title))
		}
		settings = append(settings, row("Includes", strings.Join(names, ", ")))
	}
	if 11+lipgloss.Width(d.share.URL) <= m.w {
		settings = append(settings, row("Link", st.Accent.Render(d.share.URL)))
	} else {
		// Whole on a line of its own, rather than wrapped to the margin.
		settings = append(settings, row("Link", st.Faint.Render("↓")), st.Accent.Render(d.share.URL))
	}
	if g.Description != "" {
		settings = append(settings, "", st.Subtle.Render(shownBlock(g.Description)))
	}

	stats := []string{st.Header.Render("LAST 24 HOURS")}
	fails := fmt.Sprint(d.stats.PINFails)
	if d.stats.PINFails >= 3 {
		fails = st.Warn.Render(fails + " ⚠")
	}
	stats = append(stats,
		row("Opened", fmt.Sprint(d.stats.Opened)),
		row("Downloads", fmt.Sprint(d.stats.Downloads)),
		row("Wrong PINs", fails),
		row("Last visit", ago(now, d.stats.LastVisit)),
	)

	recent := []string{st.Header.Render("RECENT ACTIVITY")}
	if len(d.events) == 0 {
		recent = append(recent, st.Faint.Render("Nobody has opened it yet."))
	}
	for i := len(d.events) - 1; i >= 0; i-- {
		e := d.events[i]
		line := pad(ago(now, e.At), 11) + shown(e.Who()+" "+studio.Describe(e))
		if e.Kind == db.EventPINFail || e.Kind == db.EventLoginFail || e.Kind == db.EventMailFail {
			recent = append(recent, st.Warn.Render(line))
		} else {
			recent = append(recent, st.Text.Render(line))
		}
	}

	favs := []string{st.Header.Render("FAVOURITES")}
	if len(d.favs) == 0 {
		favs = append(favs, st.Faint.Render("No favourites picked yet."))
	} else {
		for _, p := range d.favs {
			line := fmt.Sprintf("♥ %d", len(p.Photos))
			if t := p.SentText(); t != "" {
				line += "  " + t
			}
			favs = append(favs, row(shown(p.Label), line))
		}
	}

	var parts []string
	if m.preview {
		parts = append(parts, m.previewText(), "")
	}
	if m.w >= 100 {
		leftW := min(max((m.w-4)/2, 11+lipgloss.Width(d.share.URL)), m.w-44)
		left := lipgloss.JoinVertical(lipgloss.Left, append(settings, "", strings.Join(stats, "\n"))...)
		right := lipgloss.JoinVertical(lipgloss.Left, append(recent, "", strings.Join(favs, "\n"))...)
		left = st.r.NewStyle().Width(leftW).Render(left)
		right = st.r.NewStyle().Width(m.w - 4 - leftW).Render(right)
		parts = append(parts, lipgloss.JoinHorizontal(lipgloss.Top, left, "    ", right))
	} else {
		w := st.r.NewStyle().Width(m.w)
		parts = append(parts, w.Render(strings.Join(settings, "\n")), "", strings.Join(stats, "\n"), "",
			w.Render(strings.Join(recent, "\n")), "", strings.Join(favs, "\n"))
	}
	return strings.Join(parts, "\n")
}

// previewText says what a client sees, step by step.
func (m galleryModel) previewText() string {
	st := m.c.st
	d := m.data
	g := d.g
	now := m.c.now()
	dec := d.share.Decision
	var steps []string
	switch {
	case dec.Gone: // the website shows the expired page to the preview too
		steps = append(steps, "The link does not open: "+dec.Closed()+"; nor does the preview link below.")
	case !dec.Open():
		steps = append(steps, "The link does not open: "+dec.Closed()+". The preview link below shows it all the same.")
	}
	switch dec.Access {
	case db.Public:
		steps = append(steps, "The link opens the photos at once: no PIN.")
	case db.PINAccess:
		steps = append(steps, "The link asks for the PIN "+dec.PIN+", then shows the photos.")
		if dec.Cover {
			steps = append(steps, "The PIN page shows the cover photo to anyone with the link.")
		}
	case db.DownloadPIN:
		steps = append(steps, "The link shows the photos; downloading asks for the PIN "+dec.PIN+".")
	}
	photos := fmt.Sprintf("%d %s", g.Photos, studio.Plural(g.Photos, "photo", "photos"))
	var sets []string
	all := g.Photos
	// A client with the link and, when it asks for one, this gallery's PIN:
	// a set behind a PIN of its own still asks for that.
	holder := studio.WithPIN(g, dec)
	for _, k := range d.kids {
		if kd := studio.Decide(k, &g, holder, now); kd.Open() {
			set := fmt.Sprintf("%d in %s", k.Photos, shown(k.Title))
			switch {
			case !kd.View:
				set += " (its own PIN " + kd.PIN + ")"
			case kd.Reason == studio.ReasonDownloadPIN:
				set += " (downloads with its own PIN " + kd.PIN + ")"
			}
			sets = append(sets, set)
			all += k.Photos
		}
	}
	if len(sets) > 0 {
		photos = fmt.Sprintf("%d %s in all: %d here, %s", all, studio.Plural(all, "photo", "photos"), g.Photos, studio.JoinAnd(sets))
	}
	steps = append(steps, photos+"; favourites with a heart.")
	if g.Downloads == db.DownloadsOff {
		steps = append(steps, "No downloads.")
	} else {
		steps = append(steps, "Downloads: "+downloadsText(g.Downloads)+", one by one or all as a ZIP.")
	}
	if e := dec.ExpiresOn(); e != "" && dec.Open() {
		steps = append(steps, "Available until "+e+".")
	}
	if d.up != "" {
		steps = append(steps, "They may go up to "+shown(d.parent)+": "+d.up+".")
	}
	link := st.Faint.Render("Making a preview link…")
	if m.link != "" {
		link = st.Text.Render("Preview link for "+fmt.Sprintf("%d minutes", int(studio.PreviewTTL.Minutes()))+" (copied):") + "\n" +
			st.Accent.Render(truncate(m.link, max(m.w-8, 10)))
	}
	box := st.FocusedBox.Width(max(m.w-4, 20))
	return box.Render(st.Header.Render("AS A CLIENT SEES IT") + "\n" + st.Text.Render(strings.Join(steps, "\n")) + "\n" + link)
}

// expiresRow is the gallery's expiry as clients meet it, saying when it
// comes from the parent.
func expiresRow(g db.Gallery, d studio.Decision) string {
	t := expiryText(d)
	if !d.Expires.IsZero() && !d.Expires.Equal(g.ExpiresAt) {
		t += " (its parent's)"
	}
	return t
}
