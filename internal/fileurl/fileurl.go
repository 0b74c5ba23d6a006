// Package fileurl reads the file:// URLs that name a folder on this
// machine: where the photos are (--storage), where the database is
// replicated (--replicate, restore).
package fileurl

import (
	"errors"
	"net/url"
	"path/filepath"
	"strings"
)

// Dir is the absolute folder a file:// URL names. file:///srv/photos is
// absolute; file://photos and file://./photos are relative, taken from
// the working directory now: callers keep Dir (or its URL), never what was
// typed, so the folder stays the same whatever the directory later.
func Dir(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Scheme != "file" {
		return "", errors.New("want file://FOLDER")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("a folder takes no user name, query or fragment: want file://FOLDER")
	}
	if u.Opaque != "" { // file:photos
		return "", errors.New("want file://" + u.Opaque + ", with two slashes")
	}
	p := u.Path
	if u.Host != "" && u.Host != "localhost" { // file://photos: relative
		p = u.Host + p
	}
	if p == "" {
		return "", errors.New("the folder is missing: want file://FOLDER, e.g. file:///srv/pinhole or file://backups")
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		return "", errors.New("~ is not expanded in a URL: give the folder's full path, e.g. file:///home/me/backups")
	}
	return filepath.Abs(filepath.FromSlash(p))
}

// URL is the file:/// URL of an absolute folder.
func URL(dir string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
}
