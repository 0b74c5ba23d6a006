package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
	"pinhole/studio"
)

// The fields of the gallery form, top to bottom.
const (
	fTitle = iota
	fDescription
	fDate
	fParent
	fAccess
	fPIN
	fDownloads
	fExpires
	fListed
	fPublished
	fCover
	fCoverOnPIN
	nFields
)

var (
	accessChoices    = []db.Access{db.PINAccess, db.DownloadPIN, db.Public, db.Inherit}
	downloadsChoices = []db.Downloads{db.DownloadsOriginal, db.DownloadsWeb, db.DownloadsOff}
)

// formLoadedMsg is the gallery being edited, with its photos (for the cover).
type formLoadedMsg struct {
	slug   string
	g      db.Gallery
	photos []db.Photo
}

// formErrMsg is a save refused by the store.
type formErrMsg struct{ err error }

// formModel creates or edits a gallery.
type formModel struct {
	c       *common
	slug    string // "" when creating
	orig    db.Gallery
	loaded  bool
	inputs  [nFields]textinput.Model // for the text fields
	access  int                      // index in accessChoices
	dl      int                      // index in downloadsChoices
	listed  bool
	draft   bool
	photos  []db.Photo // the gallery's, to choose a cover from
	coverOn bool       // the cover shows on the PIN page too
	focus   int
	errs    [nFields]string
	saveErr string
	parents []db.Gallery // top-level galleries a new parent may be
	saving  bool
	guard   leaveGuard
	w, h    int
}

func newForm(c *common, slug, parent string, all []db.Gallery) formModel {
	m := formModel{c: c, slug: slug, loaded: slug == ""}
	m.inputs[fTitle] = newInput(c.st, "required, e.g. Smith wedding", 120)
	m.inputs[fDescription] = newInput(c.st, "a few words shown above the photos (optional)", 300)
	m.inputs[fDate] = newInput(c.st, "YYYY-MM-DD (optional)", 10)
	m.inputs[fParent] = newInput(c.st, "none: a top-level gallery (type a slug for a sub-gallery)", 80)
	m.inputs[fPIN] = newInput(c.st, "4 to 12 digits — ctrl+g generates one", 12)
	m.inputs[fExpires] = newInput(c.st, "YYYY-MM-DD, empty for never", 10)
	m.inputs[fCover] = newInput(c.st, "a photo's file name (tab completes), empty for none", 255)
	m.inputs[fCover].ShowSuggestions = true
	m.inputs[fParent].ShowSuggestions = true
	for _, g := range all {
		if g.ParentID == 0 && g.Slug != slug {
			m.parents = append(m.parents, g)
		}
	}
	var sugg []string
	for _, g := range m.parents {
		sugg = append(sugg, g.Slug)
	}
	m.inputs[fParent].SetSuggestions(sugg)
	m.inputs[fParent].SetValue(parent)
	m.focusCmd()
	if slug == "" {
		if parent != "" {
			m.access = 3 // as parent
		} else {
			m.inputs[fPIN].SetValue(db.GeneratePIN())
		}
	}
	m.guard.saved = m.state()
	return m
}

// state is what the form holds, to tell whether it changed.
func (m formModel) state() string {
	v := make([]string, 0, nFields+4)
	for _, in := range m.inputs {
		v = append(v, in.Value())
	}
	return state(append(v, fmt.Sprint(m.access, m.dl, m.listed, m.draft, m.coverOn))...)
}

func (m formModel) init() tea.Cmd {
	cmds := []tea.Cmd{textinput.Blink}
	if m.slug != "" {
		s, ctx, slug := m.c.cfg.Store, m.c.ctx, m.slug
		cmds = append(cmds, func() tea.Msg {
			g, err := s.Gallery(ctx, slug)
			if err != nil {
				return statusMsg{text: err.Error(), err: true}
			}
			photos, err := s.Photos(ctx, g.ID)
			if err != nil {
				return statusMsg{text: err.Error(), err: true}
			}
			return formLoadedMsg{slug: slug, g: g, photos: photos}
		})
	}
	return tea.Batch(cmds...)
}

func (m *formModel) fill(g db.Gallery, photos []db.Photo) {
	m.orig = g
	m.photos = photos
	names := make([]string, 0, len(photos))
	for _, p := range photos {
		names = append(names, p.Filename)
		if p.ID == g.CoverID {
			m.inputs[fCover].SetValue(p.Filename)
		}
	}
	m.inputs[fCover].SetSuggestions(names)
	m.coverOn = g.CoverOnPIN
	m.inputs[fTitle].SetValue(editable(g.Title))
	m.inputs[fDescription].SetValue(editable(g.Description))
	m.inputs[fDate].SetValue(g.EventDate)
	m.inputs[fParent].SetValue(g.ParentSlug)
	m.inputs[fPIN].SetValue(g.PIN)
	m.inputs[fExpires].SetValue(g.ExpiresOn())
	for i, a := range accessChoices {
		if a == g.Access {
			m.access = i
		}
	}
	for i, d := range downloadsChoices {
		if d == g.Downloads {
			m.dl = i
		}
	}
	m.listed, m.draft = g.Listed, !g.Published
	m.loaded = true
	m.guard.saved = m.state()
}

