package bucket

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"pinhole/media"
)

// Open starts a GET of the whole object, which gives its size, time and
// ETag and is the body sequential reads take. A reader that seeks away
// gets ranged GETs from where it is, each held to that ETag, so that it
// never mixes two versions of an object (one replaced meanwhile fails; a
// photo's objects are named by their content, so that is rare).
func (s *Store) Open(ctx context.Context, key string) (media.Object, error) {
	if err := media.CheckKey(key); err != nil {
		return nil, err
	}
	if s.plain != nil {
		if body, resp, ok := s.openPlain(ctx, key); ok {
			return s.plainObject(ctx, key, body, resp), nil
		}
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: s.objectKey(key)})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.Location(key), Explain(err))
	}
	info := media.ObjectInfo{Key: key, Size: aws.ToInt64(out.ContentLength), ModTime: aws.ToTime(out.LastModified)}
	return &object{s: s, ctx: ctx, info: info, etag: aws.ToString(out.ETag), body: out.Body}, nil
}

func (s *Store) plainObject(ctx context.Context, key string, body *plainBody, resp *http.Response) *object {
	mod, _ := http.ParseTime(resp.Header.Get("Last-Modified"))
	info := media.ObjectInfo{Key: key, Size: resp.ContentLength, ModTime: mod}
	return &object{s: s, ctx: ctx, info: info, etag: resp.Header.Get("ETag"), body: body}
}

// Prefetch asks for the object at key now, to be opened later: open
// returns it as Open does, drop forgets it unopened (one of the two must
// be called, once). A ZIP asks for its next files so while it sends one,
// and their answers wait in the socket rather than the ZIP for them: on a
// plain-HTTP endpoint the GET is sent at once and its answer read by
// open; otherwise Open runs meanwhile.
func (s *Store) Prefetch(ctx context.Context, key string) (open func() (media.Object, error), drop func()) {
	if err := media.CheckKey(key); err != nil {
		return func() (media.Object, error) { return nil, err }, func() {}
	}
	if s.plain != nil {
		if u, err := s.plain.presign(ctx, s.bucket, s.prefix+key, presignTTL); err == nil && u.Scheme == "http" {
			if pc, err := s.plain.send(ctx, u, true); err == nil {
				open = func() (media.Object, error) {
					body, resp, err := s.plain.receive(ctx, pc, u)
					if err != nil {
						// A refusal, or a kept connection the server had
						// closed: Open asks again, and says what is wrong.
						return s.Open(ctx, key)
					}
					return s.plainObject(ctx, key, body, resp), nil
				}
				return open, func() { pc.c.Close() }
			}
		}
	}
	type opened struct {
		o   media.Object
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		o, err := s.Open(ctx, key)
		ch <- opened{o, err}
	}()
	open = func() (media.Object, error) {
		r := <-ch
		return r.o, r.err
	}
	drop = func() {
		go func() {
			if r := <-ch; r.o != nil {
				r.o.Close()
			}
		}()
	}
	return open, drop
}

// object is an open object: a position, and the body of the GET that
// reads from there.
type object struct {
	s    *Store
	ctx  context.Context
	info media.ObjectInfo
	etag string

	off     int64
	body    io.ReadCloser
	bodyOff int64 // where body is
	resumed bool  // a body cut short was followed by a GET of the rest

	at readAt // ReadAt's own GET
}

// resume drops a body that ended before its end (the bucket closed the
// connection: a ZIP's next file is asked for ahead of its turn, and its
// answer may wait a while), so that the next read GETs the rest, held to
// the same ETag. Once per object: a bucket that keeps failing is an error.
func (o *object) resume() bool {
	if o.resumed || o.ctx.Err() != nil {
		return false
	}
	o.resumed = true
	o.body.Close()
	o.body = nil
	return true
}

func (o *object) Stat() (fs.FileInfo, error) { return media.FileInfo(o.info), nil }

