package cli

import (
	"fmt"
	"io"
	"time"
)

// PreviewJSON is a preview link as scripts see it.
type PreviewJSON struct {
	URL     string `json:"url"`
	Expires string `json:"expires"`
}

func printPreview(c *call, url string, exp time.Time, what string) error {
	return c.output(PreviewJSON{URL: url, Expires: exp.Format(time.RFC3339)}, func(w io.Writer) {
		fmt.Fprintf(w, "%s\n\nShows %s exactly as the client sees it, marked \"Preview\"; records nothing.\nWorks until %s (15 minutes).\n",
			url, what, exp.Local().Format("15:04"))
	})
}
