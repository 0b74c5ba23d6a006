package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"pinhole/media"
)

var partURL = regexp.MustCompile(`^<ul data-next="[^"]*" data-part="([^"]*)"`)

// walkPages fetches a gallery's tiles as the script does, page after page,
// and returns the photos' count seen through the tile links.
func walkPages(base, slug, cookie string) (int, error) {
	next, tiles := "/g/"+slug+"?part=grid", 0
	for next != "" {
		req, _ := http.NewRequest("GET", base+next, nil)
		req.Header.Set("Cookie", cookie)
		resp, err := httpClient.Do(req)
		if err != nil {
			return 0, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			return 0, fmt.Errorf("GET %s: %d %v", next, resp.StatusCode, err)
		}
		tiles += strings.Count(string(b), "<li data-r=")
		next = ""
		if m := partURL.FindSubmatch(b); m != nil {
			next = strings.ReplaceAll(string(m[1]), "&amp;", "&")
		}
	}
	return tiles, nil
}

// gcCounter counts the collections a server's GODEBUG=gctrace=1 reports.
type gcCounter struct{ n atomic.Int64 }

func (g *gcCounter) Write(p []byte) (int, error) {
	g.n.Add(int64(strings.Count("\n"+string(p), "\ngc ")))
	return len(p), nil
}

