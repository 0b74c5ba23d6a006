package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"pinhole/db"
	"pinhole/studio"
)

// The parts of the client editor, in focus order.
const (
	cName = iota
	cCode
	cNote
	cFilter // the galleries checklist and its filter
	nClientFields
)

type clientLoadedMsg struct {
	id   int64
	cl   db.Client
	base string
}

type clientSavedMsg struct {
	cl   db.Client
	text string
}

type clientErrMsg struct{ err error }

type clientPreviewMsg struct {
	id  int64
	url string
}

// clientModel edits a client login: name, code, note and galleries, with
// what the login opens always in view.
type clientModel struct {
	c       *common
	id      int64
	cl      db.Client
	loaded  bool
	inputs  [nClientFields]textinput.Model
	all     []db.Gallery
	granted []string
	shown   []int
	list    listState
	focus   int
	err     string
	nameErr string
	base    string
	link    string // a preview link, once made
	guard   leaveGuard
	w, h    int
}

func newClient(c *common, id int64, all []db.Gallery) clientModel {
	m := clientModel{c: c, id: id, all: all, loaded: id == 0}
	m.inputs[cName] = newInput(c.st, "required, e.g. Anna Smith", 120)
	m.inputs[cCode] = newInput(c.st, "generated when saved — ctrl+g shows one now", 40)
	m.inputs[cNote] = newInput(c.st, "for yourself (optional)", 300)
	m.inputs[cFilter] = newInput(c.st, "type to filter galleries", 80)
	m.inputs[cFilter].Prompt = "/ "
	if id == 0 {
		m.inputs[cCode].SetValue(db.FormatCode(db.GenerateCode()))
	}
	m.applyFilter()
	m.focusCmd()
	m.guard.saved = m.state()
	return m
}

// state is what the login holds, to tell whether it changed.
func (m clientModel) state() string {
	g := slices.Clone(m.granted)
	slices.Sort(g)
	return state(m.inputs[cName].Value(), m.inputs[cCode].Value(), m.inputs[cNote].Value(), strings.Join(g, " "))
}

func (m clientModel) init() tea.Cmd {
	s, ctx, id, given := m.c.cfg.Store, m.c.ctx, m.id, m.c.base()
	return tea.Batch(textinput.Blink, func() tea.Msg {
		base, _ := studio.BaseURL(ctx, s, given)
		if id == 0 {
			return clientLoadedMsg{id: 0, base: base}
		}
		cl, err := s.ClientByID(ctx, id)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		return clientLoadedMsg{id: id, cl: cl, base: base}
	})
}

func (m *clientModel) focusCmd() tea.Cmd {
	return focusOne(m.inputs[:], m.focus, nil)
}

func (m *clientModel) SetSize(w, h int) {
	m.w, m.h = w, h
	for i := range m.inputs {
		m.inputs[i].Width = max(min(w-16, 50), 12)
	}
	m.list.setHeight(max(h-11, 3))
}

// Capturing: the login's fields take every key, q and 1–4 included.
func (m clientModel) Capturing() bool { return true }

func (m clientModel) KeyMap() help.KeyMap {
	k := m.c.keys
	if m.guard.asking {
		return oneRowHelp(k.Yes, k.No)
	}
	short := []key.Binding{k.Save, k.TabNext}
	if m.focus == cCode {
		short = append(short, k.GeneratePIN)
	}
	if m.focus == cFilter {
		short = append(short, k.Toggle)
	}
	short = append(short, k.Cancel)
	return keyHelp{short: short, full: [][]key.Binding{{k.TabNext, k.TabPrev, k.ArrowUp, k.ArrowDown, k.Toggle}, {k.Save, k.GeneratePIN, k.PreviewLink, k.PlainField, k.Cancel}}}
}

func (m *clientModel) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(m.inputs[cFilter].Value()))
	m.shown = m.shown[:0]
	for i, g := range m.all {
		if q == "" || strings.Contains(strings.ToLower(g.Title), q) || strings.Contains(g.Slug, q) {
			m.shown = append(m.shown, i)
		}
	}
	m.list.setLen(len(m.shown))
}

// codeChanged: a saved login's code was edited, so saving ends what the
// old code opened (db.UpdateClient).
func (m clientModel) codeChanged() bool {
	return m.id != 0 && m.loaded && db.NormalizeCode(m.inputs[cCode].Value()) != m.cl.Code
}

