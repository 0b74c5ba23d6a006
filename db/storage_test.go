package db_test

import (
	"context"
	"testing"
)

func TestStore_StorageURL(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	if got, err := s.StorageURL(ctx); err != nil || got != "" {
		t.Fatalf("new database: StorageURL = %q, %v; want the default", got, err)
	}
	for _, want := range []string{"s3://photos/studio", "file:///srv/photos", ""} {
		if err := s.SetStorageURL(ctx, want); err != nil {
			t.Fatal(err)
		}
		if got, err := s.StorageURL(ctx); err != nil || got != want {
			t.Fatalf("StorageURL = %q, %v; want %q", got, err, want)
		}
	}
}