func measurePages(ctx context.Context, cfg config, r *report) error {
	f, err := newFolder(ctx, filepath.Join(cfg.work, "pages"))
	if err != nil {
		return err
	}
	gs := map[int]gallery{}
	for _, n := range cfg.pageSizes {
		g, err := f.gallery(ctx, fmt.Sprintf("Scale %d", n))
		if err != nil {
			return err
		}
		if err := f.photos(ctx, g, 0, n, 0); err != nil {
			return err
		}
		gs[n] = g
	}
	f.close()
	s, err := startServer(cfg.bin, f.dir)
	if err != nil {
		return err
	}
	defer s.stop()
	plain := series{Name: "gallery page, 1 connection", Unit: "server CPU ms a request", Base: 1000}
	conc := series{Name: "gallery page, 32 connections", Unit: "server CPU ms a request", Base: 1000}
	all := series{Name: "gallery, every page (as scrolled)", Unit: "server CPU µs a photo", Base: 1000, Target: 1.5}
	tab := "| photos | first page plain / gzip | 1 connection, plain / gzip: wall (server CPU) | 32 connections, gzip | server CPU a request at 32 | every page as scrolled: wall (server CPU a photo) | peak RSS |\n|---|---|---|---|---|---|---|\n"
	for _, n := range cfg.pageSizes {
		g := gs[n]
		url := s.base + "/g/" + g.Slug
		if _, err := fetch(httpClient, url, g.cookie, ""); err != nil { // the view is recorded, caches fill
			return err
		}
		s.resetPeak()
		var size, zsize int
		const reqs = 200
		c0 := s.cpu()
		one, err := timed(reqs, func() (err error) { size, err = fetch(httpClient, url, g.cookie, ""); return })
		if err != nil {
			return err
		}
		c1 := s.cpu()
		zone, err := timed(reqs, func() (err error) { zsize, err = fetch(httpClient, url, g.cookie, "gzip"); return })
		if err != nil {
			return err
		}
		c2 := s.cpu()
		walks := max(3, reqs*200/n) // 200 tiles a page: about reqs requests
		walk, err := timed(walks, func() error {
			tiles, err := walkPages(s.base, g.Slug, g.cookie)
			if err == nil && tiles != n {
				err = fmt.Errorf("walking the pages of %d photos showed %d", n, tiles)
			}
			return err
		})
		if err != nil {
			return err
		}
		c3 := s.cpu()
		w, err := runWrk(cfg.wrkScript, url, g.cookie, "gzip", 32, cfg.wrkDur)
		if err != nil {
			return err
		}
		c4 := s.cpu()
		cpuOne, cpuZ := (c1-c0)/reqs, (c2-c1)/reqs
		cpuWalk := float64(c3-c2) / 1e3 / float64(walks*n)
		cpuConc := (c4 - c3) / time.Duration(max(1, w.Requests))
		plain.Pts = append(plain.Pts, point{n, float64(cpuOne) / 1e6})
		conc.Pts = append(conc.Pts, point{n, float64(cpuConc) / 1e6})
		all.Pts = append(all.Pts, point{n, cpuWalk})
		tab += fmt.Sprintf("| %s | %s / %s B | %s (%s) / %s (%s) | %s | %s | %s (%.2f µs) | %.0f MB |\n", num(n), num(size), num(zsize),
			ms(one), ms(cpuOne), ms(zone), ms(cpuZ), w, ms(cpuConc), ms(walk), cpuWalk, s.peakMB())
		log.Printf("   %d photos: %s (%s CPU) / %s, 32 connections %s (%s CPU), every page %s (%.2f µs CPU a photo)", n, ms(one), ms(cpuOne), ms(zone), w, ms(cpuConc), ms(walk), cpuWalk)
	}
	r.add(plain)
	r.add(conc)
	r.add(all)
	r.table("Gallery pages (`pinhole serve` with its own settings; a PIN gallery and its session; wrk for the connections, 2 threads):\n\n" + tab)
	s.stop()

	// The memory and collector settings under the heaviest page load and
	// under thumbnails: the 10,000-photo page (or the largest) at 64
	// connections, gzipped.
	n := cfg.pageSizes[len(cfg.pageSizes)-2]
	g := gs[n]
	thumbs, tg, err := thumbGallery(ctx, cfg, f.dir)
	if err != nil {
		return err
	}
	gcTab := fmt.Sprintf("Collector settings (`serve` reads `GOGC`/`GOMEMLIMIT`; its own are GOGC=400 and a 64 MiB soft limit): the %s-photo page at 64 connections, gzipped, then thumbnails at 32 connections across 1,000 photos:\n\n", num(n)) +
		"| settings | page: throughput, latency | server CPU a page | collections a second | peak RSS | thumbnails | server CPU a thumbnail | collections a second | peak RSS |\n|---|---|---|---|---|---|---|---|---|\n"
	type setting struct{ name, env string }
	var sets []setting
	for range cfg.rounds { // interleaved, since other work on the machine moves every figure
		sets = append(sets, []setting{
			{"serve's own (GOGC=400, 64 MiB)", ""},
			{"Go's defaults (GOGC=100, no limit)", "GOGC=100 GOMEMLIMIT=off"},
			{"GOGC=400, no limit", "GOGC=400 GOMEMLIMIT=off"},
			{"GOGC=100, 64 MiB", "GOGC=100 GOMEMLIMIT=64MiB"},
		}...)
	}
	for _, set := range sets {
		var gc gcCounter
		env := append(strings.Fields(set.env), "GODEBUG=gctrace=1")
		s, err := startServerLog(cfg.bin, f.dir, &gc, env...)
		if err != nil {
			return err
		}
		url := s.base + "/g/" + g.Slug
		fetch(httpClient, url, g.cookie, "gzip")
		s.resetPeak()
		before, c0 := gc.n.Load(), s.cpu()
		page, err := runWrk(cfg.wrkScript, url, g.cookie, "gzip", 64, 2*cfg.wrkDur)
		if err != nil {
			s.stop()
			return err
		}
		pageGC, pageRSS := float64(gc.n.Load()-before)/(2*cfg.wrkDur).Seconds(), s.peakMB()
		pageCPU := (s.cpu() - c0) / time.Duration(max(1, page.Requests))
		s.resetPeak()
		before, c0 = gc.n.Load(), s.cpu()
		th, err := runWrkPaths(cfg.wrkScript, s.base, thumbs, tg.cookie, "", 32, cfg.wrkDur)
		thRSS, thCPU := s.peakMB(), (s.cpu()-c0)/time.Duration(max(1, th.Requests))
		s.stop()
		if err != nil {
			return err
		}
		thGC := float64(gc.n.Load()-before) / cfg.wrkDur.Seconds()
		gcTab += fmt.Sprintf("| %s | %s | %s | %.1f | %.0f MB | %.0f req/s, p99 %s | %.0f µs | %.1f | %.0f MB |\n", set.name, page, ms(pageCPU), pageGC, pageRSS,
			th.RPS, ms(th.P99), float64(thCPU)/1e3, thGC, thRSS)
		log.Printf("   %s: page %s (%s CPU, %.1f GC/s, %.0f MB), thumbnails %.0f req/s (%.0f µs CPU, %.1f GC/s)", set.name, page, ms(pageCPU), pageGC, pageRSS, th.RPS, float64(thCPU)/1e3, thGC)
	}
	r.table(gcTab)

	// photo list --json reads the same galleries.
	list := series{Name: "`photo list --json`", Unit: "CPU µs a photo", Base: 1000, Target: 1.5}
	var rss []string
	for _, n := range cfg.pageSizes {
		if n < 1000 {
			continue
		}
		run, err := runCmd(cfg.bin, io.Discard, "--data", f.dir, "photo", "list", gs[n].Slug, "--json")
		if err != nil {
			return err
		}
		list.Pts = append(list.Pts, point{n, float64(run.cpu) / 1e3 / float64(n)})
		rss = append(rss, fmt.Sprintf("%s photos %s (CPU %s), %.0f MB", num(n), ms(run.wall), ms(run.cpu), run.peakMB))
	}
	r.add(list)
	r.table("`pinhole photo list SLUG --json` (one process each; wall time, peak RSS): " + strings.Join(rss, " · ") + ".")
	return nil
}

