// Command fetch downloads a URL into memory and throws it away, as cat >
// /dev/null does with files: each byte is copied once, into a 128 KiB
// buffer, so that the client is not what limits the measurement. It
// prints the bytes received and the rate in bytes per second.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	cookie := flag.String("cookie", "", "Cookie header to send")
	buf := flag.Int("buf", 128<<10, "read buffer size")
	flag.Parse()
	if err := fetch(flag.Arg(0), *cookie, *buf); err != nil {
		fmt.Fprintln(os.Stderr, "fetch:", err)
		os.Exit(1)
	}
}

func fetch(url, cookie string, size int) error {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return err
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	start := time.Now()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	buf := make([]byte, size)
	var n int64
	for {
		k, err := resp.Body.Read(buf)
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fmt.Errorf("got %d bytes of %d", n, resp.ContentLength)
	}
	took := time.Since(start)
	fmt.Printf("%d %.0f\n", n, float64(n)/took.Seconds())
	return nil
}
