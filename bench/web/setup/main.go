// Command setup fills a data folder for the web benchmark: one PIN gallery
// of N photos whose originals are SIZE bytes each (random, so nothing
// compresses) and whose renditions (every size) are copies of a real JPEG, plus a valid
// session. It prints shell variables for run.sh.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

func main() {
	data := flag.String("data", "", "data folder")
	n := flag.Int("n", 1000, "photos")
	size := flag.Int("size", 1<<20, "bytes per original")
	thumb := flag.String("thumb", "", "a JPEG to use as every rendition")
	storage := flag.String("storage", "", "where the photo files go, as pinhole --storage (default: the data folder's photos/)")
	flag.Parse()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(*data, "pinhole.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	files, err := studio.OpenStorage(ctx, store, *data, *storage)
	if err != nil {
		log.Fatal(err)
	}
	lib := media.New(files)
	title := "Benchmark wedding"
	g, err := store.CreateGallery(ctx, db.GalleryInput{Title: &title, Access: new(db.PINAccess), PIN: new("123456")})
	if err != nil {
		log.Fatal(err)
	}
	jpeg, err := os.ReadFile(*thumb)
	if err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, *size)
	var rows []db.Photo
	var thumbs []string
	for i := range *n {
		rand.Read(buf)
		sum := sha256.Sum256(buf)
		sha := hex.EncodeToString(sum[:])
		write(lib, media.OriginalKey(sha), buf)
		for _, r := range media.Renditions() {
			write(lib, media.RenditionKey(r, sha), jpeg)
		}
		rows = append(rows, db.Photo{GalleryID: g.ID, Filename: fmt.Sprintf("IMG_%04d.JPG", i+1), SHA256: sha,
			Bytes: int64(*size), Width: 6000, Height: 4000})
		thumb, _ := media.RenditionNamed(media.Thumbnail)
		thumbs = append(thumbs, "/"+media.RenditionKey(thumb, sha))
	}
	ps, err := store.AddPhotos(ctx, rows)
	if err != nil {
		log.Fatal(err)
	}
	tok, _, err := store.CreateSession(ctx, db.Session{GalleryID: g.ID, PINGalleryID: g.ID, PINVersion: g.PINVersion, ExpiresAt: time.Now().Add(24 * time.Hour)})
	if err != nil {
		log.Fatal(err)
	}
	pf, _ := os.Create(filepath.Join(*data, "pinhole-thumbs.txt"))
	nf, _ := os.Create(filepath.Join(*data, "nginx-thumbs.txt"))
	for i, p := range ps {
		fmt.Fprintf(pf, "/g/%s/t/%d\n", g.Slug, p.ID)
		fmt.Fprintln(nf, thumbs[i])
	}
	pf.Close()
	nf.Close()
	fmt.Printf("SLUG=%s\nCOOKIE='pinhole_g%d=%s'\n", g.Slug, g.ID, tok)
}

func write(lib *media.Library, key string, b []byte) {
	if err := lib.Store().Put(context.Background(), key, bytes.NewReader(b)); err != nil {
		log.Fatal(err)
	}
}