// thumbGallery adds a 1,000-photo gallery whose thumbnails are one real
// JPEG, and returns the file of its thumbnail paths for wrk.
func thumbGallery(ctx context.Context, cfg config, dir string) (string, gallery, error) {
	f, err := newFolder(ctx, dir)
	if err != nil {
		return "", gallery{}, err
	}
	defer f.close()
	g, err := f.gallery(ctx, "Thumbnails")
	if err != nil {
		return "", g, err
	}
	jpeg, err := os.ReadFile("testdata/photos/ianare_exif-samples/jpg/Canon_PowerShot_S40.jpg")
	if err != nil {
		return "", g, err
	}
	if err := f.photos(ctx, g, 0, 1000, 0); err != nil {
		return "", g, err
	}
	ps, err := f.store.Photos(ctx, g.ID)
	if err != nil {
		return "", g, err
	}
	var paths strings.Builder
	for _, p := range ps {
		thumb, _ := media.RenditionNamed(media.Thumbnail)
		if err := f.lib.Store().Put(ctx, media.RenditionKey(thumb, p.SHA256), bytes.NewReader(jpeg)); err != nil {
			return "", g, err
		}
		fmt.Fprintf(&paths, "/g/%s/t/%d\n", g.Slug, p.ID)
	}
	file := filepath.Join(cfg.work, "thumbs.txt")
	return file, g, os.WriteFile(file, []byte(paths.String()), 0o644)
}

func measureZip(ctx context.Context, cfg config, r *report) error {
	f, err := newFolder(ctx, filepath.Join(cfg.work, "zip"))
	if err != nil {
		return err
	}
	gs := map[int]gallery{}
	for _, n := range cfg.zipSizes {
		g, err := f.gallery(ctx, fmt.Sprintf("ZIP %d", n))
		if err != nil {
			return err
		}
		if err := f.photos(ctx, g, 0, n, cfg.zipBytes); err != nil {
			return err
		}
		gs[n] = g
	}
	f.close()
	s, err := startServer(cfg.bin, f.dir)
	if err != nil {
		return err
	}
	defer s.stop()
	zs := series{Name: "ZIP of every original", Unit: "server CPU µs a photo", Base: cfg.zipSizes[0], Target: 1.5}
	var notes []string
	for _, n := range cfg.zipSizes {
		g := gs[n]
		s.resetPeak()
		var size int
		c0 := s.cpu()
		d, err := timed(3, func() (err error) { size, err = fetch(httpClient, s.base+"/g/"+g.Slug+"/zip", g.cookie, ""); return })
		if err != nil {
			return err
		}
		cpu := (s.cpu() - c0) / 3
		zs.Pts = append(zs.Pts, point{n, float64(cpu) / 1e3 / float64(n)})
		notes = append(notes, fmt.Sprintf("%s photos: %s MB in %s (server CPU %s), %.0f MB/s, peak RSS %.0f MB", num(n), num(size>>20), ms(d), ms(cpu), float64(size)/d.Seconds()/1e6, s.peakMB()))
		log.Printf("   %s", notes[len(notes)-1])
	}
	r.add(zs)
	r.table(fmt.Sprintf("ZIP of all (originals of %d kB, in the page cache; median of 3): ", cfg.zipBytes>>10) + strings.Join(notes, " · ") + ".")
	return nil
}

