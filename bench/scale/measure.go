package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is `pinhole serve` on a loopback port, as a separate process so
// that its peak RSS is its own.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
}

func startServer(bin, data string, env ...string) (*server, error) {
	return startServerLog(bin, data, io.Discard, env...)
}

// startServerLog is startServer with the server's log (the request log,
// and the collector's trace if asked for) going to log.
func startServerLog(bin, data string, log io.Writer, env ...string) (*server, error) {
	cmd := exec.Command(bin, "--data", data, "serve", "--ssh", "", "--http", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = log
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start serve: %w", err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "Pinhole website on "); ok {
			go io.Copy(io.Discard, out)
			return &server{cmd: cmd, base: addr}, nil
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, fmt.Errorf("serve did not say where it listens")
}

func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// resetPeak starts the peak RSS over (Linux: clear_refs 5 resets VmHWM).
func (s *server) resetPeak() {
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
}

// peakMB is the process's peak RSS since the last reset.
func (s *server) peakMB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// fetch is one GET, read to the end; it returns the bytes received.
func fetch(c *http.Client, url, cookie, encoding string) (int, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return 0, err
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return int(n), err
}

var httpClient = &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}, Timeout: time.Minute}

// timed runs fn n times and returns the median duration.
func timed(n int, fn func() error) (time.Duration, error) {
	ds := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], nil
}

// wrkResult is what wrk reports of a run.
type wrkResult struct {
	Requests      int
	RPS           float64
	P50, P99      time.Duration
	Timeouts, Err int
}

func (w wrkResult) String() string {
	return fmt.Sprintf("%.0f req/s, p50 %s, p99 %s, %d timeouts, %d errors", w.RPS, ms(w.P50), ms(w.P99), w.Timeouts, w.Err)
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkCount   = regexp.MustCompile(`(\d+) requests in`)
	wrkLatency = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkSocket  = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// runWrk loads one URL with conns connections for dur (wrk's own timeout
// of 2 s counts a request as timed out).
func runWrk(script, url, cookie, encoding string, conns int, dur time.Duration) (wrkResult, error) {
	paths, err := os.CreateTemp("", "scale-paths-")
	if err != nil {
		return wrkResult{}, err
	}
	defer os.Remove(paths.Name())
	host, path, _ := strings.Cut(strings.TrimPrefix(url, "http://"), "/")
	fmt.Fprintln(paths, "/"+path)
	paths.Close()
	return runWrkPaths(script, "http://"+host, paths.Name(), cookie, encoding, conns, dur)
}

// runWrkPaths is runWrk over the paths listed in a file, in turn.
func runWrkPaths(script, base, paths, cookie, encoding string, conns int, dur time.Duration) (wrkResult, error) {
	cmd := exec.Command("wrk", "-t2", "-c"+strconv.Itoa(conns), "-d"+dur.String(), "--latency", "-s", script, base)
	cmd.Env = append(os.Environ(), "PATHS="+paths, "COOKIE="+cookie, "ENCODING="+encoding)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	var r wrkResult
	if m := wrkCount.FindSubmatch(out); m != nil {
		r.Requests, _ = strconv.Atoi(string(m[1]))
	}
	if m := wrkRPS.FindSubmatch(out); m != nil {
		r.RPS, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	for _, m := range wrkLatency.FindAllSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(string(m[2]), 64)
		d := time.Duration(v * float64(map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(m[3])]))
		if string(m[1]) == "50" {
			r.P50 = d
		} else {
			r.P99 = d
		}
	}
	if m := wrkSocket.FindSubmatch(out); m != nil {
		for _, s := range m[1:4] {
			n, _ := strconv.Atoi(string(s))
			r.Err += n
		}
		r.Timeouts, _ = strconv.Atoi(string(m[4]))
	}
	if m := wrkNon2xx.FindSubmatch(out); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		r.Err += n
	}
	return r, nil
}

// run is one run of the pinhole binary.
type run struct {
	wall, cpu time.Duration
	peakMB    float64
}

// runCmd runs the pinhole binary and returns its wall time, CPU time and peak RSS.
func runCmd(bin string, stdout io.Writer, args ...string) (run, error) {
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return run{}, fmt.Errorf("pinhole %s: %w: %s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return run{d, cmdCPU(cmd), rusageMB(cmd)}, nil
}

func rusageMB(cmd *exec.Cmd) float64 {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024 // kB on Linux
	}
	return 0
}

func ms(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	}
}

// cpu is the time the server's threads have run on a CPU, from the
// scheduler's own count: on a machine shared with other work, wall time
// says more about the others than about the server.
func (s *server) cpu() time.Duration {
	return tasksCPU(s.cmd.Process.Pid)
}

func tasksCPU(pid int) time.Duration {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var ns int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		f := strings.Fields(string(b))
		if len(f) > 0 {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			ns += n
		}
	}
	return time.Duration(ns)
}

// cmdCPU is the user and system time a finished command used.
func cmdCPU(cmd *exec.Cmd) time.Duration {
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}
