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
// line, and a 0xFF byte is tabwriter's escape character. Such characters,
// and bytes that are not UTF-8, are shown as Go escapes (\x1b, \u009b,
// \xff) instead. Newlines and tabs are the output's own layout and stay.
//
// It is for display only: what is stored, searched or downloaded keeps
// the text as it is.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) && r != '\n' && r != '\t':
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
