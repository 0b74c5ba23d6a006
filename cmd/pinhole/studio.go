package main

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"pinhole/cli"
)

// studioCommand is plain "pinhole": the TUI, with the client website
// served alongside until the photographer quits.
type studioCommand struct {
	env     *Env
	web     webFlags
	replica cli.ReplicaFlag
}

// attach makes it what the tree's root runs.
func (cmd *studioCommand) attach(root *cobra.Command) {
	cmd.web.add(root.Flags())
	cmd.replica.Add(root.Flags())
	root.RunE = func(c *cobra.Command, args []string) error { return quietStop(c.Context(), cmd.run(c.Context())) }
}

func (cmd *studioCommand) run(ctx context.Context) error {
	if !cmd.env.Terminal {
		return errors.New("the TUI needs a terminal: run it in one, or serve the website alone with pinhole serve")
	}
	logger, closeLog, err := cli.OpenLog(cmd.env)
	if err != nil {
		return err
	}
	defer closeLog()
	stopReplica, err := cli.Replicate(ctx, cmd.env, cmd.replica.URL(cmd.env), logger)
	if err != nil {
		return err
	}
	defer stopReplica()
	w, err := openWebsite(ctx, cmd.env, &cmd.web, nil, logger)
	if err != nil {
		return err
	}

	// The website runs until the TUI ends, then shuts down gracefully.
	g, gctx := errgroup.WithContext(ctx)
	webCtx, stopWeb := context.WithCancel(gctx)
	w.run(webCtx, g, logger)
	cmd.env.Links = w.links // the TUI's links start where the website says
	g.Go(func() error {
		defer stopWeb()
		return cli.RunTUI(gctx, cmd.env, shownAddr(w.ln.Addr()), logger)
	})
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err // the website's own stop, when the TUI ends, is context.Canceled
	}
	return nil
}

// shownAddr is the listening address as the status bar shows it.
func shownAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d", tcp.Port)
	}
	return "http://" + tcp.String()
}
