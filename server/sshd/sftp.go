package sshd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pkg/sftp"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// photoFS is the SFTP view of the galleries: the top folder holds one
// folder per gallery, named by its slug; a gallery's folder holds its
// photos by original name. A file written into a gallery's folder is
// staged to a temporary file and imported when it is closed; a failed
// import is that file's error, the session goes on.
type photoFS struct {
	ctx     context.Context
	cfg     *SSHConfig
	uploads *studio.Uploads
	log     *slog.Logger
	admin   string
	// stderr is the user's: each refused upload is named there with its
	// reason, as OpenSSH's clients show only "Failure" for the status.
	stderr io.Writer

	imported, failed atomic.Int64 // uploads, for the session's summary and exit status
}

func newPhotoFS(ctx context.Context, s *SSH, log *slog.Logger, admin string, stderr io.Writer) *photoFS {
	return &photoFS{ctx: ctx, cfg: &s.cfg, uploads: s.uploads, log: log, admin: admin, stderr: stderr}
}

// refused counts an upload that did not go in and tells the user why;
// the error it returns, named once, is also the SFTP status message.
func (p *photoFS) refused(name string, err error) error {
	p.failed.Add(1)
	err = fmt.Errorf("%s: %w", name, err)
	fmt.Fprintf(p.stderr, "pinhole: %v\n", err)
	return err
}

// maxUpload is the largest file an upload may be, in bytes, and as the
// photographer wrote it: the max-upload setting unless the server was
// given its own.
func (p *photoFS) maxUpload() (int64, string) {
	if n := p.cfg.MaxUpload; n > 0 {
		return n, fmt.Sprintf("%d bytes", n)
	}
	v, err := p.cfg.Store.Setting(p.ctx, db.SettingMaxUpload)
	if err != nil {
		p.log.Error("sftp: max-upload setting", "err", err)
		return DefaultMaxUpload, "1 GiB"
	}
	n, err := db.ParseSize(v)
	if err != nil {
		p.log.Error("sftp: max-upload setting", "value", v, "err", err)
		return DefaultMaxUpload, "1 GiB"
	}
	return n, v
}

func (p *photoFS) handlers() sftp.Handlers {
	return sftp.Handlers{FileGet: p, FilePut: p, FileCmd: p, FileList: p}
}

var (
	errReadOnly   = fmt.Errorf("only uploads into a gallery folder are possible here: %w", sftp.ErrSSHFxPermissionDenied)
	errNoDir      = refusal{"galleries hold photos, not folders", fs.ErrNotExist}
	errNoGallery  = refusal{"put photos into a gallery folder (SLUG/)", sftp.ErrSSHFxPermissionDenied}
	errFolderPath = refusal{"galleries hold photos, not folders: give a gallery folder (SLUG/) or a file name in one", sftp.ErrSSHFxPermissionDenied}
)

// refusal is an error in the user's words alone, with the error that sets
// the SFTP status code behind it (whose own words, such as "file does not
// exist", would only repeat it in Go's).
type refusal struct {
	msg  string
	code error
}

func (r refusal) Error() string { return r.msg }
func (r refusal) Unwrap() error { return r.code }

// split turns an absolute path into a gallery slug and a file name. A path
// ending in "/" below a gallery names a folder, which galleries do not
// have: it is refused rather than taken as a file name.
func split(p string) (slug, name string, err error) {
	folder := strings.HasSuffix(p, "/")
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	if p == "" {
		return "", "", nil
	}
	slug, name, _ = strings.Cut(p, "/")
	if strings.Contains(name, "/") || folder && name != "" {
		return "", "", errNoDir
	}
	return slug, name, nil
}

func (p *photoFS) gallery(slug string) (db.Gallery, error) {
	g, err := p.cfg.Store.Gallery(p.ctx, slug)
	if errors.Is(err, db.ErrNotFound) {
		return g, refusal{fmt.Sprintf("no gallery %q (the top folder lists them; create one with: gallery create --title T)", slug), fs.ErrNotExist}
	}
	return g, err
}

