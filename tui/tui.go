// Package tui is the photographer's terminal UI: a Bubble Tea program with
// one root model routing between screens. It knows nothing about SSH
// beyond the terminal it is given: its styles come from the renderer in
// its Config, its input, output and size from the program.
package tui

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// Config is what the TUI runs with.
type Config struct {
	// Context ends the TUI's work (a running import, queries) when it is
	// done, as when an SSH session closes; nil: context.Background().
	Context context.Context
	Store   *db.Store
	// Renderer is the terminal's renderer (one per SSH session); nil makes
	// one for Output.
	Renderer *lipgloss.Renderer
	// Output is the terminal the program draws on: clipboard copies
	// (OSC 52) are written to it. nil: copies are not possible.
	Output io.Writer
	// Address is where the client website is served, shown in the status
	// bar; "" when it is not served alongside.
	Address string
	// Links is what the server serving the website was started with that
	// decides where links start (studio.BaseURL): plain pinhole's
	// --base-url, or serve's over SSH. The zero value: the base-url setting.
	Links studio.Given
	// Term is the terminal's TERM ("tmux" when running inside tmux):
	// under tmux and screen, clipboard copies also go through to the
	// terminal around them.
	Term string
	// Remote says the TUI runs in an SSH session on the server: the status
	// bar shows the address links start with instead of Address, as where
	// the server listens means nothing from afar.
	Remote bool
	// Width and Height are the terminal's size when the TUI starts, so
	// that its first frame fits before the program reports the size; 0:
	// 80×24.
	Width, Height int
	// Poll is how often the activity screen looks for new events; 0: 2 s.
	Poll time.Duration
	// StatusFor is how long a line stays in the status bar, an error's
	// twice as long; 0: 6 s.
	StatusFor time.Duration
	// Library is the photo files: imports write them, deleting a gallery
	// removes those no other gallery uses (studio.DeleteGallery).
	Library *media.Library
}

// screen names a screen of the TUI.
type screen int

const (
	scrGalleries screen = iota
	scrClients
	scrActivity
	scrSettings
	scrGallery
	scrForm
	scrShare
	scrImport
	scrClient
	scrClientShare
	numScreens // keep last: broadcast and resize range over it
)

// screenModel is what the root model asks of every screen. update stores
// the screen's new value in place, since each Update returns its own type.
type screenModel interface {
	update(tea.Msg) tea.Cmd
	View() string
	KeyMap() help.KeyMap
	Capturing() bool
	SetSize(w, h int)
}

var tabs = []struct {
	s           screen
	name, short string
}{
	{scrGalleries, "Galleries", "Galleries"},
	{scrClients, "Client logins", "Clients"},
	{scrActivity, "Activity", "Activity"},
	{scrSettings, "Settings", "Settings"},
}

// common is what every screen shares: set once, read only.
type common struct {
	cfg    Config
	st     *Styles
	keys   KeyMap
	ctx    context.Context
	cancel context.CancelFunc

	// imports run in the background, whatever screen is open.
	imports imports

	// moves are the screen changes asked for by the key being handled:
	// the root makes them before the next key, so that keys typed ahead
	// reach the screen they were typed for.
	moves []tea.Msg
}

func (c *common) now() time.Time { return c.cfg.Store.Now() } // one clock: the store's

// base is what decides where links start, as studio.BaseURL takes it.
func (c *common) base() studio.Given { return c.cfg.Links }

