package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"pinhole/db"
	"pinhole/studio"
)

// How many events the feed keeps, and what counts as a burst of wrong PINs.
const (
	feedSize    = 500
	burstCount  = 3
	burstWindow = 10 * time.Minute
)

type eventsMsg struct {
	events []db.Event
	gen    int
	full   bool // the whole feed, not only what is new
}

type pollMsg struct{ gen int }

// activityModel is the live feed of events across galleries.
type activityModel struct {
	c      *common
	events []db.Event // oldest first
	burst  map[int64]bool
	loaded bool
	gen    int // bumps when the screen opens, so old poll loops stop
	live   bool
	list   listState
	filter filterBox
	shown  []int
	w, h   int
}

func newActivity(c *common) activityModel {
	return activityModel{c: c, filter: newFilterBox(c.st, "gallery or client")}
}

// open starts the feed: a full load, then polling for newer events.
func (m activityModel) open() (activityModel, tea.Cmd) {
	m.gen++
	m.live = true
	return m, m.fetch(0)
}

func (m activityModel) fetch(after int64) tea.Cmd {
	s, ctx, gen := m.c.cfg.Store, m.c.ctx, m.gen
	return func() tea.Msg {
		evs, err := s.Events(ctx, db.EventFilter{AfterID: after, Limit: feedSize})
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		return eventsMsg{events: evs, gen: gen, full: after == 0}
	}
}

func (m activityModel) poll() tea.Cmd {
	gen := m.gen
	return tea.Tick(m.c.cfg.Poll, func(time.Time) tea.Msg { return pollMsg{gen} })
}

func (m *activityModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.list.setHeight(h - 3)
	m.filter.input.Width = max(w-4, 10)
}

func (m activityModel) Capturing() bool { return m.filter.typing }

func (m activityModel) KeyMap() help.KeyMap {
	k := m.c.keys
	if m.filter.typing {
		return oneRowHelp(k.Open, k.ClearFilter)
	}
	return keyHelp{
		short: []key.Binding{k.Open, k.Filter, k.Up, k.Down},
		full:  [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}, {k.Open, k.Filter}},
	}
}

func (m *activityModel) markBursts() {
	m.burst = map[int64]bool{}
	byGallery := map[int64][]db.Event{}
	for _, e := range m.events {
		if e.Kind == db.EventPINFail || e.Kind == db.EventLoginFail || e.Kind == db.EventMailFail {
			byGallery[e.GalleryID] = append(byGallery[e.GalleryID], e)
		}
	}
	for _, evs := range byGallery {
		for i := range evs {
			j := i
			for j+1 < len(evs) && evs[j+1].At.Sub(evs[i].At) <= burstWindow {
				j++
			}
			if j-i+1 >= burstCount {
				for x := i; x <= j; x++ {
					m.burst[evs[x].ID] = true
				}
			}
		}
	}
}

func (m *activityModel) applyFilter() {
	q := m.filter.query()
	atEnd := m.list.cursor >= m.list.n-1
	m.shown = m.shown[:0]
	for i, e := range m.events {
		if q == "" || strings.Contains(strings.ToLower(e.GalleryTitle), q) || strings.Contains(e.GallerySlug, q) ||
			strings.Contains(strings.ToLower(e.ClientName), q) || strings.Contains(strings.ToLower(e.Who()), q) {
			m.shown = append(m.shown, i)
		}
	}
	m.list.setLen(len(m.shown))
	if atEnd { // follow the feed
		m.list.move(len(m.shown))
	}
}

// paste puts pasted text in the filter.
func (m *activityModel) paste(text string) tea.Cmd {
	cmd := m.filter.paste(text)
	m.applyFilter()
	return cmd
}

