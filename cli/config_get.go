package cli

import (
	"context"
	"fmt"
	"io"

	"pinhole/db"
	"pinhole/studio"
)

// ConfigGetCommand is "pinhole config get": show settings (studio-name, base-url, share templates, max-upload, logo, accent colour, contact details, smtp-url, notify-email, mail-from).
type ConfigGetCommand struct{}

func (cmd *ConfigGetCommand) spec() spec {
	return spec{name: "get", args: "[KEY]",
		summary: "show settings (studio-name, base-url, share templates, max-upload, logo, accent colour, contact details, smtp-url, notify-email, mail-from)", complete: settingKeys}
}

func (cmd *ConfigGetCommand) run(ctx context.Context, c *call) error {
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
			v, err := studio.Setting(ctx, s, k)
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
}
