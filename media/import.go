package media

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// Options tune an import. The zero value is ready to use.
type Options struct {
	// MaxPixels refuses pictures whose header claims more pixels, before
	// decoding. Zero means DefaultMaxPixels. Formats other than JPEG (which
	// is decoded at reduced size) are also held to MaxOtherPixels.
	MaxPixels int64
	// Workers is how many files AddAll processes at once; zero means one
	// per CPU. Memory use is about Workers × one decoded picture.
	Workers int
}

const (
	// DefaultMaxPixels is 150 megapixels: more than any camera's JPEG.
	DefaultMaxPixels = 150_000_000
	// MaxOtherPixels bounds non-JPEG pictures, which decode at full size
	// (4–8 bytes a pixel).
	MaxOtherPixels = 64_000_000
	// maxProgressiveBytes bounds the coefficients a progressive JPEG makes
	// the decoder hold (128 bytes a block): 4:2:0 up to about 130
	// megapixels, 4:4:4 up to about 65.
	maxProgressiveBytes = 384 << 20
)

func (o Options) withDefaults() Options {
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Photo describes an imported photo.
type Photo struct {
	Source  string    // the path it was imported from
	Name    string    // filepath.Base(Source), byte for byte: the name for downloads
	SHA256  string    // hex SHA-256 of the original: its key in the library
	Bytes   int64     // size of the original
	Width   int       // pixels, after EXIF orientation
	Height  int       // pixels, after EXIF orientation
	TakenAt time.Time // capture time; in the recorded offset's zone, else the camera's clock as UTC
	HasTime bool      // whether TakenAt was recorded
	Camera  string    // make and model, "" if unknown
	Format  string    // FormatJPEG, FormatPNG, …
	// Skipped is set when the skip function passed to AddAll said to skip
	// this hash: only Source, Name, SHA256, Bytes and Format are then set.
	Skipped bool
}

// Errors an import can fail with, besides [UnsupportedFormatError]; test
// with errors.Is.
var (
	ErrTooLarge = errors.New("image too large")
	ErrCorrupt  = errors.New("corrupt or truncated")
)

// Add imports one file: it checks the format and size from the header,
// reads the metadata, stores the original under its SHA-256 and makes the
// renditions. Adding a photo already stored only makes what is missing. If
// ctx is cancelled, nothing is left at a final path unless the photo was
// complete.
func (l *Library) Add(ctx context.Context, path string, opt Options) (Photo, error) {
	return l.add(ctx, path, opt.withDefaults(), nil)
}

// AddAll imports paths with opt.Workers files at a time. After a file is
// hashed, skip (if not nil) may say to go no further with it, for a photo
// already in the gallery, so nothing is decoded twice. each is called once
// for every path, in completion order; neither skip nor each is ever called
// concurrently with itself. When ctx is cancelled, files in progress finish
// or leave nothing behind, and files not yet started are reported with
// ctx.Err(). AddAll returns when every call to each has returned.
func (l *Library) AddAll(ctx context.Context, paths []string, opt Options, skip func(sha string) bool, each func(Photo, error)) {
	opt = opt.withDefaults()
	var mu, skipMu sync.Mutex
	report := func(p Photo, err error) {
		mu.Lock()
		defer mu.Unlock()
		each(p, err)
	}
	if skip != nil {
		unsafeSkip := skip
		skip = func(sha string) bool {
			skipMu.Lock()
			defer skipMu.Unlock()
			return unsafeSkip(sha)
		}
	}
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range min(opt.Workers, max(1, len(paths))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range jobs {
				if err := ctx.Err(); err != nil {
					report(Photo{Source: path, Name: filepath.Base(path)}, err)
					continue
				}
				p, err := l.add(ctx, path, opt, skip)
				report(p, err)
			}
		}()
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
}

// job is one file's import: what has been learnt so far and the temporary
// files waiting to be renamed into place.
type job struct {
	lib    *Library
	ctx    context.Context
	opt    Options
	format string
	cfg    image.Config
	meta   fileMeta
	exif   exifInfo
	sha    string
	from   string // the rendition decoded to remake others; "" for the original
	// temps are the temporary files and the keys they are to be stored
	// under (the original's first, its key set once it is hashed).
	temps [][2]string
	// origTmp is the temporary original, open until its flush starts.
	origTmp *os.File
	// mending: the stored original under this content's key is damaged
	// (not the size of this copy), and this import puts the copy in its
	// place even where the gallery holds the photo already.
	mending bool
	// pending reports the end of each background flush (fsync and close)
	// of a temporary file; commit waits for all of them.
	pending []chan error
}

func (l *Library) add(ctx context.Context, path string, opt Options, skip func(string) bool) (p Photo, err error) {
	p = Photo{Source: path, Name: filepath.Base(path)}
	j := &job{lib: l, ctx: ctx, opt: opt}
	defer j.cleanup()
	defer func() {
		if err != nil {
			err = fmt.Errorf("import %s: %w", p.Name, err)
		}
	}()
	if err := ctx.Err(); err != nil {
		return p, err
	}
	// A cheap look at the source refuses what is plainly not a photo
	// before copying it.
	if p.Format, err = sniffFile(path); err != nil {
		return p, err
	}
	if err := j.store(path, &p); err != nil {
		return p, err
	}
	if err := ctx.Err(); err != nil {
		return p, err
	}
	if skip != nil && skip(p.SHA256) && !j.mending {
		p.Skipped = true
		return p, nil
	}
	// Everything from here reads the stored copy, never the source, which
	// may change under us (an upload still being written, a replaced file).
	src := source{key: OriginalKey(j.sha)}
	if len(j.temps) > 0 {
		src = source{path: j.temps[0][0]}
	}
	info, err := j.inspect(src)
	if err != nil {
		return p, err
	}
	info.Source, info.Name, info.SHA256, info.Bytes = p.Source, p.Name, p.SHA256, p.Bytes
	p = info
	j.startSync() // overlaps decoding
	if err := ctx.Err(); err != nil {
		return p, err
	}
	if err := j.render(src); err != nil {
		return p, err
	}
	if err := ctx.Err(); err != nil {
		return p, err
	}
	// From here on the photo is complete: commit it whatever ctx says.
	if err := j.commit(); err != nil {
		return p, err
	}
	return p, nil
}

// sniffFile returns the format of the regular file at path, from its first
// bytes.
func sniffFile(path string) (string, error) {
	f, err := openSource(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err == io.EOF {
		return "", fmt.Errorf("%w: empty file", ErrCorrupt)
	}
	if err != nil && err != io.ErrUnexpectedEOF {
		return "", err
	}
	return sniff(head[:n])
}

// openSource opens a file to import. Only a regular file is opened: a
// named pipe would block the open until something writes to it, and a
// device never ends.
func openSource(path string) (*os.File, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil {
		f.Close()
		return nil, err
	} else if !fi.Mode().IsRegular() { // replaced since the look above
		f.Close()
		return nil, errNotRegular
	}
	return f, nil
}

var errNotRegular = errors.New("not a regular file")

// source is what an import reads pixels from: a temporary file of its
// own, or a stored file.
type source struct {
	path string // a temporary file
	key  string // else a stored file
}

func (j *job) open(src source) (Object, error) {
	if src.path != "" {
		return os.Open(src.path)
	}
	return j.lib.store.Open(j.ctx, src.key)
}

// inspect reads the format, header and metadata of src, refusing what
// cannot or must not be decoded: the pixel limit is checked here, before
// any decoding. It fills everything in the Photo but the hash and size.
func (j *job) inspect(src source) (Photo, error) {
	var p Photo
	f, err := j.open(src)
	if err != nil {
		return p, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return p, err
	} else if !fi.Mode().IsRegular() {
		return p, errNotRegular
	}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		if err == io.EOF {
			return p, fmt.Errorf("%w: empty file", ErrCorrupt)
		}
		return p, err
	}
	if j.format, err = sniff(head[:n]); err != nil {
		return p, err
	}
	p.Format = j.format
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return p, err
	}
	j.cfg, err = decodeConfig(j.format, bufio.NewReader(f))
	if err != nil {
		return p, fmt.Errorf("%w %s: %v", ErrCorrupt, j.format, err)
	}
	w, h := int64(j.cfg.Width), int64(j.cfg.Height)
	if w <= 0 || h <= 0 {
		return p, fmt.Errorf("%w %s: %d×%d pixels", ErrCorrupt, j.format, w, h)
	}
	limit := j.opt.MaxPixels
	if j.format != FormatJPEG {
		limit = min(limit, MaxOtherPixels)
	}
	if w*h > limit {
		return p, fmt.Errorf("%w: %s of %d×%d pixels (%.0f megapixels) is over the limit of %.0f megapixels",
			ErrTooLarge, j.format, w, h, float64(w*h)/1e6, float64(limit)/1e6)
	}
	if j.format == FormatGIF {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return p, err
		}
		if n := gifFrames(f, MaxGIFFrames); n > MaxGIFFrames {
			return p, fmt.Errorf("%w: GIF of more than %d frames", ErrTooLarge, MaxGIFFrames)
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err == nil {
		j.meta, _ = readMeta(j.format, f) // broken metadata never costs a photo
	}
	if b := j.meta.progressiveBlocks * 128; b > maxProgressiveBytes {
		return p, fmt.Errorf("%w: progressive JPEG of %d×%d pixels needs %d MB to decode, over the limit of %d MB — export it as a baseline JPEG",
			ErrTooLarge, w, h, b>>20, maxProgressiveBytes>>20)
	}
	if j.format == FormatTIFF && isCameraRaw(j.meta.exif) {
		return p, &UnsupportedFormatError{"camera raw (DNG, NEF, ARW…)"}
	}
	j.exif = parseExif(j.meta.exif)
	p.Width, p.Height = j.cfg.Width, j.cfg.Height
	if j.exif.Orientation >= 5 {
		p.Width, p.Height = p.Height, p.Width
	}
	p.TakenAt, p.HasTime = j.exif.TakenAt, j.exif.HasTime
	p.Camera = cameraName(j.exif.Make, j.exif.Model)
	return p, nil
}

// store copies the file to a temporary original while hashing it. If the
// original is already stored the copy is dropped.
func (j *job) store(path string, p *Photo) error {
	f, err := openSource(path)
	if err != nil {
		return err
	}
	defer f.Close()
	tmp, err := createTemp(j.tempDir(dirOriginals))
	if err != nil {
		return err
	}
	j.temps = append(j.temps, [2]string{tmp.Name(), ""})
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{j.ctx, f})
	if err != nil {
		tmp.Close()
		return fmt.Errorf("store original: %w", err)
	}
	j.sha = hex.EncodeToString(h.Sum(nil))
	p.SHA256, p.Bytes = j.sha, n
	key := OriginalKey(j.sha)
	info, err := j.lib.store.Stat(j.ctx, key)
	if err == nil && info.Size == n {
		tmp.Close()
		os.Remove(tmp.Name())
		j.temps = j.temps[:0]
	} else {
		// Not stored yet, or stored damaged (cut short, say): what doctor
		// says to mend by importing the photo again.
		j.mending = err == nil
		j.temps[0][1] = key
		j.origTmp = tmp
	}
	return nil
}