func (m *activityModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m activityModel) Update(msg tea.Msg) (activityModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case eventsMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.full {
			m.events = msg.events
		} else {
			m.events = append(m.events, msg.events...)
		}
		if n := len(m.events); n > feedSize {
			m.events = m.events[n-feedSize:]
		}
		m.loaded = true
		m.markBursts()
		m.applyFilter()
		return m, m.poll()
	case pollMsg:
		if msg.gen != m.gen || !m.live {
			return m, nil
		}
		var after int64
		if n := len(m.events); n > 0 {
			after = m.events[n-1].ID
		}
		if !m.loaded {
			return m, m.fetch(0)
		}
		return m, m.fetch(after)
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
		if key.Matches(msg, k.Open) && len(m.shown) > 0 {
			// The gallery of the event, or the client login of a login.
			e := m.events[m.shown[m.list.cursor]]
			switch {
			case e.GallerySlug != "":
				return m, m.c.goTo(openGalleryMsg{e.GallerySlug})
			case e.ClientID != 0:
				return m, m.c.goTo(editClientMsg{e.ClientID})
			}
			return m, statusCmd("This event has no gallery or client login to open")
		}
	case tea.MouseMsg:
		m.list.update(msg, k)
	}
	return m, nil
}

func (m activityModel) View() string {
	st := m.c.st
	if !m.loaded {
		return st.Subtle.Render("Loading activity…")
	}
	var b strings.Builder
	at := ""
	if len(m.shown) > 0 {
		at = fmt.Sprintf("%d of %d", m.list.cursor+1, len(m.shown))
	}
	if m.filter.shown() {
		f := m.filter.input
		f.Width = max(min(lipgloss.Width(f.Value())+1, m.w-lipgloss.Width(at)-6), 14)
		b.WriteString(f.View() + "   " + st.Subtle.Render(at) + "\n")
	} else {
		var rest []string
		if at != "" {
			rest = append(rest, st.Subtle.Render(at))
		}
		if n := len(m.burst); n > 0 {
			rest = append(rest, st.Warn.Render(fmt.Sprintf("⚠ %d wrong PINs in bursts", n)))
		}
		// The sentence gives way before the numbers do.
		head := strings.Join(append([]string{st.Subtle.Render("Live: new visits appear here as they happen")}, rest...), st.Subtle.Render(" · "))
		if lipgloss.Width(head) > m.w {
			head = strings.Join(append([]string{st.Subtle.Render("Live")}, rest...), st.Subtle.Render(" · "))
		}
		b.WriteString(head + "\n")
	}
	if len(m.events) == 0 {
		b.WriteString("\n" + st.Text.Render("Nothing yet. When clients open a gallery, type a PIN, pick favourites or") + "\n")
		b.WriteString(st.Text.Render("download photos, it shows up here.") + "\n")
		return b.String()
	}
	if len(m.shown) == 0 {
		b.WriteString(st.Subtle.Render("No event matches “"+m.filter.input.Value()+"”.") + "\n")
	}
	now := m.c.now()
	// Each column ends with a space, so that none runs into the next.
	whenW, whoW := 17, 18
	galW := 24
	if m.w < 90 {
		galW, whoW = 18, 14
	}
	if m.w < 70 {
		whenW, galW, whoW = 12, 14, 12
	}
	whatW := max(m.w-2-whenW-galW-whoW, 8)
	b.WriteString(st.Header.Render(pad("  "+pad("WHEN", whenW)+pad("GALLERY", galW)+pad("WHO", whoW)+"WHAT", m.w)) + "\n")
	from, to := m.list.window()
	for i := from; i < to; i++ {
		e := m.events[m.shown[i]]
		when := e.At.Local().Format("Jan 02 15:04:05")
		if m.w < 70 {
			when = ago(now, e.At)
		}
		// Names are cut in the middle: their ends (a file's number, a
		// gallery's date) are what tell them apart.
		what := truncate(shown(studio.Describe(e)), whatW)
		if e.PhotoName != "" {
			what = middle(shown(studio.Describe(e)), whatW)
		}
		row := pad(when, whenW) + pad(middle(shown(e.GalleryTitle), galW-1), galW) + pad(middle(shown(e.Who()), whoW-1), whoW) + what
		row = pad(row, m.w-2)
		switch {
		case i == m.list.cursor:
			b.WriteString(st.Cursor.Render("▌ ") + st.Selected.Render(row) + "\n")
		case m.burst[e.ID]:
			b.WriteString(st.Warn.Render("⚠ "+row) + "\n")
		default:
			b.WriteString("  " + st.Text.Render(row) + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}
