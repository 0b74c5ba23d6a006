// Package sshd is SSH administration: the TUI, the commands and uploads over
// SFTP and scp, for the keys in the admin_keys table only.
package sshd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/charmbracelet/wish/scp"
	"github.com/muesli/termenv"
	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"

	"pinhole/cli"
	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
	"pinhole/tui"
)

// SSHConfig is what the SSH endpoint works with.
type SSHConfig struct {
	Addr        string // listen address, like ":2222"
	HostKeyPath string // the ed25519 host key, made on first start
	Store       *db.Store
	Logger      *slog.Logger

	Library  *media.Library // the photo files: uploads go in, downloads come out
	DataDir  string         // the data folder the commands run on
	Links    studio.Given   // what the server was started with that decides where links over SSH start, which the TUI's status bar shows; zero: the base-url setting
	StageDir string         // where uploads are staged before import

	IdleTimeout time.Duration // a connection with no traffic for this long is closed
	MaxSessions int           // connections open at once
	RateBurst   int           // connections one address may open at once…
	RateEvery   time.Duration // …and then one per this interval
	MaxUpload   int64         // bytes per uploaded file; 0: the max-upload setting

	// ShutdownGrace is how long commands and transfers under way get to
	// finish when Run's context ends; 0: DefaultShutdownGrace.
	ShutdownGrace time.Duration

	// AdminCommand is how the log tells to run pinhole on this server,
	// for the hint to add a key: "pinhole --data /srv/photos". Default "pinhole".
	AdminCommand string
}

// Defaults for the limits.
const (
	DefaultIdleTimeout = 15 * time.Minute
	DefaultMaxSessions = 32
	DefaultRateBurst   = 30
	DefaultRateEvery   = time.Second
	DefaultMaxUpload   = 1 << 30

	DefaultShutdownGrace = 30 * time.Second
)

// SSH is the admin endpoint: the TUI, the commands and SFTP upload, for
// the keys in the admin_keys table only.
type SSH struct {
	cfg    SSHConfig
	log    *slog.Logger
	srv    *ssh.Server
	limits *connLimiter
	tui    wish.Middleware

	mu       sync.Mutex
	programs map[ssh.Session]*tea.Program // the interactive sessions, to end them on shutdown
	closing  bool

	uploads *studio.Uploads // the import of what SFTP and scp bring
}

type ctxKey int

const (
	ctxAdmin ctxKey = iota
	ctxFingerprint
)

// NewSSH makes the SSH endpoint; Serve or ListenAndServe starts it.
func NewSSH(cfg SSHConfig) (*SSH, error) {
	if cfg.Store == nil {
		return nil, errors.New("ssh: no store")
	}
	if cfg.Library == nil {
		return nil, errors.New("ssh: no photo library")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.RateBurst == 0 {
		cfg.RateBurst = DefaultRateBurst
	}
	if cfg.RateEvery == 0 {
		cfg.RateEvery = DefaultRateEvery
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = DefaultShutdownGrace
	}
	if cfg.AdminCommand == "" {
		cfg.AdminCommand = "pinhole"
	}
	if cfg.StageDir == "" {
		cfg.StageDir = filepath.Join(os.TempDir(), "pinhole-uploads")
	}
	signer, err := LoadHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s := &SSH{
		cfg:      cfg,
		log:      cfg.Logger,
		limits:   newConnLimiter(cfg.MaxSessions, cfg.RateBurst, cfg.RateEvery),
		programs: map[ssh.Session]*tea.Program{},
	}
	s.uploads = studio.NewUploads(cfg.Store, cfg.Library)
	s.tui = bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii)
	s.srv = &ssh.Server{
		Addr:             cfg.Addr,
		Version:          "Pinhole",
		Handler:          s.handle,
		PublicKeyHandler: s.auth,
		// No PasswordHandler and no KeyboardInteractiveHandler: keys only.
		ConnCallback: s.admit,
		ConnectionFailedCallback: func(conn net.Conn, err error) {
			// Refused keys are logged already; the rest is scanners and dropped connections.
			s.log.Debug("ssh: connection failed", "addr", conn.RemoteAddr().String(), "err", err)
		},
		IdleTimeout: cfg.IdleTimeout,
		SubsystemHandlers: map[string]ssh.SubsystemHandler{
			"sftp": s.sftp,
		},
	}
	s.srv.AddHostKey(signer)
	return s, nil
}

// HostKey is the server's public host key.
func (s *SSH) HostKey() gossh.PublicKey { return s.srv.HostSigners[0].PublicKey() }

// ListenAndServe listens on the configured address and serves until Shutdown.
func (s *SSH) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	return s.Serve(ln)
}

// Serve serves SSH on ln until Shutdown; it then returns nil.
func (s *SSH) Serve(ln net.Listener) error {
	s.sweepStage()
	s.log.Info("ssh: listening", "addr", ln.Addr().String(), "host_key", gossh.FingerprintSHA256(s.HostKey()))
	s.hintWithoutKeys(context.Background())
	err := s.srv.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections, ends the interactive sessions and
// waits for commands and transfers under way until ctx is done; then it
// closes whatever is left.
func (s *SSH) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	programs := make([]*tea.Program, 0, len(s.programs))
	for _, p := range s.programs {
		programs = append(programs, p)
	}
	s.mu.Unlock()
	for _, p := range programs {
		p.Quit()
	}
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	return err
}

