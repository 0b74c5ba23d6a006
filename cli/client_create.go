package cli

import (
	"context"
	"errors"

	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/studio"
)

// ClientCreateCommand is "pinhole client create": create a client login (an access code is generated unless given).
type ClientCreateCommand struct {
	name, code, note string
}

func (cmd *ClientCreateCommand) spec() spec {
	return spec{name: "create", args: "--name N [--code C] [--note T]",
		summary: "create a client login (an access code is generated unless given)"}
}

func (cmd *ClientCreateCommand) flags(fs *pflag.FlagSet) {
	fs.StringVar(&cmd.name, "name", "", "the client's name")
	fs.StringVar(&cmd.code, "code", "", "an access code of your choice (at least 8 letters or digits)")
	fs.StringVar(&cmd.note, "note", "", "a note for yourself")
}

func (cmd *ClientCreateCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	if !c.set("name") {
		return usagef("--name is required")
	}
	in := db.ClientInput{Name: &cmd.name, Note: &cmd.note}
	if c.set("code") {
		if db.NormalizeCode(cmd.code) == "" {
			return errors.New("the access code is empty: leave --code out to generate one")
		}
		in.Code = &cmd.code
	}
	return withStore(ctx, c, func(s *db.Store) error {
		cl, err := studio.SaveClient(ctx, s, 0, in, nil)
		if err != nil {
			return err
		}
		return printClient(ctx, c, s, cl)
	})
}