func (p *photoFS) photo(slug, name string) (db.Photo, error) {
	g, err := p.gallery(slug)
	if err != nil {
		return db.Photo{}, err
	}
	ps, err := p.cfg.Store.Photos(p.ctx, g.ID)
	if err != nil {
		return db.Photo{}, err
	}
	for _, ph := range ps {
		if ph.Filename == name {
			return ph, nil
		}
	}
	return db.Photo{}, fmt.Errorf("no photo %q in %s: %w", name, slug, fs.ErrNotExist)
}

// Fileread opens a photo's original for download.
func (p *photoFS) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	slug, name, err := split(r.Filepath)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, fmt.Errorf("%s is a folder", r.Filepath)
	}
	ph, err := p.photo(slug, name)
	if err != nil {
		return nil, err
	}
	f, err := p.cfg.Library.Store().Open(r.Context(), media.OriginalKey(ph.SHA256))
	if err != nil {
		p.log.Error("sftp: original missing", "gallery", slug, "photo", name, "err", err)
		return nil, fmt.Errorf("the original of %s is missing on the server", name)
	}
	p.log.Info("sftp: download", "gallery", slug, "photo", name)
	return f, nil
}

// Filewrite stages an upload into a gallery's folder. A refusal is also
// named on stderr: OpenSSH's clients show only the status code of an open.
func (p *photoFS) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	u, err := p.openUpload(r.Filepath)
	if err != nil {
		return nil, p.refused(strings.TrimPrefix(r.Filepath, "/"), err)
	}
	return u, nil
}

func (p *photoFS) openUpload(fp string) (*upload, error) {
	slug, name, err := split(fp)
	if err != nil {
		return nil, err
	}
	if slug == "" {
		return nil, errNoGallery
	}
	if name == "" {
		if _, err := p.gallery(slug); err != nil {
			return nil, err
		}
		return nil, errNoGallery
	}
	return p.stage(slug, name)
}

// stage prepares the upload of one file into a gallery.
func (p *photoFS) stage(slug, name string) (*upload, error) {
	if name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
		return nil, refusal{fmt.Sprintf("%q is not a file name", name), sftp.ErrSSHFxPermissionDenied}
	}
	if _, err := p.gallery(slug); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(p.cfg.StageDir, 0o700); err != nil {
		return nil, fmt.Errorf("stage upload: %w", err)
	}
	dir, err := os.MkdirTemp(p.cfg.StageDir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("stage upload: %w", err)
	}
	// The staged file keeps the original name: the import takes it from there.
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("stage upload: %w", err)
	}
	limit, limitText := p.maxUpload()
	return &upload{fs: p, f: f, dir: dir, slug: slug, name: name, start: time.Now(), limit: limit, limitText: limitText}, nil
}

// upload is one file being received; it is imported on Close.
type upload struct {
	fs         *photoFS
	f          *os.File
	dir        string
	slug, name string
	start      time.Time
	limit      int64 // bytes
	limitText  string

	mu     sync.Mutex
	size   int64
	failed error
	closed bool
}

func (u *upload) WriteAt(b []byte, off int64) (int, error) {
	if off+int64(len(b)) > u.limit {
		err := fmt.Errorf("larger than the upload limit of %s (config set max-upload SIZE changes it)", u.limitText)
		u.TransferError(err)
		return 0, err
	}
	n, err := u.f.WriteAt(b, off)
	u.mu.Lock()
	u.size = max(u.size, off+int64(n))
	if err != nil && u.failed == nil {
		u.failed = err
	}
	u.mu.Unlock()
	return n, err
}

// TransferError is called by the SFTP server when the transfer broke off.
func (u *upload) TransferError(err error) {
	u.mu.Lock()
	u.failed = err
	u.mu.Unlock()
}

