package tui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// importModel asks for the folder to import into a gallery, then shows
// how that gallery's import goes. The import itself runs in the
// background (imports): leaving this screen does not stop it.
type importModel struct {
	c       *common
	slug    string
	title   string // as shown: “Smith wedding”
	path    folderField
	offered string // the folder first offered, before the one recorded is known
	state   int    // impAsk, or impShow: the gallery's import
	w, h    int
}

// importFolderMsg is the folder the gallery's last import read, as
// recorded (db.ImportFolder).
type importFolderMsg struct{ slug, folder string }

const (
	impAsk = iota
	impShow
)

// newImport opens the gallery's import while one runs, else asks for a
// folder: the one its last import read, to resume one cancelled.
func newImport(c *common, slug, title string) importModel {
	m := importModel{c: c, slug: slug, title: title}
	j := c.imports.job(slug)
	if j != nil && !j.done {
		m.state = impShow
		return m
	}
	m.offered = lastFolder(c, slug)
	m.path = newFolderField(c.st, "a folder of photos, e.g. ~/Pictures/smith-wedding", m.offered)
	return m
}

func (m importModel) init() tea.Cmd {
	if m.state != impAsk || m.c.imports.job(m.slug) != nil {
		return textinput.Blink // this session's last import is known
	}
	s, ctx, slug := m.c.cfg.Store, m.c.ctx, m.slug
	return tea.Batch(textinput.Blink, func() tea.Msg {
		folder, err := s.ImportFolder(ctx, slug)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		return importFolderMsg{slug, folder}
	})
}

func (m *importModel) SetSize(w, h int) {
	m.w, m.h = w, h
	m.path.input.Width = max(w-6, 10)
}

func (m importModel) Capturing() bool { return m.state == impAsk }

func (m importModel) KeyMap() help.KeyMap {
	k := m.c.keys
	if m.state == impAsk {
		return keyHelp{short: []key.Binding{k.Start, k.Complete, k.Back}, full: [][]key.Binding{{k.Start, k.Complete, k.Back}}}
	}
	if j := m.c.imports.job(m.slug); j != nil && !j.done {
		return oneRowHelp(k.StopImport)
	}
	return oneRowHelp(k.Open)
}

// start sets the import going and returns to where the photographer was.
func (m importModel) start() (importModel, tea.Cmd) {
	path := m.path.path()
	if path == "" {
		return m, errCmd(fmt.Errorf("type the folder to import"))
	}
	cmd := m.c.imports.start(m.c, m.slug, m.title, path)
	return m, tea.Batch(cmd, m.c.goTo(backMsg{}), statusCmd("Importing into "+m.title+" in the background: i on the gallery shows it"))
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
	case importFolderMsg:
		// In place of the working folder, unless something was typed.
		if m.state == impAsk && msg.slug == m.slug && msg.folder != "" && m.path.input.Value() == m.offered {
			m.path.input.SetValue(msg.folder)
			m.path.input.CursorEnd()
		}
		return m, nil
	case completionMsg:
		if m.state == impAsk {
			m.path.update(msg, k)
		}
		return m, nil
	case tea.KeyMsg:
		if m.state == impAsk {
			switch {
			case key.Matches(msg, k.Back):
				return m, m.c.goTo(backMsg{})
			case key.Matches(msg, k.Start):
				return m.start()
			}
			return m, m.path.update(msg, k)
		}
		j := m.c.imports.job(m.slug)
		switch {
		case j != nil && !j.done && key.Matches(msg, k.StopImport):
			j.stop()
			return m, statusCmd("Stopping the import: photos already imported stay")
		case j != nil && j.done && key.Matches(msg, k.Open):
			return m, m.c.goTo(backMsg{})
		}
	}
	return m, nil
}

func (m importModel) View() string {
	st := m.c.st
	lines := []string{st.Title.Render(truncate("Import photos into "+m.title, m.w))}
	switch m.state {
	case impAsk:
		// Wrapped, not cut: it is what the photographer needs to know to answer.
		lines = append(lines, st.Subtle.Width(m.w).Render("The folder is read on the machine Pinhole runs on. JPEG, PNG and more; sub-folders too."), "")
		lines = append(lines, m.path.view(st, m.w)...)
		if j := m.c.imports.job(m.slug); j != nil {
			// The last import of this gallery: what became of it.
			lines = append(lines, "", st.Header.Render("LAST IMPORT"))
			lines = m.jobLines(lines, j)
		}
		return strings.Join(lines, "\n")
	}
	j := m.c.imports.job(m.slug)
	if j == nil {
		return strings.Join(lines, "\n")
	}
	return strings.Join(m.jobLines(lines, j), "\n")
}

// jobLines adds an import's progress, or its outcome, to lines.
func (m importModel) jobLines(lines []string, j *importJob) []string {
	st := m.c.st
	p := j.prog
	pct := float64(j.percent()) / 100
	barW := max(min(m.w-8, 60), 10)
	lines = append(lines, st.Subtle.Render(truncate("from "+shown(abbreviateHome(j.folder)), m.w)), "", m.bar(pct, barW)+st.Text.Render(fmt.Sprintf(" %3.0f%%", pct*100)))
	info := fmt.Sprintf("%d / %d photos", p.Done, p.Total)
	if rate := p.Rate(); rate > 0 {
		info += fmt.Sprintf(" · %.1f photos/s", rate)
		if left := j.left(); left != "" {
			info += " · " + left
		}
	}
	if n := len(p.Failed); n > 0 {
		info += fmt.Sprintf(" · %d failed", n)
	}
	lines = append(lines, st.Subtle.Render(truncate(info, m.w)))
	switch {
	case !j.done:
		if j.cancel == nil {
			lines = append(lines, st.Warn.Render("Stopping… photos already imported stay."))
		} else if p.Last != "" {
			lines = append(lines, st.Faint.Render(truncate(shown(filepath.Base(p.Last))+": "+p.Outcome, m.w)))
		}
		lines = append(lines, "")
		lines = append(lines, strings.Split(st.Faint.Width(max(m.w, 10)).Render("It goes on in the background: esc to keep working, x stops it."), "\n")...)
	default:
		s := j.sum
		verb := "Done"
		cancelled := errors.Is(j.err, context.Canceled)
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
			lines = append(lines, "", st.Warn.Render(summary+"."))
			lines = append(lines, strings.Split(st.Text.Width(max(m.w, 10)).Render(
				"What was imported stays; nothing is half-written. i on the gallery offers the same folder again: photos already in the gallery are skipped."), "\n")...)
		case j.err != nil:
			lines = append(lines, "", st.Error.Render(summary+"."), st.Error.Render(truncate(shown(j.err.Error()), m.w)))
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
	return lines
}

func (m importModel) bar(pct float64, w int) string {
	full := int(pct * float64(w))
	return m.c.st.Accent.Render(strings.Repeat("█", full)) + m.c.st.Faint.Render(strings.Repeat("░", w-full))
}
