package studio

import "testing"

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
