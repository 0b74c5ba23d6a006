package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_AddAdminKey(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	first, err := s.AddAdminKey(ctx, db.AdminKey{Name: " laptop ", PublicKey: "ssh-ed25519 AAAA1", Fingerprint: "SHA256:one"})
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == 0 || first.Name != "laptop" || !first.CreatedAt.Equal(t0) {
		t.Errorf("AddAdminKey = %+v", first)
	}
	tests := []struct {
		name string
		k    db.AdminKey
		want error
	}{
		{"second key", db.AdminKey{Name: "desktop", PublicKey: "ssh-ed25519 AAAA2", Fingerprint: "SHA256:two"}, nil},
		{"same name", db.AdminKey{Name: "laptop", PublicKey: "ssh-ed25519 AAAA3", Fingerprint: "SHA256:three"}, db.ErrConflict},
		{"same key", db.AdminKey{Name: "other", PublicKey: "ssh-ed25519 AAAA1", Fingerprint: "SHA256:one"}, db.ErrConflict},
		{"no name", db.AdminKey{Name: " ", PublicKey: "ssh-ed25519 AAAA4", Fingerprint: "SHA256:four"}, db.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddAdminKey(ctx, tt.k)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("AddAdminKey: err = %v, want %v", err, tt.want)
			}
		})
	}
	keys, err := s.AdminKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	if want := []string{"desktop", "laptop"}; !equal(names, want) {
		t.Errorf("AdminKeys = %v, want %v", names, want)
	}

	clk.Add(time.Hour)
	k, err := s.AdminKeyByFingerprint(ctx, "SHA256:one")
	if err != nil || k.Name != "laptop" || k.PublicKey != "ssh-ed25519 AAAA1" {
		t.Fatalf("AdminKeyByFingerprint = %+v, %v", k, err)
	}
	keys, _ = s.AdminKeys(ctx)
	if !keys[1].LastUsedAt.Equal(t0.Add(time.Hour)) || !keys[0].LastUsedAt.IsZero() {
		t.Errorf("LastUsedAt = %v (laptop), %v (desktop), want %v and never", keys[1].LastUsedAt, keys[0].LastUsedAt, t0.Add(time.Hour))
	}
	if _, err := s.AdminKeyByFingerprint(ctx, "SHA256:nope"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("AdminKeyByFingerprint(unknown): err = %v, want ErrNotFound", err)
	}

	if err := s.RemoveAdminKey(ctx, "laptop"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminKeyByFingerprint(ctx, "SHA256:one"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("removed key still found: err = %v", err)
	}
	if err := s.RemoveAdminKey(ctx, "laptop"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("RemoveAdminKey twice: err = %v, want ErrNotFound", err)
	}
}
