// Package bucket keeps photo files in a bucket of an S3-compatible object
// store (AWS S3, Backblaze B2, Cloudflare R2, Wasabi, MinIO, Garage,
// versitygw…): a [media.Store] under s3://BUCKET/PREFIX.
//
// The endpoint, region and credentials come the AWS way: AWS_ENDPOINT_URL,
// AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and
// the shared config and credentials files. With an endpoint of its own (a
// self-hosted server), requests address the bucket by path, which every
// such server understands, rather than by host name.
//
// A PUT of S3 is atomic (the object appears whole or not at all), so
// [Store.Put] needs no temporary name; a source that is not a file is
// first spooled to a local temporary file, since a request is signed over
// its body's hash and length.
package bucket

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"pinhole/media"
)

// Store is a bucket, or a prefix in one, holding photo files.
type Store struct {
	client *s3.Client
	bucket string
	prefix string       // "" or ending in "/"
	plain  *plainClient // a plain-HTTP endpoint: GETs of our own (plain.go)
}

// Timeouts of one request: connecting, and waiting for an answer's
// headers. A body may then take as long as it takes (a ZIP streams for
// minutes); a bucket that answers nothing within them is an error the
// caller reports rather than a request that hangs.
const (
	dialTimeout   = 10 * time.Second
	headerTimeout = 30 * time.Second
)

// ParseURL splits s3://BUCKET/PREFIX into the bucket and the prefix ("" or
// ending in "/").
func ParseURL(raw string) (bucket, prefix string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("storage %q: %w", raw, err)
	}
	if u.Scheme != "s3" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("storage %q: want s3://BUCKET or s3://BUCKET/PREFIX", raw)
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix != "" {
		if err := media.CheckKey(prefix); err != nil {
			return "", "", fmt.Errorf("storage %q: the prefix is not a clean path", raw)
		}
		prefix += "/"
	}
	return u.Host, prefix, nil
}

// Open opens the store at s3://BUCKET/PREFIX with the AWS configuration
// of the environment, and checks that the bucket is there and may be read,
// so that a wrong name, endpoint or key is reported at once, plainly.
//
// A bucket that cannot be reached is an error too (wrapping
// ErrUnreachable), but then Open returns the store with it: a caller that
// can wait for the bucket (the website) may go on with it.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	bucket, prefix, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	cfg, err := Config(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage %s: %w", rawURL, err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = PathStyle(cfg)
		// Checksums only where S3 requires them: many compatible servers
		// refuse the newer checksum headers. The body is still covered by
		// the request's signature (its SHA-256).
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	s := &Store{client: client, bucket: bucket, prefix: prefix}
	if cfg.BaseEndpoint != nil && strings.HasPrefix(*cfg.BaseEndpoint, "http://") {
		if base, err := url.Parse(*cfg.BaseEndpoint); err == nil {
			s.plain = newPlainClient(cfg, base)
		}
	}
	if err := s.Check(ctx); errors.Is(err, ErrUnreachable) {
		return s, err
	} else if err != nil {
		return nil, err
	}
	return s, nil
}

// Config is the AWS configuration of the environment, as Pinhole reads it
// for every bucket it uses (the photos', the database's replica).
func Config(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithHTTPClient(httpClient()))
	if err != nil {
		return aws.Config{}, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // what self-hosted servers expect when none is set
	}
	return cfg, nil
}

// PathStyle says whether buckets are addressed by path: with an endpoint
// of its own, a self-hosted server.
func PathStyle(cfg aws.Config) bool { return cfg.BaseEndpoint != nil }

func httpClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = dialTimeout }).
		WithTransportOptions(func(t *http.Transport) {
			t.ResponseHeaderTimeout = headerTimeout
			t.MaxIdleConnsPerHost = 64
		})
}

