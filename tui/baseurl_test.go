package tui_test

import (
	"context"
	"strings"
	"testing"

	"pinhole/db"
)

// TestStatus_SaysLinksNeedTheBaseURL: while the base URL is the default
// (localhost), the status bar says that links open only on this computer;
// once it is set, it no longer does.
func TestStatus_SaysLinksNeedTheBaseURL(t *testing.T) {
	e := newEnv(t)
	tm := e.run(120, 40)
	waitFor(t, tm, "No galleries yet", "Links open only on this computer: set the Base URL in 4 settings")
	final(t, tm)

	if err := e.store.SetSetting(context.Background(), db.SettingBaseURL, "https://photos.example.com"); err != nil {
		t.Fatal(err)
	}
	tm = e.run(120, 40)
	waitFor(t, tm, "No galleries yet")
	if v := final(t, tm).View(); strings.Contains(v, "Links open only") {
		t.Errorf("hint shown with the base URL set:\n%s", v)
	}
}
