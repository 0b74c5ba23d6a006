package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"time"

	"golang.org/x/sync/errgroup"

	"pinhole/db"
	"pinhole/media"
	"pinhole/server"
)

func serveCommand() *command {
	return &command{
		name: "serve", args: "[--http ADDR] [--ssh ADDR] [--base-url URL] [--trust-proxy]",
		summary: "serve the client website, and the admin TUI, commands and uploads over SSH",
		local:   true,
		flags: func(fs *flag.FlagSet) {
			addWebFlags(fs)
			fs.String("ssh", ":2222", "address to listen on for SSH administration (\"\" turns it off)")
		},
		run: runServe,
	}
}

func runServe(ctx context.Context, c *call) error {
	if len(c.args) > 0 {
		return usagef("unexpected argument %q", c.args[0])
	}
	tuneGC()
	logs := server.NewLogWriter(c.Stderr, 100*time.Millisecond) // the request log, written in batches
	defer logs.Flush()
	logger := slog.New(slog.NewTextHandler(logs, nil))

	w, err := openWebsite(ctx, c, logger)
	if err != nil {
		return err
	}
	store, lib, ln := w.store, w.lib, w.ln
	var ssh *server.SSH
	var sshLn net.Listener
	if sshAddr := c.fs.Lookup("ssh").Value.String(); sshAddr != "" {
		ssh, err = sshServer(c.DataDir, store, lib, c.fs.Lookup("base-url").Value.String(), logger)
		if err != nil {
			ln.Close()
			return err
		}
		if sshLn, err = net.Listen("tcp", sshAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listen %s: %w", sshAddr, err)
		}
	}
	fmt.Fprintf(c.Stdout, "Pinhole website on http://%s\n", ln.Addr())
	if sshLn != nil {
		fmt.Fprintf(c.Stdout, "Pinhole administration on ssh -p %s HOST\n", port(sshLn.Addr()))
	}

	// Servers run side by side; the first to fail stops the others.
	g, gctx := errgroup.WithContext(ctx)
	w.run(gctx, g, logger)
	if ssh != nil {
		g.Go(func() error { return ssh.Run(gctx, sshLn) })
	}
	err = g.Wait()
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// addWebFlags declares the website's flags, shared by serve and plain pinhole.
func addWebFlags(fs *flag.FlagSet) {
	fs.String("http", ":8080", "address to listen on for the website")
	fs.String("base-url", "", "address clients reach the website at (default: the base-url setting)")
	fs.Bool("trust-proxy", false, "take the client address and scheme from X-Forwarded-For and X-Forwarded-Proto")
}

// website is the client website, ready to serve.
type website struct {
	store   *db.Store
	lib     *media.Library
	handler *server.Handler
	ln      net.Listener
}

// run serves the website in g until ctx ends, with its upkeep: visit
// counts written every few seconds; every hour expired sessions and idle
// throttle records go, and events past their retention are folded.
func (w *website) run(ctx context.Context, g *errgroup.Group, logger *slog.Logger) {
	g.Go(func() error { return server.Serve(ctx, w.ln, w.handler, logger) })
	g.Go(func() error { return w.handler.KeepCounts(ctx, 10*time.Second) })
	g.Go(func() error { return server.CleanSessions(ctx, w.store, time.Hour, logger) })
	g.Go(func() error { return server.FoldOldEvents(ctx, w.store, time.Hour, logger) })
	g.Go(func() error { return w.handler.PruneThrottle(ctx, time.Hour) })
}

// openWebsite opens the data folder and listens for the website as the
// flags of addWebFlags say.
func openWebsite(ctx context.Context, c *call, logger *slog.Logger) (*website, error) {
	store, err := c.store(ctx)
	if err != nil {
		return nil, err
	}
	lib, err := c.library()
	if err != nil {
		return nil, err
	}
	h, err := server.New(server.Config{Store: store, Library: lib, Logger: logger,
		TrustProxy: c.fs.Lookup("trust-proxy").Value.String() == "true", BaseURL: c.fs.Lookup("base-url").Value.String()})
	if err != nil {
		return nil, err
	}
	if err := store.CheckSpace(); errors.Is(err, db.ErrFull) {
		logger.Warn("the disk is full: pages and photos are served, but nothing new is saved (favourites, logins, PINs) until space is freed", "err", err)
	} else if err != nil {
		logger.Warn("cannot check the disk", "err", err)
	}
	addr := c.fs.Lookup("http").Value.String()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	logger.Info("serving the client website", "addr", ln.Addr().String(), "data", c.DataDir)
	return &website{store, lib, h, ln}, nil
}

func port(a net.Addr) string {
	_, p, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return p
}

// tuneGC collects less often than Go's default (GOGC=100): a request
// allocates a few kB that are garbage at once, and the live heap is small,
// so at the default the collector costs ~6 % of a thumbnail's CPU. The
// heap may grow to five times the live data, but the soft limit of
// 64 MiB makes the collector work harder before memory goes past it (the
// thumbnails kept in memory count as live data, and would otherwise let
// the heap grow five times their size).
// GOGC or GOMEMLIMIT in the environment are left as given.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
}
