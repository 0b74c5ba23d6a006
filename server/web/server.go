// Package web is the client website over HTTP: galleries, PINs, favourites,
// downloads, and the HTTPS that serves them.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/julienschmidt/httprouter"
	"golang.org/x/sync/errgroup"

	"pinhole/db"
	"pinhole/media"
)

// SessionTTL is how long a visitor's session lasts without activity.
const SessionTTL = 30 * 24 * time.Hour

// firstVisitTTL is how long a plain session (no PIN, no login) lasts when
// its visitor never comes back: link-preview bots and crawlers hold no
// cookie, so each of their requests makes one, and they must not pile up.
// A visitor who comes back, or gives a name for favourites, gets SessionTTL.
const firstVisitTTL = 24 * time.Hour

// Config is what the website needs to run.
type Config struct {
	Store   *db.Store
	Library *media.Library
	Logger  *slog.Logger // nil: slog.Default()
	// TrustProxy takes the client address from X-Forwarded-For and the
	// scheme from X-Forwarded-Proto.
	TrustProxy bool
	// BaseURL is the address clients use (for links and the Origin check);
	// "" uses the store's base-url setting.
	BaseURL string
	// Presign, when set, answers single downloads with a redirect to a
	// short-lived URL of the file in the bucket instead of streaming it
	// (serve --storage-redirect). ZIPs and renditions always stream.
	Presign Presigner
}

// Handler is the client website: one struct holding every dependency,
// with one method per page or action.
type Handler struct {
	store      *db.Store
	lib        *media.Library
	now        func() time.Time
	log        *slog.Logger
	trustProxy bool
	baseURL    string
	presign    Presigner

	// loginFloor is the least time a login answer takes, right or wrong.
	loginFloor time.Duration

	reads reads    // rows every gallery request reads, while the database is unchanged
	crcs  crcCache // CRC-32s of the files ZIPs have sent
	hot   hotFiles // thumbnails kept in memory
	tally tally    // what visitors without a session did, not yet written

	tileHTML      *tileCache // the grids' list items as the template wrote them
	throttleLocks keyLocks   // one step of a throttle key at a time
	pickLocks     keyLocks   // one new heart at a time per collection

	mailNow chan struct{} // wakes SendMail

	router  *httprouter.Router
	pages   map[string]*template.Template
	static  staticFiles
	cop     *http.CrossOriginProtection
	handler http.Handler
}

// New builds the website: it parses the templates and registers the routes.
func New(cfg Config) (*Handler, error) {
	if cfg.Store == nil || cfg.Library == nil {
		return nil, errors.New("server: a store and a library are required")
	}
	h := &Handler{
		mailNow:    make(chan struct{}, 1),
		store:      cfg.Store,
		lib:        cfg.Library,
		now:        cfg.Store.Now, // one clock: the store's
		log:        cfg.Logger,
		trustProxy: cfg.TrustProxy,
		presign:    cfg.Presign,
		baseURL:    strings.TrimRight(cfg.BaseURL, "/"),
		loginFloor: 300 * time.Millisecond,
		tileHTML:   newTileCache(),
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.baseURL == "" {
		base, err := cfg.Store.Setting(context.Background(), db.SettingBaseURL)
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		h.baseURL = base
	}
	var err error
	if h.static, err = loadStatic(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if h.pages, err = h.parseTemplates(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	h.cop = http.NewCrossOriginProtection()
	if err := h.cop.AddTrustedOrigin(h.baseURL); err != nil {
		h.log.Warn("base URL is not a valid origin", "base_url", h.baseURL, "err", err)
	}
	h.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.errorPage(w, r, http.StatusForbidden, "Request refused", "This form was sent from another site. Please go back to the page and try again.")
	}))
	h.router = h.routes()
	h.handler = h.logRequests(h.headers(h.router))
	// A website on a full disk or a read-only folder still serves what it
	// has; the log says why nothing new is kept.
	if err := cfg.Store.CheckWritable(); errors.Is(err, db.ErrFull) {
		h.log.Warn("the disk is full: pages and photos are served, but nothing new is saved (favourites, logins, PINs) until space is freed", "err", err)
	} else if err != nil {
		h.log.Warn("the data folder cannot be written: pages and photos are served, but nothing new is saved", "err", err)
	}
	return h, nil
}

