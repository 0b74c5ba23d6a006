package cli

import (
	"context"
	"fmt"
	"io"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// ConfigSetCommand is "pinhole config set": change a setting (an empty VALUE restores the default; logo takes a picture's path).
type ConfigSetCommand struct{}

func (cmd *ConfigSetCommand) spec() spec {
	return spec{name: "set", args: "KEY VALUE",
		summary: "change a setting (an empty VALUE restores the default; logo takes a picture's path)", complete: settingKeys}
}

func (cmd *ConfigSetCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(2, "KEY and VALUE"); err != nil {
		return err
	}
	return withFiles(ctx, c, func(s *db.Store, lib *media.Library) error {
		if err := studio.SetSetting(ctx, s, lib, c.args[0], c.args[1]); err != nil {
			return err
		}
		v, err := studio.Setting(ctx, s, c.args[0])
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
}
