package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_Setting(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	defaults := map[string]string{}
	look := map[string]bool{db.SettingLogo: true, db.SettingAccent: true, db.SettingContactEmail: true,
		db.SettingContactPhone: true, db.SettingContactWeb: true,
		db.SettingSMTPURL: true, db.SettingNotifyEmail: true, db.SettingMailFrom: true, // the look, and e-mail: off until set
		// words for clients: their default wording is studio's (studio.Setting)
		db.SettingStudioName: true, db.SettingTemplateLink: true, db.SettingTemplatePIN: true, db.SettingTemplateClient: true}
	for _, k := range db.SettingKeys() {
		v, err := s.Setting(ctx, k)
		if err != nil || (v == "") != look[k] {
			t.Errorf("Setting(%q) = %q, %v, want a default (none for the studio's look, e-mail and wordings)", k, v, err)
		}
		defaults[k] = v
	}
	if got, want := defaults[db.SettingBaseURL], "http://localhost:8080"; got != want {
		t.Errorf("default base-url = %q, want %q", got, want)
	}
	if want := []string{db.SettingAccent, db.SettingBaseURL, db.SettingContactEmail, db.SettingContactPhone,
		db.SettingContactWeb, db.SettingEventRetention, db.SettingLogo, db.SettingMailFrom, db.SettingMaxUpload,
		db.SettingNotifyEmail, db.SettingTemplateClient, db.SettingTemplateLink, db.SettingTemplatePIN, db.SettingSMTPURL, db.SettingStudioName}; !equal(db.SettingKeys(), want) {
		t.Errorf("SettingKeys = %v, want %v", db.SettingKeys(), want)
	}

	for _, k := range []string{"", "nope", "Base-URL", "base_url"} {
		if _, err := s.Setting(ctx, k); !errors.Is(err, db.ErrInvalid) {
			t.Errorf("Setting(%q): err = %v, want ErrInvalid", k, err)
		}
		if err := s.SetSetting(ctx, k, "x"); !errors.Is(err, db.ErrInvalid) {
			t.Errorf("SetSetting(%q): err = %v, want ErrInvalid", k, err)
		}
	}

	tests := []struct {
		name  string
		key   string
		value string
		want  string // what Setting reads afterwards
		err   error
	}{
		{"studio", db.SettingStudioName, "  Lena Photo ", "Lena Photo", nil},
		{"base-url https", db.SettingBaseURL, "https://photos.example.com", "https://photos.example.com", nil},
		{"base-url trailing slash", db.SettingBaseURL, " https://photos.example.com/ ", "https://photos.example.com", nil},
		{"base-url with port and path", db.SettingBaseURL, "http://10.0.0.5:8080/photos/", "http://10.0.0.5:8080/photos", nil},
		{"base-url without scheme", db.SettingBaseURL, "photos.example.com", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		{"base-url other scheme", db.SettingBaseURL, "ftp://photos.example.com", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		{"base-url no host", db.SettingBaseURL, "https://", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		{"base-url garbage", db.SettingBaseURL, "http://a b\x7f", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		// Each would be the start of every link sent to clients.
		{"base-url with a query", db.SettingBaseURL, "https://photos.example.com/?a=1", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		{"base-url with a fragment", db.SettingBaseURL, "https://photos.example.com#top", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		{"base-url with a password", db.SettingBaseURL, "https://me:secret@photos.example.com", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		{"base-url port out of range", db.SettingBaseURL, "https://photos.example.com:99999", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		{"base-url space in the path", db.SettingBaseURL, "https://photos.example.com/my photos", "http://10.0.0.5:8080/photos", db.ErrInvalid},
		{"base-url IPv6", db.SettingBaseURL, "http://[2001:db8::1]:8080", "http://[2001:db8::1]:8080", nil},
		{"base-url empty restores default", db.SettingBaseURL, " ", "http://localhost:8080", nil},
		{"template", db.SettingTemplatePIN, "PIN {pin}", "PIN {pin}", nil},
		{"smtp-url", db.SettingSMTPURL, "smtp://me:pw@mail.example.com:587", "smtp://me:pw@mail.example.com:587", nil},
		{"smtps-url", db.SettingSMTPURL, "smtps://mail.example.com", "smtps://mail.example.com", nil},
		{"smtp-url other scheme", db.SettingSMTPURL, "http://mail.example.com", "smtps://mail.example.com", db.ErrInvalid},
		{"smtp-url no host", db.SettingSMTPURL, "smtp://", "smtps://mail.example.com", db.ErrInvalid},
		{"notify-email", db.SettingNotifyEmail, "lena@example.com", "lena@example.com", nil},
		{"notify-email not an address", db.SettingNotifyEmail, "lena at example", "lena@example.com", db.ErrInvalid},
		{"mail-from two lines", db.SettingMailFrom, "a@example.com\nBcc: b@example.com", "", db.ErrInvalid},
		{"empty restores default", db.SettingStudioName, "", "", nil},

		{"accent", db.SettingAccent, "#2F5D50", "#2f5d50", nil},
		{"accent short, no #", db.SettingAccent, "135", "#113355", nil},
		{"accent not a colour", db.SettingAccent, "green", "#113355", db.ErrInvalid},
		{"accent too many digits", db.SettingAccent, "#1234567", "#113355", db.ErrInvalid},
		{"accent too light for white text", db.SettingAccent, "#f5d90a", "#113355", db.ErrInvalid},
		{"accent cleared", db.SettingAccent, "", "", nil},
		{"email", db.SettingContactEmail, " lena@example.com ", "lena@example.com", nil},
		{"email with a name", db.SettingContactEmail, "Lena <lena@example.com>", "lena@example.com", db.ErrInvalid},
		{"email without @", db.SettingContactEmail, "lena.example.com", "lena@example.com", db.ErrInvalid},
		{"phone", db.SettingContactPhone, "+44 (0)20 7946-0958", "+44 (0)20 7946-0958", nil},
		{"phone with letters", db.SettingContactPhone, "call me", "+44 (0)20 7946-0958", db.ErrInvalid},
		{"phone too short", db.SettingContactPhone, "12", "+44 (0)20 7946-0958", db.ErrInvalid},
		{"website", db.SettingContactWeb, "https://lena.example.com/", "https://lena.example.com/", nil},
		{"website without scheme", db.SettingContactWeb, "lena.example.com", "https://lena.example.com", nil},
		{"website other scheme", db.SettingContactWeb, "javascript:alert(1)", "https://lena.example.com", db.ErrInvalid},
		{"website no dot", db.SettingContactWeb, "lena", "https://lena.example.com", db.ErrInvalid},
		{"logo as a path", db.SettingLogo, "logo.png", "", db.ErrInvalid},
		{"logo", db.SettingLogo, strings.Repeat("ab", 32) + " 400x120", strings.Repeat("ab", 32) + " 400x120", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SetSetting(ctx, tt.key, tt.value)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("SetSetting(%q): err = %v, want %v", tt.value, err, tt.err)
			}
			got, err := s.Setting(ctx, tt.key)
			if err != nil || got != tt.want {
				t.Errorf("Setting(%q) = %q, %v, want %q", tt.key, got, err, tt.want)
			}
		})
	}
}

// TestStore_LookupSetting: a setting the photographer set is told from one
// left unset, whose default Setting gives; saving the default (as a screen
// that shows it does) leaves it unset.
func TestStore_LookupSetting(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	look := func(want string, wantSet bool) {
		t.Helper()
		v, set, err := s.LookupSetting(ctx, db.SettingBaseURL)
		if err != nil || v != want || set != wantSet {
			t.Errorf("LookupSetting(base-url) = %q, %v, %v; want %q, %v", v, set, err, want, wantSet)
		}
	}
	look("", false)
	if got := db.DefaultSetting(db.SettingBaseURL); got != "http://localhost:8080" {
		t.Errorf("DefaultSetting(base-url) = %q", got)
	}
	if err := s.SetSetting(ctx, db.SettingBaseURL, "https://photos.example.com"); err != nil {
		t.Fatal(err)
	}
	look("https://photos.example.com", true)
	for _, v := range []string{"http://localhost:8080", "http://localhost:8080/"} {
		if err := s.SetSetting(ctx, db.SettingBaseURL, v); err != nil {
			t.Fatal(err)
		}
		look("", false)
	}
	if got, err := s.Setting(ctx, db.SettingBaseURL); err != nil || got != "http://localhost:8080" {
		t.Errorf("Setting(base-url) after saving the default = %q, %v", got, err)
	}
	if _, _, err := s.LookupSetting(ctx, "nope"); !errors.Is(err, db.ErrInvalid) {
		t.Errorf("LookupSetting(nope): err = %v, want ErrInvalid", err)
	}
}

func TestStore_Throttle(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	got, err := s.Throttle(ctx, "1.2.3.4|g")
	if err != nil || got != (db.Throttle{}) {
		t.Errorf("Throttle(unknown) = %+v, %v, want zero", got, err)
	}
	until := t0.Add(1500 * time.Millisecond)
	steps := []struct {
		key  string
		set  db.Throttle
		want db.Throttle
	}{
		{"1.2.3.4|g", db.Throttle{Failures: 1, Until: until}, db.Throttle{Failures: 1, Until: until}},
		{"1.2.3.4|g", db.Throttle{Failures: 2, Until: until.Add(time.Second)}, db.Throttle{Failures: 2, Until: until.Add(time.Second)}},
		{"5.6.7.8|g", db.Throttle{Failures: 7, Until: until}, db.Throttle{Failures: 7, Until: until}},
	}
	for _, st := range steps {
		if err := s.SetThrottle(ctx, st.key, st.set); err != nil {
			t.Fatal(err)
		}
		got, err := s.Throttle(ctx, st.key)
		if err != nil || got.Failures != st.want.Failures || !got.Until.Equal(st.want.Until) {
			t.Errorf("Throttle(%q) = %+v, %v, want %+v", st.key, got, err, st.want)
		}
	}
	if err := s.ClearThrottle(ctx, "1.2.3.4|g"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Throttle(ctx, "1.2.3.4|g"); got != (db.Throttle{}) {
		t.Errorf("Throttle after clear = %+v, want zero", got)
	}
	if got, _ := s.Throttle(ctx, "5.6.7.8|g"); got.Failures != 7 {
		t.Errorf("other key after clear = %+v, want kept", got)
	}
}

func TestParseSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{
		{"1 GiB", 1 << 30}, {"500MB", 500_000_000}, {"4.5 kB", 4500}, {"1048576", 1 << 20}, {" 2 gib ", 2 << 30}, {"7 B", 7},
		{"", 0}, {"lots", 0}, {"0", 0}, {"12 parsecs", 0}, {"1.2.3 MB", 0}, {"0.1", 0}, {"2000 TiB", 0},
	} {
		got, err := db.ParseSize(tt.in)
		if got != tt.want || (err == nil) != (tt.want != 0) {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestStore_SetSettingChecksTemplates(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	err := s.SetSetting(ctx, db.SettingTemplateLink, "Your photos of {titel}: {url} {pin} {studio name}")
	if !errors.Is(err, db.ErrInvalid) || !strings.Contains(err.Error(), "{titel}, {studio name}") || !strings.Contains(err.Error(), "{title} {url} {pin} {expires} {studio}") {
		t.Errorf("a template with typos: err = %v; want both named and the known ones listed", err)
	}
	if v, _ := s.Setting(ctx, db.SettingTemplateLink); strings.Contains(v, "titel") {
		t.Errorf("the refused template was saved: %q", v)
	}
	if err := s.SetSetting(ctx, db.SettingTemplatePIN, "{title}: PIN {pin} (until {expires}) — {studio}, {url}"); err != nil {
		t.Errorf("a right template: %v", err)
	}
}

func TestStore_ClientTemplateHasItsOwnPlaceholders(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	if err := s.SetSetting(ctx, db.SettingTemplateClient, "Hi {name}, {url} and {code}. {studio}"); err != nil {
		t.Errorf("a right client template: %v", err)
	}
	err := s.SetSetting(ctx, db.SettingTemplateClient, "Your gallery {title}: {code}")
	if !errors.Is(err, db.ErrInvalid) || !strings.Contains(err.Error(), "{title}") || !strings.Contains(err.Error(), "{name} {code} {url} {studio}") {
		t.Errorf("a gallery placeholder in the client template: err = %v", err)
	}
}

// TestStore_SetSettingsAllOrNothing: settings saved together are saved in
// one transaction: one refused value (it says which) leaves every one as
// it was, the ones before it included.
func TestStore_SetSettingsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	if err := s.SetSetting(ctx, db.SettingStudioName, "Before"); err != nil {
		t.Fatal(err)
	}
	err := s.SetSettings(ctx,
		db.SettingChange{Key: db.SettingStudioName, Value: "After"},
		db.SettingChange{Key: db.SettingBaseURL, Value: "https://photos.example.com"},
		db.SettingChange{Key: db.SettingTemplateLink, Value: "See {nonsense}"},
	)
	var se *db.SettingError
	if !errors.As(err, &se) || se.Key != db.SettingTemplateLink || !errors.Is(err, db.ErrInvalid) {
		t.Fatalf("SetSettings with a bad template: %v, want a *SettingError naming it", err)
	}
	if v, _ := s.Setting(ctx, db.SettingStudioName); v != "Before" {
		t.Errorf("studio name %q after a refused save, want it unchanged", v)
	}
	if v, _ := s.Setting(ctx, db.SettingBaseURL); v == "https://photos.example.com" {
		t.Errorf("base URL %q after a refused save, want it unchanged", v)
	}
	if err := s.SetSettings(ctx,
		db.SettingChange{Key: db.SettingStudioName, Value: "After"},
		db.SettingChange{Key: db.SettingBaseURL, Value: "https://photos.example.com"},
	); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Setting(ctx, db.SettingStudioName); v != "After" {
		t.Errorf("studio name %q, want After", v)
	}
}
