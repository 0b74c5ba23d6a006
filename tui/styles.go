package tui

import "github.com/charmbracelet/lipgloss"

// Colours that read on dark and light terminals alike.
var (
	colAccent  = lipgloss.AdaptiveColor{Light: "#5A4FCF", Dark: "#A99CFF"}
	colSubtle  = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	colFaint   = lipgloss.AdaptiveColor{Light: "#B5B5B5", Dark: "#4A4A4A"}
	colText    = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E6E6E6"}
	colError   = lipgloss.AdaptiveColor{Light: "#C0262D", Dark: "#FF6B6B"}
	colOK      = lipgloss.AdaptiveColor{Light: "#1E7B34", Dark: "#6BD68A"}
	colWarn    = lipgloss.AdaptiveColor{Light: "#A85A00", Dark: "#F5B14C"}
	colSelBg   = lipgloss.AdaptiveColor{Light: "#E4E0FF", Dark: "#322C5C"}
	colBadgeFg = lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#16131F"}
)

// Styles are every style the TUI draws with, built once from the
// program's renderer so that each terminal (each SSH session) gets its
// own colour profile and background.
type Styles struct {
	r *lipgloss.Renderer

	App, Badge, Tab, TabActive, StudioName lipgloss.Style
	Title, Subtle, Faint, Text, Strong     lipgloss.Style
	Error, OK, Warn, Accent                lipgloss.Style
	Selected, Cursor, Header               lipgloss.Style
	Label, Value, FocusedLabel, FieldError lipgloss.Style
	Box, FocusedBox, Secret, StatusAddr    lipgloss.Style
	Choice, ChoiceActive, QR               lipgloss.Style
}

// NewStyles builds the styles for one renderer.
func NewStyles(r *lipgloss.Renderer) *Styles {
	s := &Styles{r: r}
	n := r.NewStyle
	s.App = n().Padding(0, 1)
	s.Badge = n().Bold(true).Foreground(colBadgeFg).Background(colAccent).Padding(0, 1)
	s.Tab = n().Foreground(colSubtle).Padding(0, 1)
	s.TabActive = n().Bold(true).Foreground(colAccent).Underline(true).Padding(0, 1)
	s.StudioName = n().Foreground(colSubtle)
	s.Title = n().Bold(true).Foreground(colText)
	s.Subtle = n().Foreground(colSubtle)
	s.Faint = n().Foreground(colFaint)
	s.Text = n().Foreground(colText)
	s.Strong = n().Bold(true)
	s.Error = n().Foreground(colError)
	s.OK = n().Foreground(colOK)
	s.Warn = n().Foreground(colWarn).Bold(true)
	s.Accent = n().Foreground(colAccent)
	s.Selected = n().Background(colSelBg).Foreground(colText)
	s.Cursor = n().Foreground(colAccent).Bold(true)
	s.Header = n().Foreground(colSubtle).Bold(true)
	s.Label = n().Foreground(colSubtle)
	s.FocusedLabel = n().Foreground(colAccent).Bold(true)
	s.Value = n().Foreground(colText)
	s.FieldError = n().Foreground(colError)
	s.Box = n().Border(lipgloss.RoundedBorder()).BorderForeground(colFaint).Padding(0, 1)
	s.FocusedBox = n().Border(lipgloss.RoundedBorder()).BorderForeground(colAccent).Padding(0, 1)
	s.Secret = n().Bold(true).Foreground(colAccent)
	s.StatusAddr = n().Foreground(colSubtle)
	s.Choice = n().Foreground(colSubtle).PaddingRight(1)
	s.ChoiceActive = n().Foreground(colAccent).Bold(true).PaddingRight(1)
	// A QR code is dark modules on a light ground whatever the terminal's theme.
	s.QR = n().Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FFFFFF"))
	return s
}