// get starts a GET of bytes [off, end) (end < 0: to the end).
func (o *object) get(off, end int64) (io.ReadCloser, error) {
	rng := fmt.Sprintf("bytes=%d-", off)
	if end >= 0 {
		rng += fmt.Sprint(end - 1)
	}
	in := &s3.GetObjectInput{Bucket: &o.s.bucket, Key: o.s.objectKey(o.info.Key), Range: aws.String(rng)}
	if o.etag != "" {
		in.IfMatch = aws.String(o.etag)
	}
	out, err := o.s.client.GetObject(o.ctx, in)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", o.s.Location(o.info.Key), Explain(err))
	}
	return out.Body, nil
}

func (o *object) Read(p []byte) (int, error) {
	if o.off >= o.info.Size {
		return 0, io.EOF
	}
	if o.body != nil && o.bodyOff != o.off {
		o.body.Close()
		o.body = nil
	}
	if o.body == nil {
		b, err := o.get(o.off, -1)
		if err != nil {
			return 0, err
		}
		o.body, o.bodyOff = b, o.off
	}
	n, err := o.body.Read(p)
	o.off += int64(n)
	o.bodyOff = o.off
	if err == io.EOF && o.off >= o.info.Size {
		o.body.Close()
		o.body = nil
		err = nil
		if n == 0 {
			err = io.EOF
		}
	} else if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if o.resume() {
			if n > 0 {
				return n, nil
			}
			return o.Read(p)
		}
		o.body.Close()
		o.body = nil
		err = fmt.Errorf("read %s: %w", o.s.Location(o.info.Key), err)
	}
	return n, err
}

// WriteTo sends the rest of the object to w. A body on a connection of
// our own goes to w's ReadFrom (a socket's splices: no copy through user
// space); any other is read and written.
func (o *object) WriteTo(w io.Writer) (int64, error) {
	if b, ok := o.body.(*plainBody); ok && o.bodyOff == o.off {
		n, err := b.WriteTo(w)
		o.off += n
		o.bodyOff = o.off
		// Cut short by the bucket (not by w): the rest from a new GET.
		if errors.Is(err, io.ErrUnexpectedEOF) && o.resume() {
			m, err := io.Copy(w, struct{ io.Reader }{o})
			return n + m, err
		}
		if err != nil {
			return n, fmt.Errorf("copy %s: %w", o.s.Location(o.info.Key), err)
		}
		if o.off < o.info.Size {
			return n, fmt.Errorf("read %s: %w", o.s.Location(o.info.Key), io.ErrUnexpectedEOF)
		}
		return n, nil
	}
	return io.Copy(w, struct{ io.Reader }{o})
}

func (o *object) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += o.off
	case io.SeekEnd:
		offset += o.info.Size
	default:
		return o.off, fmt.Errorf("seek %s: bad whence %d", o.s.Location(o.info.Key), whence)
	}
	if offset < 0 {
		return o.off, fmt.Errorf("seek %s: negative position", o.s.Location(o.info.Key))
	}
	o.off = offset
	return offset, nil
}

// ReadAt reads from a GET of its own going forward through the object
// (readAt), or, far from where that is, with a GET of exactly the range
// asked. It is safe to call at once from several goroutines.
func (o *object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read %s: negative offset", o.s.Location(o.info.Key))
	}
	if off >= o.info.Size {
		return 0, io.EOF
	}
	end := min(off+int64(len(p)), o.info.Size)
	if len(p) == 0 {
		return 0, nil
	}
	if ok, err := o.at.read(o, p[:end-off], off); ok {
		if err != nil {
			return 0, err
		}
		if end-off < int64(len(p)) {
			return int(end - off), io.EOF
		}
		return len(p), nil
	}
	b, err := o.get(off, end)
	if err != nil {
		return 0, err
	}
	defer b.Close()
	n, err := io.ReadFull(b, p[:end-off])
	if err != nil {
		return n, fmt.Errorf("read %s: %w", o.s.Location(o.info.Key), err)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (o *object) Close() error {
	if o.body != nil {
		o.body.Close()
		o.body = nil
	}
	o.at.mu.Lock()
	o.at.close()
	o.at.mu.Unlock()
	return nil
}