func (m clientModel) opens() []studio.Opening {
	return studio.Opens(m.all, m.granted, m.c.now())
}

func (m clientModel) save() tea.Cmd {
	s, ctx, id := m.c.cfg.Store, m.c.ctx, m.id
	name := strings.TrimSpace(m.inputs[cName].Value())
	code := m.inputs[cCode].Value()
	note := m.inputs[cNote].Value()
	grants := slices.Clone(m.granted)
	return func() tea.Msg {
		cl, err := studio.SaveClient(ctx, s, id, db.ClientInput{Name: &name, Code: &code, Note: &note}, grants)
		if err != nil {
			return clientErrMsg{err}
		}
		return clientSavedMsg{cl: cl, text: "Saved the login of " + cl.Name + " · code " + db.FormatCode(cl.Code)}
	}
}

func (m *clientModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m clientModel) Update(msg tea.Msg) (clientModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case clientLoadedMsg:
		if msg.id != m.id {
			return m, nil
		}
		m.base = msg.base
		if msg.id != 0 {
			m.cl, m.loaded = msg.cl, true
			m.inputs[cName].SetValue(editable(msg.cl.Name))
			m.inputs[cCode].SetValue(db.FormatCode(msg.cl.Code))
			m.inputs[cNote].SetValue(editable(msg.cl.Note))
			m.granted = slices.Clone(msg.cl.Galleries)
			m.guard.saved = m.state()
		}
		return m, nil
	case galleriesMsg:
		m.all = msg.all
		m.applyFilter()
		return m, nil
	case clientPreviewMsg:
		if msg.id == m.id {
			m.link = msg.url
			return m, m.c.copy(msg.url, "Preview link copied", m.c.keys.PlainField.Help().Key)
		}
		return m, nil
	case clientErrMsg:
		m.err = "Not saved: " + msg.err.Error()
		return m, nil
	case clientSavedMsg:
		if m.id == 0 || m.id == msg.cl.ID {
			return m, tea.Batch(back, statusCmd(msg.text), func() tea.Msg { return changedMsg{} })
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
			if m.focus == cFilter && m.inputs[cFilter].Value() != "" {
				m.inputs[cFilter].SetValue("")
				m.applyFilter()
				return m, nil
			}
			if m.guard.leave(m.state()) {
				return m, m.c.goTo(backMsg{})
			}
			return m, nil
		case key.Matches(msg, k.Save):
			if !m.loaded {
				return m, nil
			}
			m.err, m.nameErr = "", ""
			if strings.TrimSpace(m.inputs[cName].Value()) == "" {
				m.nameErr = "A name is required."
				m.err = "Not saved: fix the fields marked below."
				return m, nil
			}
			return m, m.save()
		case key.Matches(msg, k.GeneratePIN):
			m.inputs[cCode].SetValue(db.FormatCode(db.GenerateCode()))
			return m, nil
		case key.Matches(msg, k.PreviewLink):
			if m.id == 0 {
				return m, statusCmd("Save the login first (ctrl+s), then make its preview link")
			}
			s, ctx, id, base := m.c.cfg.Store, m.c.ctx, m.id, m.c.base()
			return m, func() tea.Msg {
				url, _, err := studio.PreviewURL(ctx, s, base, db.Session{ClientID: id})
				if err != nil {
					return statusMsg{text: err.Error(), err: true}
				}
				return clientPreviewMsg{id: id, url: url}
			}
		case key.Matches(msg, k.PlainField) && m.link != "":
			return m, m.c.goTo(plainMsg{m.link})
		case key.Matches(msg, k.TabNext, k.TabPrev):
			d := 1
			if key.Matches(msg, k.TabPrev) {
				d = nClientFields - 1
			}
			m.focus = (m.focus + d) % nClientFields
			return m, m.focusCmd()
		case key.Matches(msg, k.Accept) && m.focus < cFilter:
			m.focus++
			return m, m.focusCmd()
		}
		if m.focus == cFilter {
			switch {
			case key.Matches(msg, k.ArrowUp, k.ArrowDown, k.ArrowPgUp, k.ArrowPgDown):
				m.list.update(msg, k)
				return m, nil
			case key.Matches(msg, k.Toggle, k.Accept):
				if len(m.shown) > 0 {
					slug := m.all[m.shown[m.list.cursor]].Slug
					if i := slices.Index(m.granted, slug); i >= 0 {
						m.granted = slices.Delete(m.granted, i, i+1)
					} else {
						m.granted = append(m.granted, slug)
					}
				}
				return m, nil
			}
		} else if key.Matches(msg, k.ArrowUp, k.ArrowDown) {
			if key.Matches(msg, k.ArrowDown) {
				m.focus++
			} else if m.focus > 0 {
				m.focus--
			}
			return m, m.focusCmd()
		}
		var cmd tea.Cmd
		m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
		if m.focus == cFilter {
			m.applyFilter()
		}
		if m.focus == cName && m.nameErr != "" && strings.TrimSpace(m.inputs[cName].Value()) != "" {
			m.nameErr = ""
		}
		return m, cmd
	case tea.MouseMsg:
		m.list.update(msg, k)
	}
	return m, nil
}

