// Command scale measures how Pinhole's costs grow with the size of a
// gallery, the number of visitors and the length of the history, in one
// bounded run on loopback, and writes the table and plot into
// bench/scale/README.md (between its markers) and bench/scale/scale.svg.
//
//	go run ./bench/scale [-quick]
//
// It needs wrk and tmux. Each measurement gets a fresh data folder in a
// temporary directory, removed at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

type config struct {
	bin, work, wrkScript string
	quick                bool
	pageSizes            []int
	zipSizes             []int
	zipBytes             int
	importBatches        int
	importBatch          int
	eventSteps           []int // events at each step; photos are a tenth
	meSizes              []int
	wrkDur               time.Duration
	rounds               int // of the collector settings
}

func main() {
	quick := flag.Bool("quick", false, "smaller sizes and shorter runs: a check that everything works")
	rounds := flag.Int("rounds", 2, "rounds of the collector settings")
	readme := flag.String("readme", "bench/scale/README.md", "README to write the figures into (\"\" prints them only)")
	flag.Parse()
	log.SetFlags(0)
	for _, tool := range []string{"wrk", "tmux"} {
		if _, err := exec.LookPath(tool); err != nil {
			log.Fatalf("scale: %s is needed (apt-get install %s)", tool, tool)
		}
	}
	work, err := os.MkdirTemp("", "pinhole-scale-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	cfg := config{work: work, quick: *quick, wrkScript: "bench/web/paths.lua",
		pageSizes: []int{100, 1000, 10000, 50000}, zipSizes: []int{1000, 10000}, zipBytes: 32 << 10,
		importBatches: 10, importBatch: 1000, eventSteps: []int{10_000, 100_000, 1_000_000},
		meSizes: []int{10, 100, 1000}, wrkDur: 5 * time.Second, rounds: *rounds}
	if *quick {
		cfg.pageSizes, cfg.zipSizes, cfg.importBatches, cfg.importBatch = []int{100, 1000, 5000}, []int{200, 1000}, 3, 100
		cfg.eventSteps, cfg.meSizes, cfg.wrkDur = []int{1000, 10_000}, []int{10, 100}, 2*time.Second
	}
	cfg.bin = filepath.Join(work, "pinhole")
	if out, err := exec.Command("go", "build", "-o", cfg.bin, "./cmd/pinhole").CombinedOutput(); err != nil {
		log.Fatalf("build pinhole: %v\n%s", err, out)
	}
	ctx := context.Background()
	var r report
	steps := []struct {
		name string
		fn   func(context.Context, config, *report) error
	}{
		{"gallery pages", measurePages},
		{"ZIP", measureZip},
		{"import", measureImport},
		{"activity and TUI", measureActivity},
		{"client dashboard", measureMe},
	}
	start := time.Now()
	for _, s := range steps {
		t := time.Now()
		log.Printf("== %s", s.name)
		if err := s.fn(ctx, cfg, &r); err != nil {
			log.Fatalf("scale: %s: %v", s.name, err)
		}
		log.Printf("   (%s)", time.Since(t).Round(time.Second))
	}
	r.took = time.Since(start)
	r.quick = *quick
	md := r.markdown()
	fmt.Println(md)
	if *readme == "" {
		return
	}
	if err := writeBetween(*readme, md); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(*readme), "scale.svg"), []byte(r.svg()), 0o644); err != nil {
		log.Fatal(err)
	}
}

const beginMark, endMark = "<!-- scale:begin -->", "<!-- scale:end -->"

// writeBetween replaces what lies between the README's markers.
func writeBetween(path, md string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, beginMark), strings.Index(s, endMark)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no %s … %s markers", path, beginMark, endMark)
	}
	s = s[:i+len(beginMark)] + "\n" + md + "\n" + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
