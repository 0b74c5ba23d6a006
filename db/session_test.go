package db_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_CreateSession(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	raw := rawDB(t, s.Path())
	g := mkGallery(t, s, "G")
	c := mkClient(t, s, "Anna", "")

	tests := []struct {
		name string
		in   db.Session
	}{
		{"pin session", db.Session{GalleryID: g.ID, PINVersion: g.PINVersion, ExpiresAt: t0.Add(time.Hour)}},
		{"client session", db.Session{ClientID: c.ID, VisitorName: "Anna", ExpiresAt: t0.Add(time.Hour)}},
		{"preview", db.Session{ClientID: c.ID, Preview: true, ExpiresAt: t0.Add(time.Hour)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, sess, err := s.CreateSession(ctx, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(token) < 40 {
				t.Errorf("token %q is short", token)
			}
			got, err := s.SessionByToken(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.in
			want.ID, want.CreatedAt, want.LastSeenAt = sess.ID, t0, t0
			if !sameSession(got, want) || !sameSession(sess, want) {
				t.Errorf("SessionByToken = %+v\nCreateSession = %+v\nwant %+v", got, sess, want)
			}

			// Only a hash of the token is stored: neither the token nor its
			// bytes appear anywhere in the row.
			rows, err := raw.Query("SELECT * FROM sessions")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var b []byte
					switch v := v.(type) {
					case string:
						b = []byte(v)
					case []byte:
						b = v
					default:
						continue
					}
					if bytes.Contains(b, []byte(token)) {
						t.Errorf("sessions.%s holds the raw token", cols[i])
					}
				}
			}
		})
	}

	if _, _, err := s.CreateSession(ctx, db.Session{GalleryID: 999, ExpiresAt: t0.Add(time.Hour)}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("CreateSession for a missing gallery: err = %v, want ErrNotFound", err)
	}
}

func TestStore_SessionByToken(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	g := mkGallery(t, s, "G")
	token, _, err := s.CreateSession(ctx, db.Session{GalleryID: g.ID, ExpiresAt: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		token   string
		advance time.Duration
		want    error
	}{
		{"live", token, 0, nil},
		{"just before expiry", token, time.Hour - time.Second, nil},
		{"wrong token", token + "x", 0, db.ErrNotFound},
		{"empty token", "", 0, db.ErrNotFound},
		{"at expiry", token, time.Hour, db.ErrNotFound},
		{"after expiry", token, 2 * time.Hour, db.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Set(t0.Add(tt.advance))
			_, err := s.SessionByToken(ctx, tt.token)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("SessionByToken: err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStore_TouchSession(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	g := mkGallery(t, s, "G")
	token, sess, err := s.CreateSession(ctx, db.Session{GalleryID: g.ID, ExpiresAt: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(50 * time.Minute)
	if err := s.TouchSession(ctx, sess.ID, t0.Add(50*time.Minute+time.Hour)); err != nil {
		t.Fatal(err)
	}
	clk.Add(30 * time.Minute) // past the first expiry, inside the new one
	got, err := s.SessionByToken(ctx, token)
	if err != nil {
		t.Fatalf("SessionByToken after touch: %v", err)
	}
	if want := t0.Add(50*time.Minute + time.Hour); !got.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", got.ExpiresAt, want)
	}
	if want := t0.Add(50 * time.Minute); !got.LastSeenAt.Equal(want) {
		t.Errorf("LastSeenAt = %v, want %v", got.LastSeenAt, want)
	}

	if err := s.SetVisitorName(ctx, sess.ID, "Ben"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SessionByToken(ctx, token); got.VisitorName != "Ben" {
		t.Errorf("VisitorName = %q, want Ben", got.VisitorName)
	}
}

func TestStore_DeleteSession(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	g := mkGallery(t, s, "G")
	keep, _, _ := s.CreateSession(ctx, db.Session{GalleryID: g.ID, ExpiresAt: t0.Add(2 * time.Hour)})
	gone, _, _ := s.CreateSession(ctx, db.Session{GalleryID: g.ID, ExpiresAt: t0.Add(2 * time.Hour)})
	s.CreateSession(ctx, db.Session{GalleryID: g.ID, ExpiresAt: t0.Add(time.Hour)})

	if err := s.DeleteSession(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, gone); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("deleted session: err = %v, want ErrNotFound", err)
	}
	clk.Add(time.Hour)
	n, err := s.DeleteExpiredSessions(ctx)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v, want 1", n, err)
	}
	if _, err := s.SessionByToken(ctx, keep); err != nil {
		t.Errorf("live session after clean-up: %v", err)
	}
	raw := rawDB(t, s.Path())
	if got := count(t, raw, "SELECT COUNT(*) FROM sessions"); got != 1 {
		t.Errorf("sessions = %d, want 1", got)
	}
}

// sameSession compares sessions, their times as instants.
func sameSession(a, b db.Session) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.ExpiresAt.Equal(b.ExpiresAt) || !a.LastSeenAt.Equal(b.LastSeenAt) {
		return false
	}
	a.CreatedAt, a.ExpiresAt, a.LastSeenAt = time.Time{}, time.Time{}, time.Time{}
	b.CreatedAt, b.ExpiresAt, b.LastSeenAt = time.Time{}, time.Time{}, time.Time{}
	return a == b
}
