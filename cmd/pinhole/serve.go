package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/acme"
	"golang.org/x/sync/errgroup"

	"pinhole/cli"
	"pinhole/server/sshd"
	"pinhole/server/web"
	"pinhole/studio"
)

// serveCommand is "pinhole serve": the client website, and the admin TUI,
// commands and uploads over SSH.
type serveCommand struct {
	env     *Env
	web     webFlags
	tls     tlsFlags
	ssh     string
	replica cli.ReplicaFlag
}

func (cmd *serveCommand) command() *cobra.Command {
	c := cli.NewCommand("serve", "[--http ADDR] [--ssh ADDR] [--base-url URL] [--trust-proxy] [--tls-domain DOMAIN]... [--https ADDR] [--acme-directory URL] [--acme-ca-root FILE] [--replicate URL] [--storage-redirect]",
		"serve the client website, and the admin TUI, commands and uploads over SSH", cmd.run)
	fs := c.Flags()
	cmd.web.add(fs)
	cmd.replica.Add(fs)
	fs.StringVar(&cmd.ssh, "ssh", ":2222", "address to listen on for SSH administration (\"\" turns it off)")
	fs.StringArrayVar(&cmd.tls.domains, "tls-domain", nil, "serve HTTPS for this domain, with certificates by ACME kept in the data folder (repeat for more names); --http then only redirects (default :80)")
	fs.StringVar(&cmd.tls.https, "https", ":443", "address to serve HTTPS on, with --tls-domain")
	fs.StringVar(&cmd.tls.directory, "acme-directory", acme.LetsEncryptURL, "ACME directory URL certificates come from, with --tls-domain")
	fs.StringVar(&cmd.tls.caRoot, "acme-ca-root", "", "PEM file of an extra root to trust for the ACME server (a test CA), with --tls-domain")
	cmd.tls.fs = fs
	return c
}

func (cmd *serveCommand) run(ctx context.Context, args []string) error {
	return quietStop(ctx, cmd.serve(ctx, args))
}

func (cmd *serveCommand) serve(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return cli.Usagef("unexpected argument %q", args[0])
	}
	env := cmd.env
	web.TuneGC()
	logs := web.NewLogWriter(env.Stderr, 100*time.Millisecond) // the request log, written in batches
	defer logs.Flush()
	logger := slog.New(slog.NewTextHandler(logs, nil))

	stopReplica, err := cli.Replicate(ctx, env, cmd.replica.URL(env), logger)
	if err != nil {
		return err
	}
	defer stopReplica()
	w, err := openWebsite(ctx, env, &cmd.web, &cmd.tls, logger)
	if err != nil {
		return err
	}
	store, lib, ln := w.store, w.lib, w.ln
	var ssh *sshd.SSH
	var sshLn net.Listener
	if cmd.ssh != "" {
		ssh, err = sshd.NewSSH(sshd.SSHConfig{
			HostKeyPath: filepath.Join(env.DataDir, sshd.HostKeyFile),
			Store:       store,
			Library:     lib,
			DataDir:     env.DataDir,
			Links:       w.links, // --base-url, --tls-domain
			Logger:      logger,
			StageDir:    filepath.Join(env.DataDir, "uploads"),
			// The hint to add a key names the data folder when it is not the default.
			AdminCommand: sshd.AdminCommand(env.DataDir),
		})
		if err != nil {
			w.close()
			return err
		}
		if sshLn, err = web.Listen(cmd.ssh); err != nil {
			w.close()
			return err
		}
	}
	if w.redirect != nil {
		fmt.Fprintf(env.Stdout, "Pinhole website on %s (HTTPS on %s)\n", w.url(), ln.Addr())
		fmt.Fprintf(env.Stdout, "ACME challenges and redirects to HTTPS on http://%s\n", w.redirect.Addr())
	} else {
		fmt.Fprintf(env.Stdout, "Pinhole website on %s\n", shownAddr(ln.Addr()))
	}
	if sshLn != nil {
		fmt.Fprintf(env.Stdout, "Pinhole administration on ssh -p %s HOST\n", port(sshLn.Addr()))
	}
	notice, err := studio.LocalOnlyNotice(ctx, store, w.links)
	if err != nil {
		w.close()
		return err
	}
	if notice != "" {
		fmt.Fprintln(env.Stdout, notice)
	}

	// Servers run side by side; the first to fail stops the others.
	g, gctx := errgroup.WithContext(ctx)
	w.run(gctx, g, logger)
	if ssh != nil {
		g.Go(func() error { return ssh.Run(gctx, sshLn) })
	}
	if err := quietStop(ctx, g.Wait()); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// quietStop is err, or nil when err only says that the stop signal (ctx,
// cancelled by main on SIGINT or SIGTERM) came: a stop while starting is as
// quiet as one after start-up.
func quietStop(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
