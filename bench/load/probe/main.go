// Command probe measures what visitors feel while bench/load/run.sh's wrk
// loads the website: the latency of gallery pages and thumbnails (one of
// each every 20 ms, without a cookie), and whether a client typing the
// right PIN from its own address gets in every time (every 500 ms) while an
// attacker's wrong PINs are throttled.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:18090", "the website")
	public := flag.String("public", "", "slug of the public gallery")
	private := flag.String("private", "", "slug of the PIN gallery")
	pin := flag.String("pin", "", "its PIN")
	thumbs := flag.String("thumbs", "", "file of thumbnail paths")
	dur := flag.Duration("d", time.Minute, "how long")
	limit := flag.Duration("p99", 100*time.Millisecond, "the most a page's or thumbnail's p99 may be")
	flag.Parse()
	b, err := os.ReadFile(*thumbs)
	if err != nil {
		log.Fatal(err)
	}
	paths := strings.Fields(string(b))
	var wg sync.WaitGroup
	var pages, ths []time.Duration
	var errs []string
	end := time.Now().Add(*dur)
	get := func(c *http.Client, u string, hdr map[string]string) (int, time.Duration, error) {
		req, _ := http.NewRequest("GET", *base+u, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return 0, 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, time.Since(start), nil
	}
	wg.Go(func() {
		c := &http.Client{Timeout: 10 * time.Second}
		hdr := map[string]string{"X-Forwarded-For": "192.0.2.20"}
		for i := 0; time.Now().Before(end); i++ {
			u, into := "/g/"+*public, &pages
			if i%2 == 1 {
				u, into = paths[i/2%len(paths)], &ths
			}
			st, d, err := get(c, u, hdr)
			if err != nil || st != 200 {
				errs = append(errs, fmt.Sprintf("GET %s: %d %v", u, st, err))
			} else {
				*into = append(*into, d)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	tries, in := 0, 0
	var pinTimes []time.Duration
	wg.Go(func() {
		for time.Now().Before(end) {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequest("POST", *base+"/g/"+*private+"/pin", strings.NewReader(url.Values{"pin": {*pin}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "203.0.113.5")
			start := time.Now()
			tries++
			resp, err := c.Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					if st, _, err := get(c, "/g/"+*private, map[string]string{"X-Forwarded-For": "203.0.113.5"}); err == nil && st == 200 {
						in++
						pinTimes = append(pinTimes, time.Since(start))
					}
				}
			}
			time.Sleep(500 * time.Millisecond)
		}
	})
	wg.Wait()
	pct := func(ds []time.Duration, p float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return ds[min(len(ds)-1, int(float64(len(ds))*p))]
	}
	fmt.Printf("probe pages:      %5d  p50 %8v  p99 %8v  max %8v\n", len(pages), pct(pages, .5), pct(pages, .99), pct(pages, 1))
	fmt.Printf("probe thumbnails: %5d  p50 %8v  p99 %8v  max %8v\n", len(ths), pct(ths, .5), pct(ths, .99), pct(ths, 1))
	fmt.Printf("probe errors:     %5d\n", len(errs))
	for _, e := range errs[:min(len(errs), 5)] {
		fmt.Println("  ", e)
	}
	fmt.Printf("right PIN:        %d of %d tries got in (PIN and page p99 %v)\n", in, tries, pct(pinTimes, .99))
	if pct(pages, .99) >= *limit || pct(ths, .99) >= *limit {
		fmt.Printf("p99 over %v\n", *limit)
		os.Exit(1)
	}
	if len(errs) > 0 || in != tries {
		os.Exit(1)
	}
}