func measureImport(ctx context.Context, cfg config, r *report) error {
	f, err := newFolder(ctx, filepath.Join(cfg.work, "import"))
	if err != nil {
		return err
	}
	g, err := f.gallery(ctx, "Import")
	f.close()
	if err != nil {
		return err
	}
	src, err := os.ReadFile("testdata/photos/golang_image/testdata/go-turns-two-280x360.jpeg")
	if err != nil {
		return err
	}
	is := series{Name: "import", Unit: "CPU ms a photo", Base: cfg.importBatch, Target: 1.5}
	var peak float64
	var notes []string
	for b := range cfg.importBatches {
		dir := filepath.Join(cfg.work, "in", fmt.Sprint(b))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for i := range cfg.importBatch {
			// A JPEG comment makes each file different bytes, the same picture.
			c := fmt.Appendf(nil, "scale %d %d", b, i)
			seg := append([]byte{0xFF, 0xFE, byte((len(c) + 2) >> 8), byte(len(c) + 2)}, c...)
			file := append(append(append([]byte{}, src[:2]...), seg...), src[2:]...)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("IMG_%d_%05d.jpg", b, i)), file, 0o644); err != nil {
				return err
			}
		}
		run, err := runCmd(cfg.bin, io.Discard, "--data", f.dir, "import", g.Slug, dir)
		if err != nil {
			return err
		}
		os.RemoveAll(dir)
		peak = max(peak, run.peakMB)
		total := (b + 1) * cfg.importBatch
		is.Pts = append(is.Pts, point{total, float64(run.cpu) / 1e6 / float64(cfg.importBatch)})
		if b == 0 || b == cfg.importBatches-1 {
			notes = append(notes, fmt.Sprintf("photos %s–%s: %.0f photos/s (CPU %.1f ms a photo)", num(total-cfg.importBatch+1), num(total),
				float64(cfg.importBatch)/run.wall.Seconds(), float64(run.cpu)/1e6/float64(cfg.importBatch)))
		}
		log.Printf("   batch %d: %s (CPU %s), %.0f MB", b+1, ms(run.wall), ms(run.cpu), run.peakMB)
	}
	r.add(is)
	r.table(fmt.Sprintf("Import of %s small photos (280×360 JPEGs, each batch of %s one `pinhole import` into the same gallery): %s; peak RSS %.0f MB.",
		num(cfg.importBatches*cfg.importBatch), num(cfg.importBatch), strings.Join(notes, ", "), peak))
	return nil
}

func measureActivity(ctx context.Context, cfg config, r *report) error {
	f, err := newFolder(ctx, filepath.Join(cfg.work, "activity"))
	if err != nil {
		return err
	}
	var gs []gallery
	for i := range 10 {
		g, err := f.gallery(ctx, fmt.Sprintf("Scale gallery %d", i))
		if err != nil {
			f.close()
			return err
		}
		gs = append(gs, g)
	}
	f.close()
	act := series{Name: "`activity --json`", Unit: "CPU µs an event", Base: cfg.eventSteps[0], Target: 1.5}
	tuiFirst := series{Name: "TUI first frame", Unit: "CPU ms", Base: cfg.eventSteps[0]}
	tuiAct := series{Name: "TUI activity view", Unit: "CPU ms", Base: cfg.eventSteps[0]}
	var notes []string
	events, photos := 0, 0
	for _, n := range cfg.eventSteps {
		f, err := newFolder(ctx, f.dir)
		if err != nil {
			return err
		}
		if err := f.events(ctx, gs, n-events); err != nil {
			f.close()
			return err
		}
		if err := f.photos(ctx, gs[len(gs)-1], photos, n/10-photos, 0); err != nil {
			f.close()
			return err
		}
		f.close()
		events, photos = n, n/10
		run, err := runCmd(cfg.bin, io.Discard, "--data", f.dir, "activity", "--json")
		if err != nil {
			return err
		}
		act.Pts = append(act.Pts, point{n, float64(run.cpu) / 1e3 / float64(n)})
		t, err := tuiTimes(cfg, f.dir)
		if err != nil {
			return err
		}
		tuiFirst.Pts = append(tuiFirst.Pts, point{n, float64(t.firstCPU) / 1e6})
		tuiAct.Pts = append(tuiAct.Pts, point{n, float64(t.activityCPU) / 1e6})
		notes = append(notes, fmt.Sprintf("| %s | %s | %s (CPU %s), %.0f MB | %s (CPU %s) | %s (CPU %s) |", num(n), num(photos), ms(run.wall), ms(run.cpu), run.peakMB,
			ms(t.first), ms(t.firstCPU), ms(t.activity), ms(t.activityCPU)))
		log.Printf("   %s", notes[len(notes)-1])
	}
	r.add(act)
	r.add(tuiFirst)
	r.add(tuiAct)
	r.table("History (events spread over 90 days across 10 galleries; the TUI in tmux at 120×40, timed from start to its first frame showing the galleries, then from `3` to the activity list showing):\n\n" +
		"| events | photos | `activity --json` (all events), peak RSS | TUI first frame | TUI activity view |\n|---|---|---|---|---|\n" + strings.Join(notes, "\n"))
	return nil
}

