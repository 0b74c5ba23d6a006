package tui

import (
	"errors"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
	"pinhole/studio"
)

// The settings, in focus order.
const (
	sStudio = iota
	sBase
	sLinkT
	sPINT
	sClientT
	nSettings
)

var settingKeys = [nSettings]string{db.SettingStudioName, db.SettingBaseURL, db.SettingTemplateLink, db.SettingTemplatePIN, db.SettingTemplateClient}

// settingsMsg and settingsSavedMsg carry the settings, and what links
// start with by them.
type settingsMsg struct {
	values [nSettings]string
	links  string
}

type settingsSavedMsg struct {
	values [nSettings]string
	links  string
}

type settingsErrMsg struct {
	field int
	err   error
}

// settingsModel edits the studio name, base URL and share templates.
type settingsModel struct {
	c          *common
	studioName string // shown in the header
	links      string // what links start with (studio.BaseURL): the status bar's warning, and its address over SSH
	savedBase  string // the base-url setting as saved (its default while unset)
	loaded     bool
	editing    bool
	focus      int
	name, base textinput.Model
	linkT      textarea.Model
	pinT       textarea.Model
	clientT    textarea.Model
	errs       [nSettings]string
	guard      leaveGuard
	top        int // the first line shown while not editing, where the settings do not fit
	w, h       int
}

func newSettings(c *common) settingsModel {
	m := settingsModel{c: c}
	m.name = newInput(c.st, "your studio's name", 80)
	m.base = newInput(c.st, "https://photos.example.com", 200)
	m.linkT = newArea(c.st)
	m.pinT = newArea(c.st)
	m.clientT = newArea(c.st)
	return m
}

func newArea(st *Styles) textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.CharLimit = 1000
	ta.SetHeight(3)
	fs := textarea.Style{
		Base: st.r.NewStyle(), CursorLine: st.r.NewStyle(), Text: st.Text, Placeholder: st.Faint,
		EndOfBuffer: st.Faint, LineNumber: st.Faint, CursorLineNumber: st.Faint, Prompt: st.Accent,
	}
	ta.FocusedStyle, ta.BlurredStyle = fs, fs
	ta.BlurredStyle.Text = st.Subtle
	ta.Cursor.Style = st.Accent
	ta.Blur()
	return ta
}

func (m settingsModel) open() (settingsModel, tea.Cmd) {
	m.errs = [nSettings]string{}
	return m, m.load()
}

func (m settingsModel) load() tea.Cmd {
	s, ctx, given := m.c.cfg.Store, m.c.ctx, m.c.base()
	return func() tea.Msg {
		var out settingsMsg
		for i, k := range settingKeys {
			v, err := studio.Setting(ctx, s, k)
			if err != nil {
				return statusMsg{text: err.Error(), err: true}
			}
			out.values[i] = v
		}
		var err error
		if out.links, err = studio.BaseURL(ctx, s, given); err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		return out
	}
}

func (m *settingsModel) SetSize(w, h int) {
	m.w, m.h = w, h
	if m.c == nil {
		return
	}
	fw := max(min(w-19, 72), 16)
	m.name.Width, m.base.Width = fw, fw
	m.linkT.SetWidth(fw)
	m.pinT.SetWidth(fw)
	m.clientT.SetWidth(fw)
}

func (m settingsModel) Capturing() bool { return m.editing }

func (m settingsModel) KeyMap() help.KeyMap {
	k := m.c.keys
	if !m.editing {
		return keyHelp{short: []key.Binding{k.Edit}, full: [][]key.Binding{{k.Edit, k.Up, k.Down}}}
	}
	if m.guard.asking {
		return oneRowHelp(k.Yes, k.No)
	}
	return keyHelp{short: []key.Binding{k.Save, k.TabNext, k.Cancel}, full: [][]key.Binding{{k.TabNext, k.TabPrev}, {k.Save, k.Cancel}}}
}

func (m *settingsModel) focusCmd() tea.Cmd {
	m.name.Blur()
	m.base.Blur()
	m.linkT.Blur()
	m.pinT.Blur()
	m.clientT.Blur()
	if !m.editing {
		return nil
	}
	switch m.focus {
	case sStudio:
		return m.name.Focus()
	case sBase:
		return m.base.Focus()
	case sLinkT:
		return m.linkT.Focus()
	case sPINT:
		return m.pinT.Focus()
	}
	return m.clientT.Focus()
}

