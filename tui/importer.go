package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"pinhole/media"
	"pinhole/studio"
)

type (
	completionMsg struct {
		input string
		value string
		more  []string
	}
	importProgressMsg struct {
		run int
		p   studio.Progress
	}
	importDoneMsg struct {
		run  int
		last studio.Progress
		sum  studio.Summary
		err  error
	}
)

// importRun connects a running import to the UI: the latest progress,
// and the end.
type importRun struct {
	id     int
	mu     sync.Mutex
	latest studio.Progress
	tick   chan struct{}
	done   chan importDoneMsg
}

// importModel imports a folder of photos into a gallery.
type importModel struct {
	c      *common
	slug   string
	title  string // as shown: “Smith wedding”
	path   textinput.Model
	more   []string // completion candidates
	state  int      // 0 asking, 1 running, 2 done
	run    *importRun
	runs   int
	cancel context.CancelFunc
	prog   studio.Progress
	sum    studio.Summary
	err    error
	w, h   int
}

const (
	impAsk = iota
	impRunning
	impDone
)

func newImport(c *common, slug, title string) importModel {
	ti := newInput(c.st, "a folder of photos, e.g. ~/Pictures/smith-wedding", 4096)
	ti.Prompt = "› "
	if wd, err := os.Getwd(); err == nil {
		ti.SetValue(wd + string(filepath.Separator))
	}
	ti.CursorEnd()
	ti.Focus()
	return importModel{c: c, slug: slug, title: title, path: ti}
}

func (m importModel) init() tea.Cmd { return textinput.Blink }

func (m *importModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.path.Width = max(w-6, 10)
}

func (m importModel) Capturing() bool { return m.state == impAsk || m.state == impRunning }

func (m importModel) KeyMap() help.KeyMap {
	k := m.c.keys
	switch m.state {
	case impAsk:
		return keyHelp{short: []key.Binding{k.Start, k.Complete, k.Back}, full: [][]key.Binding{{k.Start, k.Complete, k.Back}}}
	case impRunning:
		return keyHelp{short: []key.Binding{k.Cancel}, full: [][]key.Binding{{k.Cancel}}}
	}
	return keyHelp{short: []key.Binding{k.Open}, full: [][]key.Binding{{k.Open}}}
}