// tempDir is where the temporary file of a key under dir is written:
// beside its final place in a folder, to be renamed; else the stage.
func (j *job) tempDir(dir string) string {
	if j.lib.folder == nil {
		return j.lib.stage
	}
	return j.lib.folder.path(dir)
}

// startSync flushes the temporary original to disk in the background, so
// that the wait overlaps decoding; commit waits for it.
func (j *job) startSync() {
	if j.origTmp != nil {
		j.flush(j.origTmp)
		j.origTmp = nil
	}
}

// flush syncs and closes f in the background.
func (j *job) flush(f *os.File) {
	ch := make(chan error, 1)
	j.pending = append(j.pending, ch)
	durable := j.lib.folder != nil // else Put makes the stored copy durable
	go func() {
		var err error
		if durable {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		ch <- err
	}()
}

// waitSync waits for every background flush and returns the first error.
func (j *job) waitSync() error {
	if j.origTmp != nil {
		j.origTmp.Close()
		j.origTmp = nil
	}
	var first error
	for _, ch := range j.pending {
		if err := <-ch; err != nil && first == nil {
			first = err
		}
	}
	j.pending = nil
	return first
}

// render decodes src (the original, or the stored rendition j.from) and
// writes whichever renditions are missing to temporary files.
func (j *job) render(src source) error {
	var need []Rendition
	for _, r := range renditionTable {
		if !j.lib.has(j.ctx, RenditionKey(r, j.sha)) {
			need = append(need, r)
		}
	}
	if len(need) == 0 {
		return nil
	}
	target := 0
	for _, r := range chain(need, j.from) {
		target = max(target, r.Long)
	}
	f, err := j.open(src)
	if err != nil {
		return err
	}
	m, err := decode(j.format, bufio.NewReaderSize(ctxReader{j.ctx, f}, 64<<10), j.cfg, target)
	if err != nil && j.format == FormatPNG && errors.Is(err, io.ErrUnexpectedEOF) && j.ctx.Err() == nil {
		// A PNG cut after its pixel data (a lost IEND) still shows in
		// libpng-based viewers: decode its whole chunks again.
		if fi, serr := f.Stat(); serr == nil {
			if r, ok := pngWithEnd(f, fi.Size()); ok {
				m, err = decode(j.format, bufio.NewReaderSize(ctxReader{j.ctx, r}, 64<<10), j.cfg, target)
			}
		}
	}
	f.Close()
	if err != nil {
		if ctxErr := j.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("%w %s: %v", ErrCorrupt, j.format, err)
	}
	orientation := j.exif.Orientation
	if j.from != "" {
		orientation = 1 // renditions are stored upright
	}
	data, err := renditions(m, orientation, j.meta.icc, j.from, need)
	if err != nil {
		return err
	}
	for _, r := range need {
		if err := j.writeTemp(RenditionKey(r, j.sha), data[r.Name]); err != nil {
			return fmt.Errorf("write %s: %w", r.Name, err)
		}
	}
	return nil
}

func (j *job) writeTemp(key string, data []byte) error {
	tmp, err := createTemp(j.tempDir(path.Dir(key)))
	if err != nil {
		return err
	}
	j.temps = append(j.temps, [2]string{tmp.Name(), key})
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	j.flush(tmp)
	return nil
}

// commit stores the temporary files, the original first: in a folder it
// renames them into place and syncs their folders; any other store Puts
// them, whatever ctx says, since the photo is complete.
func (j *job) commit() error {
	if err := j.waitSync(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	if j.lib.folder == nil {
		return j.put()
	}
	dirs := map[string]bool{}
	for _, t := range j.temps {
		final := j.lib.folder.path(t[1])
		if err := j.lib.folder.commit(t[0], final); err != nil {
			return err
		}
		dirs[filepath.Dir(final)] = true
	}
	j.temps = nil
	// Make the renames durable, the folders' syncs side by side.
	errs := make(chan error, len(dirs))
	for dir := range dirs {
		go func() { errs <- syncDir(dir) }()
	}
	var first error
	for range dirs {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// put Puts the temporary files into the store, one after the other, the
// original first: a rendition is never there without it.
func (j *job) put() error {
	ctx := context.WithoutCancel(j.ctx)
	for len(j.temps) > 0 {
		t := j.temps[0]
		f, err := os.Open(t[0])
		if err != nil {
			return err
		}
		err = j.lib.store.Put(ctx, t[1], f)
		f.Close()
		if err != nil {
			return err
		}
		os.Remove(t[0])
		j.temps = j.temps[1:]
	}
	return nil
}

// cleanup removes temporary files not committed.
func (j *job) cleanup() {
	j.waitSync()
	for _, t := range j.temps {
		if err := os.Remove(t[0]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			continue
		}
	}
	j.temps = nil
}

// ctxReader stops reading once ctx is cancelled, so a cancelled import
// stops copying or decoding at the next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
