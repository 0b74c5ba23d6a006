package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key binding of the TUI, in one place. Each screen's
// help.KeyMap picks the ones it uses.
type KeyMap struct {
	// Everywhere.
	Quit, ForceQuit, Help, Back                     key.Binding
	Galleries, Clients, Activity, Settings, NextTab key.Binding

	// Lists.
	Up, Down, PageUp, PageDown, Home, End, Filter, ClearFilter key.Binding
	Open, New, Edit, Delete                                    key.Binding

	// Gallery.
	NewPIN, Import, Share, Preview, ActivityOf, NewSub, PreviewLink, Lightroom, Sidecars key.Binding

	// Share.
	CopyLink, CopyPIN, CopyLinkMsg, CopyPINMsg, FullQR, Plain key.Binding
	PlainField                                                key.Binding // Plain where letters are typed
	SendLogin, CopyAddress, CopyCode, CopyClientMsg           key.Binding

	// Forms. Arrow-only bindings serve where letters are typed.
	NextField, PrevField, Save, GeneratePIN, Toggle, Left, Right         key.Binding
	TabNext, TabPrev, Accept, ArrowUp, ArrowDown, ArrowPgUp, ArrowPgDown key.Binding

	// Import.
	Complete, Start, WriteSidecars, Cancel, StopImport key.Binding

	// Confirmation.
	Yes, No key.Binding
}

// DefaultKeyMap is the TUI's keys.
func DefaultKeyMap() KeyMap {
	b := key.NewBinding
	k, h := key.WithKeys, key.WithHelp
	return KeyMap{
		Quit:      b(k("q"), h("q", "quit")),
		ForceQuit: b(k("ctrl+c"), h("ctrl+c", "quit")),
		Help:      b(k("?"), h("?", "all keys")),
		Back:      b(k("esc"), h("esc", "back")),
		Galleries: b(k("1"), h("1", "galleries")),
		Clients:   b(k("2"), h("2", "client logins")),
		Activity:  b(k("3"), h("3", "activity")),
		Settings:  b(k("4"), h("4", "settings")),
		NextTab:   b(k("tab"), h("tab", "next section")),

		Up:          b(k("up", "k"), h("↑/k", "up")),
		Down:        b(k("down", "j"), h("↓/j", "down")),
		PageUp:      b(k("pgup", "ctrl+u"), h("pgup", "page up")),
		PageDown:    b(k("pgdown", "ctrl+d"), h("pgdn", "page down")),
		Home:        b(k("home", "g"), h("g/home", "first")),
		End:         b(k("end", "G"), h("G/end", "last")),
		Filter:      b(k("/"), h("/", "filter")),
		ClearFilter: b(k("esc"), h("esc", "clear filter")),
		Open:        b(k("enter"), h("enter", "open")),
		New:         b(k("n"), h("n", "new")),
		Edit:        b(k("e"), h("e", "edit")),
		Delete:      b(k("d", "delete"), h("d", "delete")),

		NewPIN:      b(k("P"), h("P", "new PIN")),
		Import:      b(k("i"), h("i", "import")),
		Share:       b(k("s"), h("s", "share")),
		Preview:     b(k("v"), h("v", "view as client")),
		ActivityOf:  b(k("a"), h("a", "its activity")),
		NewSub:      b(k("n"), h("n", "new sub-gallery")),
		PreviewLink: b(k("ctrl+p"), h("ctrl+p", "preview link")),
		Lightroom:   b(k("F"), h("F", "favourites for Lightroom")),
		Sidecars:    b(k("X"), h("X", "XMP sidecars of favourites")),

		CopyLink:    b(k("l", "c"), h("l", "copy link")),
		CopyPIN:     b(k("p"), h("p", "copy PIN")),
		CopyLinkMsg: b(k("m"), h("m", "copy e-mail text")),
		CopyPINMsg:  b(k("t"), h("t", "copy PIN text")),
		FullQR:      b(k("Q"), h("Q", "QR full screen")),
		Plain:       b(k("o"), h("o", "plain text to select")),
		PlainField:  b(k("ctrl+o"), h("ctrl+o", "plain text to select")),

		SendLogin:     b(k("s"), h("s", "send login")),
		CopyAddress:   b(k("l"), h("l", "copy address")),
		CopyCode:      b(k("c"), h("c", "copy code")),
		CopyClientMsg: b(k("m"), h("m", "copy message")),

		NextField:   b(k("tab", "down"), h("tab/↓", "next field")),
		PrevField:   b(k("shift+tab", "up"), h("shift+tab/↑", "previous")),
		Save:        b(k("ctrl+s"), h("ctrl+s", "save")),
		GeneratePIN: b(k("ctrl+g"), h("ctrl+g", "generate")),
		Toggle:      b(k(" "), h("space", "toggle")),
		Left:        b(k("left", "h"), h("←/→", "choose")),
		Right:       b(k("right", "l"), h("→", "choose")),
		TabNext:     b(k("tab"), h("tab", "next field")),
		TabPrev:     b(k("shift+tab"), h("shift+tab", "previous field")),
		Accept:      b(k("enter"), h("enter", "next")),
		ArrowUp:     b(k("up"), h("↑", "up")),
		ArrowDown:   b(k("down"), h("↓", "down")),
		ArrowPgUp:   b(k("pgup"), h("pgup", "page up")),
		ArrowPgDown: b(k("pgdown"), h("pgdn", "page down")),

		Complete:      b(k("tab"), h("tab", "complete folder")),
		Start:         b(k("enter"), h("enter", "import")),
		WriteSidecars: b(k("enter"), h("enter", "write sidecars")),
		Cancel:        b(k("esc"), h("esc", "cancel")),
		StopImport:    b(k("x"), h("x", "stop the import")),

		Yes: b(k("y"), h("y", "yes")),
		No:  b(k("n", "esc"), h("n/esc", "no")),
	}
}

// keyHelp is a help.KeyMap made of two lists.
type keyHelp struct {
	short []key.Binding
	full  [][]key.Binding
}

func (k keyHelp) ShortHelp() []key.Binding  { return k.short }
func (k keyHelp) FullHelp() [][]key.Binding { return k.full }

// oneRowHelp is help that shows the same few keys short and full.
func oneRowHelp(bs ...key.Binding) keyHelp {
	return keyHelp{short: bs, full: [][]key.Binding{bs}}
}
