package server

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/scp"
)

// scpHandler serves the legacy scp protocol (scp -O) over the same view of
// the galleries as SFTP: files copied into SLUG/ are imported one by one,
// a file that fails is reported on stderr and the copy goes on; a photo's
// original can be copied back.
type scpHandler struct {
	fs     *photoFS
	target string // the path named on the server side
	failed int
}

// legacySCP runs one "scp -t" or "scp -f" session.
func (s *SSH) legacySCP(sess ssh.Session, info scp.Info, log *slog.Logger) {
	log.Info("ssh: legacy scp", "path", info.Path)
	if escapes(info.Path) {
		log.Warn("scp: refused", "op", "escape", "path", info.Path)
		fmt.Fprintf(sess.Stderr(), "scp: %s: paths may not leave the top folder (no ..)\n", info.Path)
		sess.Exit(1)
		return
	}
	h := &scpHandler{
		fs:     &photoFS{ctx: sess.Context(), cfg: &s.cfg, log: log, admin: adminOf(sess.Context())},
		target: info.Path,
	}
	// The middleware exits with status 1 itself when the copy breaks off.
	scp.Middleware(h, h)(func(ssh.Session) {})(sess)
	if h.failed > 0 {
		sess.Exit(1)
	}
}

// Write receives one file and imports it.
func (h *scpHandler) Write(sess ssh.Session, e *scp.FileEntry) (int64, error) {
	slug, name, err := split(h.target)
	if err != nil {
		return 0, err
	}
	if name == "" {
		name = e.Name
	}
	if slug == "" {
		return 0, errors.New("copy photos into a gallery folder: HOST:SLUG/")
	}
	u, err := h.fs.stage(slug, name)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.NewOffsetWriter(u, 0), e.Reader)
	if err != nil {
		u.TransferError(err)
		u.Close()
		return n, err
	}
	if err := u.Close(); err != nil {
		fmt.Fprintf(sess.Stderr(), "scp: %s: %v\n", name, err)
		h.failed++
	}
	return n, nil
}

// Mkdir refuses folders: the folders are the galleries.
func (h *scpHandler) Mkdir(ssh.Session, *scp.DirEntry) error {
	return errors.New("folders are galleries: copy files into HOST:SLUG/, not folders")
}

// Glob does no globbing: a name is itself.
func (h *scpHandler) Glob(_ ssh.Session, p string) ([]string, error) { return []string{p}, nil }

// WalkDir refuses recursive copies.
func (h *scpHandler) WalkDir(ssh.Session, string, fs.WalkDirFunc) error {
	return errors.New("recursive copies are not supported: copy photos by name (SLUG/NAME)")
}

// NewDirEntry refuses folders.
func (h *scpHandler) NewDirEntry(ssh.Session, string) (*scp.DirEntry, error) {
	return nil, errors.New("folders cannot be copied: copy photos by name (SLUG/NAME)")
}

// NewFileEntry opens a photo's original for copying to the client.
func (h *scpHandler) NewFileEntry(_ ssh.Session, p string) (*scp.FileEntry, func() error, error) {
	slug, name, err := split(p)
	if err != nil {
		return nil, nil, err
	}
	if name == "" {
		return nil, nil, errors.New("copy photos by name (SLUG/NAME)")
	}
	ph, err := h.fs.photo(slug, name)
	if err != nil {
		return nil, nil, err
	}
	if h.fs.cfg.Original == nil {
		return nil, nil, errors.New("downloads are not available on this server")
	}
	f, err := os.Open(h.fs.cfg.Original(ph.SHA256))
	if err != nil {
		return nil, nil, fmt.Errorf("the original of %s is missing on the server", name)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	h.fs.log.Info("scp: download", "gallery", slug, "photo", name)
	return &scp.FileEntry{Name: path.Base(name), Filepath: p, Mode: 0o644, Size: fi.Size(), Reader: f}, f.Close, nil
}
