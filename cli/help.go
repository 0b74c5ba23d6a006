package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// help prints a command's usage for --help and pinhole help.
func (t *tree) help(w io.Writer, cmd *cobra.Command) { usage(w, cmd, t.env.Remote) }

// helpCommand is "pinhole help [COMMAND]": the usage of the command named,
// as its --help prints it, or the list of all commands.
func (t *tree) helpCommand(root *cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:         "help",
		Short:       "show the usage of a command, or list them all",
		Annotations: map[string]string{"args": "[COMMAND]"},
		Args:        cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				t.help(cmd.OutOrStdout(), root)
				return nil
			}
			found, rest, err := root.Find(args)
			if found == cmd && len(rest) == 0 {
				t.help(cmd.OutOrStdout(), cmd) // cobra counts help as no available command
				return nil
			}
			if err == nil && found.Annotations[serverOnly] != "" {
				return found.RunE(found, rest) // says where it runs
			}
			if err != nil || found == root || len(rest) > 0 || !found.IsAvailableCommand() {
				return usageError{msg: "unknown command \"" + strings.Join(args, " ") + "\"", of: root}
			}
			t.help(cmd.OutOrStdout(), found)
			return nil
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			parent := root
			if len(args) > 0 {
				found, rest, err := root.Find(args)
				if err != nil || len(rest) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				parent = found
			}
			var names []cobra.Completion
			for _, c := range children(parent) {
				if c.IsAvailableCommand() && strings.HasPrefix(c.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
	}
	return cmd
}
