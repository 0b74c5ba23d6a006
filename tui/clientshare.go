package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"pinhole/studio"
)

type clientShareMsg struct {
	id    int64
	name  string
	share studio.ClientShare
	err   error
}

// clientShareModel shows what to send a client with a login: the studio's
// address, the access code and a ready message, each one key to copy.
type clientShareModel struct {
	c     *common
	id    int64
	name  string
	share *studio.ClientShare
	vp    viewport.Model // the boxes, scrolled where they do not fit
	w, h  int
}

func newClientShare(c *common, id int64) clientShareModel {
	vp := viewport.New(0, 0)
	vp.Style = c.st.r.NewStyle()
	vp.KeyMap = viewport.KeyMap{PageDown: c.keys.PageDown, PageUp: c.keys.PageUp, Up: c.keys.Up, Down: c.keys.Down}
	return clientShareModel{c: c, id: id, vp: vp}
}

// clientShareHow is the sentence under the title.
const clientShareHow = "They type the code on the studio's home page, and see every gallery shared with them."

func (m clientShareModel) load() tea.Cmd {
	s, ctx, id, base := m.c.cfg.Store, m.c.ctx, m.id, m.c.base()
	return func() tea.Msg {
		cl, err := s.ClientByID(ctx, id)
		if err != nil {
			return clientShareMsg{id: id, err: err}
		}
		sh, err := studio.ClientShareFor(ctx, s, base, cl)
		return clientShareMsg{id: id, name: cl.Name, share: sh, err: err}
	}
}

func (m *clientShareModel) SetSize(w, h int) {
	m.w, m.h = w, h
	if m.c == nil {
		return
	}
	m.vp.Width, m.vp.Height = w, max(h-len(m.head())-1, 1)
	if m.share != nil {
		m.vp.SetContent(m.content())
	}
}

// head is the title and the sentence under it, wrapped.
func (m clientShareModel) head() []string {
	st := m.c.st
	head := append([]string{st.Title.Render(truncate("Send the login of "+shown(m.name), m.w))},
		strings.Split(st.Subtle.Width(max(m.w, 10)).Render(clientShareHow), "\n")...)
	if m.share != nil && m.share.Warning != "" {
		head = append(head, strings.Split(st.Warn.Width(max(m.w, 10)).Render("⚠ "+shown(m.share.Warning)+"."), "\n")...)
	}
	return head
}

func (m clientShareModel) Capturing() bool { return false }

func (m clientShareModel) KeyMap() help.KeyMap {
	k := m.c.keys
	return keyHelp{short: []key.Binding{k.CopyAddress, k.CopyCode, k.CopyClientMsg, k.Plain},
		full: [][]key.Binding{{k.CopyAddress, k.CopyCode, k.CopyClientMsg, k.Plain}, {k.Up, k.Down, k.PageUp, k.PageDown}}}
}

func (m *clientShareModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m clientShareModel) Update(msg tea.Msg) (clientShareModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case clientShareMsg:
		if msg.id != m.id {
			return m, nil
		}
		if msg.err != nil {
			return m, errCmd(msg.err)
		}
		m.name, m.share = msg.name, &msg.share
		m.SetSize(m.w, m.h)
	case tea.KeyMsg:
		if m.share == nil {
			return m, nil
		}
		switch {
		case key.Matches(msg, k.CopyAddress):
			return m, m.c.copy(m.share.URL, "Address copied", m.c.keys.Plain.Help().Key)
		case key.Matches(msg, k.CopyCode):
			return m, m.c.copy(m.share.Code, "Access code copied", m.c.keys.Plain.Help().Key)
		case key.Matches(msg, k.CopyClientMsg):
			return m, m.c.copy(m.share.Message, "Message copied", m.c.keys.Plain.Help().Key)
		case key.Matches(msg, k.Plain):
			return m, m.c.goTo(plainMsg{m.share.URL + "\n\n" + m.share.Code + "\n\n" + m.share.Message})
		}
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(msg)
	return m, cmd
}

func (m clientShareModel) View() string {
	st := m.c.st
	if m.share == nil {
		return st.Subtle.Render("Loading…")
	}
	var foot string
	if !m.vp.AtTop() || !m.vp.AtBottom() {
		foot = st.Faint.Render(fmt.Sprintf("%3.0f%% · ↑/↓ scroll for the rest", m.vp.ScrollPercent()*100))
	}
	return strings.Join(append(m.head(), m.vp.View(), foot), "\n")
}

// content is the boxes to copy from.
func (m clientShareModel) content() string {
	st := m.c.st
	sh := m.share
	boxW := min(max(m.w-2, 20), 72)
	block := func(label, value, keyHint string) string {
		body := st.Header.Render(label) + "  " + st.Faint.Render(keyHint) + "\n" + st.Secret.Render(truncate(value, boxW-4))
		return st.FocusedBox.Width(boxW - 2).Render(body)
	}
	wrapped := st.r.NewStyle().Width(boxW - 4).Render(shownBlock(sh.Message))
	return lipgloss.JoinVertical(lipgloss.Left,
		block("ADDRESS", sh.URL, "l copies"),
		block("ACCESS CODE", sh.Code, "c copies"),
		st.Box.Width(boxW-2).Render(st.Header.Render("MESSAGE")+"  "+st.Faint.Render("m copies · its text is in 4 settings")+"\n"+st.Text.Render(wrapped)),
	)
}