func (m clientModel) View() string {
	st := m.c.st
	title := "New client login"
	if m.id != 0 {
		title = "Client login: " + shown(m.cl.Name)
	}
	var lines []string
	lines = append(lines, st.Title.Render(truncate(title, m.w)))
	switch {
	case m.guard.asking:
		lines = append(lines, m.guard.question(st, m.w))
	case m.err != "":
		lines = append(lines, st.Error.Render(truncate(shown(m.err), m.w)))
	default:
		lines = append(lines, st.Faint.Render("ctrl+s saves · esc cancels"))
	}
	labelW := 10
	field := func(f int, label string) {
		l := st.Label.Render(pad(label, labelW))
		marker := "  "
		if f == m.focus {
			l = st.FocusedLabel.Render(pad(label, labelW))
			marker = st.Cursor.Render("▌ ")
		}
		lines = append(lines, marker+l+m.inputs[f].View())
	}
	field(cName, "Name")
	if m.nameErr != "" {
		lines = append(lines, "  "+pad("", labelW)+st.FieldError.Render("↳ "+m.nameErr))
	}
	field(cCode, "Code")
	if m.codeChanged() {
		lines = append(lines, "  "+pad("", labelW)+st.Warn.Render(truncate("↳ saving ends every session opened with the old code", max(m.w-labelW-2, 10))))
	}
	field(cNote, "Note")

	// What the login opens: always in view, above the checklist.
	opens := m.opens()
	sentence := studio.OpensSentence(opens)
	lines = append(lines, "", st.Strong.Render(st.Accent.Render("→ ")+st.r.NewStyle().Width(max(m.w-2, 10)).Render(shownBlock(sentence))))
	switch {
	case m.link != "":
		lines = append(lines, st.Text.Render("Preview for "+fmt.Sprintf("%d minutes", int(studio.PreviewTTL.Minutes()))+" (copied): ")+st.Accent.Render(truncate(m.link, max(m.w-30, 10))))
	case m.id != 0:
		lines = append(lines, st.Faint.Render(truncate("ctrl+p: a link to their page as they see it (as saved)", m.w)))
	default:
		lines = append(lines, st.Faint.Render(truncate("Once saved, ctrl+p: a link to their page as they see it", m.w)))
	}
	lines = append(lines, "")
	marker := "  "
	if m.focus == cFilter {
		marker = st.Cursor.Render("▌ ")
	}
	lines = append(lines, marker+st.Header.Render("GALLERIES ")+m.inputs[cFilter].View())
	if len(m.all) == 0 {
		lines = append(lines, st.Faint.Render("  No galleries yet."))
	}
	from, to := m.list.window()
	for i := from; i < to; i++ {
		g := m.all[m.shown[i]]
		box := "[ ] "
		if slices.Contains(m.granted, g.Slug) {
			box = "[x] "
		} else if g.ParentID != 0 && slices.Contains(m.granted, g.ParentSlug) {
			box = "[·] "
		}
		name := shown(g.Title)
		if g.ParentID != 0 {
			name = "  └ " + name
		}
		row := box + pad(name, min(max(m.w-22, 10), 56)) + " " + pad(accessText(g.Access), 13)
		if m.focus == cFilter && i == m.list.cursor {
			lines = append(lines, st.Cursor.Render("▌ ")+st.Selected.Render(row))
		} else {
			lines = append(lines, "  "+st.Text.Render(row))
		}
	}
	return lipgloss.JoinVertical(lipgloss.Left, lines...)
}
