// Package cli is Pinhole's command line: one small type per command, each
// with its flags as fields, on a cobra tree that cmd/pinhole runs locally
// and server/sshd runs for an SSH session.
package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/studio"
)

// tree is one run's command tree and its global flags.
type tree struct {
	env     *Env
	data    string // --data
	storage string // --storage
	json    bool   // --json
}

// call is one invocation of a command: its arguments and output.
type call struct {
	*Env
	cmd  *cobra.Command
	args []string
	json bool
}

// set reports whether a flag was given on the command line.
func (c *call) set(name string) bool { return c.cmd.Flags().Changed(name) }

// usageError is wrong usage: exit status 2, with the usage of the command
// (or of of, when set) on stderr.
type usageError struct {
	msg string
	of  *cobra.Command
}

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{msg: fmt.Sprintf(format, args...)} }

// Usagef is wrong usage for commands made outside this package: exit status 2.
func Usagef(format string, args ...any) error { return usagef(format, args...) }

// errSilent fails a command that already said why.
var errSilent = errors.New("failed")

// Run runs the command line with the commands of this package and returns
// the exit status. The SSH endpoint runs it for each remote command.
func Run(ctx context.Context, env *Env, args []string) int {
	return Execute(ctx, env, Root(env), args)
}

// Root makes the tree of commands. The ones that run the servers (serve)
// come from the caller, as servers, and go in their place in the list;
// plain pinhole's TUI with the website is the caller's too, on the root.
// Over SSH (env.Remote) it holds only what may run remotely.
func Root(env *Env, servers ...*cobra.Command) *cobra.Command {
	t := &tree{env: env}
	root := &cobra.Command{
		Use:   "pinhole",
		Short: "Pinhole delivers photos to your clients.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{msg: fmt.Sprintf("unknown command %q", strings.Join(args, " "))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return usageError{} },
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			t.settle()
		},
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.PersistentFlags().StringVar(&t.data, "data", "", "data folder")
	root.PersistentFlags().StringVar(&t.storage, "storage", "", "where the photo files are: file:///FOLDER or s3://BUCKET/PREFIX (default $PINHOLE_STORAGE, else where the database says, else the data folder's photos/)")
	root.PersistentFlags().BoolVar(&t.json, "json", false, "print JSON for scripts")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{msg: flagError(err)}
	})
	root.SetHelpFunc(func(cmd *cobra.Command, args []string) { t.help(cmd.OutOrStdout(), cmd) })
	root.SetHelpCommand(t.helpCommand(root))
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetIn(env.Stdin)

	add(root,
		t.parent("gallery",
			t.command(&GalleryCreateCommand{}),
			t.command(&GalleryListCommand{}),
			t.command(&GalleryShowCommand{}),
			t.command(&GallerySetCommand{}),
			t.command(&GalleryDeleteCommand{}),
			t.command(&GalleryShareCommand{}),
			t.command(&GalleryPreviewCommand{}),
		),
		t.parent("client",
			t.command(&ClientCreateCommand{}),
			t.command(&ClientListCommand{}),
			t.command(&ClientShowCommand{}),
			t.command(&ClientGrantCommand{}),
			t.command(&ClientRevokeCommand{}),
			t.command(&ClientDeleteCommand{}),
			t.command(&ClientPreviewCommand{}),
		),
		t.command(&FavouritesCommand{}),
		t.command(&ActivityCommand{}),
		t.parent("config",
			t.command(&ConfigGetCommand{}),
			t.command(&ConfigSetCommand{}),
		),
		t.parent("admin",
			t.command(&AdminAddCommand{}),
			t.command(&AdminListCommand{}),
			t.command(&AdminRemoveCommand{}),
		),
	)
	if !env.Remote {
		add(root, t.command(&TUICommand{}))
	}
	add(root,
		t.command(&ImportCommand{}),
		t.parent("photo", t.command(&PhotoListCommand{})),
		t.command(&DoctorCommand{}),
	)
	if !env.Remote {
		add(root, servers...)
		add(root, t.command(&RestoreCommand{}))
		// Local only: a running server keeps the storage it started with.
		add(root, t.parent("storage", t.command(&StorageMigrateCommand{})))
	} else {
		// Over SSH the commands that run only on the server say so,
		// whatever flags they are given (not "unknown flag --to").
		for _, lo := range []struct{ name, why string }{
			{"serve", "it is the server you reach over SSH"},
			{"tui", "over SSH the terminal UI opens when you log in without a command (ssh -t)"},
			{"restore", "run it on the server, with Pinhole stopped"},
			{"storage", "run pinhole storage migrate on the server, with serve stopped"},
		} {
			add(root, &cobra.Command{
				Use: lo.name, Hidden: true, DisableFlagParsing: true, Args: cobra.ArbitraryArgs,
				Annotations: map[string]string{serverOnly: "yes"},
				RunE: func(*cobra.Command, []string) error {
					return usageError{msg: fmt.Sprintf("%s runs only on the server itself, not over SSH: %s", lo.name, lo.why), of: root}
				},
			})
		}
	}
	add(root,
		t.parent("backup", t.command(&BackupStatusCommand{})),
		t.completionCommand(root),
	)
	return root
}

