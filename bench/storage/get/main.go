// Command get is the ZIP benchmark's reference: it downloads objects
// straight from the bucket, one after the other, with the client and the
// buffer bench/web/fetch reads the ZIP with (net/http's transport, 128 KiB,
// each byte copied once and dropped). Each object's URL is presigned, so
// the request is the plain GET a browser sent to a presigned link would
// make. It prints the bytes received and the rate in bytes per second.
//
//	get -storage s3://BUCKET/PREFIX < keys.txt
//
// The endpoint and keys come from the environment, as for pinhole.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"pinhole/media/bucket"
)

func main() {
	storage := flag.String("storage", "", "s3://BUCKET/PREFIX")
	bufSize := flag.Int("buf", 128<<10, "read buffer size")
	flag.Parse()
	ctx := context.Background()
	b, err := bucket.Open(ctx, *storage)
	if err != nil {
		log.Fatal(err)
	}
	var urls []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		u, err := b.Presign(ctx, sc.Text(), "", "", 5*time.Minute)
		if err != nil {
			log.Fatal(err)
		}
		urls = append(urls, u)
	}
	buf := make([]byte, *bufSize)
	var n int64
	start := time.Now()
	for _, u := range urls {
		k, err := get(u, buf)
		if err != nil {
			log.Fatal(err)
		}
		n += k
	}
	fmt.Printf("%d %.0f\n", n, float64(n)/time.Since(start).Seconds())
}

func get(url string, buf []byte) (int64, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("%s: %s", url, resp.Status)
	}
	var n int64
	for {
		k, err := resp.Body.Read(buf)
		n += int64(k)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
