package tui

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// folderField is a folder on the machine Pinhole runs on, typed with tab
// completion: the import's, the XMP sidecars'.
type folderField struct {
	input textinput.Model
	more  []string // completion candidates
}

func newFolderField(st *Styles, placeholder, value string) folderField {
	ti := newInput(st, placeholder, 4096)
	ti.Prompt = "› "
	ti.SetValue(value)
	ti.CursorEnd()
	ti.Focus()
	return folderField{input: ti}
}

// lastFolder is the folder the gallery's last import read, else the
// working folder: where its photos most likely are.
func lastFolder(c *common, slug string) string {
	if j := c.imports.job(slug); j != nil {
		return j.folder
	}
	if wd, err := os.Getwd(); err == nil {
		return abbreviateHome(wd) + string(filepath.Separator)
	}
	return ""
}

// path is the folder typed, with ~ expanded.
func (f folderField) path() string { return strings.TrimSpace(expandHome(f.input.Value())) }

// update takes a completion, tab, or a key for the text.
func (f *folderField) update(msg tea.Msg, k KeyMap) tea.Cmd {
	switch msg := msg.(type) {
	case completionMsg:
		// Keys typed after tab, before the completion came, go after
		// it, as in a shell; a field changed otherwise keeps its text.
		if typed, ok := strings.CutPrefix(f.input.Value(), msg.input); ok {
			f.input.SetValue(msg.value + typed)
			f.input.CursorEnd()
			if typed == "" {
				f.more = msg.more
			}
		}
		return nil
	case tea.KeyMsg:
		if key.Matches(msg, k.Complete) {
			return complete(f.input.Value())
		}
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	f.more = nil
	return cmd
}

// view is the field, and the candidates of the last completion.
func (f folderField) view(st *Styles, w int) []string {
	lines := []string{f.input.View()}
	if len(f.more) > 0 {
		lines = append(lines, st.Faint.Render(truncate(shown(strings.Join(f.more, "  ")), w)))
	}
	return lines
}

type completionMsg struct {
	input string
	value string
	more  []string
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// abbreviateHome writes a folder under the home folder as ~/…, as a shell
// prompt does: shorter to read, and expandHome takes it back.
func abbreviateHome(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || home == string(filepath.Separator) {
		return p
	}
	if p == home {
		return "~"
	}
	if rest, ok := strings.CutPrefix(p, home+string(filepath.Separator)); ok {
		return "~" + string(filepath.Separator) + rest
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
