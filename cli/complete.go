package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"pinhole/db"
)

// completer lists what the argument at position pos (or a flag's value,
// pos -1) may be, from the database; files: complete file names instead.
type completer func(ctx context.Context, s *db.Store, pos int) (words []cobra.Completion, files bool, err error)

// completion completes with fn, when the data folder holds a database
// (completing never makes one).
func (t *tree) completion(fn completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return t.complete(cmd, fn, len(args), toComplete)
	}
}

func (t *tree) complete(cmd *cobra.Command, fn completer, pos int, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	t.settle()
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	if t.env.Store == nil {
		if _, err := os.Stat(filepath.Join(t.env.DataDir, "pinhole.db")); err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
	}
	s, err := t.env.OpenStore(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	words, files, err := fn(ctx, s, pos)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	if files {
		return nil, cobra.ShellCompDirectiveDefault
	}
	var out []cobra.Completion
	for _, w := range words {
		if strings.HasPrefix(w, toComplete) {
			out = append(out, w)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// flagCompletion completes a flag's value with fn.
func (t *tree) flagCompletion(fn completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return t.complete(cmd, fn, -1, toComplete)
	}
}

// slugs completes galleries' slugs, with their titles.
func slugs(ctx context.Context, s *db.Store) ([]cobra.Completion, error) {
	gs, err := s.Galleries(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]cobra.Completion, 0, len(gs))
	for _, g := range gs {
		out = append(out, cobra.CompletionWithDesc(g.Slug, g.Title))
	}
	return out, nil
}

// codes completes client logins' access codes, with their names.
func codes(ctx context.Context, s *db.Store) ([]cobra.Completion, error) {
	cs, err := s.Clients(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]cobra.Completion, 0, len(cs))
	for _, c := range cs {
		out = append(out, cobra.CompletionWithDesc(db.FormatCode(c.Code), c.Name))
	}
	return out, nil
}

// firstSlug completes a gallery's slug as the first argument only.
func firstSlug(ctx context.Context, s *db.Store, pos int) ([]cobra.Completion, bool, error) {
	if pos != 0 {
		return nil, false, nil
	}
	w, err := slugs(ctx, s)
	return w, false, err
}

// anySlug completes a gallery's slug wherever it is asked.
func anySlug(ctx context.Context, s *db.Store, pos int) ([]cobra.Completion, bool, error) {
	w, err := slugs(ctx, s)
	return w, false, err
}

// firstCode completes a client's access code as the first argument only.
func firstCode(ctx context.Context, s *db.Store, pos int) ([]cobra.Completion, bool, error) {
	if pos > 0 {
		return nil, false, nil
	}
	w, err := codes(ctx, s)
	return w, false, err
}

// codeThenSlugs completes a client's code, then galleries' slugs.
func codeThenSlugs(ctx context.Context, s *db.Store, pos int) ([]cobra.Completion, bool, error) {
	if pos == 0 {
		w, err := codes(ctx, s)
		return w, false, err
	}
	w, err := slugs(ctx, s)
	return w, false, err
}

// slugThenFiles completes a gallery's slug, then file names.
func slugThenFiles(ctx context.Context, s *db.Store, pos int) ([]cobra.Completion, bool, error) {
	if pos == 0 {
		w, err := slugs(ctx, s)
		return w, false, err
	}
	return nil, true, nil
}

// completionCommand is "pinhole completion bash|zsh|fish".
func (t *tree) completionCommand(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:         "completion",
		Short:       "print the shell completion script, which completes commands, gallery slugs and client codes",
		Annotations: map[string]string{"args": "bash|zsh|fish"},
		Args:        cobra.ArbitraryArgs,
		ValidArgs:   []cobra.Completion{"bash", "zsh", "fish"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("give the shell: bash, zsh or fish")
			}
			out := cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			}
			return usagef("unknown shell %q: bash, zsh or fish", args[0])
		},
	}
}

// adminNames completes the names of admin keys.
func adminNames(ctx context.Context, s *db.Store, pos int) ([]cobra.Completion, bool, error) {
	if pos > 0 {
		return nil, false, nil
	}
	ks, err := s.AdminKeys(ctx)
	if err != nil {
		return nil, false, err
	}
	out := make([]cobra.Completion, 0, len(ks))
	for _, k := range ks {
		out = append(out, cobra.CompletionWithDesc(k.Name, k.Fingerprint))
	}
	return out, false, nil
}

// settingKeys completes the name of a setting.
func settingKeys(ctx context.Context, s *db.Store, pos int) ([]cobra.Completion, bool, error) {
	if pos > 0 {
		return nil, false, nil
	}
	return db.SettingKeys(), false, nil
}
