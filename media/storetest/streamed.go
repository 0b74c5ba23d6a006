package storetest

import (
	"context"
	"io"
	"io/fs"

	"pinhole/media"
)

// Streamed is s with objects that are not files, as a bucket's are: code
// that does better with a file (sendfile, a mapping, renaming its
// temporary files into place) takes its general path, here on s's real
// files.
func Streamed(s media.Store) media.Store { return streamed{s} }

type streamed struct{ media.Store }

func (s streamed) Open(ctx context.Context, key string) (media.Object, error) {
	o, err := s.Store.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	return stream{o}, nil
}

// stream hides its object's type, and with it every method beyond
// media.Object's (an *os.File's WriteTo would still reach sendfile).
type stream struct{ o media.Object }

func (s stream) Read(p []byte) (int, error)                { return s.o.Read(p) }
func (s stream) ReadAt(p []byte, off int64) (int, error)   { return s.o.ReadAt(p, off) }
func (s stream) Seek(off int64, whence int) (int64, error) { return s.o.Seek(off, whence) }
func (s stream) Close() error                              { return s.o.Close() }
func (s stream) Stat() (fs.FileInfo, error)                { return s.o.Stat() }

var _ io.ReadSeekCloser = stream{}
