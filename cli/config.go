package cli

import (
	"net/url"
)

// redacted hides a URL's password: smtp://me:xxxxx@host.
func redacted(raw string) string {
	if u, err := url.Parse(raw); err == nil && raw != "" {
		return u.Redacted()
	}
	return raw
}
