package sshd

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// sftpGuard sits between the SSH channel and the SFTP server and refuses
// every request whose path climbs above the top folder ("/..", "SLUG/../..")
// or that would make or read a link, answering it with "permission denied"
// itself. It has to look at the raw packets: pkg/sftp cleans paths before
// the handlers see them, which would silently turn "/../etc" into "/etc".
type sftpGuard struct {
	r      io.Reader
	w      io.Writer
	c      io.Closer
	log    *slog.Logger // where refusals are noted
	stderr io.Writer    // the user's, where a refused open is named

	pending []byte // the current packet, passed on to the SFTP server

	mu        sync.Mutex
	cond      *sync.Cond
	remaining int // bytes of an outgoing packet not written yet
}

func newSFTPGuard(rwc io.ReadWriteCloser, log *slog.Logger, stderr io.Writer) *sftpGuard {
	g := &sftpGuard{r: rwc, w: rwc, c: rwc, log: log, stderr: stderr}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// SFTP version 3 packet types that name paths.
const (
	fxpOpen     = 3
	fxpLstat    = 7
	fxpSetstat  = 9
	fxpOpendir  = 11
	fxpRemove   = 13
	fxpMkdir    = 14
	fxpRmdir    = 15
	fxpRealpath = 16
	fxpStat     = 17
	fxpRename   = 18
	fxpReadlink = 19
	fxpSymlink  = 20
	fxpStatus   = 101
	fxpExtended = 200

	fxPermissionDenied = 3
	maxSFTPPacket      = 1 << 20
)

var errPacketTooLarge = errors.New("sftp: packet too large")

func (g *sftpGuard) Read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		pkt, err := g.readPacket()
		if err != nil {
			return 0, err
		}
		if id, op, path, bad := inspect(pkt); bad {
			g.log.Warn("sftp: refused", "op", op, "path", path)
			msg := denial(op, path)
			if pkt[4] == fxpOpen { // OpenSSH's clients show only the status code of an open
				fmt.Fprintf(g.stderr, "pinhole: %s\n", msg)
			}
			if err := g.deny(id, msg); err != nil {
				return 0, err
			}
			continue
		}
		g.pending = pkt
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

func (g *sftpGuard) readPacket() ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(g.r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > maxSFTPPacket {
		return nil, errPacketTooLarge
	}
	pkt := make([]byte, 4+n)
	copy(pkt, hdr[:])
	if _, err := io.ReadFull(g.r, pkt[4:]); err != nil {
		return nil, err
	}
	return pkt, nil
}

// inspect reports whether a request must be refused, with its id, the
// operation and the offending path.
func inspect(pkt []byte) (id uint32, op, path string, bad bool) {
	if len(pkt) < 9 {
		return 0, "", "", false
	}
	typ := pkt[4]
	id = binary.BigEndian.Uint32(pkt[5:9])
	body := pkt[9:]
	var paths []string
	switch typ {
	case fxpOpen, fxpLstat, fxpSetstat, fxpOpendir, fxpRemove, fxpMkdir, fxpRmdir, fxpRealpath, fxpStat:
		paths = readStrings(body, 1)
	case fxpRename:
		paths = readStrings(body, 2)
	case fxpReadlink, fxpSymlink:
		ps := readStrings(body, 2)
		return id, "link", strings.Join(ps, " "), true
	case fxpExtended:
		ss := readStrings(body, 3)
		if len(ss) == 0 {
			return id, "", "", false
		}
		switch ss[0] {
		case "hardlink@openssh.com":
			return id, "link", strings.Join(ss[1:], " "), true
		case "posix-rename@openssh.com", "statvfs@openssh.com", "lsetstat@openssh.com", "expand-path@openssh.com", "copy-data":
			paths = ss[1:]
		}
	default:
		return id, "", "", false
	}
	for _, p := range paths {
		if escapes(p) {
			return id, "escape", p, true
		}
	}
	// pkg/sftp cleans "SLUG/sub/" into "SLUG/sub", a file name: a path
	// below a gallery that ends in "/" opens no file. ("SLUG/" goes on to
	// the handler, which says whether there is such a gallery.)
	if typ == fxpOpen && len(paths) == 1 && strings.HasSuffix(paths[0], "/") {
		if _, name, err := split(paths[0]); err != nil || name != "" {
			return id, "folder", paths[0], true
		}
	}
	return id, "", "", false
}

func readStrings(b []byte, n int) []string {
	var out []string
	for range n {
		if len(b) < 4 {
			break
		}
		l := binary.BigEndian.Uint32(b)
		if uint64(len(b)-4) < uint64(l) {
			break
		}
		out = append(out, string(b[4:4+l]))
		b = b[4+l:]
	}
	return out
}

// escapes reports whether a path, taken from the top folder and resolved
// one name at a time, ever climbs above it.
func escapes(p string) bool {
	depth := 0
	for _, part := range strings.Split(p, "/") {
		switch part {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// denial says why a request was refused.
func denial(op, path string) string {
	switch op {
	case "link":
		return "links are not supported: upload plain files into a gallery folder"
	case "folder":
		return fmt.Sprintf("%s: %s", strings.TrimPrefix(path, "/"), errFolderPath.msg)
	}
	return fmt.Sprintf("%s: paths may not leave the top folder (no ..)", path)
}

// deny answers a refused request with SSH_FX_PERMISSION_DENIED and msg.
func (g *sftpGuard) deny(id uint32, msg string) error {
	body := binary.BigEndian.AppendUint32(nil, 0) // length, set below
	body = append(body, fxpStatus)
	body = binary.BigEndian.AppendUint32(body, id)
	body = binary.BigEndian.AppendUint32(body, fxPermissionDenied)
	body = binary.BigEndian.AppendUint32(body, uint32(len(msg)))
	body = append(body, msg...)
	body = binary.BigEndian.AppendUint32(body, 2)
	body = append(body, "en"...)
	binary.BigEndian.PutUint32(body, uint32(len(body)-4))

	g.mu.Lock()
	defer g.mu.Unlock()
	for g.remaining > 0 {
		g.cond.Wait()
	}
	_, err := g.w.Write(body)
	return err
}

// Write passes the SFTP server's answers on. The server writes a packet's
// header and payload in two calls; the guard keeps count so that a denial
// is never written in the middle of a packet.
func (g *sftpGuard) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.remaining == 0 && len(p) >= 4 {
		g.remaining = 4 + int(binary.BigEndian.Uint32(p))
	}
	n, err := g.w.Write(p)
	g.remaining -= n
	if err != nil || g.remaining <= 0 {
		g.remaining = 0
		g.cond.Broadcast()
	}
	return n, err
}

func (g *sftpGuard) Close() error {
	g.mu.Lock()
	g.remaining = 0
	g.cond.Broadcast()
	g.mu.Unlock()
	return g.c.Close()
}