func (u *upload) Close() error {
	u.mu.Lock()
	if u.closed {
		u.mu.Unlock()
		return nil
	}
	u.closed = true
	failed := u.failed
	u.mu.Unlock()
	defer os.RemoveAll(u.dir)
	if err := u.f.Close(); err != nil && failed == nil {
		failed = err
	}
	log := u.fs.log.With("gallery", u.slug, "photo", u.name, "bytes", u.size)
	if failed != nil {
		log.Warn("sftp: upload broke off", "err", failed)
		return u.fs.refused(u.name, failed)
	}
	if err := u.fs.uploads.Import(u.fs.ctx, u.slug, u.f.Name()); err != nil {
		log.Warn("sftp: import failed", "err", err)
		return u.fs.refused(u.name, err)
	}
	u.fs.imported.Add(1)
	log.Info("sftp: imported", "took", time.Since(u.start).Round(time.Millisecond))
	return nil
}

// Filecmd refuses changes other than uploads; setting times or modes on an
// uploaded file (scp -p, sftp put -p) is accepted and ignored.
func (p *photoFS) Filecmd(r *sftp.Request) error {
	switch r.Method {
	case "Setstat":
		return nil
	case "Mkdir":
		return fmt.Errorf("folders are galleries: create one with: ssh HOST gallery create --title T: %w", sftp.ErrSSHFxPermissionDenied)
	case "Symlink", "Link":
		return fmt.Errorf("links are not supported: %w", sftp.ErrSSHFxPermissionDenied)
	}
	p.log.Info("sftp: refused", "op", r.Method, "path", r.Filepath)
	return errReadOnly
}

// Filelist lists and stats the galleries and photos.
func (p *photoFS) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	switch r.Method {
	case "List":
		return p.list(r.Filepath)
	case "Stat":
		fi, err := p.stat(r.Filepath)
		if err != nil {
			return nil, err
		}
		return listerAt{fi}, nil
	case "Readlink":
		return nil, fmt.Errorf("links are not supported: %w", sftp.ErrSSHFxPermissionDenied)
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

// Lstat is Stat: there are no links.
func (p *photoFS) Lstat(r *sftp.Request) (sftp.ListerAt, error) {
	fi, err := p.stat(r.Filepath)
	if err != nil {
		return nil, err
	}
	return listerAt{fi}, nil
}

func (p *photoFS) list(fp string) (sftp.ListerAt, error) {
	slug, name, err := split(fp)
	if err != nil {
		return nil, err
	}
	if name != "" {
		return nil, fmt.Errorf("%s is a photo, not a folder: %w", fp, fs.ErrNotExist)
	}
	if slug == "" {
		gs, err := p.cfg.Store.Galleries(p.ctx)
		if err != nil {
			return nil, err
		}
		out := make(listerAt, 0, len(gs))
		for _, g := range gs {
			out = append(out, dirInfo(g))
		}
		return out, nil
	}
	g, err := p.gallery(slug)
	if err != nil {
		return nil, err
	}
	ps, err := p.cfg.Store.Photos(p.ctx, g.ID)
	if err != nil {
		return nil, err
	}
	out := make(listerAt, 0, len(ps))
	for _, ph := range ps {
		out = append(out, photoInfo(ph))
	}
	return out, nil
}

func (p *photoFS) stat(fp string) (os.FileInfo, error) {
	slug, name, err := split(fp)
	if err != nil {
		return nil, err
	}
	switch {
	case slug == "":
		return fileInfo{name: "/", mode: fs.ModeDir | 0o755, mod: time.Now()}, nil
	case name == "":
		g, err := p.gallery(slug)
		if err != nil {
			return nil, err
		}
		return dirInfo(g), nil
	}
	ph, err := p.photo(slug, name)
	if err != nil {
		return nil, err
	}
	return photoInfo(ph), nil
}

func dirInfo(g db.Gallery) fileInfo {
	return fileInfo{name: g.Slug, mode: fs.ModeDir | 0o755, mod: g.UpdatedAt}
}

func photoInfo(ph db.Photo) fileInfo {
	mod := ph.TakenAt
	if mod.IsZero() {
		mod = ph.CreatedAt
	}
	return fileInfo{name: ph.Filename, size: ph.Bytes, mode: 0o644, mod: mod}
}

type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
	mod  time.Time
}

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return f.mod }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

type listerAt []os.FileInfo

func (l listerAt) ListAt(dst []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(dst, l[off:])
	if off+int64(n) >= int64(len(l)) {
		return n, io.EOF
	}
	return n, nil
}