// copy puts text on the clipboard of the photographer's own machine with
// OSC 52, which reaches it over SSH too. Under tmux or screen the sequence
// goes twice: as it is (tmux takes it with set-clipboard on) and wrapped
// in DCS passthrough (with allow-passthrough on). No terminal says whether
// it took it, so the status bar says so, and names plain, the key that
// shows the text to select by hand ("": the text is shown already).
func (c *common) copy(text, done, plain string) tea.Cmd {
	out, term := c.cfg.Output, c.cfg.Term
	return func() tea.Msg {
		if out == nil {
			if plain == "" {
				return statusMsg{text: "No terminal to copy through: select the text by hand", err: true}
			}
			return statusMsg{text: "No terminal to copy through: " + plain + " shows the text to select", err: true}
		}
		seqs := []fmt.Stringer{osc52.New(text)}
		switch {
		case strings.HasPrefix(term, "tmux"):
			seqs = append(seqs, osc52.New(text).Tmux())
		case strings.HasPrefix(term, "screen"):
			seqs = append(seqs, osc52.New(text).Screen())
		}
		for _, s := range seqs {
			if _, err := io.WriteString(out, s.String()); err != nil {
				return statusMsg{text: "Copy: " + err.Error(), err: true}
			}
		}
		if plain == "" {
			return statusMsg{text: done + " if your terminal supports it"}
		}
		// Short enough to be read whole at 80 columns; at 60, what was
		// copied gives way to the key.
		return statusMsg{text: done + " if your terminal supports it · " + plain + " shows it",
			short: "Copied if your terminal supports it · " + plain + " shows it"}
	}
}

// goTo asks the root to move to another screen (msg is one of the messages
// that move between screens) as soon as the current key is handled.
func (c *common) goTo(msg tea.Msg) tea.Cmd {
	c.moves = append(c.moves, msg)
	return nil
}

// Model is the root model.
type Model struct {
	c     *common
	help  help.Model
	w, h  int
	stack []screen
	*screens

	status      string
	statusShort string // said instead where status does not fit
	statusErr   bool
	statusSeq   int

	// quitAsk: q was pressed while an import runs, and the TUI asks
	// whether to stop it; stopping: it was told to, and quits once the
	// imports have stopped.
	quitAsk, stopping bool

	// fullQR is the QR code shown on the whole terminal, of qrURL; "": none.
	fullQR, qrURL string
	// plain is the text shown alone to select by hand; "": none.
	plain string
}

// screens are the screens' models, behind one pointer because together
// they are large (over 100 KB): the root model is copied on every call of
// its value methods, and a copy that screen handed a pointer into would be
// moved to the heap. Only the newest copy of the root model is ever used,
// so its copies may share them.
type screens struct {
	galleries galleriesModel
	gallery   galleryModel
	form      formModel
	share     shareModel
	imp       importModel
	clients   clientsModel
	client    clientModel
	clShare   clientShareModel
	activity  activityModel
	settings  settingsModel
}

// New builds the root model.
func New(cfg Config) Model {
	if cfg.Renderer == nil {
		out := cfg.Output
		if out == nil {
			out = io.Discard
		}
		cfg.Renderer = lipgloss.NewRenderer(out)
	}
	if cfg.Poll == 0 {
		cfg.Poll = 2 * time.Second
	}
	parent := cfg.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	c := &common{cfg: cfg, st: NewStyles(cfg.Renderer), keys: DefaultKeyMap(), ctx: ctx, cancel: cancel}
	h := help.New()
	h.Styles = help.Styles{
		Ellipsis:       c.st.Faint,
		ShortKey:       c.st.Subtle.Bold(true),
		ShortDesc:      c.st.Faint,
		ShortSeparator: c.st.Faint,
		FullKey:        c.st.Subtle.Bold(true),
		FullDesc:       c.st.Faint,
		FullSeparator:  c.st.Faint,
	}
	m := Model{c: c, help: h, w: 80, h: 24, stack: []screen{scrGalleries}, screens: &screens{}}
	if cfg.Width > 0 && cfg.Height > 0 {
		m.w, m.h = cfg.Width, cfg.Height
	}
	m.galleries = newGalleries(c)
	m.clients = newClients(c)
	m.activity = newActivity(c)
	m.settings = newSettings(c)
	m.resize()
	return m
}

