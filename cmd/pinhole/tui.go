package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"pinhole/tui"
)

func tuiCommand() *command {
	return &command{
		name: "tui", summary: "open the terminal UI (without serving the website)", local: true,
		run: func(ctx context.Context, c *call) error {
			if err := c.exactArgs(0, ""); err != nil {
				return err
			}
			return runTUI(ctx, c, "")
		},
	}
}

// runTUI runs the terminal UI on the command's streams until the
// photographer quits. address is the website's, "" when not served.
func runTUI(ctx context.Context, c *call, address string) error {
	if !c.Terminal {
		return errors.New("the TUI needs a terminal: run it in one, or use the commands (pinhole --help)")
	}
	s, err := c.store(ctx)
	if err != nil {
		return err
	}
	// Logs go to a file while the TUI owns the terminal.
	logf, err := os.OpenFile(filepath.Join(c.DataDir, "pinhole.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open log: %w", err)
	}
	defer logf.Close()
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(logf, nil)))
	defer slog.SetDefault(prev)

	lib, err := c.library()
	if err != nil {
		return err
	}
	out := c.Stdout
	r := lipgloss.NewRenderer(out)
	r.HasDarkBackground() // ask the terminal now, before the program reads its input
	m := tui.New(tui.Config{Store: s, Library: lib, Renderer: r, Output: out, Address: address})
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(c.Stdin), tea.WithOutput(out),
		tea.WithAltScreen(), tea.WithMouseCellMotion())
	_, err = p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}
