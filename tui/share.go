package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"rsc.io/qr"

	"pinhole/db"
	"pinhole/studio"
)

type shareLoadedMsg struct {
	slug  string
	g     db.Gallery
	share studio.Share
	err   error
}

// shareModel shows what to send a client: the link and the PIN apart.
type shareModel struct {
	c     *common
	slug  string
	g     db.Gallery
	share *studio.Share
	qr    string
	vp    viewport.Model
	w, h  int
}

func newShare(c *common, slug string) shareModel {
	vp := viewport.New(0, 0)
	vp.Style = c.st.r.NewStyle()
	vp.KeyMap = viewport.KeyMap{PageDown: c.keys.PageDown, PageUp: c.keys.PageUp, Up: c.keys.Up, Down: c.keys.Down}
	return shareModel{c: c, slug: slug, vp: vp}
}

func (m shareModel) load() tea.Cmd {
	s, ctx, slug, base := m.c.cfg.Store, m.c.ctx, m.slug, m.c.base()
	return func() tea.Msg {
		g, err := s.Gallery(ctx, slug)
		if err != nil {
			return shareLoadedMsg{slug: slug, err: err}
		}
		sh, err := studio.ShareFor(ctx, s, base, g)
		return shareLoadedMsg{slug: slug, g: g, share: sh, err: err}
	}
}

func (m *shareModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.vp.Width, m.vp.Height = w, max(h-3, 1)
	if m.c != nil && m.share != nil {
		m.vp.Height = max(h-lipgloss.Height(m.head())-1, 1)
		m.vp.SetContent(m.content())
	}
}

func (m shareModel) Capturing() bool { return false }

func (m shareModel) KeyMap() help.KeyMap {
	k := m.c.keys
	short := []key.Binding{k.CopyLink}
	if m.share != nil && m.share.PIN != "" {
		short = append(short, k.CopyPIN)
	}
	short = append(short, k.CopyLinkMsg)
	if m.share != nil && m.share.PIN != "" {
		short = append(short, k.CopyPINMsg)
	}
	short = append(short, k.FullQR, k.Plain)
	return keyHelp{short: short, full: [][]key.Binding{{k.CopyLink, k.CopyPIN, k.CopyLinkMsg, k.CopyPINMsg}, {k.FullQR, k.Plain, k.Up, k.Down, k.PageUp, k.PageDown}}}
}

func (m *shareModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m shareModel) Update(msg tea.Msg) (shareModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case shareLoadedMsg:
		if msg.slug != m.slug {
			return m, nil
		}
		if msg.err != nil {
			return m, errCmd(msg.err)
		}
		m.g, m.share = msg.g, &msg.share
		m.qr = qrBlock(msg.share.URL)
		m.SetSize(m.w, m.h) // the head may hold a warning
		return m, nil
	case tea.KeyMsg:
		if m.share == nil {
			return m, nil
		}
		switch {
		case key.Matches(msg, k.CopyLink):
			return m, m.copy(m.share.URL, "Link copied")
		case key.Matches(msg, k.CopyPIN) && m.share.PIN != "":
			return m, m.copy(m.share.PIN, "PIN copied")
		case key.Matches(msg, k.CopyLinkMsg):
			return m, m.copy(m.share.LinkMessage, "E-mail text copied")
		case key.Matches(msg, k.CopyPINMsg) && m.share.PIN != "":
			return m, m.copy(m.share.PINMessage, "PIN text message copied")
		case key.Matches(msg, k.Plain):
			text := m.share.URL
			if m.share.PIN != "" {
				text += "\n\n" + m.share.PIN
			}
			text += "\n\n" + m.share.LinkMessage
			if m.share.PINMessage != "" {
				text += "\n\n" + m.share.PINMessage
			}
			return m, m.c.goTo(plainMsg{text})
		case key.Matches(msg, k.FullQR):
			return m, m.c.goTo(fullQRMsg{m.share.URL})
		}
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(msg)
	return m, cmd
}