// ProgramOptions are what the TUI's program needs besides its input, output
// and context: the alternate screen and the mouse (the wheel scrolls lists).
func ProgramOptions() []tea.ProgramOption {
	return []tea.ProgramOption{tea.WithAltScreen(), tea.WithMouseCellMotion()}
}

// Init loads the first screen's data.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.galleries.load(), m.clients.load(), m.settings.load())
}

func (m Model) active() screen { return m.stack[len(m.stack)-1] }

// Messages that move between screens.
type (
	backMsg        struct{}
	openGalleryMsg struct{ slug string }
	editGalleryMsg struct {
		slug   string // "" for a new gallery
		parent string // for a new sub-gallery
	}
	shareMsg       struct{ slug string }
	importStartMsg struct{ slug string }
	editClientMsg  struct{ id int64 } // 0 for a new client login
	shareClientMsg struct{ id int64 }
	activityForMsg struct{ query string }
	// fullQRMsg shows a link's QR code on the whole terminal.
	fullQRMsg struct{ url string }
	// plainMsg shows text alone, without the mouse captured, for
	// selecting by hand where copying did not work.
	plainMsg struct{ text string }
	// statusMsg shows a line in the status bar for a while; short, when
	// set, where text does not fit.
	statusMsg struct {
		text, short string
		err         bool
	}
	clearStatusMsg struct{ seq int }
	// changedMsg says the data changed: lists reload.
	changedMsg struct{}
)

func back() tea.Msg { return backMsg{} }

func statusCmd(text string) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text} }
}

func errCmd(err error) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: err.Error(), err: true} }
}

