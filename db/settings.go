package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Settings the photographer can change, with their defaults.
const (
	SettingStudioName   = "studio-name"
	SettingBaseURL      = "base-url"
	SettingTemplateLink = "share-template-link"
	SettingTemplatePIN  = "share-template-pin"
	// SettingTemplateClient is the message that sends a client login.
	SettingTemplateClient = "share-template-client"
	// SettingEventRetention is how long single events are kept; older
	// ones are folded into daily counts.
	SettingEventRetention = "event-retention"
	SettingMaxUpload      = "max-upload" // per file sent with scp or sftp

	// The studio's look; empty by default.
	SettingLogo         = "logo" // "SHA256 WxH" of an imported picture (studio.SetLogo)
	SettingAccent       = "accent-colour"
	SettingContactEmail = "contact-email"
	SettingContactPhone = "contact-phone"
	SettingContactWeb   = "contact-website"
	// E-mail, optional: the SMTP server (smtp:// or smtps://), the
	// photographer's address for notices and digests, and the sender.
	SettingSMTPURL     = "smtp-url"
	SettingNotifyEmail = "notify-email"
	SettingMailFrom    = "mail-from"
)

// TemplatePlaceholders are what the gallery share templates may hold;
// studio.ShareFor fills them in.
var TemplatePlaceholders = []string{"{title}", "{url}", "{pin}", "{expires}", "{studio}"}

// ClientPlaceholders are what the client login template may hold;
// studio.ClientShareFor fills them in.
var ClientPlaceholders = []string{"{name}", "{code}", "{url}", "{studio}"}

// placeholders are the known placeholders of each template setting.
var placeholders = map[string][]string{
	SettingTemplateLink: TemplatePlaceholders, SettingTemplatePIN: TemplatePlaceholders,
	SettingTemplateClient: ClientPlaceholders,
}

// placeholderRE finds what looks like a placeholder, typos included.
var placeholderRE = regexp.MustCompile(`\{[^{}\n]{1,30}\}`)

// minEventRetention keeps "who opened it today" answerable.
const minEventRetention = 24 * time.Hour

// settingDefaults are the settings and what an unset one reads as. The
// settings that hold words for clients (the studio's name, the share
// messages) read as "" here: their default wording is studio's.
var settingDefaults = map[string]string{
	SettingStudioName:     "",
	SettingBaseURL:        "http://localhost:8080",
	SettingTemplateLink:   "",
	SettingTemplatePIN:    "",
	SettingTemplateClient: "",
	SettingEventRetention: "400d",
	SettingMaxUpload:      "1 GiB",
	SettingLogo:           "",
	SettingAccent:         "",
	SettingContactEmail:   "",
	SettingContactPhone:   "",
	SettingContactWeb:     "",
	SettingSMTPURL:        "",
	SettingNotifyEmail:    "",
	SettingMailFrom:       "",
}

// settingCheck normalises a non-empty value of the settings that have a
// shape, or says what is wrong with it.
var settingCheck = map[string]func(string) (string, error){
	SettingBaseURL:      CheckBaseURL,
	SettingLogo:         checkLogo,
	SettingAccent:       checkAccent,
	SettingContactEmail: checkEmail,
	SettingContactPhone: checkPhone,
	SettingContactWeb:   checkWebsite,
	SettingSMTPURL:      checkSMTPURL,
	SettingNotifyEmail:  checkMailAddress,
	SettingMailFrom:     checkMailAddress,
}

// CheckBaseURL checks an address that every link sent to clients starts
// with (the base-url setting, serve's --base-url) and returns it without a
// trailing slash: http or https, a host and a valid port, and nothing a
// link could not carry on from (a query, a fragment, a space) or should
// not carry at all (a user and password).
func CheckBaseURL(v string) (string, error) {
	u, err := url.Parse(v)
	bad := err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsFunc(v, unicode.IsSpace)
	if !bad && u.Port() != "" {
		p, err := strconv.Atoi(u.Port())
		bad = err != nil || p < 1 || p > 65535
	}
	if bad {
		return "", invalidf("base-url %q: use a full address such as https://photos.example.com", v)
	}
	return strings.TrimRight(v, "/"), nil
}

