package sshd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/scp"

	"pinhole/media"
)

// scpHandler serves the legacy scp protocol (scp -O) over the same view of
// the galleries as SFTP: files copied into SLUG/ are imported one by one
// (wish's scp middleware reads them), a file that fails is reported on
// stderr and the copy goes on; a photo's original can be copied back.
type scpHandler struct {
	fs     *photoFS
	target string // the path named on the server side
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
		fs:     newPhotoFS(sess.Context(), s, log, adminOf(sess.Context()), sess.Stderr()),
		target: info.Path,
	}
	if info.Op == scp.OpCopyToClient {
		if err := h.send(sess, info); err != nil {
			log.Info("scp: download failed", "path", info.Path, "err", err)
			fmt.Fprintf(sess, "\x01scp: %v\n", err)
			sess.Exit(1)
		}
		return
	}
	// The middleware exits with status 1 itself when the copy breaks off.
	scp.Middleware(nil, h)(func(ssh.Session) {})(sess)
	log.Info("scp: ended", "imported", h.fs.imported.Load(), "failed", h.fs.failed.Load())
	if h.fs.failed.Load() > 0 {
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
		// Refused while writing (too large): the rest of this file is
		// read past, and the copy goes on with the next.
		u.TransferError(err)
		rest, rerr := io.Copy(io.Discard, e.Reader)
		u.Close()
		return n + rest, rerr
	}
	if n < e.Size {
		// The reader ends early when the connection does: what came is
		// not the file, even if it happens to decode.
		u.TransferError(fmt.Errorf("the copy broke off after %d of %d bytes: copy it again", n, e.Size))
	}
	u.Close() // a refused file is named on stderr, and the copy goes on
	return n, nil
}

// Mkdir refuses folders: the folders are the galleries.
func (h *scpHandler) Mkdir(ssh.Session, *scp.DirEntry) error {
	return errors.New("folders are galleries: copy files into HOST:SLUG/, not folders")
}

// send copies one photo's original to the client (scp -f), waiting for
// the client's acknowledgement at each step as the protocol wants.
func (h *scpHandler) send(sess ssh.Session, info scp.Info) error {
	if info.Recursive {
		return errors.New("recursive copies are not supported: copy photos by name (SLUG/NAME)")
	}
	ack := func() error {
		var b [1]byte
		if _, err := io.ReadFull(sess, b[:]); err != nil {
			return err
		}
		if b[0] != 0 {
			return errors.New("the client refused the copy")
		}
		return nil
	}
	if err := ack(); err != nil { // the client is ready
		return err
	}
	f, name, err := h.open(sess.Context(), info.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(sess, "C0644 %d %s\n", fi.Size(), name); err != nil {
		return err
	}
	if err := ack(); err != nil {
		return err
	}
	if _, err := io.Copy(sess, f); err != nil {
		return err
	}
	if _, err := sess.Write([]byte{0}); err != nil {
		return err
	}
	return ack()
}

// open opens a photo's original by its path SLUG/NAME.
func (h *scpHandler) open(ctx context.Context, p string) (media.Object, string, error) {
	slug, name, err := split(p)
	if err != nil {
		return nil, "", err
	}
	if name == "" {
		return nil, "", errors.New("copy photos by name (SLUG/NAME)")
	}
	ph, err := h.fs.photo(slug, name)
	if err != nil {
		return nil, "", err
	}
	f, err := h.fs.cfg.Library.Store().Open(ctx, media.OriginalKey(ph.SHA256))
	if err != nil {
		return nil, "", fmt.Errorf("the original of %s is missing on the server", name)
	}
	h.fs.log.Info("scp: download", "gallery", slug, "photo", name)
	return f, path.Base(name), nil
}
