package studio

import (
	"context"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/db/dbtest"
)

func TestLocalOnly(t *testing.T) {
	for base, want := range map[string]bool{
		"http://localhost:8080":       true,
		"http://127.0.0.1:8080":       true,
		"http://[::1]:8080":           true,
		"http://0.0.0.0:8080":         true,
		"http://photos.localhost":     true,
		"":                            true,
		"https://photos.example.com":  false,
		"http://192.168.1.20:8080":    false,
		"https://lumen.studio/photos": false,
	} {
		if got := LocalOnly(base); got != want {
			t.Errorf("LocalOnly(%q) = %v, want %v", base, got, want)
		}
	}
}

// TestLocalOnlyNotice: the notice names the base URL given, else the
// setting's, while it opens only here, and is silent once it opens anywhere.
func TestLocalOnlyNotice(t *testing.T) {
	ctx := context.Background()
	s := dbtest.Open(t, nil)
	tests := []struct {
		setting, given, want string
	}{
		{"", "", "Links to galleries start with http://localhost:8080, which opens only on this machine. For clients, " + LocalOnlyAdvice + "."},
		{"", "http://127.0.0.1:9000", "Links to galleries start with http://127.0.0.1:9000, which opens only"},
		{"", "https://photos.example.com", ""},
		{"https://photos.example.com", "", ""},
		{"https://photos.example.com", "http://localhost:1", "Links to galleries start with http://localhost:1,"},
	}
	for _, tt := range tests {
		if err := s.SetSetting(ctx, db.SettingBaseURL, tt.setting); err != nil {
			t.Fatal(err)
		}
		got, err := LocalOnlyNotice(ctx, s, Given{URL: tt.given})
		if err != nil || !strings.HasPrefix(got, tt.want) || (tt.want == "") != (got == "") {
			t.Errorf("setting %q, given %q: %q, %v; want %q", tt.setting, tt.given, got, err, tt.want)
		}
	}
}

// TestBaseURL: where links start, in order: --base-url, the setting when
// the photographer set it, with --tls-domain the HTTPS address, the
// setting's default. A setting saved as its default counts as unset.
func TestBaseURL(t *testing.T) {
	ctx := context.Background()
	s := dbtest.Open(t, nil)
	const flag, https, setting = "https://flag.example.com/", "https://photos.test:8443", "https://studio.example.com"
	tests := []struct {
		setting string
		given   Given
		want    string
	}{
		{"", Given{}, "http://localhost:8080"},
		{"", Given{Serving: https}, https},
		{"http://localhost:8080", Given{Serving: https}, https},
		{setting, Given{Serving: https}, setting},
		{setting, Given{}, setting},
		{"", Given{URL: flag}, "https://flag.example.com"},
		{setting, Given{URL: flag, Serving: https}, "https://flag.example.com"},
	}
	for _, tt := range tests {
		if err := s.SetSetting(ctx, db.SettingBaseURL, tt.setting); err != nil {
			t.Fatal(err)
		}
		if got, err := BaseURL(ctx, s, tt.given); err != nil || got != tt.want {
			t.Errorf("setting %q, given %+v: %q, %v; want %q", tt.setting, tt.given, got, err, tt.want)
		}
	}
}
