// Command import runs Pinhole's import pipeline (media.AddAll) on files and
// folders, for benchmarking against other tools:
//
//	go run ./bench/import -workers 2 -lib /tmp/lib ~/photos
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"pinhole/media"
)

func main() {
	workers := flag.Int("workers", 2, "files processed at once")
	lib := flag.String("lib", "", "library folder (default: a new temporary folder)")
	verbose := flag.Bool("v", false, "print each file's result")
	flag.Parse()
	root := *lib
	if root == "" {
		var err error
		if root, err = os.MkdirTemp("", "pinhole-bench-"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(root)
	}
	l, err := media.Open(root)
	if err != nil {
		fail(err)
	}
	files, leftOut, err := media.Walk(flag.Args())
	if err != nil {
		fail(err)
	}
	for _, pe := range leftOut {
		fmt.Fprintln(os.Stderr, pe)
	}
	start := time.Now()
	ok, bad := 0, 0
	l.AddAll(context.Background(), files, media.Options{Workers: *workers}, nil, func(p media.Photo, err error) {
		if err != nil {
			bad++
			fmt.Fprintln(os.Stderr, err)
			return
		}
		ok++
		if *verbose {
			fmt.Printf("%s\t%s\t%dx%d\t%s\t%v\t%s\n", p.Name, p.Format, p.Width, p.Height, p.Camera, p.TakenAt, p.SHA256[:12])
		}
	})
	el := time.Since(start)
	fmt.Printf("pinhole: %d photos (%d failed) in %.2fs: %.2f photos/s, %.0f ms/photo\n",
		ok, bad, el.Seconds(), float64(ok)/el.Seconds(), el.Seconds()*1000/float64(max(ok, 1)))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
