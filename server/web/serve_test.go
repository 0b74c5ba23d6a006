package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestServe_ShutdownGrace: a download still running when Serve is asked
// to stop gets the grace given, then its connection is closed.
func TestServe_ShutdownGrace(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("part"))
		w.(http.Flusher).Flush()
		close(started)
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	const grace = 300 * time.Millisecond
	go func() {
		done <- Serve(ctx, ln, slow, slog.New(slog.NewTextHandler(io.Discard, nil)), WithShutdownGrace(grace))
	}()
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	<-started
	stop := time.Now()
	cancel()
	select {
	case <-done:
	case <-time.After(DefaultShutdownGrace / 2):
		t.Fatal("Serve still waits for the download past the grace given")
	}
	if took := time.Since(stop); took < grace {
		t.Errorf("Serve returned after %v, before the grace of %v", took, grace)
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("the download's connection was not closed")
	}
}
