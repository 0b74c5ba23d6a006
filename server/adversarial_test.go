package server

import (
	"net/http"
	"net/url"
	"sync"
	"testing"

	"pinhole/db"
)

// TestAdversarial_ThrottleParallelBurst: a guesser who sends many wrong
// PINs at once must not get more PINs checked than one who sends them in
// a row. With the clock standing still, only FreeTries tries may be
// checked (403); every other one must wait (429).
func TestAdversarial_ThrottleParallelBurst(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Burst", db.GalleryInput{Access: ptr(db.PINAccess), PIN: ptr("4711")})
	const n = 60
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			form := url.Values{"pin": {"0000"}}
			resp, _ := f.do(f.client(), "POST", "/g/"+g.Slug+"/pin", form, nil)
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	if codes[http.StatusForbidden] > FreeTries || codes[http.StatusForbidden]+codes[http.StatusTooManyRequests] != n {
		t.Fatalf("parallel burst of %d wrong PINs: %v; want at most %d checked (403), the rest 429", n, codes, FreeTries)
	}
}
