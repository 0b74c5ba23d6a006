package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"golang.org/x/sync/errgroup"

	"pinhole/tui"
)

func tuiCommand() *command {
	return &command{
		name: "tui", args: "[--replicate URL]", summary: "open the terminal UI alone (plain pinhole also serves the website)", local: true,
		flags: addReplicateFlag,
		run: func(ctx context.Context, c *call) error {
			if err := c.exactArgs(0, ""); err != nil {
				return err
			}
			logger, closeLog, err := openLog(c)
			if err != nil {
				return err
			}
			defer closeLog()
			stopReplica, err := replicate(ctx, c, logger)
			if err != nil {
				return err
			}
			defer stopReplica()
			return runTUI(ctx, c, "", logger)
		},
	}
}

// studioCommand is plain "pinhole": the TUI, with the client website
// served alongside until the photographer quits.
func studioCommand() *command {
	return &command{
		name: "pinhole", args: "[--http ADDR] [--base-url URL] [--trust-proxy] [--replicate URL]",
		summary: "open the terminal UI and serve the client website alongside", local: true,
		flags: func(fs *flag.FlagSet) {
			addWebFlags(fs)
			addReplicateFlag(fs)
		},
		run: runStudio,
	}
}

func init() {
	defaultCommand = func(env *Env) *command {
		if env.Remote {
			return nil
		}
		return studioCommand()
	}
}

func runStudio(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	if !c.Terminal {
		return errors.New("the TUI needs a terminal: run it in one, or serve the website alone with pinhole serve")
	}
	logger, closeLog, err := openLog(c)
	if err != nil {
		return err
	}
	defer closeLog()
	stopReplica, err := replicate(ctx, c, logger)
	if err != nil {
		return err
	}
	defer stopReplica()
	w, err := openWebsite(ctx, c, logger)
	if err != nil {
		return err
	}

	// The website runs until the TUI ends, then shuts down gracefully.
	g, gctx := errgroup.WithContext(ctx)
	webCtx, stopWeb := context.WithCancel(gctx)
	w.run(webCtx, g, logger)
	g.Go(func() error {
		defer stopWeb()
		return runTUI(gctx, c, shownAddr(w.ln.Addr()), logger)
	})
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
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

// openLog sends logs to pinhole.log in the data folder while the TUI owns
// the terminal.
func openLog(c *call) (*slog.Logger, func(), error) {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(c.DataDir, "pinhole.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(f, nil))
	prev := slog.Default()
	slog.SetDefault(logger)
	return logger, func() {
		slog.SetDefault(prev)
		f.Close()
	}, nil
}

// runTUI runs the terminal UI on the command's streams until the
// photographer quits. address is the website's, "" when not served.
func runTUI(ctx context.Context, c *call, address string, logger *slog.Logger) error {
	if !c.Terminal {
		return errors.New("the TUI needs a terminal: run it in one, or use the commands (pinhole --help)")
	}
	s, err := c.store(ctx)
	if err != nil {
		return err
	}
	lib, err := c.library()
	if err != nil {
		return err
	}
	out := c.Stdout
	r := lipgloss.NewRenderer(out)
	r.HasDarkBackground() // ask the terminal now, before the program reads its input
	term := c.Getenv("TERM")
	if c.Getenv("TMUX") != "" {
		term = "tmux"
	}
	m := tui.New(tui.Config{Context: ctx, Store: s, Library: lib, Renderer: r, Output: out, Term: term, Address: address})
	opts := append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(c.Stdin), tea.WithOutput(out)}, tui.ProgramOptions()...)
	p := tea.NewProgram(m, opts...)
	_, err = p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if err != nil {
		logger.Error("tui", "err", err)
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}