// serverOnly marks, over SSH, a command that runs only on the server
// itself: it and help about it say so.
const serverOnly = "server-only"

// settle chooses the data folder: --data, else the caller's, else the default.
func (t *tree) settle() {
	env := t.env
	if t.data != "" && !env.Remote && env.Store == nil {
		env.DataDir = t.data
	}
	if env.DataDir == "" {
		env.DataDir = DefaultDataDir(env.Getenv)
	}
	if !env.Remote && env.Library == nil {
		env.Storage = t.storage
		if env.Storage == "" {
			env.Storage = env.Getenv("PINHOLE_STORAGE")
		}
	}
}

// runner is one command of the tree: a small type with its flags as fields.
type runner interface {
	// spec names the command, its arguments' usage and what it does.
	spec() spec
	run(ctx context.Context, c *call) error
}

// flagged is a runner with flags: it declares them on its fields.
type flagged interface {
	flags(fs *pflag.FlagSet)
}

type spec struct {
	name, args, summary string
	complete            completer            // the arguments' completion, nil: none
	flagComplete        map[string]completer // flags' values' completion
	flagValues          map[string][]string  // flags that take one of a few words
}

// order keeps the commands as listed here in the usage, not sorted.
const orderKey = "order"

func add(parent *cobra.Command, children ...*cobra.Command) {
	for _, c := range children {
		c.Annotations[orderKey] = fmt.Sprintf("%03d", len(parent.Commands()))
		parent.AddCommand(c)
	}
}

// command makes the cobra command of r.
func (t *tree) command(r runner) *cobra.Command {
	s := r.spec()
	cmd := &cobra.Command{
		Use:         s.name,
		Short:       s.summary,
		Annotations: map[string]string{"args": s.args},
		Args:        cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return r.run(cmd.Context(), &call{Env: t.env, cmd: cmd, args: args, json: t.json})
		},
	}
	if f, ok := r.(flagged); ok {
		f.flags(cmd.Flags())
	}
	if s.complete != nil {
		cmd.ValidArgsFunction = t.completion(s.complete)
	}
	for name, words := range s.flagValues {
		if err := cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)); err != nil {
			panic(err) // a flag named here that the command lacks
		}
	}
	for name, fn := range s.flagComplete {
		if err := cmd.RegisterFlagCompletionFunc(name, t.flagCompletion(fn)); err != nil {
			panic(err) // a flag named here that the command lacks
		}
	}
	return cmd
}

// NewCommand makes a command of the tree for a caller outside this package
// (serve, plain pinhole): run gets the positional arguments.
func NewCommand(name, args, summary string, run func(ctx context.Context, args []string) error) *cobra.Command {
	return &cobra.Command{
		Use:         name,
		Short:       summary,
		Annotations: map[string]string{"args": args},
		Args:        cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd.Context(), args)
		},
	}
}

// parent groups commands: on its own it shows their usage (exit 2).
func (t *tree) parent(name string, children ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:         name,
		Annotations: map[string]string{},
		Args:        cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q", args[0])
			}
			return usageError{}
		},
	}
	add(cmd, children...)
	return cmd
}