// SettingKeys lists the settings the photographer can change.
func SettingKeys() []string {
	keys := make([]string, 0, len(settingDefaults))
	for k := range settingDefaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func checkSetting(key string) error {
	if _, ok := settingDefaults[key]; !ok {
		return invalidf("unknown setting %q: use one of %s", key, strings.Join(SettingKeys(), ", "))
	}
	return nil
}

// Setting reads a setting, or its default ("" for a wording left unset:
// studio.Setting fills those in).
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	v, set, err := s.LookupSetting(ctx, key)
	if err != nil || set {
		return v, err
	}
	return settingDefaults[key], nil
}

// LookupSetting reads a setting the photographer set: set is false (and v
// "") while it is unset, where Setting would give its default. A server
// that knows a better default than the studio-wide one (the base URL of a
// server with HTTPS) asks this.
func (s *Store) LookupSetting(ctx context.Context, key string) (v string, set bool, err error) {
	if err := checkSetting(key); err != nil {
		return "", false, err
	}
	err = s.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err := wrap("setting "+key, err); errors.Is(err, ErrNotFound) {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	return v, true, nil
}

// DefaultSetting is what an unset setting reads as.
func DefaultSetting(key string) string { return settingDefaults[key] }

// SetSetting changes a setting; an empty value restores the default, and
// so does the default itself: a screen that shows an unset setting's
// default and saves it back leaves it unset (see LookupSetting).
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	err := s.SetSettings(ctx, SettingChange{Key: key, Value: value})
	if se, ok := err.(*SettingError); ok {
		return se.Err
	}
	return err
}

// SettingChange is one setting to change; an empty Value restores the default.
type SettingChange struct{ Key, Value string }

// SettingError is a change SetSettings refused, and which setting it was.
type SettingError struct {
	Key string
	Err error
}

func (e *SettingError) Error() string { return e.Err.Error() }
func (e *SettingError) Unwrap() error { return e.Err }

// SetSettings makes the changes together, in one transaction: when one
// value is refused (a *SettingError says which), none is saved.
func (s *Store) SetSettings(ctx context.Context, changes ...SettingChange) error {
	values := make([]string, len(changes))
	for i, c := range changes {
		v, err := settingValue(c.Key, c.Value)
		if err != nil {
			return &SettingError{Key: c.Key, Err: err}
		}
		values[i] = v
	}
	what := "save settings"
	if len(changes) == 1 {
		what = "set " + changes[0].Key
	}
	return wrap(what, s.tx(ctx, func(tx *sql.Tx) error {
		for i, c := range changes {
			var err error
			if values[i] == "" {
				_, err = tx.ExecContext(ctx, "DELETE FROM settings WHERE key = ?", c.Key)
			} else {
				_, err = tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", c.Key, values[i])
			}
			if err != nil {
				return &SettingError{Key: c.Key, Err: wrap("set "+c.Key, err)}
			}
		}
		return nil
	}))
}

// settingValue checks a setting's new value and returns it as stored.
func settingValue(key, value string) (string, error) {
	if err := checkSetting(key); err != nil {
		return "", err
	}
	value = strings.TrimSpace(value)
	if check := settingCheck[key]; check != nil && value != "" {
		v, err := check(value)
		if err != nil {
			return "", err
		}
		value = v
	}
	if key == SettingEventRetention && value != "" {
		d, err := ParseDuration(value)
		if err != nil {
			return "", fmt.Errorf("%s: %w", key, err)
		}
		if d < minEventRetention {
			return "", invalidf("%s %q: keep events at least a day (1d)", key, value)
		}
	}
	if known, ok := placeholders[key]; ok && value != "" {
		var unknown []string
		for _, p := range placeholderRE.FindAllString(value, -1) {
			if !slices.Contains(known, p) && !slices.Contains(unknown, p) {
				unknown = append(unknown, p)
			}
		}
		if len(unknown) > 0 {
			return "", invalidf("%s: unknown placeholder %s: the known ones are %s", key, strings.Join(unknown, ", "), strings.Join(known, " "))
		}
	}
	if key == SettingMaxUpload && value != "" {
		if _, err := ParseSize(value); err != nil {
			return "", invalidf("max-upload %q: %v", value, err)
		}
	}
	if value == settingDefaults[key] {
		return "", nil // stored as unset: it reads the same
	}
	return value, nil
}

