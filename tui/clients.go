package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
	"pinhole/studio"
)

type clientsMsg struct {
	clients []db.Client
	opens   []int // galleries each login opens now
}

type clientDeletedMsg struct{ text string }

// clientsModel lists the client logins.
type clientsModel struct {
	c       *common
	clients []db.Client
	opens   []int
	loaded  bool
	list    listState
	confirm bool
	w, h    int
}

func newClients(c *common) clientsModel { return clientsModel{c: c} }

func (m clientsModel) load() tea.Cmd {
	s, ctx, now := m.c.cfg.Store, m.c.ctx, m.c.now()
	return func() tea.Msg {
		cs, err := s.Clients(ctx)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		all, err := s.Galleries(ctx)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		all = studio.Ordered(all)
		msg := clientsMsg{clients: cs}
		for _, cl := range cs {
			msg.opens = append(msg.opens, studio.Reachable(studio.Opens(all, cl.Galleries, now)))
		}
		return msg
	}
}

func (m *clientsModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.list.setHeight(h - 3)
}

func (m clientsModel) Capturing() bool { return m.confirm }

func (m clientsModel) KeyMap() help.KeyMap {
	k := m.c.keys
	if m.confirm {
		return oneRowHelp(k.Yes, k.No)
	}
	return keyHelp{
		short: []key.Binding{k.Open, k.New, k.SendLogin, k.Delete},
		full:  [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}, {k.Open, k.New, k.SendLogin, k.Delete}},
	}
}

func (m clientsModel) selected() (db.Client, bool) {
	if len(m.clients) == 0 {
		return db.Client{}, false
	}
	return m.clients[m.list.cursor], true
}

func (m *clientsModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m clientsModel) Update(msg tea.Msg) (clientsModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case clientsMsg:
		m.clients, m.opens, m.loaded = msg.clients, msg.opens, true
		m.list.setLen(len(m.clients))
		return m, nil
	case clientDeletedMsg:
		return m, tea.Batch(statusCmd(msg.text), m.load())
	case tea.KeyMsg:
		if m.confirm {
			switch {
			case key.Matches(msg, k.Yes):
				m.confirm = false
				cl, _ := m.selected()
				s, ctx := m.c.cfg.Store, m.c.ctx
				return m, func() tea.Msg {
					if err := studio.DeleteClient(ctx, s, cl.ID); err != nil {
						return statusMsg{text: err.Error(), err: true}
					}
					return clientDeletedMsg{fmt.Sprintf("Deleted the login of %s: its access code no longer works", cl.Name)}
				}
			case key.Matches(msg, k.No):
				m.confirm = false
			}
			return m, nil
		}
		if m.list.update(msg, k) {
			return m, nil
		}
		switch {
		case key.Matches(msg, k.New):
			return m, m.c.goTo(editClientMsg{})
		case key.Matches(msg, k.SendLogin):
			if cl, ok := m.selected(); ok {
				return m, m.c.goTo(shareClientMsg{cl.ID})
			}
		case key.Matches(msg, k.Open), key.Matches(msg, k.Edit):
			if cl, ok := m.selected(); ok {
				return m, m.c.goTo(editClientMsg{cl.ID})
			}
		case key.Matches(msg, k.Delete):
			if _, ok := m.selected(); ok {
				m.confirm = true
			}
		}
	case tea.MouseMsg:
		m.list.update(msg, k)
	}
	return m, nil
}

func (m clientsModel) View() string {
	st := m.c.st
	if !m.loaded {
		return st.Subtle.Render("Loading client logins…")
	}
	var b strings.Builder
	if len(m.clients) == 0 {
		b.WriteString(st.Title.Render("No client logins yet") + "\n\n")
		b.WriteString(st.Text.Render("A client login is a name and an access code that opens every gallery you share") + "\n")
		b.WriteString(st.Text.Render("with that client, without their PINs. Press ") + st.Accent.Render("n") + st.Text.Render(" to create one.") + "\n")
		return b.String()
	}
	from, to := m.list.window()
	var question []string
	if m.confirm {
		cl, _ := m.selected()
		question = ask(st, fmt.Sprintf("Delete the login of %s? Their galleries stay; the code stops working.", shown(cl.Name)), m.w)
		// The question below the rows, the login it is about in view.
		for room := m.h - 3 - len(question); to-from > max(room, 1); {
			if m.list.cursor < to-1 {
				to--
			} else {
				from++
			}
		}
	}
	head := fmt.Sprintf("%d client %s", len(m.clients), studio.Plural(len(m.clients), "login", "logins"))
	if from > 0 || to < len(m.clients) { // the rows shown, as the question leaves them
		head += " · " + span(from, to, len(m.clients))
	}
	b.WriteString(st.Subtle.Render(head) + "\n")
	codeW, galW, visitW := 17, 11, 12
	if m.w < 70 {
		visitW = 0
	}
	nameW := max(m.w-2-codeW-galW-visitW, 10)
	hdr := "  " + pad("NAME", nameW) + pad("ACCESS CODE", codeW) + pad("OPENS", galW)
	if visitW > 0 {
		hdr += pad("LAST VISIT", visitW)
	}
	b.WriteString(st.Header.Render(hdr) + "\n")
	now := m.c.now()
	for i := from; i < to; i++ {
		cl := m.clients[i]
		row := pad(shown(cl.Name), nameW) + pad(db.FormatCode(cl.Code), codeW) + pad(fmt.Sprint(m.opens[i]), galW)
		if visitW > 0 {
			row += pad(ago(now, cl.LastSeenAt), visitW)
		}
		if i == m.list.cursor {
			b.WriteString(st.Cursor.Render("▌ ") + st.Selected.Render(row) + "\n")
		} else {
			b.WriteString("  " + st.Text.Render(row) + "\n")
		}
	}
	if question != nil {
		b.WriteString("\n" + strings.Join(question, "\n"))
	}
	return strings.TrimSuffix(b.String(), "\n")
}