// Execute runs args against root, prints what went wrong, and returns
// the exit status: 0, 1 when the command failed, 2 for wrong usage.
func Execute(ctx context.Context, env *Env, root *cobra.Command, args []string) int {
	args = singleDash(root, args)
	root.SetArgs(append([]string{}, args...))
	cmd, err := helpOfUnknown(root, args)
	if err == nil {
		cmd, err = root.ExecuteContextC(ctx)
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		if ue.msg != "" {
			fmt.Fprintf(env.Stderr, "%s: %s\n", cmd.CommandPath(), studio.Printable(ue.msg))
		}
		if ue.of != nil {
			cmd = ue.of
		}
		usage(env.Stderr, cmd, env.Remote)
		return 2
	case errors.Is(err, errSilent):
		return 1
	default:
		fmt.Fprintf(env.Stderr, "%s: %s%s\n", cmd.CommandPath(), studio.Printable(err.Error()), advice(err))
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

// helpOfUnknown is wrong usage for --help after a word that names no
// command (pinhole frobnicate --help; serve --help over SSH, where serve
// is not): cobra would print the list of commands and end with 0, where
// help frobnicate says it knows no such command.
func helpOfUnknown(root *cobra.Command, args []string) (*cobra.Command, error) {
	cmd, rest, err := root.Find(args)
	if err != nil || !cmd.HasAvailableSubCommands() {
		return cmd, nil
	}
	var words []string
	help := false
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			words = append(words, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if a == "-h" || name == "help" {
			help = true
			continue
		}
		f := cmd.Flags().Lookup(name)
		if f == nil {
			f = cmd.InheritedFlags().Lookup(name)
		}
		if f != nil && !hasValue && f.NoOptDefVal == "" {
			i++ // the flag's value
		}
	}
	if !help || len(words) == 0 {
		return cmd, nil
	}
	return cmd, usageError{msg: fmt.Sprintf("unknown command %q", strings.Join(words, " "))}
}

// singleDash lets a long flag start with one dash (-json, -title T), as
// the command line always allowed, by giving it its second.
func singleDash(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil {
		return args
	}
	cmd.InitDefaultHelpFlag() // cobra adds it only when it runs the command
	lookup := func(name string) *pflag.Flag {
		if f := cmd.Flags().Lookup(name); f != nil {
			return f
		}
		return cmd.InheritedFlags().Lookup(name)
	}
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := lookup(name)
		if f == nil {
			continue
		}
		if !strings.HasPrefix(a, "--") && len(name) > 1 {
			out[i] = "-" + a
		}
		if !hasValue && f.NoOptDefVal == "" {
			i++ // the flag's value, whatever it looks like
		}
	}
	return out
}

var (
	unknownFlag  = regexp.MustCompile(`^unknown (?:shorthand )?flag: (?:'.' in )?-+(.*)$`)
	invalidValue = regexp.MustCompile(`^invalid argument "(.*)" for "(?:-., )?-+([^"]*)" flag: .*$`)
)

// flagError words a flag's error as the command line always has.
func flagError(err error) string {
	msg := err.Error()
	if m := unknownFlag.FindStringSubmatch(msg); m != nil {
		return "flag provided but not defined: -" + m[1] + ` (to pass a name that starts with "-", put it after "--")`
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("invalid value %q for flag -%s: parse error", m[1], m[2])
	}
	return strings.Replace(msg, ": --", ": -", 1)
}

// usage prints what a command takes: the list of commands under a group,
// or one command's arguments and flags.
func usage(w io.Writer, cmd *cobra.Command, remote bool) {
	if cmd.HasAvailableSubCommands() {
		listUsage(w, cmd, remote)
		return
	}
	fmt.Fprintf(w, "Usage: %s %s\n  %s\n", cmd.CommandPath(), cmd.Annotations["args"], cmd.Short)
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" && !f.Hidden {
			fmt.Fprintf(w, "  --%-14s %s\n", f.Name, f.Usage)
		}
	})
}

// children are a command's subcommands in the order the tree lists them.
func children(cmd *cobra.Command) []*cobra.Command {
	cs := slices.Clone(cmd.Commands())
	slices.SortStableFunc(cs, func(a, b *cobra.Command) int {
		return strings.Compare(a.Annotations[orderKey], b.Annotations[orderKey])
	})
	return cs
}

func listUsage(w io.Writer, cmd *cobra.Command, remote bool) {
	root := !cmd.HasParent()
	if root {
		fmt.Fprintln(w, "Pinhole delivers photos to your clients.")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Usage: pinhole [--data DIR] [--json] COMMAND ...")
		if !remote {
			fmt.Fprintln(w, "       pinhole [--data DIR] [--http ADDR]   (the terminal UI, with the website served alongside)")
		}
	} else {
		fmt.Fprintf(w, "Usage: %s COMMAND ...\n", cmd.CommandPath())
	}
	fmt.Fprintln(w)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, s := range children(c) {
			if !s.IsAvailableCommand() || s.Name() == "help" {
				continue
			}
			if !s.HasAvailableSubCommands() {
				p := strings.TrimPrefix(s.CommandPath(), "pinhole ")
				fmt.Fprintf(w, "  %s\n      %s\n", strings.TrimSpace(p+" "+s.Annotations["args"]), s.Short)
			}
			walk(s)
		}
	}
	walk(cmd)
	if root {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "pinhole help COMMAND, or COMMAND --help, shows a command's usage and flags.")
	}
	if root && !remote {
		fmt.Fprintln(w, "Data folder: --data, or $PINHOLE_DATA, else $XDG_DATA_HOME/pinhole, else ~/.local/share/pinhole.")
		fmt.Fprintln(w, "Photo files: --storage file:///FOLDER or s3://BUCKET/PREFIX, or $PINHOLE_STORAGE; once given, the database remembers it.")
	}
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