func isText(f int) bool {
	switch f {
	case fTitle, fDescription, fDate, fParent, fPIN, fExpires, fCover:
		return true
	}
	return false
}

func (m *formModel) focusCmd() tea.Cmd {
	return focusOne(m.inputs[:], m.focus, isText)
}

func (m *formModel) SetSize(w, h int) {
	m.w, m.h = w, h
	for i := range m.inputs {
		m.inputs[i].Width = max(min(w-18, 60), 12)
	}
}

// Capturing: the form's fields take every key, q and 1–4 included.
func (m formModel) Capturing() bool { return true }

func (m formModel) KeyMap() help.KeyMap {
	k := m.c.keys
	if m.guard.asking {
		return oneRowHelp(k.Yes, k.No)
	}
	short := []key.Binding{k.Save, k.NextField}
	switch m.focus {
	case fPIN:
		short = append(short, k.GeneratePIN)
	case fAccess, fDownloads:
		short = append(short, k.Left)
	case fListed, fPublished, fCoverOnPIN:
		short = append(short, k.Toggle)
	}
	short = append(short, k.Cancel)
	return keyHelp{short: short, full: [][]key.Binding{{k.NextField, k.PrevField, k.Left, k.Toggle}, {k.Save, k.GeneratePIN, k.Cancel}}}
}

// currentAccess is the chosen access, "as parent" only for a sub-gallery.
func (m formModel) currentAccess() db.Access {
	a := accessChoices[m.access]
	if a == db.Inherit && strings.TrimSpace(m.inputs[fParent].Value()) == "" {
		return db.PINAccess
	}
	return a
}

func (m formModel) needsPIN() bool {
	a := m.currentAccess()
	return a == db.PINAccess || a == db.DownloadPIN
}

// validate checks every field and returns whether all are right.
func (m *formModel) validate() bool {
	m.errs = [nFields]string{}
	if strings.TrimSpace(m.inputs[fTitle].Value()) == "" {
		m.errs[fTitle] = "A title is required."
	}
	if d := strings.TrimSpace(m.inputs[fDate].Value()); d != "" {
		if _, err := db.ExpiryEnd(d); err != nil {
			m.errs[fDate] = "Use YYYY-MM-DD, e.g. 2026-06-20."
		}
	}
	if p := strings.TrimSpace(m.inputs[fParent].Value()); p != "" {
		found := false
		for _, g := range m.parents {
			found = found || g.Slug == p
		}
		if !found {
			m.errs[fParent] = "No top-level gallery has this slug."
		}
	}
	if m.needsPIN() {
		if err := db.ValidPIN(strings.TrimSpace(m.inputs[fPIN].Value())); err != nil {
			m.errs[fPIN] = "The PIN must be 4 to 12 digits (ctrl+g generates one)."
		}
	}
	if e := strings.TrimSpace(m.inputs[fExpires].Value()); e != "" && e != "never" && (m.slug == "" || e != m.orig.ExpiresOn()) {
		end, err := db.ExpiryEnd(e)
		switch {
		case err != nil:
			m.errs[fExpires] = "Use YYYY-MM-DD, or leave empty for never."
		case !end.After(m.c.now()):
			m.errs[fExpires] = "The expiry must be in the future."
		}
	}
	if _, err := m.cover(); err != "" {
		m.errs[fCover] = err
	}
	for _, e := range m.errs {
		if e != "" {
			return false
		}
	}
	return true
}

