package bucket

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

// A bucket on a plain-HTTP endpoint (a self-hosted server on the LAN or
// loopback) is read with presigned GETs over connections of our own,
// rather than through the SDK and net/http's client: the body is then the
// TCP connection itself, so that a copy of it to another socket (a ZIP
// sent to a visitor) is spliced by the kernel instead of read into and
// written from user space. HTTPS endpoints keep the SDK's path.
//
// Anything but a clean 200 with a Content-Length (an error status, a
// connection that fails, a chunked answer) falls back to the SDK's GET,
// which then reports what is wrong in its words, or succeeds.

// presignTTL bounds the URLs made for our own GETs (used at once).
const presignTTL = 5 * time.Minute

// maxIdle is how many connections to the endpoint are kept for reuse.
const maxIdle = 16

// plainClient dials the endpoint and keeps connections alive.
type plainClient struct {
	mu   sync.Mutex
	idle []*plainConn

	// What its GETs are presigned with: the v4 signer alone, as the SDK's
	// presign client uses it, without the rest of its middleware (69
	// allocations per URL instead of 369, half the time or less; a ZIP of
	// a thousand photos makes a thousand URLs).
	base   *url.URL // the endpoint
	region string
	creds  aws.CredentialsProvider
	signer *v4.Signer
}

func newPlainClient(cfg aws.Config, base *url.URL) *plainClient {
	return &plainClient{
		base: base, region: cfg.Region, creds: cfg.Credentials,
		// S3 signs the path as sent, escaped once, as the SDK escapes it.
		signer: v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }),
	}
}

// presign makes the URL of a GET of bucket/key (path-style, as
// self-hosted servers are addressed), valid for ttl.
func (p *plainClient) presign(ctx context.Context, bucket, key string, ttl time.Duration) (*url.URL, error) {
	if p.creds == nil {
		return nil, errors.New("no credentials")
	}
	creds, err := p.creds.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	u := *p.base
	path := strings.TrimSuffix(u.Path, "/") + "/" + bucket + "/" + key
	u.Path, u.RawPath = path, httpbinding.EscapePath(path, false)
	u.RawQuery = "X-Amz-Expires=" + strconv.Itoa(int(ttl/time.Second))
	req := &http.Request{Method: http.MethodGet, URL: &u, Host: u.Host, Header: http.Header{}}
	signed, _, err := p.signer.PresignHTTP(ctx, creds, req, "UNSIGNED-PAYLOAD", "s3", p.region, time.Now())
	if err != nil {
		return nil, err
	}
	return url.Parse(signed)
}

type plainConn struct {
	c  *net.TCPConn
	br *bufio.Reader
}

func (p *plainClient) get(ctx context.Context, host string, reuse bool) (*plainConn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 && reuse {
		pc := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return pc, nil
	}
	p.mu.Unlock()
	d := net.Dialer{Timeout: dialTimeout}
	c, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("dial %s: not a TCP connection", host)
	}
	return &plainConn{c: tc, br: bufio.NewReaderSize(tc, 16<<10)}, nil
}

func (p *plainClient) put(pc *plainConn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) >= maxIdle {
		pc.c.Close()
		return
	}
	p.idle = append(p.idle, pc)
}

// openPlain GETs the object over a connection of our own. ok is false
// when the caller should use the SDK instead (nothing is left open then).
func (s *Store) openPlain(ctx context.Context, key string) (body *plainBody, resp *http.Response, ok bool) {
	u, err := s.plain.presign(ctx, s.bucket, s.prefix+key, presignTTL)
	if err != nil || u.Scheme != "http" {
		return nil, nil, false
	}
	body, resp, err = s.plain.do(ctx, u, true)
	if errors.Is(err, errNotOK) {
		return nil, nil, false
	}
	if err != nil {
		// A kept connection the server has closed meanwhile fails before
		// any answer (and the others kept are as old): one more try, on a
		// new connection.
		s.plain.drop()
		if body, resp, err = s.plain.do(ctx, u, false); err != nil {
			return nil, nil, false
		}
	}
	return body, resp, true
}

// drop closes the connections kept.
func (p *plainClient) drop() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, pc := range idle {
		pc.c.Close()
	}
}

