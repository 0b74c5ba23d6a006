package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"pinhole/db"
	"pinhole/studio"
)

// Env is what a command runs with: its streams, and the store when it was
// opened by the caller (the SSH endpoint shares the server's store).
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Terminal       bool // Stdout is a terminal: progress bars and colours
	Remote         bool // run over SSH: no serve or tui, the data folder is fixed

	DataDir string
	Store   *db.Store
	opened  bool // Store was opened here, so Close closes it
}

// Close closes what the commands opened.
func (e *Env) Close() {
	if e.opened && e.Store != nil {
		e.Store.Close()
		e.Store, e.opened = nil, false
	}
}

// store opens the database in the data folder on first use.
func (e *Env) store(ctx context.Context) (*db.Store, error) {
	if e.Store != nil {
		return e.Store, nil
	}
	s, err := db.Open(ctx, filepath.Join(e.DataDir, "pinhole.db"))
	if err != nil {
		return nil, err
	}
	e.Store, e.opened = s, true
	return s, nil
}

// DefaultDataDir is $PINHOLE_DATA, else $XDG_DATA_HOME/pinhole, else ~/.local/share/pinhole.
func DefaultDataDir(getenv func(string) string) string {
	if d := getenv("PINHOLE_DATA"); d != "" {
		return d
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "pinhole")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "pinhole")
}

// command is one verb of the command line.
type command struct {
	name    string
	args    string // usage after the name
	summary string
	flags   func(fs *flag.FlagSet) // extra flags
	run     func(ctx context.Context, c *call) error
	sub     []*command
	local   bool // not offered over SSH
}

// call is one invocation: parsed flags, arguments and output.
type call struct {
	*Env
	fs   *flag.FlagSet
	args []string
	json bool
	path string // "gallery create"
}

// usageError is wrong usage: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// Run runs the command line and returns the exit status.
func Run(ctx context.Context, env *Env, args []string) int {
	root := commands()
	var data string
	var jsonOut bool
	// Global flags before the command.
globals:
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		switch {
		case a == "--json" || a == "-json":
			jsonOut = true
			args = args[1:]
		case (a == "--data" || a == "-data") && len(args) > 1:
			data, args = args[1], args[2:]
		case strings.HasPrefix(a, "--data=") || strings.HasPrefix(a, "-data="):
			data, args = a[strings.Index(a, "=")+1:], args[1:]
		case a == "-h" || a == "--help" || a == "-help":
			printUsage(env.Stdout, root, "", env.Remote)
			return 0
		case defaultCommand(env) != nil:
			break globals // plain pinhole's own flags (--http)
		default:
			fmt.Fprintf(env.Stderr, "pinhole: unknown flag %s\n", a)
			printUsage(env.Stderr, root, "", env.Remote)
			return 2
		}
	}
	if env.DataDir == "" || (data != "" && !env.Remote) {
		if data == "" {
			data = DefaultDataDir(env.Getenv)
		}
		env.DataDir = data
	}
	if len(args) > 0 && args[0] == "help" {
		return help(env, root, args[1:])
	}
	cmd, path, rest := find(root, args)
	if cmd == nil || (env.Remote && cmd.local) {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			if r := defaultCommand(env); r != nil {
				cmd, path, rest = r, "", args
			}
		}
		if cmd == nil || (env.Remote && cmd.local) {
			if len(args) > 0 {
				fmt.Fprintf(env.Stderr, "pinhole: unknown command %q\n", strings.Join(args, " "))
			}
			printUsage(env.Stderr, root, "", env.Remote)
			return 2
		}
	}
	if cmd.run == nil {
		if len(rest) > 0 {
			fmt.Fprintf(env.Stderr, "pinhole %s: unknown command %q\n", path, rest[0])
		}
		printUsage(env.Stderr, cmd, path, env.Remote)
		return 2
	}
	c := &call{Env: env, path: path, json: jsonOut}
	c.fs = flag.NewFlagSet("pinhole "+path, flag.ContinueOnError)
	c.fs.SetOutput(io.Discard)
	c.fs.BoolVar(&c.json, "json", jsonOut, "print JSON for scripts")
	dataFlag := c.fs.String("data", "", "data folder")
	if cmd.flags != nil {
		cmd.flags(c.fs)
	}
	pos, err := parseInterspersed(c.fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		printCommandUsage(env.Stdout, cmd, path, c.fs)
		return 0
	}
	if err != nil {
		msg := err.Error()
		if strings.HasPrefix(msg, "flag provided but not defined") {
			msg += ` (to pass a name that starts with "-", put it after "--")`
		}
		fmt.Fprintf(env.Stderr, "%s: %s\n", strings.TrimSpace("pinhole "+path), studio.Printable(msg))
		printCommandUsage(env.Stderr, cmd, path, c.fs)
		return 2
	}
	if *dataFlag != "" && !env.Remote && !env.opened && env.Store == nil {
		env.DataDir = *dataFlag
	}
	c.args = pos
	err = cmd.run(ctx, c)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "%s: %s\n", strings.TrimSpace("pinhole "+path), studio.Printable(ue.msg))
		printCommandUsage(env.Stderr, cmd, path, c.fs)
		return 2
	case errors.Is(err, errSilent):
		return 1
	default:
		fmt.Fprintf(env.Stderr, "%s: %s%s\n", strings.TrimSpace("pinhole "+path), studio.Printable(err.Error()), advice(err))
		return 1
	}
}

// advice is what a command line adds to a store's error: the command that
// lists what exists. The store's message says only what is wrong, since
// the TUI shows it too.
func advice(err error) string {
	switch {
	case errors.Is(err, db.ErrNoGallery):
		return ": check the slug with pinhole gallery list"
	case errors.Is(err, db.ErrNoAdminKey):
		return " (see pinhole admin list)"
	}
	return ""
}