// Close closes the listener and every connection at once.
func (s *SSH) Close() error { return s.srv.Close() }

func (s *SSH) hintWithoutKeys(ctx context.Context) {
	ks, err := s.cfg.Store.AdminKeys(ctx)
	if err != nil {
		s.log.Error("ssh: list admin keys", "err", err)
		return
	}
	if len(ks) == 0 {
		s.log.Warn(fmt.Sprintf("ssh: no admin keys yet, so nobody can log in; add a key on the server with: %s admin add NAME ~/.ssh/id_ed25519.pub (or pipe it in: %s admin add NAME - < KEY.pub)",
			s.cfg.AdminCommand, s.cfg.AdminCommand))
	}
}

// sweepStage removes uploads a crash left behind.
func (s *SSH) sweepStage() {
	old, _ := filepath.Glob(filepath.Join(s.cfg.StageDir, "upload-*"))
	for _, d := range old {
		os.RemoveAll(d)
	}
}

// admit applies the connection limits before the SSH handshake.
func (s *SSH) admit(ctx ssh.Context, conn net.Conn) net.Conn {
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing {
		return nil
	}
	if err := s.limits.acquire(conn.RemoteAddr()); err != nil {
		s.log.Warn("ssh: connection refused", "addr", conn.RemoteAddr().String(), "reason", err.Error())
		// Lines before the version string are allowed (RFC 4253 4.2); clients show them in debug output.
		conn.SetWriteDeadline(time.Now().Add(time.Second))
		io.WriteString(conn, "pinhole: "+err.Error()+"\r\n")
		return nil
	}
	return &limitedConn{Conn: conn, release: s.limits.release}
}

// auth lets in the admin keys, and nothing else. It is also asked about
// keys the client merely offers, before it proves it holds them, so it
// only reads; the key's use is recorded once a session starts.
func (s *SSH) auth(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	log := s.log.With("fingerprint", fp, "user", ctx.User(), "addr", ctx.RemoteAddr().String())
	ks, err := s.cfg.Store.AdminKeys(ctx)
	if err != nil {
		log.Error("ssh: look up admin key", "err", err)
		return false
	}
	for _, k := range ks {
		if k.Fingerprint != fp {
			continue
		}
		stored, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k.PublicKey))
		if err != nil || !ssh.KeysEqual(stored, key) {
			log.Warn("ssh: key refused: it does not match the stored key with its fingerprint", "admin", k.Name)
			return false
		}
		ctx.SetValue(ctxAdmin, k.Name)
		ctx.SetValue(ctxFingerprint, fp)
		return true
	}
	log.Warn("ssh: unknown key refused", "type", key.Type())
	if len(ks) == 0 {
		s.hintWithoutKeys(ctx)
	}
	return false
}

// used records that the admin key of an authenticated session was used.
func (s *SSH) used(ctx ssh.Context) {
	if fp, ok := ctx.Value(ctxFingerprint).(string); ok {
		if _, err := s.cfg.Store.AdminKeyByFingerprint(ctx, fp); err != nil {
			s.log.Warn("ssh: record admin key use", "err", err)
		}
	}
}

func adminOf(ctx ssh.Context) string {
	name, _ := ctx.Value(ctxAdmin).(string)
	return name
}

// handle serves a session: the TUI with a PTY and no command, a command of
// the command line, or else a short usage text.
func (s *SSH) handle(sess ssh.Session) {
	log := s.log.With("admin", adminOf(sess.Context()), "addr", sess.RemoteAddr().String())
	start := time.Now()
	s.used(sess.Context())
	defer survive(log, sess)
	_, _, isPty := sess.Pty()
	args, err := words(sess.RawCommand())
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "pinhole: %v\n", err)
		sess.Exit(2)
		return
	}
	switch info := scp.GetInfo(args); {
	case info.Ok && info.Op != 0:
		s.legacySCP(sess, info, log)
	case len(args) > 0:
		code := s.runCommand(sess.Context(), sess, args, isPty)
		log.Info("ssh: command", "command", commandName(args), "exit", code, "took", time.Since(start).Round(time.Millisecond))
		sess.Exit(code)
	case isPty:
		log.Info("ssh: interactive session")
		s.tui(func(ssh.Session) {})(sess)
		s.mu.Lock()
		delete(s.programs, sess)
		s.mu.Unlock()
		log.Info("ssh: interactive session ended", "took", time.Since(start).Round(time.Second))
	default:
		fmt.Fprint(sess.Stderr(), usage)
		sess.Exit(2)
	}
}

// exiter is what survive needs of a session.
type exiter interface {
	Stderr() io.ReadWriter
	Exit(code int) error
}