// sizeUnits are the units ParseSize knows, in lower case.
var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// ParseSize reads a size in bytes as people write it: "1 GiB", "500MB",
// "4.5 kB", "1048576".
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	if err != nil || !ok {
		return 0, errors.New("use a size such as 500 MB, 2 GiB or a number of bytes")
	}
	b := n * unit
	if b < 1 || b > 1<<50 {
		return 0, errors.New("use a size from 1 byte to 1 PiB")
	}
	return int64(b), nil
}

// Logo is the studio's logo as the logo setting holds it.
type Logo struct {
	SHA256        string
	Width, Height int
}

// String is the logo setting's value.
func (l Logo) String() string { return fmt.Sprintf("%s %dx%d", l.SHA256, l.Width, l.Height) }

var logoPattern = regexp.MustCompile(`^([0-9a-f]{64}) ([1-9][0-9]{0,5})x([1-9][0-9]{0,5})$`)

// ParseLogo reads the logo setting; ok is false when none is set.
func ParseLogo(v string) (l Logo, ok bool) {
	m := logoPattern.FindStringSubmatch(v)
	if m == nil {
		return Logo{}, false
	}
	l.SHA256 = m[1]
	l.Width, _ = strconv.Atoi(m[2])
	l.Height, _ = strconv.Atoi(m[3])
	return l, true
}

func checkLogo(v string) (string, error) {
	if _, ok := ParseLogo(v); !ok {
		return "", invalidf("logo %q: not an imported picture (its SHA-256 and size, \"HASH WxH\")", v)
	}
	return v, nil
}

// checkAccent takes #rgb or #rrggbb (the # optional) and refuses a colour
// too light for the white text that buttons carry on it (WCAG's 4.5:1).
func checkAccent(v string) (string, error) {
	hex := strings.ToLower(strings.TrimPrefix(v, "#"))
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	n, err := strconv.ParseUint(hex, 16, 32)
	if len(hex) != 6 || err != nil {
		return "", invalidf("accent-colour %q: use a colour such as #2f5d50 (# and three or six hex digits)", v)
	}
	if c := contrastWithWhite(n); c < 4.5 {
		return "", invalidf("accent-colour %q is too light for white text on buttons (contrast %.1f:1, at least 4.5:1 is needed): choose a darker shade", v, c)
	}
	return "#" + hex, nil
}

// contrastWithWhite is WCAG 2's contrast ratio of white against 0xRRGGBB.
func contrastWithWhite(rgb uint64) float64 {
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(rgb>>16&0xff) + 0.7152*lin(rgb>>8&0xff) + 0.0722*lin(rgb&0xff)
	return 1.05 / (l + 0.05)
}

func checkEmail(v string) (string, error) {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Name != "" || a.Address != v {
		return "", invalidf("contact-email %q: use a plain address such as studio@example.com", v)
	}
	return v, nil
}

// checkPhone takes what people write in a phone number: digits, spaces,
// + ( ) - . and /.
func checkPhone(v string) (string, error) {
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +()-./", r):
		default:
			return "", invalidf("contact-phone %q: use digits, spaces and + ( ) - only, such as +44 20 7946 0958", v)
		}
	}
	if digits < 5 || digits > 20 {
		return "", invalidf("contact-phone %q: a phone number has 5 to 20 digits", v)
	}
	return v, nil
}

// checkWebsite takes a web address, with https:// assumed when no scheme is
// given.
func checkWebsite(v string) (string, error) {
	full := v
	if !strings.Contains(v, "://") {
		full = "https://" + v
	}
	u, err := url.Parse(full)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Hostname(), ".") || u.User != nil {
		return "", invalidf("contact-website %q: use a web address such as https://studio.example.com", v)
	}
	return u.String(), nil
}

// checkSMTPURL takes smtp:// (STARTTLS) or smtps:// (TLS) with a host.
func checkSMTPURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return "", invalidf("smtp-url: use smtp://USER:PASS@HOST:PORT (STARTTLS) or smtps://USER:PASS@HOST:PORT (TLS)")
	}
	return v, nil
}

// checkMailAddress takes one plain address, for notify-email and mail-from.
func checkMailAddress(v string) (string, error) {
	if a, err := mail.ParseAddress(v); err != nil || a.Name != "" || a.Address != v {
		return "", invalidf("%q: give one e-mail address, such as studio@example.com", v)
	}
	return v, nil
}
