// Package replica streams Pinhole's database to a folder or an
// S3-compatible bucket with Litestream, embedded, and rebuilds it from
// there: continuous replication while Pinhole runs, a restore into an
// empty data folder (to the latest transaction or to a point in time), and
// how far behind the replica is.
package replica

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/benbjohnson/litestream/file"
	lss3 "github.com/benbjohnson/litestream/s3"

	"pinhole/internal/fileurl"
	"pinhole/media/bucket"
)

// Replication settings. Litestream turns each commit into a small file
// within a second and ships it within the next; it compacts them every 30
// seconds, 5 minutes and hour, and takes a full snapshot a day. Snapshots
// are kept a week, so a restore can go back to any point of the last week.
const (
	monitorInterval   = time.Second
	syncInterval      = time.Second
	snapshotInterval  = 24 * time.Hour
	snapshotRetention = 7 * 24 * time.Hour
)

// Target is where a database is replicated: parsed, not yet reached.
type Target struct {
	URL    string // as given; a folder's absolute
	scheme string // "file" or "s3"
	dir    string // file: the folder
	bucket string // s3
	prefix string // s3: the folder inside the bucket, without slashes around
}

// ErrURL is a replica URL Pinhole cannot use.
var ErrURL = errors.New("bad replica URL")

// Parse reads a replica URL: file:///FOLDER or s3://BUCKET/PREFIX. A
// relative folder (file://backups) is taken from the working directory
// now, and the target's URL names it absolute.
func Parse(raw string) (*Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrURL, raw, err)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%w %q: no query, fragment or user name is taken (the bucket's endpoint and keys come from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID…)", ErrURL, raw)
	}
	switch u.Scheme {
	case "file":
		dir, err := fileurl.Dir(raw)
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrURL, raw, err)
		}
		return &Target{URL: fileurl.URL(dir), scheme: "file", dir: dir}, nil
	case "s3":
		if u.Host == "" {
			return nil, fmt.Errorf("%w %q: the bucket is missing, e.g. s3://my-bucket/pinhole", ErrURL, raw)
		}
		prefix := strings.Trim(path.Clean("/"+u.Path), "/")
		return &Target{URL: raw, scheme: "s3", bucket: u.Host, prefix: prefix}, nil
	case "":
		return nil, fmt.Errorf("%w %q: it needs a scheme, file:///FOLDER or s3://BUCKET/PREFIX", ErrURL, raw)
	default:
		return nil, fmt.Errorf("%w %q: scheme %s: only file:// and s3:// are supported", ErrURL, raw, u.Scheme)
	}
}

func (t *Target) String() string { return t.URL }

// fault says what went wrong with the target in the words the photo
// storage uses for the same bucket ("the bucket refused: no such bucket"),
// not as the client's request dump; the client's error stays wrapped.
func (t *Target) fault(err error) error {
	if t.scheme == "s3" {
		return bucket.Explain(err)
	}
	return err
}

// client makes Litestream's client for the target. For a bucket the
// endpoint and region come the AWS way (AWS_ENDPOINT_URL, AWS_REGION, the
// shared config files), and a self-hosted endpoint is addressed path-style;
// keys too come from the environment or the shared files.
func (t *Target) client(ctx context.Context, logger *slog.Logger) (litestream.ReplicaClient, error) {
	var c litestream.ReplicaClient
	switch t.scheme {
	case "file":
		c = file.NewReplicaClient(t.dir)
	case "s3":
		conf, err := loadS3Config(ctx)
		if err != nil {
			return nil, fmt.Errorf("replica %s: %w", t.URL, err)
		}
		sc := lss3.NewReplicaClient()
		sc.Bucket, sc.Path = t.bucket, t.prefix
		sc.Region, sc.Endpoint, sc.ForcePathStyle = conf.region, conf.endpoint, conf.pathStyle
		c = sc
	default:
		return nil, fmt.Errorf("replica %s: %w", t.URL, ErrURL)
	}
	c.SetLogger(logger)
	if err := c.Init(ctx); err != nil {
		if strings.Contains(err.Error(), "custom RootCAs") {
			// Litestream gives the AWS SDK an HTTP client that cannot take one.
			return nil, fmt.Errorf("replica %s: a CA bundle (AWS_CA_BUNDLE, or ca_bundle in the AWS config) cannot be used for the replica: unset it, and trust the CA through the system's store or SSL_CERT_FILE: %w", t.URL, err)
		}
		return nil, fmt.Errorf("replica %s: %w", t.URL, err)
	}
	return c, nil
}
