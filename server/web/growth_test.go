package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"pinhole/db"
)

// TestGrowth_AnonymousVisitors (issue 16): 200,000 views and ZIP requests
// of visitors without a cookie leave the database almost as it was (under
// 1 kB per 1,000 views) and the busy gallery's page as fast, against a
// fresh gallery's, as it was before them (within 1.5×), for a visitor
// without a cookie and for one who holds a session.
func TestGrowth_AnonymousVisitors(t *testing.T) {
	if testing.Short() {
		t.Skip("200,000 requests")
	}
	total := 200_000
	if raceEnabled {
		total = 10_000 // the race detector makes each request ten times slower
	}
	f := newFixture(t)
	ctx := context.Background()
	now := f.clock.Now()
	f.clock.Set(time.Date(now.Year(), now.Month(), now.Day(), 6, 0, 0, 0, now.Location()))
	in := db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsOriginal)}
	busy, fresh := f.gallery("Busy", in), f.gallery("Fresh", in)
	for _, g := range []db.Gallery{busy, fresh} {
		f.addPhoto(g, "../../testdata/photos/Canon_40D.jpg")
		f.addPhoto(g, testPhotos[4])
	}
	// A visitor with a session in each gallery (a favourite made it).
	sessOf := func(g db.Gallery) *http.Cookie {
		c := f.client()
		ps, _ := f.store.Photos(ctx, g.ID)
		f.do(c, "POST", "/g/"+g.Slug+"/fav/"+strconv.FormatInt(ps[0].ID, 10), map[string][]string{"on": {"1"}, "name": {"Kim"}}, nil)
		for _, ck := range c.Jar.Cookies(mustURL(f.srv.URL)) {
			if ck.Name == galleryCookie(g.ID) {
				return &http.Cookie{Name: ck.Name, Value: ck.Value}
			}
		}
		t.Fatalf("no session cookie for %s", g.Title)
		return nil
	}
	busySess, freshSess := sessOf(busy), sessOf(fresh)

	size := func() int64 {
		t.Helper()
		var pages, free, pageSize int64
		raw, err := sql.Open("sqlite", "file:"+f.store.Path()+"?mode=ro&_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		raw.QueryRow("PRAGMA page_count").Scan(&pages)
		raw.QueryRow("PRAGMA freelist_count").Scan(&free)
		raw.QueryRow("PRAGMA page_size").Scan(&pageSize)
		return (pages - free) * pageSize
	}
	// The page's server time, busy against fresh, measured in turns.
	ratios := func() map[string]float64 {
		out := map[string]float64{}
		serverTime := func(g db.Gallery, ck *http.Cookie) time.Duration {
			req := httptest.NewRequest("GET", "/g/"+g.Slug, nil)
			if ck != nil {
				req.AddCookie(ck)
			}
			rec := httptest.NewRecorder()
			start := time.Now()
			f.h.ServeHTTP(rec, req)
			d := time.Since(start)
			if rec.Code != 200 {
				t.Fatalf("%s: %d", g.Title, rec.Code)
			}
			return d
		}
		median := func(ds []time.Duration) time.Duration {
			slices.Sort(ds)
			return ds[len(ds)/2]
		}
		for _, who := range []struct {
			name        string
			busy, fresh *http.Cookie
		}{{"without a cookie", nil, nil}, {"with a session", busySess, freshSess}} {
			var b, fr []time.Duration
			for i := range 301 {
				f.clock.Add(2 * time.Minute) // past touch's once-a-minute
				if i%2 == 0 {
					b = append(b, serverTime(busy, who.busy))
					fr = append(fr, serverTime(fresh, who.fresh))
				} else {
					fr = append(fr, serverTime(fresh, who.fresh))
					b = append(b, serverTime(busy, who.busy))
				}
			}
			mb, mf := median(b), median(fr)
			out[who.name] = float64(mb) / float64(mf)
			t.Logf("page %s: busy %v, fresh %v: %.2f×", who.name, mb, mf, out[who.name])
		}
		return out
	}
	// The two galleries' pages differ a little whatever their history (the
	// first made is the slower here): their ratio before the crowd is the
	// baseline the ratio after it is held against.
	start := f.clock.Now()
	baseline := ratios()
	f.clock.Set(start)
	if err := f.h.FlushCounts(ctx); err != nil {
		t.Fatal(err)
	}
	before := size()

	// The crowd: 9 views to 1 ZIP, the clock moving 0.1 s a request (5.5
	// hours: several hourly counts), the counts written as serve does.
	var wg sync.WaitGroup
	var mu sync.Mutex
	done, errs := 0, 0
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < total; i += 2 {
				path := "/g/" + busy.Slug
				if i%10 == 9 {
					path += "/zip"
				}
				rec := httptest.NewRecorder()
				f.h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				f.clock.Add(100 * time.Millisecond)
				mu.Lock()
				done++
				if rec.Code != 200 {
					errs++
				}
				flush := done%10_000 == 0
				mu.Unlock()
				if flush {
					if err := f.h.FlushCounts(ctx); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if errs > 0 {
		t.Fatalf("%d of %d requests failed", errs, total)
	}
	if err := f.h.FlushCounts(ctx); err != nil {
		t.Fatal(err)
	}
	grown := size() - before
	views := total * 9 / 10
	t.Logf("database grew %d bytes after %d views and %d ZIPs (%.1f bytes per 1,000 views)", grown, views, total-views, float64(grown)*1000/float64(views))
	if grown*1000 >= int64(views)*1024 {
		t.Errorf("database grew %d bytes: %d per 1,000 views, want under 1 kB", grown, grown*1000/int64(views))
	}
	st, err := f.store.GalleryStats(ctx, busy.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Opened < views || st.Downloads != total-views {
		t.Errorf("counted %d views and %d downloads, want %d and %d", st.Opened, st.Downloads, views, total-views)
	}

	after := ratios()
	for who, r := range after {
		growth := r / baseline[who]
		t.Logf("page %s: busy/fresh %.2f× before the crowd, %.2f× after: grew %.2f×", who, baseline[who], r, growth)
		if growth > 1.5 {
			t.Errorf("page %s: busy gallery's page grew %.2f× against the fresh one's after the crowd, want at most 1.5×", who, growth)
		}
	}
}
