package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// truncate cuts s to n cells, with an ellipsis.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	return ansi.Truncate(s, n, "…")
}

// middle cuts s to n cells by taking out its middle: "IMG_20260613_…_0042.jpg".
// For plain text only (no escapes).
func middle(s string, n int) string {
	if ansi.StringWidth(s) <= n {
		return s
	}
	if n < 8 {
		return truncate(s, n)
	}
	r := []rune(s)
	tail := (n - 1) / 2
	var end []rune
	for w := 0; len(r) > 0 && w+runewidth(r[len(r)-1]) <= tail; r = r[:len(r)-1] {
		w += runewidth(r[len(r)-1])
		end = append([]rune{r[len(r)-1]}, end...)
	}
	return ansi.Truncate(string(r), n-1-ansi.StringWidth(string(end)), "") + "…" + string(end)
}

func runewidth(r rune) int { return ansi.StringWidth(string(r)) }

// pad makes s exactly n cells wide.
func pad(s string, n int) string {
	s = truncate(s, n)
	return s + strings.Repeat(" ", max(n-ansi.StringWidth(s), 0))
}

// padLeft right-aligns s in n cells.
func padLeft(s string, n int) string {
	s = truncate(s, n)
	return strings.Repeat(" ", max(n-ansi.StringWidth(s), 0)) + s
}

// ago says how long ago t was, for people.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%d d ago", int(d.Hours()/24))
	}
	return t.Local().Format("2006-01-02")
}

// accessText names an access mode.
func accessText(a db.Access) string {
	switch a {
	case db.Public:
		return "public"
	case db.PINAccess:
		return "PIN"
	case db.DownloadPIN:
		return "download PIN"
	}
	return "as parent"
}

func downloadsText(d db.Downloads) string {
	switch d {
	case db.DownloadsOff:
		return "off"
	case db.DownloadsWeb:
		r, _ := media.RenditionNamed(media.Preview)
		return fmt.Sprintf("web size (%d px)", r.Long)
	}
	return "originals"
}

// expiryText is when a gallery closes for clients, its parent's expiry included.
func expiryText(d studio.Decision) string {
	switch {
	case d.Gone: // its own last day or its parent's, a draft or not
		return "expired"
	case d.Expires.IsZero():
		return "never"
	}
	return d.ExpiresOn()
}

// stateText is the state a client meets at the link.
func stateText(d studio.Decision) string {
	switch d.State {
	case studio.Open:
		return "open"
	case studio.ClosedWithParent:
		return "closed with its parent"
	}
	return string(d.State)
}

// listState is a cursor over n rows shown height at a time.
type listState struct {
	cursor, offset, n, height int
}

func (l *listState) setLen(n int) {
	l.n = n
	l.clamp()
}

func (l *listState) setHeight(h int) {
	l.height = max(h, 1)
	l.clamp()
}

func (l *listState) move(d int) {
	l.cursor += d
	l.clamp()
}

func (l *listState) clamp() {
	l.cursor = min(max(l.cursor, 0), max(l.n-1, 0))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = min(max(l.offset, 0), max(l.n-l.height, 0))
}

// scroll moves the view without the cursor leaving it.
func (l *listState) scroll(d int) {
	l.offset = min(max(l.offset+d, 0), max(l.n-l.height, 0))
	l.cursor = min(max(l.cursor, l.offset), l.offset+l.height-1)
	l.clamp()
}

// window is the range of rows on screen.
func (l listState) window() (int, int) {
	return l.offset, min(l.offset+l.height, l.n)
}

// update handles the list keys and the mouse wheel; it reports whether
// msg was one of them.
func (l *listState) update(msg tea.Msg, k KeyMap) bool {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			l.scroll(-3)
			return true
		case tea.MouseButtonWheelDown:
			l.scroll(3)
			return true
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Up):
			l.move(-1)
		case key.Matches(msg, k.Down):
			l.move(1)
		case key.Matches(msg, k.PageUp):
			l.move(-l.height)
		case key.Matches(msg, k.PageDown):
			l.move(l.height)
		case key.Matches(msg, k.Home):
			l.move(-l.n)
		case key.Matches(msg, k.End):
			l.move(l.n)
		default:
			return false
		}
		return true
	}
	return false
}

// newInput is a text input styled for this terminal.
func newInput(st *Styles, placeholder string, limit int) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.CharLimit = limit
	ti.PromptStyle = st.Accent
	ti.TextStyle = st.Text
	ti.PlaceholderStyle = st.Faint
	ti.CompletionStyle = st.Faint
	ti.Cursor.Style = st.Accent
	ti.Cursor.TextStyle = st.Text
	return ti
}

// focusOne focuses inputs[focus] and blurs the others; when use is not
// nil, only the inputs it accepts are touched.
func focusOne(inputs []textinput.Model, focus int, use func(int) bool) tea.Cmd {
	var cmd tea.Cmd
	for i := range inputs {
		if use != nil && !use(i) {
			continue
		}
		if i == focus {
			cmd = inputs[i].Focus()
		} else {
			inputs[i].Blur()
		}
	}
	return cmd
}

