package studio

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable makes text safe for a terminal. File names, titles and the
// names website visitors type are data: printed raw, an ESC or C1 control
// in them is a command to the photographer's terminal (colours, a new
// window title, an OSC 52 write to the clipboard), a CR overwrites the
// line, a 0xFF byte is tabwriter's escape character, a bidi override
// (U+202E) makes "gpj.exe" read as "exe.jpg" and swaps columns around it,
// and a line or paragraph separator (U+2028, U+2029) starts a new line in
// some terminals. Such characters (see Unprintable), and bytes that are
// not UTF-8, are shown as Go escapes (\x1b, \u009b, \u202e, \xff)
// instead. Newlines and tabs are the output's own layout and stay: for a
// name inside a line, use PrintableName.
//
// It is for display only: what is stored, searched or downloaded keeps
// the text as it is.
func Printable(s string) string { return escape(s, true) }

// PrintableName is Printable for one name inside a line of output (a file
// name in a table, a visitor's name in the activity): a newline or tab in
// it is escaped too, so it cannot start a line of its own or move columns.
func PrintableName(s string) string { return escape(s, false) }

// Unprintable reports whether a character is shown escaped: the controls
// (Cc), the format characters (Cf: bidi marks, embeddings, overrides and
// isolates, invisible operators, the BOM, tags) and the line and paragraph
// separators (Zl, Zp). The zero-width joiner and non-joiner stay: they are
// part of emoji sequences and of Persian and Indic words, and move nothing.
func Unprintable(r rune) bool {
	switch {
	case r == '\u200c' || r == '\u200d':
		return false
	case r < 0x80:
		return r < 0x20 || r == 0x7f
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}

func escape(s string, keepLayout bool) string {
	bad := func(r rune) bool {
		return r == utf8.RuneError || (Unprintable(r) && !(keepLayout && (r == '\n' || r == '\t')))
	}
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r != utf8.RuneError && bad(r):
			switch {
			case r < 0x80:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r > 0xffff:
				fmt.Fprintf(&b, `\U%08x`, r)
			default:
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ShellQuote quotes s as one word for a POSIX shell when it needs it, for
// command lines Pinhole hands out to be pasted: a name a visitor chose
// stays a name ($, backticks and quotes included), never a command.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
