package cli

import (
	"io"

	"pinhole/studio"
)

// printableWriter passes what is written through studio.Printable. Writers above
// it (fmt, tabwriter) write whole strings, so no character is split.
type printableWriter struct{ w io.Writer }

func (p printableWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, studio.Printable(string(b))); err != nil {
		return 0, err
	}
	return len(b), nil
}
