// Package studio holds the photographer's operations, written once for the
// command line, the TUI and the SSH endpoint, which all call them: creating
// and editing galleries, client logins and their grants (each one
// transaction), import from a folder or an upload, deletion with the photo
// files, doctor, storage migration, favourites as XMP sidecars, share
// messages with their default wording, links, previews and the e-mail
// queue. It also holds the one access decision (Decide) that every
// statement about who can open what comes from.
package studio

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"pinhole/db"
)

// Given is what the server handing out links was started with that
// decides where they start (see [BaseURL]). The zero Given, of a command
// or TUI run on its own, leaves it to the base-url setting.
type Given struct {
	// URL is --base-url: it comes before the setting.
	URL string
	// Serving is the address the server's website answers at: with
	// --tls-domain https://FIRST-DOMAIN (with the port unless 443), else
	// its listener's (http://localhost:PORT when it listens on every
	// address). It comes before the setting's default while the setting
	// is unset: the default names port 8080, which may not be the one.
	Serving string
}

// BaseURL is the address clients reach the website at, without a trailing
// slash, that every link handed out starts with. First --base-url
// (given.URL), then the base-url setting when the photographer set it,
// then the address the server answers at (given.Serving), then the
// setting's default. A server's website, its TUI and the commands run
// over SSH pass the same given, so they agree.
func BaseURL(ctx context.Context, store *db.Store, given Given) (string, error) {
	if given.URL != "" {
		return db.CheckBaseURL(given.URL)
	}
	v, set, err := store.LookupSetting(ctx, db.SettingBaseURL)
	switch {
	case err != nil:
		return "", err
	case set:
		return v, nil
	case given.Serving != "":
		return strings.TrimRight(given.Serving, "/"), nil
	}
	return db.DefaultSetting(db.SettingBaseURL), nil
}

// LocalOnly reports whether a base URL names this machine (localhost or a
// loopback address, as the default does): links built on it open nowhere
// else, so a client who gets one sees nothing.
func LocalOnly(base string) bool {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return true
	}
	host := u.Hostname()
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// LocalOnlyAdvice says what to do about a base URL that is LocalOnly.
const LocalOnlyAdvice = "set the address clients reach the website at: pinhole config set base-url https://photos.example.com (or the Base URL in the TUI's settings)"

// LocalOnlyNotice is what a server says at start while the base URL (see
// [BaseURL]) names this machine: the links Pinhole prints will not open
// anywhere else. "" while it names another.
func LocalOnlyNotice(ctx context.Context, store *db.Store, given Given) (string, error) {
	base, err := BaseURL(ctx, store, given)
	if err != nil {
		return "", err
	}
	if !LocalOnly(base) {
		return "", nil
	}
	return fmt.Sprintf("Links to galleries start with %s, which opens only on this machine. For clients, %s.", base, LocalOnlyAdvice), nil
}

// GalleryURL is a gallery's link for clients.
func GalleryURL(base, slug string) string { return siteURL(base, "/g/"+slug) }

// siteURL is a full address on the client website.
func siteURL(base, path string) string { return strings.TrimRight(base, "/") + path }

// Share is what the photographer sends a client: the link and the PIN
// apart, each with a ready-to-paste message.
type Share struct {
	Decision    Decision  // what a client with the link gets, parent included
	Access      db.Access // the access that applies: the gallery's or, inherited, its parent's
	Warning     string    // why the link will not open now ("" when it will)
	URL         string
	PIN         string // "" for a public gallery
	LinkMessage string // for e-mail
	PINMessage  string // for a text message; "" without PIN
}

// ShareFor builds the share messages of a gallery from the templates, its
// link on the base URL (given: see [BaseURL]).
func ShareFor(ctx context.Context, store *db.Store, given Given, g db.Gallery) (Share, error) {
	base, err := BaseURL(ctx, store, given)
	if err != nil {
		return Share{}, err
	}
	studio, err := Setting(ctx, store, db.SettingStudioName)
	if err != nil {
		return Share{}, err
	}
	linkT, err := Setting(ctx, store, db.SettingTemplateLink)
	if err != nil {
		return Share{}, err
	}
	pinT, err := Setting(ctx, store, db.SettingTemplatePIN)
	if err != nil {
		return Share{}, err
	}
	d, err := Effective(ctx, store, g)
	if err != nil {
		return Share{}, err
	}
	expires := d.ExpiresOn()
	if expires == "" {
		expires = "further notice"
	}
	sh := Share{Decision: d, Access: d.Access, URL: GalleryURL(base, g.Slug)}
	switch {
	case (d.Reason == ReasonDraft || d.Reason == ReasonParentDraft) && !d.Gone:
		sh.Warning = "This link will not open yet: " + d.Closed()
	case !d.Open():
		sh.Warning = "This link will not open: " + d.Closed()
	}
	r := strings.NewReplacer("{title}", g.Title, "{url}", sh.URL, "{pin}", d.PIN, "{expires}", expires, "{studio}", studio)
	sh.LinkMessage = r.Replace(linkT)
	if d.PIN != "" {
		sh.PIN = d.PIN
		sh.PINMessage = r.Replace(pinT)
	}
	return sh, nil
}

// Effective decides what a client holding only a gallery's link gets:
// its state, access and expiry with its parent's taken into account.
func Effective(ctx context.Context, store *db.Store, g db.Gallery) (Decision, error) {
	var parent *db.Gallery
	if g.ParentID != 0 {
		p, err := store.GalleryByID(ctx, g.ParentID)
		if err != nil {
			return Decision{}, fmt.Errorf("parent of %s: %w", g.Slug, err)
		}
		parent = &p
	}
	return Decide(g, parent, Visitor{}, store.Now()), nil
}

// SizeText is a file size for people: "14.9 MB".
func SizeText(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