// Update routes messages: keys to the screen on top, data to every screen
// (each ignores what is not its own).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.help.Width = msg.Width - 2
		m.resize()
		return m, nil
	case tea.KeyMsg:
		if msg.Paste {
			if m.plain != "" || m.fullQR != "" || m.quitAsk {
				return m, nil // nothing under these takes text
			}
			return m.paste(msg)
		}
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
			return m.eachKey(msg)
		}
		k := m.c.keys
		if m.quitAsk {
			return m.answerQuit(msg)
		}
		if m.plain != "" && !key.Matches(msg, k.ForceQuit) {
			if key.Matches(msg, k.Back, k.Plain, k.Quit) {
				m.plain = ""
				return m, tea.EnableMouseCellMotion
			}
			return m, nil
		}
		if m.fullQR != "" && !key.Matches(msg, k.ForceQuit) {
			if key.Matches(msg, k.Back, k.FullQR, k.Quit) {
				m.fullQR = ""
			}
			return m, nil
		}
		if key.Matches(msg, k.ForceQuit) {
			return m.quit()
		}
		if !m.capturing() {
			switch {
			case key.Matches(msg, k.Quit):
				return m.quit()
			case key.Matches(msg, k.Help):
				m.help.ShowAll = !m.help.ShowAll
				m.resize()
				return m, nil
			case key.Matches(msg, k.Galleries):
				return m.switchTab(scrGalleries)
			case key.Matches(msg, k.Clients):
				return m.switchTab(scrClients)
			case key.Matches(msg, k.Activity):
				return m.switchTab(scrActivity)
			case key.Matches(msg, k.Settings):
				return m.switchTab(scrSettings)
			case key.Matches(msg, k.NextTab) && len(m.stack) == 1:
				for i, t := range tabs {
					if t.s == m.active() {
						return m.switchTab(tabs[(i+1)%len(tabs)].s)
					}
				}
			case key.Matches(msg, k.Back) && len(m.stack) > 1:
				return m.back()
			}
		}
		return m.updateActive(msg)
	case tea.MouseMsg:
		return m.updateActive(msg)
	case backMsg:
		return m.back()
	case openGalleryMsg:
		m.gallery = newGallery(m.c, msg.slug)
		m.gallery.SetSize(m.bodySize())
		return m.push(scrGallery, m.gallery.load())
	case editGalleryMsg:
		m.form = newForm(m.c, msg.slug, msg.parent, m.galleries.all)
		m.form.SetSize(m.bodySize())
		return m.push(scrForm, m.form.init())
	case shareMsg:
		m.share = newShare(m.c, msg.slug)
		m.share.SetSize(m.bodySize())
		return m.push(scrShare, m.share.load())
	case importStartMsg:
		title := msg.slug
		for _, g := range m.galleries.all {
			if g.Slug == msg.slug {
				title = "“" + shown(g.Title) + "”"
			}
		}
		m.imp = newImport(m.c, msg.slug, title)
		m.imp.SetSize(m.bodySize())
		return m.push(scrImport, m.imp.init())
	case plainMsg:
		m.plain = msg.text
		return m, tea.DisableMouse
	case fullQRMsg:
		m.fullQR, m.qrURL = qrBlock(msg.url), msg.url
		return m, nil
	case activityForMsg:
		// On top of where the photographer was, so that esc returns there.
		if i := slices.Index(m.stack, scrActivity); i >= 0 {
			m.stack = m.stack[:i+1]
		} else {
			m.stack = append(m.stack, scrActivity)
		}
		var cmd tea.Cmd
		m.activity, cmd = m.activity.open()
		m.activity.filter.input.SetValue(msg.query)
		m.activity.applyFilter()
		return m, cmd
	case shareClientMsg:
		m.clShare = newClientShare(m.c, msg.id)
		m.clShare.SetSize(m.bodySize())
		return m.push(scrClientShare, m.clShare.load())
	case editClientMsg:
		m.client = newClient(m.c, msg.id, m.galleries.all)
		m.client.SetSize(m.bodySize())
		return m.push(scrClient, m.client.init())
	case gallerySavedMsg:
		// The form gives way to the gallery it saved.
		if m.active() == scrForm {
			m.stack = m.stack[:len(m.stack)-1]
		}
		if m.active() == scrGallery && m.gallery.slug == msg.g.Slug {
			m.stack = m.stack[:len(m.stack)-1]
		}
		m.gallery = newGallery(m.c, msg.g.Slug)
		m.gallery.SetSize(m.bodySize())
		m, cmd := m.push(scrGallery, m.gallery.load())
		return m, tea.Batch(cmd, statusCmd(msg.text), m.reload())
	case galleryDeletedMsg:
		for m.active() != scrGalleries && len(m.stack) > 1 {
			m.stack = m.stack[:len(m.stack)-1]
		}
		return m, tea.Batch(statusCmd(msg.text), m.reload())
	case importProgressMsg, importDoneMsg:
		cmd, ended := m.c.imports.update(msg)
		if ended && m.stopping && len(m.c.imports.running()) == 0 {
			m.c.cancel()
			return m, tea.Quit
		}
		return m, cmd
	case changedMsg:
		if slices.Contains(m.stack, scrGallery) {
			// An open gallery's photo count changes with an import too.
			return m, tea.Batch(m.reload(), m.gallery.load())
		}
		return m, m.reload()
	case statusMsg:
		if msg.err && m.c.ctx.Err() != nil {
			return m, nil // a query the TUI's end cut short: nothing to tell
		}
		m.status, m.statusShort, m.statusErr = msg.text, msg.short, msg.err
		m.statusSeq++
		seq := m.statusSeq
		wait := 6 * time.Second
		if m.c.cfg.StatusFor > 0 {
			wait = m.c.cfg.StatusFor
		}
		if msg.err {
			wait *= 2
		}
		return m, tea.Tick(wait, func(time.Time) tea.Msg { return clearStatusMsg{seq} })
	case clearStatusMsg:
		if msg.seq == m.statusSeq {
			m.status = ""
		}
		return m, nil
	}
	return m.broadcast(msg)
}

// quit ends the TUI, but asks first while an import runs.
func (m Model) quit() (tea.Model, tea.Cmd) {
	if len(m.c.imports.running()) > 0 {
		m.quitAsk = true
		return m, nil
	}
	m.c.cancel()
	return m, tea.Quit
}