// tuiResult is what the TUI took to its first frame and to the activity view.
type tuiResult struct{ first, firstCPU, activity, activityCPU time.Duration }

// tuiTimes starts the TUI in tmux and times its first frame showing the
// galleries and, after `3`, the activity list showing events.
func tuiTimes(cfg config, data string) (t tuiResult, err error) {
	sock := "pinhole-scale-" + fmt.Sprint(os.Getpid())
	tmux := func(args ...string) ([]byte, error) {
		return exec.Command("tmux", append([]string{"-L", sock}, args...)...).Output()
	}
	defer tmux("kill-server")
	wait := func(marker string) error {
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			out, err := tmux("capture-pane", "-p", "-t", "scale")
			if err != nil {
				return err
			}
			if strings.Contains(string(out), marker) {
				return nil
			}
		}
		return fmt.Errorf("the TUI never showed %q", marker)
	}
	start := time.Now()
	if _, err := tmux("new-session", "-d", "-s", "scale", "-x", "120", "-y", "40", "exec "+cfg.bin+" --data "+data+" tui"); err != nil {
		return t, fmt.Errorf("tmux: %w", err)
	}
	out, err := tmux("display-message", "-p", "-t", "scale", "#{pane_pid}")
	if err != nil {
		return t, err
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	if err := wait("Scale gallery"); err != nil {
		return t, err
	}
	t.first, t.firstCPU = time.Since(start), tasksCPU(pid)
	start = time.Now()
	if _, err := tmux("send-keys", "-t", "scale", "3"); err != nil {
		return t, err
	}
	if err := wait("Guest "); err != nil {
		return t, err
	}
	t.activity, t.activityCPU = time.Since(start), tasksCPU(pid)-t.firstCPU
	return t, nil
}

func measureMe(ctx context.Context, cfg config, r *report) error {
	f, err := newFolder(ctx, filepath.Join(cfg.work, "me"))
	if err != nil {
		return err
	}
	largest := cfg.meSizes[len(cfg.meSizes)-1]
	var gs []gallery
	for i := range largest {
		g, err := f.gallery(ctx, fmt.Sprintf("Client gallery %d", i))
		if err != nil {
			f.close()
			return err
		}
		if err := f.photos(ctx, g, 0, 3, 0); err != nil {
			f.close()
			return err
		}
		gs = append(gs, g)
	}
	cookies := map[int]string{}
	for _, n := range cfg.meSizes {
		c, err := f.client(ctx, fmt.Sprintf("Client %d", n), gs[:n])
		if err != nil {
			f.close()
			return err
		}
		cookies[n] = c
	}
	f.close()
	s, err := startServer(cfg.bin, f.dir)
	if err != nil {
		return err
	}
	defer s.stop()
	me := series{Name: "client dashboard `/me`", Unit: "server CPU µs a gallery", Base: cfg.meSizes[0], Target: 1.5}
	var notes []string
	for _, n := range cfg.meSizes {
		fetch(httpClient, s.base+"/me", cookies[n], "")
		s.resetPeak()
		var size int
		const reqs = 50
		c0 := s.cpu()
		d, err := timed(reqs, func() (err error) { size, err = fetch(httpClient, s.base+"/me", cookies[n], ""); return })
		if err != nil {
			return err
		}
		cpu := (s.cpu() - c0) / reqs
		me.Pts = append(me.Pts, point{n, float64(cpu) / 1e3 / float64(n)})
		notes = append(notes, fmt.Sprintf("%s galleries: %s (server CPU %s), %s B, peak RSS %.0f MB", num(n), ms(d), ms(cpu), num(size), s.peakMB()))
		log.Printf("   %s", notes[len(notes)-1])
	}
	r.add(me)
	r.table("Client dashboard `/me` (one request at a time, median of 50): " + strings.Join(notes, " · ") + ".")
	return nil
}
