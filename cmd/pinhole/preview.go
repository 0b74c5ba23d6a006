package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"pinhole/db"
	"pinhole/studio"
)

// previewURL makes a preview session and returns its link.
func previewURL(ctx context.Context, s *db.Store, sess db.Session) (string, time.Time, error) {
	return studio.PreviewURL(ctx, s, sess)
}

type previewJSON struct {
	URL     string `json:"url"`
	Expires string `json:"expires"`
}

func printPreview(c *call, url string, exp time.Time, what string) error {
	return c.output(previewJSON{URL: url, Expires: exp.Format(time.RFC3339)}, func(w io.Writer) {
		fmt.Fprintf(w, "%s\n\nShows %s exactly as the client sees it, marked \"Preview\"; records nothing.\nWorks until %s (15 minutes).\n",
			url, what, exp.Local().Format("15:04"))
	})
}

func galleryPreviewCommand() *command {
	return &command{
		name: "preview", args: "SLUG", summary: "print a 15-minute link that shows the gallery as a client sees it",
		run: func(ctx context.Context, c *call) error {
			return withGallery(ctx, c, func(s *db.Store, g db.Gallery) error {
				url, exp, err := previewURL(ctx, s, db.Session{GalleryID: g.ID})
				if err != nil {
					return err
				}
				return printPreview(c, url, exp, "the gallery \""+g.Title+"\"")
			})
		},
	}
}

func clientPreviewCommand() *command {
	return &command{
		name: "preview", args: "CLIENT", summary: "print a 15-minute link that shows the client's dashboard as they see it",
		run: func(ctx context.Context, c *call) error {
			return withClient(ctx, c, func(s *db.Store, cl db.Client) error {
				url, exp, err := previewURL(ctx, s, db.Session{ClientID: cl.ID})
				if err != nil {
					return err
				}
				return printPreview(c, url, exp, cl.Name+"'s dashboard")
			})
		},
	}
}
