package db

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestMigrate_FromFirstRelease: a database written by the first release
// (schema 1) opens, keeps its rows, and from then on numbers nothing twice:
// a session opened with a PIN stays bound to the gallery whose PIN it was,
// PIN versions continue above every one handed out, and gallery ids above
// the ones its throttle records still name.
func TestMigrate_FromFirstRelease(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	migs, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", dsn(path, ""))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	for _, q := range []string{
		migs[0].sql,
		"PRAGMA user_version = 1",
		`INSERT INTO galleries (id, slug, title, access, pin, pin_version, created_at, updated_at)
			VALUES (1, 'wedding-aaaaaa', 'Wedding', 'pin', '1234', 7, 0, 0)`,
		`INSERT INTO galleries (id, slug, title, access, pin, pin_version, parent_id, created_at, updated_at)
			VALUES (2, 'ceremony-bbbbbb', 'Ceremony', '', '', 1, 1, 0, 0)`,
		// A PIN typed on the sub-gallery (the parent's PIN), one on the parent.
		`INSERT INTO sessions (token_hash, gallery_id, pin_version, created_at, expires_at, last_seen_at)
			VALUES (x'01', 2, 7, 0, ` + itoa(now+3600) + `, 0), (x'02', 1, 7, 0, ` + itoa(now+3600) + `, 0)`,
		// A session still holding version 9 of a gallery deleted since.
		`INSERT INTO sessions (token_hash, gallery_id, pin_version, created_at, expires_at, last_seen_at)
			VALUES (x'03', 1, 9, 0, ` + itoa(now+3600) + `, 0)`,
		// Throttle records of a gallery 5 deleted before the upgrade.
		`INSERT INTO throttle (key, failures, until, updated) VALUES ('pin:5:203.0.113.9', 9, 0, 0)`,
		`INSERT INTO clients (id, name, code, created_at) VALUES (3, 'Ann', 'ABCDEFGHJKMN', 0)`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	raw.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.r.QueryContext(ctx, "SELECT hex(token_hash), pin_gallery_id FROM sessions ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for rows.Next() {
		var h string
		var pg sql.NullInt64
		if err := rows.Scan(&h, &pg); err != nil {
			t.Fatal(err)
		}
		got[h] = pg.Int64
	}
	rows.Close()
	if got["01"] != 1 || got["02"] != 1 {
		t.Errorf("sessions bound to %v, want both to the parent (1), whose PIN applies", got)
	}
	g, err := s.CreateGallery(ctx, GalleryInput{Title: new("New")})
	if err != nil {
		t.Fatal(err)
	}
	if g.ID <= 5 {
		t.Errorf("new gallery id %d: throttle records still name gallery 5", g.ID)
	}
	if g.PINVersion <= 9 {
		t.Errorf("new PIN version %d: a live session holds 9", g.PINVersion)
	}
	cl, err := s.ClientByID(ctx, 3)
	if err != nil || cl.Name != "Ann" {
		t.Errorf("client carried over: %+v, %v", cl, err)
	}
	if err := s.DeleteClient(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if c, err := s.CreateClient(ctx, ClientInput{Name: new("Ben")}); err != nil || c.ID <= 3 {
		t.Errorf("client after a delete: id %d, %v", c.ID, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
