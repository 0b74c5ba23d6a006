package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/pflag"
	xterm "golang.org/x/term"

	"pinhole/tui"
)

// TUICommand is "pinhole tui": the terminal UI alone, on this machine.
type TUICommand struct {
	replica ReplicaFlag
}

func (cmd *TUICommand) spec() spec {
	return spec{name: "tui", args: "[--replicate URL]", summary: "open the terminal UI alone (plain pinhole also serves the website)"}
}

func (cmd *TUICommand) flags(fs *pflag.FlagSet) { cmd.replica.Add(fs) }

func (cmd *TUICommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	logger, closeLog, err := OpenLog(c.Env)
	if err != nil {
		return err
	}
	defer closeLog()
	stopReplica, err := Replicate(ctx, c.Env, cmd.replica.URL(c.Env), logger)
	if err != nil {
		return err
	}
	defer stopReplica()
	return RunTUI(ctx, c.Env, "", logger)
}

// OpenLog sends logs to pinhole.log in the data folder while the TUI owns
// the terminal.
func OpenLog(c *Env) (*slog.Logger, func(), error) {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(c.DataDir, "pinhole.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	// The logger is handed to everything the TUI runs (the website, the
	// replication); the process's default logger is not a command's to set.
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, nil
}

// RunTUI runs the terminal UI on the command's streams until the
// photographer quits. address is where the website is served ("" when it
// is not), shown in the status bar; links start as c.Links says.
func RunTUI(ctx context.Context, c *Env, address string, logger *slog.Logger) error {
	if !c.Terminal {
		return errors.New("the TUI needs a terminal: run it in one, or use the commands (pinhole --help)")
	}
	s, err := c.OpenStore(ctx)
	if err != nil {
		return err
	}
	lib, err := c.OpenLibrary(ctx)
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
	cfg := tui.Config{Context: ctx, Store: s, Library: lib, Renderer: r, Output: out, Term: term, Address: address, Links: c.Links}
	if f, ok := out.(*os.File); ok {
		cfg.Width, cfg.Height, _ = xterm.GetSize(int(f.Fd()))
	}
	m := tui.New(cfg)
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
