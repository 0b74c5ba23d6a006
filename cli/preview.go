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
	Warning string `json:"warning,omitempty"` // what the preview shows of a gallery that does not open
}

func printPreview(c *call, url string, exp time.Time, what, warning string) error {
	return c.output(PreviewJSON{URL: url, Expires: exp.Format(time.RFC3339), Warning: warning}, func(w io.Writer) {
		how := " exactly as the client sees it"
		if warning != "" {
			fmt.Fprintf(w, "⚠ %s\n\n", warning)
			how = "" // the warning says how it differs
		}
		fmt.Fprintf(w, "%s\n\nShows %s%s, marked \"Preview\"; records nothing.\nWorks until %s (15 minutes).\n",
			url, what, how, exp.Local().Format("15:04"))
	})
}