// errSilent fails a command that already said why.
var errSilent = errors.New("failed")

// defaultCommand is what plain "pinhole" runs, if anything.
var defaultCommand = func(env *Env) *command { return nil }

func find(root *command, args []string) (*command, string, []string) {
	cmd := root
	var path []string
	for len(args) > 0 {
		var next *command
		for _, s := range cmd.sub {
			if s.name == args[0] {
				next = s
			}
		}
		if next == nil {
			break
		}
		cmd, path, args = next, append(path, next.name), args[1:]
	}
	if cmd == root {
		return nil, "", args
	}
	return cmd, strings.Join(path, " "), args
}

// parseInterspersed lets flags come before or after positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag stops at "--": everything after it is positional.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

func printUsage(w io.Writer, root *command, prefix string, remote bool) {
	if prefix == "" {
		fmt.Fprintln(w, "Pinhole delivers photos to your clients.")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Usage: pinhole [--data DIR] [--json] COMMAND ...")
		if !remote {
			fmt.Fprintln(w, "       pinhole [--data DIR] [--http ADDR]   (the terminal UI, with the website served alongside)")
		}
	} else {
		fmt.Fprintf(w, "Usage: pinhole %s COMMAND ...\n", prefix)
	}
	fmt.Fprintln(w)
	var lines [][2]string
	var walk func(c *command, path string)
	walk = func(c *command, path string) {
		for _, s := range c.sub {
			if remote && s.local {
				continue
			}
			p := strings.TrimSpace(path + " " + s.name)
			if s.run != nil {
				lines = append(lines, [2]string{strings.TrimSpace(p + " " + s.args), s.summary})
			}
			walk(s, p)
		}
	}
	walk(root, prefix)
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n      %s\n", l[0], l[1])
	}
	if prefix == "" && !remote {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Data folder: --data, or $PINHOLE_DATA, else $XDG_DATA_HOME/pinhole, else ~/.local/share/pinhole.")
	}
}

func printCommandUsage(w io.Writer, cmd *command, path string, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s %s\n  %s\n", strings.TrimSpace("pinhole "+path), cmd.args, cmd.summary)
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name != "data" && f.Name != "json" {
			names = append(names, f.Name)
		}
	})
	sort.Strings(names)
	for _, n := range names {
		f := fs.Lookup(n)
		fmt.Fprintf(w, "  --%-14s %s\n", n, f.Usage)
	}
}

// set reports whether a flag was given on the command line.
func (c *call) set(name string) bool {
	found := false
	c.fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			found = true
		}
	})
	return found
}

// writeJSONArray writes, element by element, what output writes for a
// slice of them, so that a long list is never held whole: each calls emit
// with every element in turn.
func writeJSONArray(w io.Writer, each func(emit func(any) error) error) error {
	bw := bufio.NewWriter(w)
	n := 0
	err := each(func(v any) error {
		b, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return err
		}
		if n == 0 {
			bw.WriteString("[\n  ")
		} else {
			bw.WriteString(",\n  ")
		}
		n++
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		bw.Flush()
		return err
	}
	if n == 0 {
		bw.WriteString("[]\n")
	} else {
		bw.WriteString("\n]\n")
	}
	return bw.Flush()
}

// output prints v as JSON, or calls human to print it for people.
func (c *call) output(v any, human func(w io.Writer)) error {
	if c.json {
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human(printableWriter{c.Stdout})
	return nil
}

func (c *call) needArgs(n int, what string) error {
	if len(c.args) < n {
		return usagef("missing %s", what)
	}
	return nil
}

func (c *call) exactArgs(n int, what string) error {
	if len(c.args) != n {
		if len(c.args) < n {
			return usagef("missing %s", what)
		}
		return usagef("unexpected argument %q", c.args[n])
	}
	return nil
}

// confirm asks a yes/no question on the command's streams.
func (c *call) confirm(question string) bool {
	fmt.Fprintf(c.Stderr, "%s [y/N] ", question)
	var b [1]byte
	var line []byte
	for {
		n, err := c.Stdin.Read(b[:])
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if err != nil {
			fmt.Fprintln(c.Stderr) // no answer: end the prompt's line
			break
		}
	}
	a := strings.ToLower(strings.TrimSpace(string(line)))
	return a == "y" || a == "yes"
}

func commands() *command {
	gallery := galleryCommand()
	gallery.sub = append(gallery.sub, galleryPreviewCommand())
	client := clientCommand()
	client.sub = append(client.sub, clientPreviewCommand())
	return &command{sub: []*command{
		gallery,
		client,
		favouritesCommand(),
		activityCommand(),
		configCommand(),
		adminCommand(),
		tuiCommand(),
		importCommand(),
		photoCommand(),
		doctorCommand(),
		serveCommand(),
		restoreCommand(),
		backupCommand(),
	}}
}

// help prints the usage of the command named by args (all commands
// without), as --help does.
func help(env *Env, root *command, args []string) int {
	if len(args) == 0 {
		printUsage(env.Stdout, root, "", env.Remote)
		return 0
	}
	cmd, path, rest := find(root, args)
	if cmd == nil || len(rest) > 0 || (env.Remote && cmd.local) {
		fmt.Fprintf(env.Stderr, "pinhole help: unknown command %q\n", strings.Join(args, " "))
		printUsage(env.Stderr, root, "", env.Remote)
		return 2
	}
	if cmd.run == nil {
		printUsage(env.Stdout, cmd, path, env.Remote)
		return 0
	}
	fs := flag.NewFlagSet("pinhole "+path, flag.ContinueOnError)
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	printCommandUsage(env.Stdout, cmd, path, fs)
	return 0
}
