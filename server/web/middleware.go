package web

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// csp allows nothing but our own files: no inline script, no inline style.
const csp = "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// maxFormBytes is the most a form post may send.
const maxFormBytes = 64 << 10

// securityHeaders are set on every response. The keys are already in
// canonical form and the values are shared: each slice has len == cap, so
// a handler's Header().Add appends to a copy, and Set and Del replace the
// entry, never the shared array.
var securityHeaders = [...]struct {
	k string
	v []string
}{
	{"Content-Security-Policy", []string{csp}},
	{"Referrer-Policy", []string{"no-referrer"}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	{"Cross-Origin-Resource-Policy", []string{"same-origin"}},
	{"Cache-Control", []string{"no-store"}},
}

var noRobots = []string{"noindex, nofollow"}

// headers sets the security headers on every response, errors and 404s
// included, before any handler runs; HSTS on every answer over HTTPS. Pages are never cached; handlers of
// immutable files override Cache-Control.
func (h *Handler) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		for _, kv := range securityHeaders {
			hd[kv.k] = kv.v
		}
		if h.secure(r) {
			hd["Strict-Transport-Security"] = hsts
		}
		if r.URL.Path != "/" && !strings.HasPrefix(r.URL.Path, "/static/") {
			hd["X-Robots-Tag"] = noRobots
		}
		if r.Method == http.MethodPost {
			if err := h.cop.Check(r); err != nil {
				h.errorPage(w, r, http.StatusForbidden, "Request refused", "This form was sent from another site. Please go back to the page and try again.")
				return
			}
			// Our forms are a few short fields; without a limit anyone
			// could make us read 10 MB per request (and spool multipart
			// files to disk without end).
			if r.ContentLength > maxFormBytes {
				h.errorPage(w, r, http.StatusRequestEntityTooLarge, "Request too large", "This form sent far more than it should. Please go back to the page and try again.")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status and size for the request log. It passes
// ReadFrom through so that file responses keep using sendfile.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := io.Copy(s.ResponseWriter, r) // uses the connection's ReadFrom (sendfile)
	s.bytes += n
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// logRequests logs one line per request with slog.
func (h *Handler) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			path := r.URL.Path
			if strings.HasPrefix(path, "/preview/") {
				path = "/preview/…" // the path is the secret
			}
			// The record goes to the handler directly: Logger.LogAttrs
			// would also look up its caller, which no handler of ours
			// prints, and which costs as much as formatting the line.
			ctx := r.Context()
			if lh := h.log.Handler(); lh.Enabled(ctx, slog.LevelInfo) {
				rec := slog.NewRecord(time.Now(), slog.LevelInfo, "http", 0)
				rec.AddAttrs(slog.String("method", r.Method), slog.String("path", path),
					slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
					slog.Duration("took", time.Since(start)), slog.String("addr", h.clientAddr(r)))
				lh.Handle(ctx, rec)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// clientAddr is the visitor's address: the connection's, or with
// --trust-proxy the last address in X-Forwarded-For (the one our own proxy
// appended; earlier entries are whatever the client claimed), when it is
// an IP address: it keys the throttle and is shown to the photographer.
func (h *Handler) clientAddr(r *http.Request) string {
	if h.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a, ok := parseIP(strings.TrimSpace(last)); ok {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// parseIP reads an IP address, with or without a port, as one plain form:
// no zone, and an IPv4 address in IPv6 as IPv4.
func parseIP(s string) (string, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return "", false
		}
		a = ap.Addr()
	}
	return a.WithZone("").Unmap().String(), true
}

// secure reports whether the visitor reached us over HTTPS.
func (h *Handler) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return h.trustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r),
	})
}