// survive, deferred by a session's handler, ends that session alone when
// it panics: logged with its stack, said to the user, exit status 1.
func survive(log *slog.Logger, sess exiter) {
	if r := recover(); r != nil {
		log.Error("ssh: session panicked", "panic", r, "stack", string(debug.Stack()))
		fmt.Fprint(sess.Stderr(), "pinhole: internal error, the session ends (the server goes on)\r\n")
		sess.Exit(1)
	}
}

// commandName is what the log says of a command line: its first words,
// not its arguments, which may hold PINs and access codes.
func commandName(args []string) string {
	var words []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") || len(words) == 2 {
			break
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

const usage = `Pinhole over SSH. With a terminal you get the TUI; without one, name a command:
  ssh -t -p PORT HOST                       the TUI
  ssh -p PORT HOST --help                   the commands
  ssh -p PORT HOST gallery list --json      one command, for scripts
  scp -P PORT photos/*.jpg HOST:SLUG/       upload photos into a gallery
  sftp -P PORT HOST                         browse galleries, put and get photos
`

// runCommand runs one command line of the command line's tree, on the
// server's store and data folder: the same commands, output and exit
// status as locally, minus the local-only ones.
func (s *SSH) runCommand(ctx context.Context, sess ssh.Session, args []string, terminal bool) int {
	return cli.Run(ctx, &cli.Env{
		Stdin:    sess,
		Stdout:   sess,
		Stderr:   sess.Stderr(),
		Getenv:   func(string) string { return "" },
		Terminal: terminal,
		Remote:   true,
		Links:    s.cfg.Links,
		DataDir:  s.cfg.DataDir,
		Store:    s.cfg.Store,
		Library:  s.cfg.Library,
	}, args)
}

// program makes the tea.Program of one interactive session: the same root
// model as pinhole tui, drawn with the session's renderer.
func (s *SSH) program(sess ssh.Session) *tea.Program {
	pty, _, _ := sess.Pty()
	m := tui.New(tui.Config{Context: sess.Context(), Store: s.cfg.Store, Library: s.cfg.Library, Renderer: renderer(sess),
		Output: sess, Term: pty.Term, Links: s.cfg.Links, Remote: true, Width: pty.Window.Width, Height: pty.Window.Height})
	opts := append(tui.ProgramOptions(), bm.MakeOptions(sess)...)
	opts = append(opts, tea.WithoutSignalHandler())
	p := tea.NewProgram(m, opts...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil
	}
	s.programs[sess] = p
	return p
}

// renderer makes the lipgloss renderer for the client's terminal: its colour
// profile follows the TERM the client sent with its PTY request (and
// COLORTERM when sent). Unlike wish's MakeRenderer it does not ask the
// terminal for its background colour: on a server-side emulated PTY that
// query leaves a reader behind that would swallow the user's first keys.
func renderer(sess ssh.Session) *lipgloss.Renderer {
	pty, _, ok := sess.Pty()
	if !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := sshEnviron(append(sess.Environ(), "TERM="+pty.Term))
	return lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
}

type sshEnviron []string

func (e sshEnviron) Environ() []string { return e }

func (e sshEnviron) Getenv(k string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}

// sftp serves the SFTP subsystem over the galleries.
func (s *SSH) sftp(sess ssh.Session) {
	admin := adminOf(sess.Context())
	log := s.log.With("admin", admin, "addr", sess.RemoteAddr().String())
	defer func() {
		if r := recover(); r != nil {
			log.Error("ssh: sftp session panicked", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	log.Info("ssh: sftp session")
	s.used(sess.Context())
	guard := newSFTPGuard(sess, log, sess.Stderr())
	pfs := newPhotoFS(sess.Context(), s, log, admin, sess.Stderr())
	srv := sftp.NewRequestServer(guard, pfs.handlers())
	err := srv.Serve()
	if errors.Is(err, io.EOF) {
		err = nil
	}
	log.Info("sftp: session ended", "imported", pfs.imported.Load(), "failed", pfs.failed.Load(), "err", err)
	// scp over SFTP takes its exit status from the session's, which must
	// go before the channel closes.
	code := 0
	if pfs.failed.Load() > 0 {
		code = 1
	}
	sess.Exit(code)
	srv.Close()
}

// Run serves SSH on ln until ctx is done, then shuts down, giving commands
// and transfers under way the configured grace to finish.
func (s *SSH) Run(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	select {
	case err := <-errc:
		if err == nil {
			return nil
		}
		return fmt.Errorf("ssh: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace)
	defer cancel()
	err := s.Shutdown(sctx)
	ln.Close() // in case Serve had not taken it over yet
	<-errc
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("ssh shutdown: %w", err)
	}
	return nil
}

// AdminCommand is how to run pinhole on this server's data folder, for
// SSHConfig.AdminCommand: plain "pinhole" on the default folder.
func AdminCommand(dataDir string) string {
	if dataDir == cli.DefaultDataDir(os.Getenv) {
		return "pinhole"
	}
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	return "pinhole --data " + studio.ShellQuote(dataDir)
}