// cover is the photo the cover field names: by file name, or #ID where
// names repeat; 0 for none.
func (m formModel) cover() (int64, string) {
	v := strings.TrimSpace(m.inputs[fCover].Value())
	if v == "" {
		return 0, ""
	}
	if m.slug == "" {
		return 0, "Import photos first, then choose a cover."
	}
	var found []db.Photo
	for _, p := range m.photos {
		if p.Filename == v || "#"+strconv.FormatInt(p.ID, 10) == v {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return 0, "No photo of this gallery has this name (tab completes one)."
	case 1:
		return found[0].ID, ""
	}
	return 0, fmt.Sprintf("%d photos have this name: type # and its id instead, e.g. #%d.", len(found), found[0].ID)
}

func (m formModel) input() db.GalleryInput {
	val := func(f int) *string { v := strings.TrimSpace(m.inputs[f].Value()); return &v }
	a := m.currentAccess()
	dl := downloadsChoices[m.dl]
	pub := !m.draft
	listed := m.listed
	in := db.GalleryInput{
		Title: val(fTitle), Description: val(fDescription), EventDate: val(fDate),
		Access: &a, Downloads: &dl, Published: &pub, Listed: &listed, Parent: val(fParent),
	}
	if e := val(fExpires); m.slug == "" || *e != m.orig.ExpiresOn() {
		in.Expires = e // an expiry already past stays as it is unless changed
	}
	if m.needsPIN() {
		in.PIN = val(fPIN)
	}
	if m.slug != "" {
		cover, _ := m.cover()
		coverOn := m.coverOn
		in.CoverID, in.CoverOnPIN = &cover, &coverOn
	}
	return in
}

func (m formModel) save() tea.Cmd {
	s, ctx, slug, in := m.c.cfg.Store, m.c.ctx, m.slug, m.input()
	return func() tea.Msg {
		if slug == "" {
			g, err := studio.CreateGallery(ctx, s, in)
			if err != nil {
				return formErrMsg{err}
			}
			text := fmt.Sprintf("Created “%s”", g.Title)
			if g.PIN != "" {
				text += " · PIN " + g.PIN
			}
			return gallerySavedMsg{g: g, text: text}
		}
		g, err := studio.EditGallery(ctx, s, slug, in, false)
		if err != nil {
			return formErrMsg{err}
		}
		return gallerySavedMsg{g: g, text: fmt.Sprintf("Saved “%s”", g.Title)}
	}
}

func (m *formModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m formModel) Update(msg tea.Msg) (formModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case formLoadedMsg:
		if msg.slug == m.slug && !m.loaded {
			m.fill(msg.g, msg.photos)
		}
		return m, nil
	case formErrMsg:
		m.saving = false
		m.saveErr = msg.err.Error()
		if errors.Is(msg.err, db.ErrInvalid) || errors.Is(msg.err, db.ErrNotFound) {
			m.saveErr = "Not saved: " + m.saveErr
		}
		return m, nil
	case tea.KeyMsg:
		if leave, taken := m.guard.answer(msg, k); taken {
			if leave {
				return m, m.c.goTo(backMsg{})
			}
			return m, nil
		}
		switch {
		case key.Matches(msg, k.Cancel):
			if m.guard.leave(m.state()) {
				return m, m.c.goTo(backMsg{})
			}
			return m, nil
		case key.Matches(msg, k.Save):
			if !m.loaded || m.saving {
				return m, nil
			}
			m.saveErr = ""
			if !m.validate() {
				m.saveErr = "Not saved: fix the fields marked below."
				return m, nil
			}
			m.saving = true
			return m, m.save()
		case key.Matches(msg, k.GeneratePIN):
			m.inputs[fPIN].SetValue(db.GeneratePIN())
			if !m.needsPIN() {
				m.access = 0
			}
			m.errs[fPIN] = ""
			return m, nil
		case key.Matches(msg, k.NextField), key.Matches(msg, k.Accept):
			if key.Matches(msg, k.TabNext) && (m.focus == fParent || m.focus == fCover) && len(m.inputs[m.focus].MatchedSuggestions()) > 0 &&
				m.inputs[m.focus].Value() != m.inputs[m.focus].CurrentSuggestion() {
				break // tab completes the slug or file name first
			}
			if key.Matches(msg, k.Accept) && m.focus == nFields-1 {
				return m.Update(tea.KeyMsg{Type: tea.KeyCtrlS})
			}
			left := m.focus
			m.focus = (m.focus + 1) % nFields
			m.recheck(left)
			return m, m.focusCmd()
		case key.Matches(msg, k.PrevField):
			left := m.focus
			m.focus = (m.focus + nFields - 1) % nFields
			m.recheck(left)
			return m, m.focusCmd()
		}
		switch m.focus {
		case fAccess:
			n := len(accessChoices)
			if strings.TrimSpace(m.inputs[fParent].Value()) == "" {
				n-- // "as parent" only for a sub-gallery
			}
			switch {
			case key.Matches(msg, k.Left):
				m.access = (m.access + n - 1) % n
			case key.Matches(msg, k.Right), key.Matches(msg, k.Toggle):
				m.access = (m.access + 1) % n
			}
			if m.needsPIN() && m.inputs[fPIN].Value() == "" {
				m.inputs[fPIN].SetValue(db.GeneratePIN())
			}
			return m, nil
		case fDownloads:
			n := len(downloadsChoices)
			switch {
			case key.Matches(msg, k.Left):
				m.dl = (m.dl + n - 1) % n
			case key.Matches(msg, k.Right), key.Matches(msg, k.Toggle):
				m.dl = (m.dl + 1) % n
			}
			return m, nil
		case fListed:
			if key.Matches(msg, k.Toggle, k.Left, k.Right) {
				m.listed = !m.listed
			}
			return m, nil
		case fPublished:
			if key.Matches(msg, k.Toggle, k.Left, k.Right) {
				m.draft = !m.draft
			}
			return m, nil
		case fCoverOnPIN:
			if key.Matches(msg, k.Toggle, k.Left, k.Right) {
				m.coverOn = !m.coverOn
			}
			return m, nil
		}
	}
	if isText(m.focus) {
		var cmd tea.Cmd
		before := m.inputs[m.focus].Value()
		m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
		if m.inputs[m.focus].Value() != before && m.errs[m.focus] != "" {
			m.recheck(-1)
		}
		return m, cmd
	}
	return m, nil
}

