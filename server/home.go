package server

import (
	"net/http"

	"github.com/julienschmidt/httprouter"
)

type homeData struct {
	base
}

// home is the studio's front page.
func (h *Handler) home(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	b := h.base(r, "")
	h.render(w, r, http.StatusOK, "home", homeData{base: b})
}