// answerQuit takes the answer to "stop the import and quit?": yes stops
// every import at a safe point and quits once they have stopped.
func (m Model) answerQuit(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.Yes, k.ForceQuit):
		m.quitAsk, m.stopping = false, true
		m.c.imports.stopAll()
		if len(m.c.imports.running()) == 0 {
			m.c.cancel()
			return m, tea.Quit
		}
	case key.Matches(msg, k.No):
		m.quitAsk = false
	}
	return m, nil
}

// reload refreshes the lists after a change.
func (m Model) reload() tea.Cmd {
	return tea.Batch(m.galleries.load(), m.clients.load())
}

// screen is the model of screen s: the one place that maps screens to
// their models.
func (m Model) screen(s screen) screenModel {
	switch s {
	case scrGalleries:
		return &m.galleries
	case scrGallery:
		return &m.gallery
	case scrForm:
		return &m.form
	case scrShare:
		return &m.share
	case scrImport:
		return &m.imp
	case scrClients:
		return &m.clients
	case scrClient:
		return &m.client
	case scrClientShare:
		return &m.clShare
	case scrActivity:
		return &m.activity
	case scrSettings:
		return &m.settings
	}
	panic("tui: unknown screen")
}

func (m Model) capturing() bool { return m.screen(m.active()).Capturing() }

func (m Model) switchTab(s screen) (tea.Model, tea.Cmd) {
	if len(m.stack) == 1 && m.active() == s {
		return m, nil
	}
	m.stack = []screen{s}
	m.activity.live = false
	var cmd tea.Cmd
	switch s {
	case scrGalleries:
		cmd = m.galleries.load()
	case scrClients:
		cmd = m.clients.load()
	case scrActivity:
		m.activity, cmd = m.activity.open()
	case scrSettings:
		m.settings, cmd = m.settings.open()
	}
	return m, cmd
}

func (m Model) push(s screen, cmd tea.Cmd) (Model, tea.Cmd) {
	m.stack = append(m.stack, s)
	return m, cmd
}

func (m Model) back() (tea.Model, tea.Cmd) {
	if len(m.stack) == 1 {
		return m, nil
	}
	left := m.active()
	m.stack = m.stack[:len(m.stack)-1]
	var cmd tea.Cmd
	if left == scrActivity && !slices.Contains(m.stack, scrActivity) {
		m.activity.live = false
	}
	switch m.active() {
	case scrGallery:
		return m, tea.Batch(cmd, m.gallery.load())
	case scrGalleries:
		return m, tea.Batch(cmd, m.galleries.load())
	case scrClients:
		return m, tea.Batch(cmd, m.clients.load())
	}
	return m, cmd
}