// Listen listens on a TCP address, saying what a refused low port needs.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, os.ErrPermission) {
		return nil, fmt.Errorf("listen %s: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability (see deploy/pinhole.service): %w", addr, err)
	}
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	return ln, nil
}

// TuneGC, called once by the program that serves the website, collects
// less often than Go's default (GOGC=100): a request allocates a few kB
// that are garbage at once, and the live heap is small, so at the default
// the collector costs ~6 % of a thumbnail's CPU. The heap may grow to five
// times the live data, but the soft limit of 64 MiB makes the collector
// work harder before memory goes past it (the thumbnails kept in memory
// count as live data, and would otherwise let the heap grow five times
// their size). GOGC or GOMEMLIMIT in the environment are left as given.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
}

// ServeHTTP makes Handler an http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.handler.ServeHTTP(w, r)
}

// NewHTTPServer is the http.Server Pinhole uses: header and idle timeouts,
// but no write timeout, so that a long ZIP download is never cut.
func NewHTTPServer(handler http.Handler, logger *slog.Logger) *http.Server {
	if logger == nil {
		logger = slog.Default()
	}
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute, // bodies are small forms
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if rc := corkable(c); rc != nil {
				return context.WithValue(ctx, rawConnKey{}, rc)
			}
			return ctx
		},
	}
}

// rawConnKey holds a request's TCP connection in its context, so that
// serveFile can cork it around a file's headers and body.
type rawConnKey struct{}

func rawConn(r *http.Request) syscall.RawConn {
	rc, _ := r.Context().Value(rawConnKey{}).(syscall.RawConn)
	return rc
}

// DefaultShutdownGrace is how long in-flight requests (downloads) get to
// finish once the server is asked to stop, unless WithShutdownGrace says.
const DefaultShutdownGrace = 30 * time.Second

// ServeOption changes how Serve runs.
type ServeOption func(*serveOptions)

type serveOptions struct {
	grace time.Duration
}

// WithShutdownGrace gives in-flight requests d to finish once Serve's
// context ends.
func WithShutdownGrace(d time.Duration) ServeOption {
	return func(o *serveOptions) { o.grace = d }
}

// Serve serves handler on ln until ctx is cancelled, then shuts down
// gracefully: in-flight requests get the shutdown grace to finish, after
// which their connections are closed. The serve command and the TUI share it.
func Serve(ctx context.Context, ln net.Listener, handler http.Handler, logger *slog.Logger, opts ...ServeOption) error {
	o := serveOptions{grace: DefaultShutdownGrace}
	for _, opt := range opts {
		opt(&o)
	}
	srv := NewHTTPServer(handler, logger)
	srv.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), o.grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	<-errc
	if err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

// Upkeep does the website's chores until ctx ends: visit counts written
// every ten seconds; every hour expired sessions and idle throttle records
// go, and events past their retention are folded; mail that is due goes
// out every minute (digests are queued hourly). The first chore to fail
// stops the others.
func (h *Handler) Upkeep(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return h.KeepCounts(ctx, 10*time.Second) })
	g.Go(func() error { return CleanSessions(ctx, h.store, time.Hour, h.log) })
	g.Go(func() error { return FoldOldEvents(ctx, h.store, time.Hour, h.log) })
	g.Go(func() error { return h.PruneThrottle(ctx, time.Hour) })
	g.Go(func() error { return h.SendMail(ctx, time.Minute) })
	return g.Wait()
}

// CleanSessions deletes expired sessions every interval until ctx ends.
// Visitors of public galleries get a session each, so they would pile up.
func CleanSessions(ctx context.Context, store *db.Store, every time.Duration, logger *slog.Logger) error {
	repeat(ctx, every, func() {
		if n, err := store.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("delete expired sessions", "err", err)
		} else if n > 0 {
			logger.Info("deleted expired sessions", "count", n)
		}
	})
	return nil
}

// repeat runs fn at once and then every interval until ctx ends.
func repeat(ctx context.Context, every time.Duration, fn func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		fn()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