// Check asks whether the bucket is there and may be read: an error says
// which of the usual reasons it is.
func (s *Store) Check(ctx context.Context) error {
	_, err := s.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: aws.String(s.prefix), MaxKeys: aws.Int32(1)})
	if err == nil {
		return nil
	}
	explained := Explain(err)
	if errors.Is(explained, fs.ErrNotExist) {
		// S3 answers a missing bucket with NoSuchBucket: a bare 404 to a
		// listing comes from something else at the endpoint.
		explained = &failure{ErrRefused, "no such bucket there, or the endpoint is not an S3 server (AWS_ENDPOINT_URL; HTTP 404)", err}
	}
	return fmt.Errorf("storage %s: %w", s.URL(), explained)
}

// URL is s3://BUCKET/PREFIX.
func (s *Store) URL() string {
	return strings.TrimSuffix("s3://"+s.bucket+"/"+s.prefix, "/")
}

// Location is the object's s3:// URL.
func (s *Store) Location(key string) string {
	return "s3://" + s.bucket + "/" + s.prefix + key
}

// Bucket and Prefix name where the store is.
func (s *Store) Bucket() string { return s.bucket }

// Prefix is "" or ends in "/".
func (s *Store) Prefix() string { return s.prefix }

func (s *Store) objectKey(key string) *string { return aws.String(s.prefix + key) }

// Stat asks for the object's size and time.
func (s *Store) Stat(ctx context.Context, key string) (media.ObjectInfo, error) {
	if err := media.CheckKey(key); err != nil {
		return media.ObjectInfo{}, err
	}
	info, _, err := s.head(ctx, key)
	return info, err
}

func (s *Store) head(ctx context.Context, key string) (media.ObjectInfo, string, error) {
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.bucket, Key: s.objectKey(key)})
	if err != nil {
		return media.ObjectInfo{}, "", fmt.Errorf("stat %s: %w", s.Location(key), Explain(err))
	}
	return media.ObjectInfo{Key: key, Size: aws.ToInt64(out.ContentLength), ModTime: aws.ToTime(out.LastModified)}, aws.ToString(out.ETag), nil
}

// Put uploads what r yields as one PUT: the object appears whole, or
// nothing changes.
func (s *Store) Put(ctx context.Context, key string, r io.Reader) error {
	if err := media.CheckKey(key); err != nil {
		return err
	}
	body, size, done, err := seekable(ctx, r)
	if err != nil {
		return fmt.Errorf("put %s: %w", s.Location(key), err)
	}
	defer done()
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &s.bucket, Key: s.objectKey(key), Body: body, ContentLength: aws.Int64(size),
		ContentType: aws.String(contentType(key)),
	})
	if err != nil {
		return fmt.Errorf("put %s: %w", s.Location(key), Explain(err))
	}
	return nil
}

// maxPut is the largest object one PUT may carry.
const maxPut = 5 << 30

// seekable returns r as a body that can be read twice (once for its
// signature's hash, once to send), with its length: r itself from where it
// is when it seeks and reads at offsets (a file, a reader of bytes), else a
// temporary file r is copied to.
func seekable(ctx context.Context, r io.Reader) (io.ReadSeeker, int64, func(), error) {
	if rs, ok := r.(interface {
		io.ReadSeeker
		io.ReaderAt
	}); ok {
		cur, err := rs.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, 0, nil, err
		}
		end, err := rs.Seek(0, io.SeekEnd)
		if err != nil {
			return nil, 0, nil, err
		}
		if end-cur > maxPut {
			return nil, 0, nil, fmt.Errorf("%d bytes: larger than one upload may be (5 GiB)", end-cur)
		}
		return io.NewSectionReader(rs, cur, end-cur), end - cur, func() {}, nil
	}
	tmp, err := os.CreateTemp("", "pinhole-put-")
	if err != nil {
		return nil, 0, nil, err
	}
	done := func() { tmp.Close(); os.Remove(tmp.Name()) }
	n, err := io.Copy(tmp, io.LimitReader(ctxReader{ctx, r}, maxPut+1))
	if err == nil && n > maxPut {
		err = fmt.Errorf("larger than one upload may be (5 GiB)")
	}
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		done()
		return nil, 0, nil, err
	}
	return tmp, n, done, nil
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// contentType is what the object is served as when a presigned URL sends
// a browser straight to it.
func contentType(key string) string {
	if strings.HasSuffix(key, ".jpg") {
		return "image/jpeg"
	}
	return "application/octet-stream"
}