// recheck refreshes the inline errors: those shown go away as soon as
// their field is right, and the field just left gets its own.
func (m *formModel) recheck(left int) {
	shown := m.errs
	m.validate()
	for i := range m.errs {
		if shown[i] == "" && i != left {
			m.errs[i] = ""
		}
	}
}

func (m formModel) View() string {
	st := m.c.st
	title := "New gallery"
	if m.slug != "" {
		title = "Edit “" + shown(m.orig.Title) + "”"
	} else if p := m.inputs[fParent].Value(); p != "" {
		title = "New sub-gallery"
	}
	var lines []string
	lines = append(lines, st.Title.Render(truncate(title, m.w)))
	switch {
	case m.guard.asking:
		lines = append(lines, m.guard.question(st, m.w))
	case m.saveErr != "":
		lines = append(lines, st.Error.Render(truncate(shown(m.saveErr), m.w)))
	default:
		lines = append(lines, st.Faint.Render(truncate("ctrl+s saves · esc cancels", m.w)))
	}
	labelW := 12
	labels := [nFields]string{"Title", "Description", "Date", "Parent", "Access", "PIN", "Downloads", "Expires", "Listed", "Visibility", "Cover", "PIN page"}
	for f := 0; f < nFields; f++ {
		label := st.Label.Render(pad(labels[f], labelW))
		marker := "  "
		if f == m.focus {
			label = st.FocusedLabel.Render(pad(labels[f], labelW))
			marker = st.Cursor.Render("▌ ")
		}
		var value string
		switch f {
		case fAccess:
			var opts []string
			names := []string{"PIN", "download PIN", "public", "as parent"}
			for i := range accessChoices {
				if i == 3 && strings.TrimSpace(m.inputs[fParent].Value()) == "" {
					continue
				}
				opts = append(opts, m.choice(names[i], i == m.access))
			}
			value = strings.Join(opts, " ")
		case fDownloads:
			names := []string{"originals", "web size", "off"}
			var opts []string
			for i := range downloadsChoices {
				opts = append(opts, m.choice(names[i], i == m.dl))
			}
			value = strings.Join(opts, " ")
		case fListed:
			value = m.check(m.listed, "show on the studio home page (public galleries)")
		case fPublished:
			value = m.check(!m.draft, "published (untick for a draft clients cannot open)")
		case fCover:
			if m.slug == "" && m.focus != fCover {
				value = st.Faint.Render("a photo shown large above the gallery: choose one after importing")
			} else {
				value = m.inputs[f].View()
			}
		case fCoverOnPIN:
			value = m.check(m.coverOn, "show the cover on the PIN page too")
		case fPIN:
			if !m.needsPIN() {
				value = st.Faint.Render("not needed: " + accessText(m.currentAccess()))
				if m.currentAccess() == db.Inherit {
					value = st.Faint.Render("the parent's PIN applies")
				}
			} else {
				value = m.inputs[f].View()
			}
		default:
			value = m.inputs[f].View()
		}
		lines = append(lines, marker+label+value)
		if m.errs[f] != "" {
			lines = append(lines, "  "+pad("", labelW)+st.FieldError.Render("↳ "+m.errs[f]))
		} else if f == fParent && m.focus == fParent {
			if p := m.parentTitle(); p != "" {
				lines = append(lines, "  "+pad("", labelW)+st.Faint.Render("↳ inside “"+p+"” (tab completes a slug)"))
			}
		}
	}
	return strings.Join(lines, "\n")
}

func (m formModel) parentTitle() string {
	p := strings.TrimSpace(m.inputs[fParent].Value())
	for _, g := range m.parents {
		if g.Slug == p {
			return shown(g.Title)
		}
	}
	return ""
}

func (m formModel) choice(name string, on bool) string {
	if on {
		return m.c.st.ChoiceActive.Render("● " + name)
	}
	return m.c.st.Choice.Render("○ " + name)
}

func (m formModel) check(on bool, text string) string {
	box := "[ ] "
	if on {
		box = "[x] "
	}
	return m.c.st.Accent.Render(box) + m.c.st.Text.Render(truncate(text, max(m.w-20, 10)))
}