func (m Model) updateActive(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmds := []tea.Cmd{m.screen(m.active()).update(msg)}
	for len(m.c.moves) > 0 {
		move := m.c.moves[0]
		m.c.moves = m.c.moves[1:]
		next, cmd := m.Update(move)
		m = next.(Model)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// eachKey handles keys that arrived in one read (typed fast, or over SSH)
// one by one, as if they had come one at a time.
func (m Model) eachKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	cmds := make([]tea.Cmd, 0, len(msg.Runes))
	var mm tea.Model = m
	for _, r := range msg.Runes {
		var cmd tea.Cmd
		mm, cmd = mm.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return mm, tea.Batch(cmds...)
}

// paster is a screen that takes pasted text while no field has the focus
// (a list puts it in its filter).
type paster interface {
	paste(text string) tea.Cmd
}

// paste hands pasted text whole to the field being typed in: it is text,
// never keys, so a "q" or "d" in it does nothing. A final line break is
// dropped: copied slugs and codes often carry one.
func (m Model) paste(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	text := strings.TrimRight(string(msg.Runes), "\r\n")
	if text == "" {
		return m, nil
	}
	msg.Runes = []rune(text)
	if m.capturing() {
		return m.updateActive(msg)
	}
	if p, ok := m.screen(m.active()).(paster); ok {
		return m, p.paste(text)
	}
	return m, nil
}

// broadcast hands a data message to every screen; each screen acts only
// on its own message types (and on results for what it asked).
func (m Model) broadcast(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmds := make([]tea.Cmd, numScreens)
	for s := range numScreens {
		cmds[s] = m.screen(s).update(msg)
	}
	return m, tea.Batch(cmds...)
}

func (m Model) keyMap() help.KeyMap {
	if m.quitAsk {
		return oneRowHelp(m.c.keys.Yes, m.c.keys.No)
	}
	km := m.screen(m.active()).KeyMap()
	k := m.c.keys
	short := append([]key.Binding{}, km.ShortHelp()...)
	var always []key.Binding // shown whatever the width
	global := []key.Binding{k.Galleries, k.Clients, k.Activity, k.Settings, k.NextTab}
	capturing := m.capturing()
	if len(m.stack) > 1 && !capturing {
		always = append(always, k.Back)
		global = []key.Binding{k.Back, k.Galleries, k.Clients, k.Activity, k.Settings}
	}
	if capturing {
		global = nil
		always = append(always, k.ForceQuit)
	} else {
		always = append(always, k.Help, k.Quit)
		global = append(global, k.Help, k.Quit)
	}
	// The screen's keys give way from the last, so that the footer fits
	// and esc, ? and q stay in it (? lists the rest).
	whole := m.help
	whole.Width = 0 // not cut: its real width
	for len(short) > 1 && lipgloss.Width(whole.ShortHelpView(append(slices.Clone(short), always...))) > m.help.Width {
		short = short[:len(short)-1]
	}
	short = append(short, always...)
	full := append([][]key.Binding{}, km.FullHelp()...)
	if len(global) > 0 {
		full = append(full, global)
	}
	return keyHelp{short: short, full: full}
}

// bodySize is the room a screen has between the header and the footer.
func (m Model) bodySize() (int, int) {
	footer := lipgloss.Height(m.help.View(m.keyMap()))
	return max(m.w-2, 20), max(m.h-3-footer, 3)
}

func (m *Model) resize() {
	w, h := m.bodySize()
	for s := range numScreens {
		m.screen(s).SetSize(w, h)
	}
}

// View draws the header, the active screen, the status bar and the help.
func (m Model) View() string {
	st := m.c.st
	if m.fullQR != "" {
		return m.qrView()
	}
	if m.plain != "" {
		// No margin, no frame: what the mouse selects is the text alone.
		text := shownBlock(m.plain) + "\n\n" + st.Faint.Render("Select with the mouse and copy · esc closes")
		return fit(st.r.NewStyle().Width(m.w).Render(text), m.w, m.h)
	}
	w, h := m.bodySize()
	body := fit(m.screen(m.active()).View(), w, h)
	out := []string{m.header(w), "", body, m.statusBar(w), m.help.View(m.keyMap())}
	return st.App.Render(fit(strings.Join(out, "\n"), w, max(m.h, 1)))
}

// qrView is a QR code alone on the terminal, as large a screen as a phone
// needs to read it, with the link under it.
func (m Model) qrView() string {
	st := m.c.st
	q := st.QR.Render(m.fullQR)
	caption := st.Faint.Render(truncate(m.qrURL, m.w-2)) + "\n" + st.Faint.Render("esc closes")
	if lipgloss.Height(q)+2 > m.h || lipgloss.Width(q) > m.w {
		q = st.Error.Render("The terminal is too small for the QR code: make it larger.")
	}
	return lipgloss.Place(m.w, m.h, lipgloss.Center, lipgloss.Center, lipgloss.JoinVertical(lipgloss.Center, q, caption))
}

func (m Model) header(w int) string {
	st := m.c.st
	studio := m.settings.studioName
	if studio == "Pinhole" {
		studio = "" // the default name: the badge says it already
	}
	tabsLine := func(short, numbers bool) string {
		parts := []string{st.Badge.Render("Pinhole")}
		for i, t := range tabs {
			name := t.name
			if short {
				name = t.short
			}
			if numbers {
				name = string(rune('1'+i)) + " " + name
			}
			if t.s == m.stack[0] {
				if st.r.ColorProfile() == termenv.Ascii {
					name = "[" + name + "]" // without colours, still plain which section is open
				}
				parts = append(parts, st.TabActive.Render(name))
			} else {
				parts = append(parts, st.Tab.Render(name))
			}
		}
		return lipgloss.JoinHorizontal(lipgloss.Top, parts...)
	}
	// The longest form that leaves room for the studio's name; the tab
	// numbers (the keys to them) go only when even without the name
	// there is no room.
	left := tabsLine(false, true)
	if lipgloss.Width(left)+3+lipgloss.Width(studio) > w {
		left = tabsLine(true, true)
	}
	if lipgloss.Width(left)+3+lipgloss.Width(studio) > w && lipgloss.Width(left) > w {
		left = tabsLine(true, false)
	}
	if rest := w - lipgloss.Width(left) - 3; rest > 8 && studio != "" {
		return left + "  " + st.StudioName.Width(rest).Align(lipgloss.Right).Render(truncate(shown(studio), rest))
	}
	return left
}

func (m Model) statusBar(w int) string {
	st := m.c.st
	// What links start with; over SSH also the address shown, as where
	// the server listens means nothing from afar.
	links := cmp.Or(m.settings.links, m.c.cfg.Links.URL)
	addr := m.c.cfg.Address
	if m.c.cfg.Remote {
		addr = links
	}
	right := "website not served here"
	switch {
	case addr != "":
		right = "website " + addr
	case m.c.cfg.Remote:
		right = "" // the address comes with the settings
	}
	if w < 70 {
		right = addr
	}
	// The line on the left, unstyled, and its style: what the
	// photographer was just told comes before the address, which gives
	// way when both do not fit.
	var text string
	style := st.Accent
	running := m.c.imports.running()
	switch {
	case m.quitAsk:
		text, style = fmt.Sprintf("%d %s running: stop and quit? y/n", len(running), studio.Plural(len(running), "import is", "imports are")), st.Warn
	case m.stopping:
		text, style = "Stopping the import: photos already imported stay…", st.Warn
	case m.status != "" && m.statusErr:
		text, style = "✗ "+shown(m.status), st.Error
	case m.status != "":
		text, style = "✓ "+shown(m.status), st.OK
		if m.statusShort != "" && lipgloss.Width(text)+1 > w {
			text = "✓ " + shown(m.statusShort)
		}
	case len(running) == 1:
		j := running[0]
		text = fmt.Sprintf("⟳ Importing into %s: %d%%", shown(j.title), j.percent())
		if l := j.left(); l != "" {
			text += " · " + l
		}
	case len(running) > 1:
		done, total := 0, 0
		for _, j := range running {
			done, total = done+j.prog.Done, total+j.prog.Total
		}
		text = fmt.Sprintf("⟳ %d imports: %d of %d photos", len(running), done, total)
	case m.settings.loaded && studio.LocalOnly(links):
		// Until it is set, every link shared says localhost.
		text, style = "Links open only on this computer: set the Base URL in 4 settings", st.Error
	}
	if lipgloss.Width(text)+1+lipgloss.Width(right) > w && (m.quitAsk || m.status != "") {
		right = ""
	}
	right = st.StatusAddr.Render(right)
	left := style.Render(truncate(text, w-lipgloss.Width(right)-1))
	gap := max(w-lipgloss.Width(left)-lipgloss.Width(right), 1)
	return left + strings.Repeat(" ", gap) + right
}

// fit makes s exactly w×h cells: long lines are cut, never wrapped, so a
// screen can never push the footer off the terminal.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = pad(l, w)
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return strings.Join(lines, "\n")
}
