package sshd

import (
	"encoding/binary"
	"os"
	"path"
	"strings"
	"testing"

	"pinhole/internal/testio"
)

// climbs is the oracle for escapes: resolved lexically one name at a time
// under a top folder, does any prefix of p leave it?
func climbs(p string) bool {
	parts := strings.Split(p, "/")
	for i := range parts {
		if c := path.Clean("top/" + strings.Join(parts[:i+1], "/")); c != "top" && !strings.HasPrefix(c, "top/") {
			return true
		}
	}
	return false
}

// FuzzSFTPPath: the SFTP guard refuses exactly the paths that climb above
// the top folder; split turns any path into a gallery and a file name that
// are plain names.
func FuzzSFTPPath(f *testing.F) {
	testio.FuzzFileNames(f)
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := escapes(p), climbs(p); got != want {
			t.Fatalf("escapes(%q) = %v, want %v", p, got, want)
		}
		slug, name, err := split(p)
		if err != nil {
			return
		}
		for _, part := range []string{slug, name} {
			if part == "." || part == ".." || strings.Contains(part, "/") {
				t.Fatalf("split(%q) = %q, %q", p, slug, name)
			}
		}
		if slug == "" && name != "" {
			t.Fatalf("split(%q) = a file %q outside any gallery", p, name)
		}
	})
}

// FuzzSFTPPacket: any packet a client sends is read without a panic, and a
// request naming a path that climbs is refused.
func FuzzSFTPPacket(f *testing.F) {
	pkt := func(typ byte, strs ...string) []byte {
		b := []byte{0, 0, 0, 0, typ, 0, 0, 0, 7}
		for _, s := range strs {
			b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
			b = append(b, s...)
		}
		binary.BigEndian.PutUint32(b, uint32(len(b)-4))
		return b
	}
	names, _ := os.ReadDir("../../testdata/photos")
	for _, n := range names {
		f.Add(pkt(fxpOpen, "gallery/"+n.Name()))
	}
	f.Add(pkt(fxpRename, "a/x.jpg", "../../x.jpg"))
	f.Add(pkt(fxpExtended, "posix-rename@openssh.com", "a/x.jpg", "a/../../y"))
	f.Add(pkt(fxpSymlink, "a", "b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, op, p, bad := inspect(b)
		if len(b) < 9 {
			return
		}
		switch b[4] {
		case fxpOpen, fxpLstat, fxpSetstat, fxpOpendir, fxpRemove, fxpMkdir, fxpRmdir, fxpRealpath, fxpStat:
			if ps := readStrings(b[9:], 1); len(ps) == 1 && escapes(ps[0]) && (!bad || op != "escape" || p != ps[0]) {
				t.Fatalf("path %q climbs but inspect says %q %q %v", ps[0], op, p, bad)
			}
		}
	})
}