func (m *settingsModel) set(v [nSettings]string, links string) {
	m.studioName = v[sStudio]
	m.links = links
	m.name.SetValue(editable(v[sStudio]))
	m.base.SetValue(v[sBase])
	m.savedBase = v[sBase]
	m.linkT.SetValue(editable(v[sLinkT]))
	m.pinT.SetValue(editable(v[sPINT]))
	m.clientT.SetValue(editable(v[sClientT]))
	m.loaded = true
	m.guard.saved = m.state()
}

// baseHint says what links start with: the Base URL saved, or, when
// they do not, what they start with instead and why (studio.BaseURL).
// While the field is edited it still speaks of the saved one: what is
// typed counts once saved.
func (m settingsModel) baseHint() string {
	switch given := m.c.base(); {
	case m.links == "" || m.links == strings.TrimRight(m.savedBase, "/"):
		return "where clients reach the website; links start with it"
	case given.URL != "":
		return "links start with " + m.links + " (the server's --base-url), not this"
	default:
		return "unset: links start with " + m.links + ", where the website answers; set this to change them"
	}
}

// state is what the fields hold, to tell whether they changed.
func (m settingsModel) state() string {
	return state(m.name.Value(), m.base.Value(), m.linkT.Value(), m.pinT.Value(), m.clientT.Value())
}

func (m settingsModel) save() tea.Cmd {
	s, ctx, given := m.c.cfg.Store, m.c.ctx, m.c.base()
	vals := [nSettings]string{m.name.Value(), m.base.Value(), m.linkT.Value(), m.pinT.Value(), m.clientT.Value()}
	return func() tea.Msg {
		// All together or none: the base URL first, as the one a typo
		// most often makes invalid is then the one named.
		order := []int{sBase, sStudio, sLinkT, sPINT, sClientT}
		changes := make([]db.SettingChange, len(order))
		for j, i := range order {
			changes[j] = db.SettingChange{Key: settingKeys[i], Value: vals[i]}
		}
		if err := s.SetSettings(ctx, changes...); err != nil {
			var se *db.SettingError
			if !errors.As(err, &se) {
				return settingsErrMsg{sBase, err}
			}
			return settingsErrMsg{slices.Index(settingKeys[:], se.Key), se.Err}
		}
		var out settingsSavedMsg
		for i, k := range settingKeys {
			out.values[i], _ = studio.Setting(ctx, s, k)
		}
		out.links, _ = studio.BaseURL(ctx, s, given)
		return out
	}
}

func (m *settingsModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m settingsModel) Update(msg tea.Msg) (settingsModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case settingsMsg:
		if !m.editing {
			m.set(msg.values, msg.links)
		} else {
			m.studioName, m.links = msg.values[sStudio], msg.links
		}
		return m, nil
	case settingsSavedMsg:
		m.set(msg.values, msg.links)
		m.editing = false
		m.focusCmd()
		return m, statusCmd("Settings saved")
	case settingsErrMsg:
		m.errs[msg.field] = msg.err.Error()
		m.focus = msg.field
		return m, m.focusCmd()
	case tea.KeyMsg:
		if !m.editing {
			switch {
			case key.Matches(msg, k.Edit, k.Accept):
				m.editing = true
				return m, m.focusCmd()
			case key.Matches(msg, k.Up, k.PageUp, k.Home):
				m.top = 0
			case key.Matches(msg, k.Down, k.PageDown, k.End):
				m.top = m.h // as far as it goes: the view keeps it in range
			}
			return m, nil
		}
		leave, taken := m.guard.answer(msg, k)
		if taken && !leave {
			return m, nil
		}
		switch {
		case leave || key.Matches(msg, k.Cancel):
			if !leave && !m.guard.leave(m.state()) {
				return m, nil
			}
			m.editing = false
			m.errs = [nSettings]string{}
			m.focusCmd()
			return m, m.load()
		case key.Matches(msg, k.Save):
			m.errs = [nSettings]string{}
			return m, m.save()
		case key.Matches(msg, k.TabNext, k.TabPrev):
			d := 1
			if key.Matches(msg, k.TabPrev) {
				d = nSettings - 1
			}
			m.focus = (m.focus + d) % nSettings
			return m, m.focusCmd()
		}
		var cmd tea.Cmd
		switch m.focus {
		case sStudio:
			m.name, cmd = m.name.Update(msg)
		case sBase:
			m.base, cmd = m.base.Update(msg)
		case sLinkT:
			m.linkT, cmd = m.linkT.Update(msg)
		case sPINT:
			m.pinT, cmd = m.pinT.Update(msg)
		case sClientT:
			m.clientT, cmd = m.clientT.Update(msg)
		}
		return m, cmd
	}
	return m, nil
}

