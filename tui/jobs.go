package tui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"pinhole/media"
	"pinhole/studio"
)

type (
	importProgressMsg struct {
		run int
		p   studio.Progress
	}
	importDoneMsg struct {
		run  int
		last studio.Progress
		sum  studio.Summary
		err  error
	}
)

// importRun connects a running import to the UI: the latest progress,
// and the end.
type importRun struct {
	id     int
	mu     sync.Mutex
	latest studio.Progress
	tick   chan struct{}
	done   chan importDoneMsg
}

// importJob is an import started from the TUI. It runs in the background
// while the photographer works on; the last one of each gallery stays,
// finished, to show its outcome and remember its folder.
type importJob struct {
	slug, title string // title as shown: “Smith wedding”
	folder      string
	run         *importRun
	cancel      context.CancelFunc // nil once finished or asked to stop
	prog        studio.Progress
	sum         studio.Summary
	err         error
	done        bool
}

// imports are the TUI's import jobs, by gallery slug. Only Update touches
// them; the import goroutines talk through their importRun.
type imports struct {
	bySlug map[string]*importJob
	runs   int
}

func (is *imports) job(slug string) *importJob { return is.bySlug[slug] }

// running is the jobs under way, in the order they started.
func (is *imports) running() []*importJob {
	var out []*importJob
	for _, j := range is.bySlug {
		if !j.done {
			out = append(out, j)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].run.id < out[b].run.id })
	return out
}

func (is *imports) byRun(id int) *importJob {
	for _, j := range is.bySlug {
		if j.run.id == id {
			return j
		}
	}
	return nil
}

// start runs an import of folder into a gallery in the background.
func (is *imports) start(c *common, slug, title, folder string) tea.Cmd {
	if is.bySlug == nil {
		is.bySlug = map[string]*importJob{}
	}
	is.runs++
	run := &importRun{id: is.runs, tick: make(chan struct{}, 1), done: make(chan importDoneMsg, 1)}
	ctx, cancel := context.WithCancel(c.ctx)
	is.bySlug[slug] = &importJob{slug: slug, title: title, folder: folder, run: run, cancel: cancel,
		prog: studio.Progress{Started: c.now(), Now: c.now()}}
	store, lib := c.cfg.Store, c.cfg.Library
	go func() {
		sum, err := studio.Import(ctx, store, lib, slug, []string{folder}, media.Options{}, func(p studio.Progress) {
			run.mu.Lock()
			run.latest = p
			run.mu.Unlock()
			select {
			case run.tick <- struct{}{}:
			default:
			}
		})
		run.done <- importDoneMsg{run: run.id, sum: sum, err: err}
	}()
	record := func() tea.Msg {
		// Offered again next time, in a later session too: an import
		// stopped halfway resumes with one key.
		if err := store.SetImportFolder(ctx, slug, folder); err != nil && ctx.Err() == nil {
			return statusMsg{text: "Remember the folder: " + err.Error(), err: true}
		}
		return nil
	}
	return tea.Batch(wait(run), record, func() tea.Msg { return changedMsg{} })
}

// stopAll asks every running import to stop; each ends at a safe point
// (what finished stays, nothing is half-written) and reports its end.
func (is *imports) stopAll() {
	for _, j := range is.running() {
		j.stop()
	}
}

func (j *importJob) stop() {
	if j.cancel != nil {
		j.cancel()
		j.cancel = nil
	}
}

// update takes the news of a run; it returns what to do next and the line
// for the status bar when the job ended.
func (is *imports) update(msg tea.Msg) (cmd tea.Cmd, ended bool) {
	switch msg := msg.(type) {
	case importProgressMsg:
		if j := is.byRun(msg.run); j != nil && !j.done {
			j.prog = msg.p
			return wait(j.run), false
		}
	case importDoneMsg:
		j := is.byRun(msg.run)
		if j == nil {
			return nil, false
		}
		j.done, j.cancel = true, nil
		j.prog, j.sum, j.err = msg.last, msg.sum, msg.err
		text := fmt.Sprintf("Imported %d %s into %s", msg.sum.Imported, studio.Plural(msg.sum.Imported, "photo", "photos"), j.title)
		if n := len(msg.sum.Failed); n > 0 {
			text += fmt.Sprintf(", %d failed", n)
		}
		status := statusCmd(text)
		switch {
		case errors.Is(msg.err, context.Canceled):
			status = statusCmd(fmt.Sprintf("Import into %s cancelled after %d %s: i on the gallery resumes it", j.title, msg.sum.Imported, studio.Plural(msg.sum.Imported, "photo", "photos")))
		case msg.err != nil:
			status = errCmd(msg.err)
		}
		return tea.Batch(func() tea.Msg { return changedMsg{} }, status), true
	}
	return nil, false
}

// wait delivers the next news of a run: progress, or its end.
func wait(run *importRun) tea.Cmd {
	return func() tea.Msg {
		select {
		case d := <-run.done:
			run.mu.Lock()
			d.last = run.latest
			run.mu.Unlock()
			return d
		case <-run.tick:
			run.mu.Lock()
			p := run.latest
			run.mu.Unlock()
			return importProgressMsg{run: run.id, p: p}
		}
	}
}

// percent is how far a job got, 0 to 100.
func (j *importJob) percent() int {
	if j.done && j.err == nil {
		return 100
	}
	if j.prog.Total == 0 {
		return 0
	}
	return j.prog.Done * 100 / j.prog.Total
}

// left is the time left as people say it, "" while not known.
func (j *importJob) left() string {
	r := j.prog.Remaining()
	if j.done || r <= 0 {
		return ""
	}
	return "about " + max(r.Round(time.Second), time.Second).String() + " left"
}