// stop cancels a running import when the screen is left.
func (m importModel) stop() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	return nil
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// complete finds the folders that complete the typed path.
func complete(input string) tea.Cmd {
	return func() tea.Msg {
		p := expandHome(input)
		dir, base := filepath.Split(p)
		if dir == "" {
			dir = "."
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			return completionMsg{input: input, value: input}
		}
		var names []string
		for _, e := range ents {
			if !strings.HasPrefix(e.Name(), base) || (strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(base, ".")) {
				continue
			}
			isDir := e.IsDir()
			if e.Type()&os.ModeSymlink != 0 {
				if fi, err := os.Stat(filepath.Join(dir, e.Name())); err == nil {
					isDir = fi.IsDir()
				}
			}
			if isDir {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		prefix := strings.TrimSuffix(input, base)
		switch len(names) {
		case 0:
			return completionMsg{input: input, value: input}
		case 1:
			return completionMsg{input: input, value: prefix + names[0] + string(filepath.Separator)}
		}
		common := names[0]
		for _, n := range names[1:] {
			for !strings.HasPrefix(n, common) {
				common = common[:len(common)-1]
			}
		}
		return completionMsg{input: input, value: prefix + common, more: names}
	}
}

func (m importModel) start() (importModel, tea.Cmd) {
	path := strings.TrimSpace(expandHome(m.path.Value()))
	if path == "" {
		return m, errCmd(fmt.Errorf("type the folder to import"))
	}
	if m.c.cfg.Library == nil {
		return m, errCmd(fmt.Errorf("importing is not available in this program"))
	}
	m.runs++
	run := &importRun{id: m.runs, tick: make(chan struct{}, 1), done: make(chan importDoneMsg, 1)}
	ctx, cancel := context.WithCancel(m.c.ctx)
	m.run, m.cancel, m.state = run, cancel, impRunning
	m.prog, m.sum, m.err = studio.Progress{}, studio.Summary{}, nil
	store, lib, slug := m.c.cfg.Store, m.c.cfg.Library, m.slug
	go func() {
		sum, err := studio.Import(ctx, store, lib, slug, []string{path}, media.Options{}, func(p studio.Progress) {
			run.mu.Lock()
			run.latest = p
			run.mu.Unlock()
			select {
			case run.tick <- struct{}{}:
			default:
			}
		})
		run.done <- importDoneMsg{run: run.id, sum: sum, err: err}
	}()
	return m, tea.Batch(wait(run), func() tea.Msg { return changedMsg{} })
}

// wait delivers the next news of a run: progress, or its end.
func wait(run *importRun) tea.Cmd {
	return func() tea.Msg {
		select {
		case d := <-run.done:
			run.mu.Lock()
			d.last = run.latest
			run.mu.Unlock()
			return d
		case <-run.tick:
			run.mu.Lock()
			p := run.latest
			run.mu.Unlock()
			return importProgressMsg{run: run.id, p: p}
		}
	}
}

func (m *importModel) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*m, cmd = m.Update(msg)
	return cmd
}

func (m importModel) Update(msg tea.Msg) (importModel, tea.Cmd) {
	if m.c == nil {
		return m, nil
	}
	k := m.c.keys
	switch msg := msg.(type) {
	case completionMsg:
		if m.state == impAsk && msg.input == m.path.Value() {
			m.path.SetValue(msg.value)
			m.path.CursorEnd()
			m.more = msg.more
		}
		return m, nil
	case importProgressMsg:
		if m.run == nil || msg.run != m.run.id {
			return m, nil
		}
		m.prog = msg.p
		return m, wait(m.run)
	case importDoneMsg:
		if m.run == nil || msg.run != m.run.id {
			return m, nil
		}
		m.state, m.sum, m.err, m.cancel = impDone, msg.sum, msg.err, nil
		m.prog = msg.last
		text := fmt.Sprintf("Imported %d %s", msg.sum.Imported, studio.Plural(msg.sum.Imported, "photo", "photos"))
		if n := len(msg.sum.Failed); n > 0 {
			text += fmt.Sprintf(", %d failed", n)
		}
		cmds := []tea.Cmd{func() tea.Msg { return changedMsg{} }}
		switch {
		case errors.Is(msg.err, context.Canceled):
			cmds = append(cmds, statusCmd(fmt.Sprintf("Import cancelled after %d %s", msg.sum.Imported, studio.Plural(msg.sum.Imported, "photo", "photos"))))
		case msg.err != nil:
			cmds = append(cmds, errCmd(msg.err))
		default:
			cmds = append(cmds, statusCmd(text))
		}
		return m, tea.Batch(cmds...)
	case tea.KeyMsg:
		switch m.state {
		case impAsk:
			switch {
			case key.Matches(msg, k.Back):
				return m, m.c.goTo(backMsg{})
			case key.Matches(msg, k.Complete):
				return m, complete(m.path.Value())
			case key.Matches(msg, k.Start):
				return m.start()
			}
			var cmd tea.Cmd
			m.path, cmd = m.path.Update(msg)
			m.more = nil
			return m, cmd
		case impRunning:
			if key.Matches(msg, k.Cancel) && m.cancel != nil {
				m.cancel()
				m.cancel = nil
				return m, statusCmd("Cancelling: photos already imported stay")
			}
		case impDone:
			if key.Matches(msg, k.Open) || key.Matches(msg, k.Back) {
				return m, m.c.goTo(backMsg{})
			}
		}
	}
	return m, nil
}

func (m importModel) View() string {
	st := m.c.st
	lines := []string{st.Title.Render(truncate("Import photos into "+m.title, m.w))}
	switch m.state {
	case impAsk:
		lines = append(lines, st.Subtle.Render(truncate("The folder is read on the machine Pinhole runs on. JPEG, PNG and more; sub-folders too.", m.w)), "", m.path.View())
		if len(m.more) > 0 {
			lines = append(lines, st.Faint.Render(truncate(shown(strings.Join(m.more, "  ")), m.w)))
		}
		return strings.Join(lines, "\n")
	}
	p := m.prog
	pct := 0.0
	if p.Total > 0 {
		pct = float64(p.Done) / float64(p.Total)
	}
	if m.state == impDone && m.err == nil {
		pct = 1
	}
	barW := max(min(m.w-8, 60), 10)
	lines = append(lines, "", m.bar(pct, barW)+st.Text.Render(fmt.Sprintf(" %3.0f%%", pct*100)))
	info := fmt.Sprintf("%d / %d photos", p.Done, p.Total)
	if rate := p.Rate(); rate > 0 {
		info += fmt.Sprintf(" · %.1f photos/s", rate)
		if m.state == impRunning && p.Total > p.Done {
			info += " · about " + max(p.Remaining().Round(time.Second), time.Second).String() + " left"
		}
	}
	if n := len(p.Failed); n > 0 {
		info += fmt.Sprintf(" · %d failed", n)
	}
	lines = append(lines, st.Subtle.Render(truncate(info, m.w)))
	switch m.state {
	case impRunning:
		if m.cancel == nil {
			lines = append(lines, st.Warn.Render("Cancelling… photos already imported stay."))
		} else if p.Last != "" {
			lines = append(lines, st.Faint.Render(truncate(shown(filepath.Base(p.Last))+": "+p.Outcome, m.w)))
		}
	case impDone:
		s := m.sum
		verb := "Done"
		cancelled := errors.Is(m.err, context.Canceled)
		if cancelled {
			verb = "Cancelled"
		}
		summary := fmt.Sprintf("%s: %d imported", verb, s.Imported)
		if s.Existing > 0 {
			summary += fmt.Sprintf(", %d already in the gallery", s.Existing)
		}
		if n := len(s.Failed); n > 0 {
			summary += fmt.Sprintf(", %d failed", n)
		}
		switch {
		case cancelled:
			lines = append(lines, "", st.Warn.Render(summary+"."),
				st.Text.Render(truncate("What was imported stays; nothing is half-written. Import the folder again to finish:", m.w)),
				st.Text.Render(truncate("photos already in the gallery are skipped.", m.w)))
		case m.err != nil:
			lines = append(lines, "", st.Error.Render(summary+"."), st.Error.Render(truncate(shown(m.err.Error()), m.w)))
		default:
			lines = append(lines, "", st.OK.Render(summary+"."))
		}
		if len(s.Failed) > 0 {
			lines = append(lines, "", st.Header.Render("NOT IMPORTED"))
			room := max(m.h-len(lines)-1, 1)
			nameW := min(32, m.w/3)
			for i, f := range s.Failed {
				if i == room-1 && len(s.Failed) > room {
					lines = append(lines, st.Faint.Render(fmt.Sprintf("… and %d more", len(s.Failed)-i)))
					break
				}
				reason := strings.TrimPrefix(f.Error, "import "+filepath.Base(f.File)+": ")
				lines = append(lines, st.Error.Render(pad(shown(filepath.Base(f.File)), nameW))+" "+st.Subtle.Render(truncate(shown(reason), m.w-nameW-1)))
			}
		}
	}
	return strings.Join(lines, "\n")
}

func (m importModel) bar(pct float64, w int) string {
	full := int(pct * float64(w))
	return m.c.st.Accent.Render(strings.Repeat("█", full)) + m.c.st.Faint.Render(strings.Repeat("░", w-full))
}