// errNotOK: an answer other than a whole object (the SDK's GET then says
// what is wrong).
var errNotOK = errors.New("not a plain 200")

// do sends the GET, on a kept connection if reuse and there is one, and
// reads the answer's headers.
func (p *plainClient) do(ctx context.Context, u *url.URL, reuse bool) (*plainBody, *http.Response, error) {
	pc, err := p.send(ctx, u, reuse)
	if err != nil {
		return nil, nil, err
	}
	return p.receive(ctx, pc, u)
}

// send writes the GET, on a kept connection if reuse and there is one;
// its answer is read by receive, now or later (meanwhile it waits in the
// socket).
func (p *plainClient) send(ctx context.Context, u *url.URL, reuse bool) (*plainConn, error) {
	pc, err := p.get(ctx, u.Host, reuse)
	if err != nil {
		return nil, err
	}
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: pinhole\r\n\r\n"
	pc.c.SetWriteDeadline(time.Now().Add(headerTimeout))
	if _, err := io.WriteString(pc.c, req); err != nil {
		pc.c.Close()
		return nil, err
	}
	pc.c.SetWriteDeadline(time.Time{})
	return pc, nil
}

// receive reads the answer to the GET of u sent on pc: its headers, and
// its body to come.
func (p *plainClient) receive(ctx context.Context, pc *plainConn, u *url.URL) (*plainBody, *http.Response, error) {
	pc.c.SetReadDeadline(time.Now().Add(headerTimeout))
	resp, err := http.ReadResponse(pc.br, &http.Request{Method: http.MethodGet, URL: u})
	if err != nil {
		pc.c.Close()
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK || resp.ContentLength < 0 || len(resp.TransferEncoding) > 0 {
		pc.c.Close()
		return nil, nil, fmt.Errorf("GET %s: %s: %w", u.Host, resp.Status, errNotOK)
	}
	pc.c.SetReadDeadline(time.Time{})
	b := &plainBody{p: p, pc: pc, left: resp.ContentLength, keep: !resp.Close}
	// The request's context ends the body: a read waiting on the bucket
	// returns at once.
	b.stop = context.AfterFunc(ctx, func() { pc.c.SetReadDeadline(time.Unix(1, 0)) })
	return b, resp, nil
}

// plainBody is an answer's body on our own connection: the bytes bufio
// read ahead, then the connection. WriteTo hands the connection to the
// writer's ReadFrom (a socket's splices). Once read to its end, the
// connection goes back for reuse.
type plainBody struct {
	p    *plainClient
	pc   *plainConn
	left int64
	keep bool // the server did not ask to close
	stop func() bool
}

func (b *plainBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	if b.pc == nil {
		return 0, errors.New("read after close")
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.pc.br.Read(p)
	b.left -= int64(n)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if b.left == 0 && err == nil {
		b.release()
	}
	return n, err
}

// WriteTo sends the rest of the body to w.
func (b *plainBody) WriteTo(w io.Writer) (int64, error) {
	if b.left == 0 {
		return 0, nil
	}
	if b.pc == nil {
		return 0, errors.New("read after close")
	}
	var n int64
	if k := min(int64(b.pc.br.Buffered()), b.left); k > 0 {
		buf, _ := b.pc.br.Peek(int(k))
		m, err := w.Write(buf)
		b.pc.br.Discard(m)
		n += int64(m)
		b.left -= int64(m)
		if err != nil {
			return n, err
		}
	}
	if b.left > 0 {
		// Nothing is buffered now: the connection itself, spliced.
		m, err := io.CopyN(w, b.pc.c, b.left)
		n += m
		b.left -= m
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return n, err
		}
	}
	b.release()
	return n, nil
}

// release gives a connection whose answer was read to its end back for
// reuse (unless the server would close it, or the context ended).
func (b *plainBody) release() {
	pc := b.pc
	b.pc = nil
	if b.stop() && b.keep {
		b.p.put(pc)
		return
	}
	pc.c.Close()
}

// Close drops the connection when the body was not read to its end.
func (b *plainBody) Close() error {
	if b.pc == nil {
		return nil
	}
	if b.left == 0 {
		b.release()
		return nil
	}
	b.stop()
	err := b.pc.c.Close()
	b.pc = nil
	return err
}