// copy puts text on the clipboard of the terminal the TUI is drawn on.
func (m shareModel) copy(text, done string) tea.Cmd {
	return m.c.copy(text, done, m.c.keys.Plain.Help().Key)
}

func (m shareModel) View() string {
	st := m.c.st
	if m.share == nil {
		return st.Subtle.Render("Loading…")
	}
	var foot string
	if !m.vp.AtTop() || !m.vp.AtBottom() {
		foot = st.Faint.Render(fmt.Sprintf("%3.0f%% · ↑/↓ scroll for the rest", m.vp.ScrollPercent()*100))
	}
	return m.head() + "\n" + m.vp.View() + "\n" + foot
}

// head is the title, how to send, and why the link will not open, if so.
func (m shareModel) head() string {
	st := m.c.st
	head := st.Title.Render(truncate("Share “"+shown(m.g.Title)+"”", m.w)) + "\n" +
		st.Subtle.Render(truncate("Link by e-mail, PIN by text message: send them apart.", m.w))
	if w := m.share.Warning; w != "" { // as gallery share says it
		head += "\n" + st.Warn.Width(max(m.w, 10)).Render("⚠ "+shown(w)+".")
	}
	return head
}

func (m shareModel) content() string {
	st := m.c.st
	sh := m.share
	boxW := min(max(m.w-2, 20), 72)
	block := func(label, value, keyHint string) string {
		body := st.Header.Render(label) + "  " + st.Faint.Render(keyHint) + "\n" + st.Secret.Render(value)
		return st.FocusedBox.Width(boxW - 2).Render(body)
	}
	var left []string
	left = append(left, block("LINK", sh.URL, "l copies"))
	if sh.PIN != "" {
		left = append(left, block("PIN", spaced(sh.PIN), "p copies"))
	} else {
		left = append(left, st.Subtle.Render("No PIN: the link alone opens this gallery."))
	}
	msg := func(label, text, keyHint string) string {
		wrapped := st.r.NewStyle().Width(boxW - 4).Render(shownBlock(text))
		return st.Box.Width(boxW - 2).Render(st.Header.Render(label) + "  " + st.Faint.Render(keyHint) + "\n" + st.Text.Render(wrapped))
	}
	left = append(left, msg("E-MAIL", sh.LinkMessage, "m copies"))
	if sh.PINMessage != "" {
		left = append(left, msg("TEXT MESSAGE", sh.PINMessage, "t copies"))
	}
	l := lipgloss.JoinVertical(lipgloss.Left, left...)
	q := st.QR.Render(m.qr)
	caption := st.Faint.Render("Scan to open the link")
	// The QR code only where it fits whole: a cut one cannot be read.
	if m.w >= boxW+lipgloss.Width(q)+4 && lipgloss.Height(q)+1 <= m.vp.Height {
		right := lipgloss.JoinVertical(lipgloss.Center, q, caption)
		return lipgloss.JoinHorizontal(lipgloss.Top, l, "   ", right)
	}
	return lipgloss.JoinVertical(lipgloss.Left, l, st.Faint.Render(truncate("Q shows the QR code of the link, full screen.", m.w)))
}

// spaced makes a PIN easy to read aloud: "482 917".
func spaced(pin string) string {
	if len(pin) <= 4 {
		return pin
	}
	var b strings.Builder
	for i, r := range pin {
		if i > 0 && i%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// qrBlock draws a QR code with half blocks: two rows of modules per line,
// with a quiet zone of two modules. Dark modules are drawn with ink.
func qrBlock(text string) string {
	// Level L: the smallest code, read from a screen without damage.
	code, err := qr.Encode(text, qr.L)
	if err != nil {
		return ""
	}
	const quiet = 2
	n := code.Size
	dark := func(x, y int) bool {
		x, y = x-quiet, y-quiet
		return x >= 0 && y >= 0 && x < n && y < n && code.Black(x, y)
	}
	var b strings.Builder
	for y := 0; y < n+2*quiet; y += 2 {
		for x := 0; x < n+2*quiet; x++ {
			top, bottom := dark(x, y), dark(x, y+1)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		if y+2 < n+2*quiet {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
