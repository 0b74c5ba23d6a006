package main

import (
	"context"
	"fmt"
	"io"
	"net/url"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

func configCommand() *command {
	return &command{name: "config", sub: []*command{
		{
			name: "get", args: "[KEY]", summary: "show settings (studio-name, base-url, share templates, max-upload, logo, accent colour, contact details, smtp-url, notify-email, mail-from)",
			run: func(ctx context.Context, c *call) error {
				if len(c.args) > 1 {
					return usagef("unexpected argument %q", c.args[1])
				}
				return withStore(ctx, c, func(s *db.Store) error {
					keys := db.SettingKeys()
					if len(c.args) == 1 {
						keys = c.args
					}
					vals := map[string]string{}
					for _, k := range keys {
						v, err := s.Setting(ctx, k)
						if err != nil {
							return err
						}
						if k == db.SettingSMTPURL {
							v = redacted(v)
						}
						vals[k] = v
					}
					if len(c.args) == 1 {
						return c.output(map[string]string{"key": c.args[0], "value": vals[c.args[0]]}, func(w io.Writer) {
							fmt.Fprintln(w, vals[c.args[0]])
						})
					}
					return c.output(vals, func(w io.Writer) {
						for _, k := range keys {
							fmt.Fprintf(w, "%s = %q\n", k, vals[k])
						}
					})
				})
			},
		},
		{
			name: "set", args: "KEY VALUE", summary: "change a setting (an empty VALUE restores the default; logo takes a picture's path)",
			run: func(ctx context.Context, c *call) error {
				if err := c.exactArgs(2, "KEY and VALUE"); err != nil {
					return err
				}
				return withFiles(ctx, c, func(s *db.Store, lib *media.Library) error {
					if err := studio.SetSetting(ctx, s, lib, c.args[0], c.args[1]); err != nil {
						return err
					}
					v, err := s.Setting(ctx, c.args[0])
					if err != nil {
						return err
					}
					if c.args[0] == db.SettingSMTPURL {
						v = redacted(v)
					}
					return c.output(map[string]string{"key": c.args[0], "value": v}, func(w io.Writer) {
						fmt.Fprintf(w, "%s = %q\n", c.args[0], v)
					})
				})
			},
		},
	}}
}

// redacted hides a URL's password: smtp://me:xxxxx@host.
func redacted(raw string) string {
	if u, err := url.Parse(raw); err == nil && raw != "" {
		return u.Redacted()
	}
	return raw
}
