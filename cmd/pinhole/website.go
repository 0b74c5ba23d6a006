package main

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/sync/errgroup"

	"pinhole/cli"
	"pinhole/db"
	"pinhole/media"
	"pinhole/server/web"
	"pinhole/studio"
)

// tlsFlags are serve's flags for HTTPS by ACME.
type tlsFlags struct {
	domains                  []string
	https, directory, caRoot string
	fs                       *pflag.FlagSet // to tell which were given
}

// webFlags are the website's flags, shared by serve and plain pinhole.
type webFlags struct {
	http, baseURL string
	trustProxy    bool
	redirect      bool           // --storage-redirect
	fs            *pflag.FlagSet // to tell whether --http was given
}

func (f *webFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&f.http, "http", ":8080", "address to listen on for the website")
	fs.StringVar(&f.baseURL, "base-url", "", "address clients reach the website at, which links start with (default: the base-url setting when set; else the address the website answers at, with --tls-domain its HTTPS address)")
	fs.BoolVar(&f.trustProxy, "trust-proxy", false, "take the client address and scheme from X-Forwarded-For and X-Forwarded-Proto")
	fs.BoolVar(&f.redirect, "storage-redirect", false, "answer single downloads with a redirect to a presigned URL of the bucket (valid 5 minutes) instead of streaming them")
	f.fs = fs
}

// website is the client website, ready to serve.
type website struct {
	store   *db.Store
	lib     *media.Library
	handler *web.Handler
	ln      net.Listener
	// With --tls-domain: ln serves HTTPS, and redirect the ACME challenges
	// and a redirect to HTTPS.
	acme     *web.ACME
	redirect net.Listener
	// links decides where links start (studio.BaseURL): --base-url, and
	// where the website answers. The website, the TUI beside it and SSH
	// all take it.
	links studio.Given
}

// close closes the listeners of a website that will not run.
func (w *website) close() {
	w.ln.Close()
	if w.redirect != nil {
		w.redirect.Close()
	}
}

// url is where visitors reach the website.
func (w *website) url() string {
	if w.acme == nil {
		return "http://" + w.ln.Addr().String()
	}
	host := w.acme.Domains()[0]
	if p := port(w.ln.Addr()); p != "443" {
		host = net.JoinHostPort(host, p)
	}
	return "https://" + host
}

// run serves the website in g until ctx ends, with its upkeep.
func (w *website) run(ctx context.Context, g *errgroup.Group, logger *slog.Logger) {
	g.Go(func() error { return web.Serve(ctx, w.ln, w.handler, logger) })
	if w.redirect != nil {
		g.Go(func() error { return web.Serve(ctx, w.redirect, w.acme.HTTPRedirect(port(w.ln.Addr())), logger) })
	}
	g.Go(func() error { return w.handler.Upkeep(ctx) })
}

// openWebsite opens the data folder and listens for the website as its
// flags say (and, for serve, the flags of HTTPS by ACME; nil without).
func openWebsite(ctx context.Context, c *Env, f *webFlags, tls *tlsFlags, logger *slog.Logger) (*website, error) {
	c.StorageLater = logger // the website starts with the bucket away
	store, err := c.OpenStore(ctx)
	if err != nil {
		return nil, err
	}
	lib, err := c.OpenLibrary(ctx)
	if err != nil {
		return nil, err
	}
	a, err := acmeOf(c, tls)
	if err != nil {
		return nil, err
	}
	var presign web.Presigner
	if f.redirect {
		b := studio.BucketOf(lib.Store())
		if b == nil {
			return nil, cli.Usagef("--storage-redirect needs the photos in a bucket (--storage s3://BUCKET/PREFIX); they are in %s", lib.Store().URL())
		}
		presign = b
	}
	addr := f.http
	if a != nil && !f.fs.Changed("http") {
		addr = ":80" // where ACME's HTTP-01 challenge and visitors typing the bare name arrive
	}
	ln, err := web.Listen(addr)
	if err != nil {
		return nil, err
	}
	w := &website{store: store, lib: lib, ln: ln, links: studio.Given{URL: f.baseURL, Serving: shownAddr(ln.Addr())}}
	if a != nil {
		tl, err := web.Listen(tls.https)
		if err != nil {
			ln.Close()
			return nil, err
		}
		w.ln, w.acme, w.redirect = a.Listener(tl), a, ln
		w.links.Serving = w.url()
	}
	base, err := studio.BaseURL(ctx, store, w.links)
	if err != nil {
		w.close()
		return nil, err
	}
	w.handler, err = web.New(web.Config{Store: store, Library: lib, Logger: logger, TrustProxy: f.trustProxy, BaseURL: base, Presign: presign})
	if err != nil {
		w.close()
		return nil, err
	}
	if a == nil {
		logger.Info("serving the client website", "addr", ln.Addr().String(), "data", c.DataDir)
	} else {
		logger.Info("serving the client website over HTTPS", "addr", w.ln.Addr().String(), "domains", strings.Join(a.Domains(), ","), "data", c.DataDir)
		logger.Info("answering ACME challenges and redirecting to HTTPS", "addr", ln.Addr().String())
	}
	return w, nil
}

// acmeOf prepares certificates by ACME when --tls-domain is given; nil
// when it is not (and its companion flags are then refused).
func acmeOf(c *Env, tls *tlsFlags) (*web.ACME, error) {
	if tls == nil {
		return nil, nil
	}
	if len(tls.domains) == 0 {
		for _, name := range []string{"https", "acme-directory", "acme-ca-root"} {
			if tls.fs.Changed(name) {
				return nil, cli.Usagef("--%s needs --tls-domain", name)
			}
		}
		return nil, nil
	}
	return web.NewACME(web.ACMEConfig{
		Domains:   tls.domains,
		CacheDir:  filepath.Join(c.DataDir, "certs"),
		Directory: tls.directory,
		CARoot:    tls.caRoot,
	})
}

func port(a net.Addr) string {
	_, p, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return p
}