// scrollbar-free indicator of position in a long list.
func position(l listState) string {
	if l.n <= l.height {
		return ""
	}
	from, to := l.window()
	return span(from, to, l.n)
}

// span says which rows, from and to (not included), of n are shown.
func span(from, to, n int) string { return fmt.Sprintf("%d–%d of %d", from+1, to, n) }

// shown is data as the TUI displays it: titles, descriptions, file names,
// client names and what website visitors typed. studio.Printable turns
// ESC, C1 controls and bytes that are not UTF-8 into visible Go escapes,
// so the data cannot command the terminal (OSC 52, window titles); and as
// a newline, CR or tab would break a row, they become spaces. Only for
// display: what is stored, searched or copied keeps the text as it is.
// Never apply it to a rendered frame, which holds lipgloss's own escapes.
func shown(s string) string {
	return studio.Printable(oneLineReplacer.Replace(s))
}

// editable is data put into a text input to be edited. The input shows
// its value as it is, so the characters that would forge the screen
// (studio.Unprintable: bidi overrides, line separators…) are left out, as
// the input itself already leaves out ESC and the other controls.
func editable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && studio.Unprintable(r) {
			return -1
		}
		return r
	}, s)
}

var oneLineReplacer = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

// shownBlock is shown for text that keeps its lines, like a description
// or a share message: each line is made safe and flat on its own.
func shownBlock(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = shown(l)
	}
	return strings.Join(lines, "\n")
}

// filterBox is the filter of a list screen: the filter key starts typing,
// enter keeps what was typed, esc clears it (while typing, or after), and
// the arrows still move through the list while typing.
type filterBox struct {
	input  textinput.Model
	typing bool
}

func newFilterBox(st *Styles, placeholder string) filterBox {
	in := newInput(st, placeholder, 80)
	in.Prompt = "/ "
	return filterBox{input: in}
}

// query is what the list is filtered by.
func (f filterBox) query() string { return strings.ToLower(strings.TrimSpace(f.input.Value())) }

// shown reports whether the filter has a line on screen.
func (f filterBox) shown() bool { return f.typing || f.input.Value() != "" }

// update takes a key: every key while typing (the arrows go to the list
// l), else the filter key and esc. handled reports whether it took the
// key, changed whether the list must be filtered again.
func (f *filterBox) update(msg tea.KeyMsg, k KeyMap, l *listState) (cmd tea.Cmd, handled, changed bool) {
	if !f.typing {
		switch {
		case key.Matches(msg, k.Filter):
			f.typing = true
			return f.input.Focus(), true, false
		case key.Matches(msg, k.ClearFilter) && f.input.Value() != "":
			f.input.SetValue("")
			return nil, true, true
		}
		return nil, false, false
	}
	switch {
	case key.Matches(msg, k.ClearFilter):
		f.typing = false
		f.input.Blur()
		f.input.SetValue("")
		return nil, true, true
	case key.Matches(msg, k.Accept):
		f.typing = false
		f.input.Blur()
		return nil, true, false
	case key.Matches(msg, k.ArrowUp, k.ArrowDown, k.ArrowPgUp, k.ArrowPgDown):
		l.update(msg, k)
		return nil, true, false
	}
	f.input, cmd = f.input.Update(msg)
	return cmd, true, true
}

// paste starts typing with text in the filter, in place of what it held.
func (f *filterBox) paste(text string) tea.Cmd {
	f.typing = true
	f.input.SetValue(strings.TrimSpace(text))
	f.input.CursorEnd()
	return f.input.Focus()
}

// leaveGuard keeps a form from being left with unsaved changes without
// asking: it remembers the form's state as saved (any string that
// changes with the fields) and asks on leaving when it differs.
type leaveGuard struct {
	saved  string
	asking bool
}

// leave reports whether the form may be left now; if not, it asks.
func (g *leaveGuard) leave(state string) bool {
	if state == g.saved {
		return true
	}
	g.asking = true
	return false
}

// answer takes a key while asking: y leaves, n or esc stays. taken
// reports whether the guard was asking (and so took the key).
func (g *leaveGuard) answer(msg tea.KeyMsg, k KeyMap) (leave, taken bool) {
	if !g.asking {
		return false, false
	}
	switch {
	case key.Matches(msg, k.Yes):
		g.asking = false
		return true, true
	case key.Matches(msg, k.No):
		g.asking = false
	}
	return false, true
}

// question is the line that asks.
func (g leaveGuard) question(st *Styles, w int) string {
	return st.Warn.Render(truncate("Leave without saving your changes?", w-6)) + st.Text.Render("  y/n")
}

// ask is a question before something that cannot be undone, wrapped to
// w cells and never cut, the answer keys at its end.
func ask(st *Styles, q string, w int) []string {
	return strings.Split(st.Warn.Width(max(w, 10)).Render(q+"  y/n"), "\n")
}

// state joins a form's values into one string for a leaveGuard.
func state(values ...string) string { return strings.Join(values, "\x00") }
