package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/internal/testio"
)

func TestDelayAfter(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {1, 0}, {4, 0}, {5, time.Second}, {6, 2 * time.Second}, {7, 4 * time.Second},
		{14, 512 * time.Second}, {15, MaxDelay}, {100, MaxDelay}, {1 << 30, MaxDelay},
	}
	for _, tt := range tests {
		if got := delayAfter(tt.failures); got != tt.want {
			t.Errorf("delayAfter(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}

// TestThrottle_AllPINsTakeDays: trying all 10,000 four-digit PINs from one
// address, each as soon as allowed, takes more than 24 hours of (injected)
// time. It drives the same throttle the PIN handler uses, on the real store.
func TestThrottle_AllPINsTakeDays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	th := throttle{store: f.store, now: f.clock.Now}
	start := f.clock.Now()
	key := pinKey(1, "203.0.113.9")
	var wait time.Duration
	for pin := 0; pin < 9999; pin++ { // the right one is the last: 9,999 wrong tries first
		f.clock.Add(wait) // the guesser waits exactly as long as asked
		if pin%1000 == 0 {
			if w, err := th.wait(ctx, key); err != nil || w != 0 {
				t.Fatalf("after waiting, still %v to wait (%v)", w, err)
			}
		}
		var err error
		if wait, err = th.fail(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	took := f.clock.Now().Sub(start)
	if took <= 24*time.Hour {
		t.Fatalf("guessing took %v of simulated time, want more than 24 h", took)
	}
	t.Logf("all 10,000 PINs from one address: %.1f days of simulated time", took.Hours()/24)
}

// TestThrottle_HTTP: five wrong PINs are free; the sixth try inside the
// delay gets 429 with Retry-After; after waiting the right PIN works; other
// addresses are not affected; the record survives a restart; every failure
// is an event.
func TestThrottle_HTTP(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustProxy = true })
	ctx := context.Background()
	g := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("4711")})
	post := func(addr, pin string) *http.Response {
		t.Helper()
		resp, _ := f.do(f.client(), "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {pin}},
			http.Header{"X-Forwarded-For": {"198.51.100.1, " + addr}})
		return resp
	}
	const attacker = "203.0.113.7"
	for i := 1; i <= 5; i++ {
		if resp := post(attacker, "0000"); resp.StatusCode != http.StatusForbidden || (i < 5 && resp.Header.Get("Retry-After") != "") {
			t.Fatalf("wrong try %d: status %d, Retry-After %q", i, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	// The fifth failure set a 1 s delay: a try now is refused, not counted.
	resp := post(attacker, "4711")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("inside the delay: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Another address is not affected.
	if resp := post("192.0.2.44", "4711"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("other address: %d", resp.StatusCode)
	}
	// Growing delays.
	f.clock.Add(time.Second)
	post(attacker, "0000") // 6th failure: 2 s
	resp = post(attacker, "0000")
	if ra, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != 429 || ra != 2 {
		t.Fatalf("after 6 failures: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// A restart (a new handler on the same store) remembers.
	h2, err := New(Config{Store: f.store, Library: f.lib, Logger: f.h.log, TrustProxy: true, BaseURL: f.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Config.Handler = h2
	if resp := post(attacker, "4711"); resp.StatusCode != 429 {
		t.Fatalf("after restart: %d, want 429", resp.StatusCode)
	}
	// After waiting, the right PIN still works: never locked out.
	f.clock.Add(2 * time.Second)
	if resp := post(attacker, "4711"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("right PIN after waiting: %d", resp.StatusCode)
	}
	// And the record is cleared.
	if rec, _ := f.store.Throttle(ctx, pinKey(g.ID, attacker)); rec.Failures != 0 {
		t.Fatalf("throttle not cleared: %+v", rec)
	}
	evs, err := f.store.Events(ctx, db.EventFilter{GalleryID: g.ID, Kind: db.EventPINFail})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 6 {
		t.Fatalf("%d pin_fail events, want 6", len(evs))
	}
	for _, e := range evs {
		if e.Address != attacker {
			t.Fatalf("event address %q", e.Address)
		}
	}
}

// TestClientAddr: X-Forwarded-For only with --trust-proxy.
func TestClientAddr(t *testing.T) {
	for _, trust := range []bool{false, true} {
		h := &Handler{trustProxy: trust}
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.1:5555"
		r.Header.Set("X-Forwarded-For", "1.2.3.4, 5.6.7.8")
		want := "10.0.0.1"
		if trust {
			want = "5.6.7.8"
		}
		if got := h.clientAddr(r); got != want {
			t.Errorf("trust %v: %q, want %q", trust, got, want)
		}
	}
}

// TestClientAddr_OnlyAnIP: with --trust-proxy, X-Forwarded-For gives the
// address only when its last entry is an IP address (a port the proxy
// added is dropped, an IPv4 in IPv6 is read as IPv4); anything else
// (names, garbage, terminal escapes) leaves the connection's address.
func TestClientAddr_OnlyAnIP(t *testing.T) {
	h := &Handler{trustProxy: true}
	for _, tt := range []struct{ xff, want string }{
		{"203.0.113.9", "203.0.113.9"},
		{" 198.51.100.1 ,203.0.113.9 ", "203.0.113.9"},
		{"2001:db8::1", "2001:db8::1"},
		{"[2001:db8::1]:4711", "2001:db8::1"},
		{"203.0.113.9:4711", "203.0.113.9"},
		{"::ffff:203.0.113.9", "203.0.113.9"},
		{"fe80::1%eth0", "fe80::1"},
		{"unknown", "10.0.0.1"},
		{"photos.example.com", "10.0.0.1"},
		{"203.0.113.9, \x1b[2J\u202eevil", "10.0.0.1"},
		{"1.2.3.4\nforged line", "10.0.0.1"},
		{"", "10.0.0.1"},
		{"999.1.1.1", "10.0.0.1"},
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.1:5555"
		r.Header.Set("X-Forwarded-For", tt.xff)
		if got := h.clientAddr(r); got != tt.want {
			t.Errorf("X-Forwarded-For %q: %q, want %q", tt.xff, got, tt.want)
		}
	}
}

// TestPruneThrottle: the prune loop, on the handler's clock, deletes the
// record of an address idle for a week, which then has its free tries
// again, and keeps that of an address still in its wait, which is still
// refused. It logs what it pruned and stops when its context ends.
func TestPruneThrottle(t *testing.T) {
	var logs testio.Buffer
	f := newFixture(t, func(c *Config) {
		c.TrustProxy = true
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	ctx := context.Background()
	g := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("4711")})
	post := func(addr, pin string) *http.Response {
		t.Helper()
		resp, _ := f.do(f.client(), "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {pin}},
			http.Header{"X-Forwarded-For": {addr}})
		return resp
	}
	const gone, waiting = "203.0.113.7", "203.0.113.8"
	for range 6 { // 6 failures: the next wrong try would be the 7th, with a 4 s wait
		post(gone, "0000")
		f.clock.Add(2 * time.Second)
	}
	f.clock.Add(throttleIdle + time.Hour)
	for range 5 { // the 5th failure sets a 1 s wait
		post(waiting, "0000")
	}

	pctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- f.h.PruneThrottle(pctx, time.Hour) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rec, err := f.store.Throttle(ctx, pinKey(g.ID, gone))
		if err != nil {
			t.Fatal(err)
		}
		if rec.Failures == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("record not pruned: %+v", rec)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("PruneThrottle did not stop")
	}
	if !strings.Contains(logs.String(), "msg=\"pruned throttle records\" count=1") {
		t.Errorf("no log of the prune:\n%s", logs.String())
	}

	// Still waiting: refused, not counted.
	if resp := post(waiting, "4711"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("address in its wait: %d, want 429", resp.StatusCode)
	}
	// Pruned: four free wrong tries, no wait, then the right PIN.
	for i := 1; i <= 4; i++ {
		if resp := post(gone, "0000"); resp.StatusCode != http.StatusForbidden || resp.Header.Get("Retry-After") != "" {
			t.Fatalf("pruned address, wrong try %d: %d, Retry-After %q", i, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	if resp := post(gone, "4711"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pruned address, right PIN: %d", resp.StatusCode)
	}
}