func (m settingsModel) View() string {
	st := m.c.st
	if !m.loaded {
		return st.Subtle.Render("Loading settings…")
	}
	var lines []string
	labelW := 14
	// note is a line of help under a field, wrapped, not cut: the list of
	// placeholders is what the photographer needs to write a template.
	note := func(text string) {
		for _, l := range strings.Split(st.r.NewStyle().Width(max(m.w-labelW-4, 10)).Render(text), "\n") {
			lines = append(lines, "  "+pad("", labelW)+st.Faint.Render(l))
		}
	}
	var head []string
	switch {
	case m.guard.asking:
		head = []string{m.guard.question(st, m.w)}
	case m.editing:
		head = strings.Split(st.Faint.Width(m.w).Render("tab moves · ctrl+s saves · esc cancels · an empty field restores the default"), "\n")
	default:
		head = []string{st.Faint.Render("e or enter to change")}
	}
	// spans are the lines of each field, its notes included.
	var spans [nSettings][2]int
	field := func(f int, label, view string) {
		spans[f][0] = len(lines)
		defer func() { spans[f][1] = len(lines) }()
		l := st.Label.Render(pad(label, labelW))
		marker := "  "
		if m.editing && f == m.focus {
			l = st.FocusedLabel.Render(pad(label, labelW))
			marker = st.Cursor.Render("▌ ")
		}
		vl := strings.Split(view, "\n")
		lines = append(lines, marker+l+vl[0])
		for _, x := range vl[1:] {
			lines = append(lines, "  "+pad("", labelW)+x)
		}
		if m.errs[f] != "" {
			msg := st.r.NewStyle().Width(max(m.w-labelW-4, 10)).Render("↳ " + m.errs[f])
			for _, l := range strings.Split(msg, "\n") {
				lines = append(lines, "  "+pad("", labelW)+st.FieldError.Render(l))
			}
		}
	}
	show := func(ti textinput.Model) string {
		if m.editing {
			return ti.View()
		}
		return st.Value.Render(ti.Value())
	}
	showArea := func(ta textarea.Model) string {
		if m.editing {
			return ta.View()
		}
		return st.Value.Render(st.r.NewStyle().Width(max(min(m.w-18, 72), 16)).Render(ta.Value()))
	}
	field(sStudio, "Studio name", show(m.name))
	field(sBase, "Base URL", show(m.base))
	note(m.baseHint())
	spans[sBase][1] = len(lines)
	lines = append(lines, "")
	field(sLinkT, "E-mail text", showArea(m.linkT))
	lines = append(lines, "")
	field(sPINT, "PIN text", showArea(m.pinT))
	note("in these texts: " + strings.Join(db.TemplatePlaceholders, " "))
	spans[sPINT][1] = len(lines)
	lines = append(lines, "")
	field(sClientT, "Login text", showArea(m.clientT))
	note("sends a client login: " + strings.Join(db.ClientPlaceholders, " "))
	spans[sClientT][1] = len(lines)
	return strings.Join(append(head, m.window(lines, spans, max(m.h-len(head), 1))...), "\n")
}

// window is the part of lines that fits in h rows: where not all fit, the
// field being edited shows whole (and the lines after it, as far as they
// go), or, while not editing, the part scrolled to; the last row says
// that there is more.
func (m settingsModel) window(lines []string, spans [nSettings][2]int, h int) []string {
	if len(lines) <= h {
		return lines
	}
	h-- // the row that says there is more
	top := min(m.topLine(len(lines), h), len(lines)-h)
	if m.editing {
		from, to := spans[m.focus][0], spans[m.focus][1]
		top = min(from, max(to-h, 0))
	}
	out := slices.Clone(lines[top : top+h])
	more := "↑/↓ scroll for the rest"
	if m.editing {
		more = "tab moves to the rest"
	}
	switch {
	case top == 0:
		more = "↓ more below · " + more
	case top+h >= len(lines):
		more = "↑ more above · " + more
	}
	return append(out, m.c.st.Faint.Render(truncate(more, m.w)))
}

// topLine is the first line shown while not editing, kept in range.
func (m settingsModel) topLine(n, h int) int { return max(min(m.top, n-h), 0) }
