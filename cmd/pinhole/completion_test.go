package main

import (
	"os"
	"path/filepath"
	"testing"

	"pinhole/internal/testio"
)

// bashCompletion is where the bash-completion package (which distributions
// set up for every interactive bash, and whose helpers cobra's bash script
// calls) keeps its functions.
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// TestCompletion_Shells: the script pinhole completion prints, loaded by
// a real bash, zsh and fish in a real terminal, completes a gallery's slug
// and a client's access code from the database when Tab is pressed, the
// subcommands of a command, and the words a flag takes.
func TestCompletion_Shells(t *testing.T) {
	testio.NeedPrograms(t, "tmux", "bash", "zsh", "fish")
	if _, err := os.Stat(bashCompletion); err != nil {
		testio.Missing(t, "the bash-completion package is not installed (.ci/run installs it)")
	}
	bin := binary(t)
	c := newCLI(t)
	var g galleryJSON
	c.ok(&g, "gallery", "create", "--title", "Smith wedding")
	var other galleryJSON
	c.ok(&other, "gallery", "create", "--title", "Jones party")
	var cl clientJSON
	c.ok(&cl, "client", "create", "--name", "Anna Smith")

	for _, tt := range []struct {
		shell string
		argv  []string // started with no start-up files of the user's
		setup string   // loads the script as its user would
	}{
		{"bash", []string{"bash", "--norc", "--noprofile", "-i"}, "source " + bashCompletion + "; source <(pinhole completion bash)"},
		{"zsh", []string{"zsh", "-f", "-i"}, "autoload -U compinit; compinit -u; source <(pinhole completion zsh)"},
		{"fish", []string{"fish", "--no-config", "-i"}, "pinhole completion fish | source"},
	} {
		t.Run(tt.shell, func(t *testing.T) {
			x := tmux{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock"), session: "shell"}
			// tmux gives a new session the client's PATH whatever -e
			// says: env sets it.
			x.run(append([]string{"new-session", "-d", "-s", x.session, "-x", "150", "-y", "30",
				"-e", "TERM=xterm-256color", "-e", "PINHOLE_DATA=" + c.data, "-e", "HOME=" + t.TempDir(),
				"env", "PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")}, tt.argv...)...)
			t.Cleanup(func() { x.run("kill-server") })
			x.keys("-l", tt.setup+"; echo script-loaded")
			x.keys("Enter")
			x.waitFor("\nscript-loaded")

			// One Tab after a prefix only one candidate has completes it
			// on the command line; the rest of what is typed follows it.
			for _, step := range []struct{ typed, want string }{
				{"pinhole gallery show smi", "pinhole gallery show " + g.Slug},
				{"pinhole client show " + cl.Code[:2], "pinhole client show " + cl.Code},
				{"pinhole client grant " + cl.Code + " jon", "pinhole client grant " + cl.Code + " " + other.Slug},
				{"pinhole activity --client " + cl.Code[:2], "pinhole activity --client " + cl.Code},
				{"pinhole gallery sho", "pinhole gallery show"},
				{"pinhole gallery create --access down", "pinhole gallery create --access download-pin"},
			} {
				x.keys("-l", step.typed)
				x.keys("Tab")
				x.keys("-l", "#end")
				x.waitFor(step.want + " #end")
				x.keys("C-u")
			}
		})
	}
}
