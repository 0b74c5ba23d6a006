package media

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

func TestStatAll(t *testing.T) {
	f, err := NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var keys []string
	for i := range 40 {
		k := fmt.Sprintf("originals/%02x/k%d", i, i)
		if err := f.Put(ctx, k, strings.NewReader(strings.Repeat("x", i))); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	infos, err := StatAll(ctx, f, keys)
	if err != nil {
		t.Fatal(err)
	}
	for i, info := range infos {
		if info.Key != keys[i] || info.Size != int64(i) {
			t.Errorf("StatAll[%d] = %+v, want %s of %d bytes", i, info, keys[i], i)
		}
	}
	if _, err := StatAll(ctx, f, append(keys, "originals/ff/missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("StatAll with a missing key: %v, want fs.ErrNotExist", err)
	}
}
