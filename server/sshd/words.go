package sshd

import (
	"errors"
	"strings"
)

// errUnclosedQuote is a command line that ends inside quotes.
var errUnclosedQuote = errors.New("the command line ends inside a quotation: close the quote")

// words splits a remote command line into words as a POSIX shell would,
// the way OpenSSH's server hands it to the user's shell: blanks separate
// words; '…' keeps everything as it is; "…" keeps everything but \ before
// \ " $ ` and newline; a backslash outside quotes keeps the next
// character. Unlike the SSH library's own split, a quoted empty word (” or
// "") stays a word: completing an empty word (__complete gallery show ”)
// needs it.
func words(line string) ([]string, error) {
	var (
		out  []string
		word strings.Builder
		in   bool // a word has started (maybe an empty quoted one)
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				out = append(out, word.String())
				word.Reset()
				in = false
			}
		case c == '\\':
			in = true
			if i+1 < len(line) {
				i++
				if line[i] != '\n' { // backslash-newline joins lines
					word.WriteByte(line[i])
				}
			}
		case c == '\'':
			in = true
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, errUnclosedQuote
			}
			word.WriteString(line[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			in = true
			closed := false
			for i++; i < len(line); i++ {
				c := line[i]
				if c == '"' {
					closed = true
					break
				}
				if c == '\\' && i+1 < len(line) && strings.IndexByte("\\\"$`\n", line[i+1]) >= 0 {
					i++
					if line[i] != '\n' {
						word.WriteByte(line[i])
					}
					continue
				}
				word.WriteByte(c)
			}
			if !closed {
				return nil, errUnclosedQuote
			}
		default:
			in = true
			word.WriteByte(c)
		}
	}
	if in {
		out = append(out, word.String())
	}
	return out, nil
}