// Delete removes the object; one that is not there is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := media.CheckKey(key); err != nil {
		return err
	}
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.bucket, Key: s.objectKey(key)}); err != nil {
		if err := Explain(err); !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("delete %s: %w", s.Location(key), err)
		}
	}
	return nil
}

// List pages through the bucket's listing under prefix.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[media.ObjectInfo, error] {
	return func(yield func(media.ObjectInfo, error) bool) {
		p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: aws.String(s.prefix + prefix)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(media.ObjectInfo{}, fmt.Errorf("list %s: %w", s.Location(prefix), Explain(err)))
				return
			}
			for _, o := range page.Contents {
				info := media.ObjectInfo{Key: strings.TrimPrefix(aws.ToString(o.Key), s.prefix), Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified)}
				if !yield(info, nil) {
					return
				}
			}
		}
	}
}

// Presign returns a URL that fetches the object for ttl without any
// credentials, answered as an attachment named filename when that is not
// "" (a download), with the given content type.
func (s *Store) Presign(ctx context.Context, key, disposition, ctype string, ttl time.Duration) (string, error) {
	if err := media.CheckKey(key); err != nil {
		return "", err
	}
	in := &s3.GetObjectInput{Bucket: &s.bucket, Key: s.objectKey(key)}
	if disposition != "" {
		in.ResponseContentDisposition = aws.String(disposition)
	}
	if ctype != "" {
		in.ResponseContentType = aws.String(ctype)
	}
	req, err := s3.NewPresignClient(s.client, s3.WithPresignExpires(ttl)).PresignGetObject(ctx, in)
	if err != nil {
		return "", fmt.Errorf("presign %s: %w", s.Location(key), err)
	}
	return req.URL, nil
}

// ErrRefused is what a bucket that answers but will not serve wraps: a
// wrong key or secret, no permission, no such bucket. ErrUnreachable is
// what a request that got no answer at all wraps.
var (
	ErrRefused     = errors.New("the bucket refused")
	ErrUnreachable = errors.New("the bucket cannot be reached")
)

// failure says in a few words what went wrong, and wraps its kind,
// media.ErrUnavailable and the client's error (whose text, request ids
// and all, is long).
type failure struct {
	kind error
	why  string
	err  error
}

func (f *failure) Error() string   { return f.kind.Error() + ": " + f.why }
func (f *failure) Unwrap() []error { return []error{f.kind, media.ErrUnavailable, f.err} }

// Explain turns the S3 errors people meet into plain words: a missing
// object wraps fs.ErrNotExist; refusals wrap ErrRefused and say why; no
// answer wraps ErrUnreachable.
func Explain(err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		detail := api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			detail += ": " + m
		}
		refused := func(why string) error {
			return &failure{ErrRefused, why + " (" + detail + ")", err}
		}
		switch api.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return fmt.Errorf("%w (%w)", err, fs.ErrNotExist)
		case "NoSuchBucket":
			return refused("no such bucket")
		case "InvalidAccessKeyId", "XAdminUserNotFound": // versitygw's, with the root account only
			return refused("the access key is not known there (AWS_ACCESS_KEY_ID)")
		case "SignatureDoesNotMatch":
			return refused("the secret key does not match (AWS_SECRET_ACCESS_KEY)")
		case "AccessDenied", "Forbidden":
			return refused("no permission")
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		switch re.HTTPStatusCode() {
		case http.StatusNotFound:
			return fmt.Errorf("%w (%w)", err, fs.ErrNotExist)
		case http.StatusForbidden:
			return &failure{ErrRefused, "no permission, or wrong keys (HTTP 403)", err}
		}
	}
	var send *smithyhttp.RequestSendError
	if errors.As(err, &send) {
		why := send.Err.Error()
		var ue *url.Error
		if errors.As(send.Err, &ue) {
			why = ue.Err.Error()
			if u, perr := url.Parse(ue.URL); perr == nil {
				why = u.Host + ": " + why
			}
		}
		return &failure{ErrUnreachable, why, err}
	}
	return err
}
