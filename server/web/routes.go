package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"pinhole/media"
)

// routes registers every route of the website, in one place.
func (h *Handler) routes() *httprouter.Router {
	r := httprouter.New()
	r.RedirectTrailingSlash = true
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = true
	r.NotFound = http.HandlerFunc(h.notFound)
	r.MethodNotAllowed = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.errorPage(w, req, http.StatusMethodNotAllowed, "Not allowed", "This address does not accept that kind of request.")
	})
	r.PanicHandler = func(w http.ResponseWriter, req *http.Request, v any) {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		h.log.Error("panic", "path", req.URL.Path, "panic", v)
		h.errorPage(w, req, http.StatusInternalServerError, "Something went wrong", "Please try again in a moment.")
	}

	get := func(path string, fn httprouter.Handle) {
		r.GET(path, fn)
		r.HEAD(path, fn)
	}

	get("/healthz", h.healthz)
	get("/static/:file", h.serveStatic)
	get("/logo/:file", h.logo)
	get("/theme/:file", h.theme)
	get("/", h.home)
	r.POST("/login", h.login)
	r.POST("/logout", h.logout)
	get("/me", h.me)
	get("/preview/:token", h.previewLink)

	// A gallery and everything in it.
	get("/g/:slug", h.gallery)
	r.POST("/g/:slug/pin", h.pin)
	get("/g/:slug/p/:id", h.photoPage)
	get("/g/:slug/cover", h.cover)
	for _, rd := range media.Renditions() {
		get("/g/:slug/"+rd.Code+"/:id", h.rendition(rd))
	}
	get("/g/:slug/d/:id", h.download)
	get("/g/:slug/zip", h.zipAll)
	get("/g/:slug/collection.zip", h.zipCollection)
	get("/g/:slug/favourites.zip", h.zipFavourites)
	r.POST("/g/:slug/fav/:id", h.favourite)
	r.POST("/g/:slug/send", h.send)
	return r
}
