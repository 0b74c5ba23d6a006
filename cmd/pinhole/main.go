// Command pinhole delivers photos from a photographer to their clients.
//
// This is the wiring: the commands are package cli's; this adds serve and
// plain pinhole (the TUI with the website alongside), which run the servers.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"pinhole/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C (or SIGTERM) asks the command to stop cleanly; the
	// second ends the process, should it be stuck where it cannot notice.
	go func() {
		<-ctx.Done()
		stop()
	}()
	env := &Env{
		Stdin:    os.Stdin,
		Stdout:   os.Stdout,
		Stderr:   os.Stderr,
		Getenv:   os.Getenv,
		Terminal: term.IsTerminal(int(os.Stdout.Fd())),
	}
	code := Run(ctx, env, os.Args[1:])
	env.Close()
	os.Exit(code)
}

// Env is what a command runs with.
type Env = cli.Env

// Run runs the command line and returns the exit status: the commands of
// package cli and, on this machine, serve and plain pinhole.
func Run(ctx context.Context, env *Env, args []string) int {
	if env.Remote {
		return cli.Run(ctx, env, args)
	}
	root := cli.Root(env, (&serveCommand{env: env}).command())
	(&studioCommand{env: env}).attach(root)
	return cli.Execute(ctx, env, root, args)
}
