// Package s3test starts a real S3-compatible server for tests: versitygw
// serving a temporary folder, with buckets made on demand. It also starts a
// TCP proxy in front of it that can be slowed down or cut, to test what
// happens when the bucket is slow or unreachable.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"pinhole/internal/testio"
)

// Install is the command that builds the server.
const Install = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"

// Server is one running versitygw.
type Server struct {
	Endpoint  string // http://127.0.0.1:PORT
	Region    string
	AccessKey string // the root account's
	SecretKey string
	Dir       string // the folder served: one subfolder per bucket

	bin  string
	addr string
	iam  string
	root bool // the root account only, without --iam-dir
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Start runs versitygw until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, false)
}

// StartRootOnly runs versitygw as the README starts it, with the root
// account only and no IAM folder (User and the like need Start): some of its
// answers differ, such as the code for an unknown access key.
func StartRootOnly(t testing.TB) *Server {
	t.Helper()
	return start(t, true)
}

func start(t testing.TB, root bool) *Server {
	t.Helper()
	s := &Server{root: root,
		Region: "us-east-1", AccessKey: "pinhole-root", SecretKey: "pinhole-root-secret",
		bin: testio.GoProgram(t, "versitygw", Install), addr: testio.FreeAddr(t), Dir: t.TempDir(), iam: t.TempDir(),
	}
	s.Endpoint = "http://" + s.addr
	s.start(t)
	t.Cleanup(func() { s.Stop(t) })
	return s
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		t.Fatal("versitygw is already running")
	}
	// Keep-alive, as S3 services have it (versitygw closes every
	// connection after one answer unless asked).
	args := []string{"--port", s.addr, "--iam-dir", s.iam, "--keep-alive", "--quiet", "posix", s.Dir}
	if s.root {
		args = slices.Delete(args, 2, 4)
	}
	cmd := exec.Command(s.bin, args...)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+s.AccessKey, "ROOT_SECRET_KEY="+s.SecretKey)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done
	for deadline := time.Now().Add(30 * time.Second); ; {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := s.client(s.Endpoint, s.AccessKey, s.SecretKey).ListBuckets(ctx, &s3.ListBucketsInput{})
		cancel()
		if err == nil {
			return
		}
		select {
		case <-done:
			t.Fatalf("versitygw exited: %v", cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop ends the server (the bucket becomes unreachable); Restart brings it
// back on the same address with the same contents.
func (s *Server) Stop(t testing.TB) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Restart starts a stopped server again.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.start(t)
}

// Client is an S3 client of the root account for endpoint (the server's
// own, or a proxy's in front of it).
func (s *Server) Client(endpoint string) *s3.Client {
	return s.client(endpoint, s.AccessKey, s.SecretKey)
}

func (s *Server) client(endpoint, access, secret string) *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint: aws.String(endpoint),
		Region:       s.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(access, secret, ""),
		UsePathStyle: true,
	})
}

// Bucket makes a new bucket with a random name and returns its name.
func (s *Server) Bucket(t testing.TB) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	name := "pinhole-" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.Client(s.Endpoint).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	return name
}

// User makes an account with the "user" role, which may not touch the
// root account's buckets, and returns its keys.
func (s *Server) User(t testing.TB) (access, secret string) {
	t.Helper()
	var b [8]byte
	rand.Read(b[:])
	access, secret = "user-"+hex.EncodeToString(b[:4]), "secret-"+hex.EncodeToString(b[4:])
	s.AddUser(t, access, secret)
	return access, secret
}

// AddUser makes an account with the "user" role and these keys (again,
// after DeleteUser).
func (s *Server) AddUser(t testing.TB, access, secret string) {
	t.Helper()
	s.admin(t, "create-user", "--access", access, "--secret", secret, "--role", "user")
}

// Owner makes an account that owns a new bucket of its own, and returns
// the bucket's name and the account's keys: DeleteUser then takes the
// keys away while a client still uses them.
func (s *Server) Owner(t testing.TB) (bucket, access, secret string) {
	t.Helper()
	access, secret = s.User(t)
	bucket = s.Bucket(t)
	s.admin(t, "change-bucket-owner", "--bucket", bucket, "--owner", access)
	return bucket, access, secret
}

// DeleteUser removes an account: its keys are refused from then on.
func (s *Server) DeleteUser(t testing.TB, access string) {
	t.Helper()
	s.admin(t, "delete-user", "--access", access)
}

func (s *Server) admin(t testing.TB, args ...string) {
	t.Helper()
	out, err := exec.Command(s.bin, append([]string{"admin", "--access", s.AccessKey, "--secret", s.SecretKey, "--endpoint-url", s.Endpoint}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("versitygw admin %s: %v\n%s", args[0], err, out)
	}
}

// Env is the environment that points an AWS SDK at this server with the
// root account's keys, the way a studio configures Pinhole:
// AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
// Shared config files are turned off so that the machine's own do not
// interfere.
func (s *Server) Env(endpoint string) []string {
	none := filepath.Join(s.iam, "none")
	return []string{
		"AWS_ENDPOINT_URL=" + endpoint,
		"AWS_REGION=" + s.Region,
		"AWS_ACCESS_KEY_ID=" + s.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + s.SecretKey,
		"AWS_SESSION_TOKEN=",
		"AWS_PROFILE=",
		"AWS_CONFIG_FILE=" + none,
		"AWS_SHARED_CREDENTIALS_FILE=" + none,
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// Setenv sets [Server.Env] for the rest of the test.
func (s *Server) Setenv(t testing.TB, endpoint string) {
	t.Helper()
	for _, kv := range s.Env(endpoint) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// URL is the storage URL of a bucket and prefix: s3://BUCKET/PREFIX.
func URL(bucket, prefix string) string {
	return fmt.Sprintf("s3://%s/%s", bucket, strings.TrimPrefix(prefix, "/"))
}
