package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"
)

// healthz answers "ok" when the database answers.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	if _, err := h.store.Version(r.Context()); err != nil {
		h.log.Error("health check", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
