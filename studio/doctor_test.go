package studio

import (
	"context"
	"os"
	"testing"

	"pinhole/media"
	"pinhole/media/storetest"
)

// TestDoctor_DamagedOriginal: an original of another size than imported
// is found by its size; one of the same size with other bytes only when
// hashes are asked for. Neither is repaired, nor are renditions remade
// from it.
func TestDoctor_DamagedOriginal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := Import(ctx, f.store, f.lib, f.slug, goodPaths()[:2], media.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	shas, _, _ := f.lib.Stored(ctx)
	cut := f.lib.Store().Location(media.OriginalKey(shas[0]))
	b, err := os.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cut, b[:len(b)/2], 0o644)
	flipped := f.lib.Store().Location(media.OriginalKey(shas[1]))
	c, _ := os.ReadFile(flipped)
	c[len(c)/2] ^= 0xff
	os.WriteFile(flipped, c, 0o644)
	thumb, _ := media.RenditionNamed(media.Thumbnail)
	os.Remove(f.lib.Store().Location(media.RenditionKey(thumb, shas[0])))

	kinds := func(rep Report) map[string]string {
		k := map[string]string{}
		for _, p := range rep.Problems {
			k[p.Path] += p.Kind + " "
			if p.Repaired {
				t.Errorf("repaired: %+v", p)
			}
		}
		return k
	}
	rep, err := Doctor(ctx, f.store, f.lib, DoctorOptions{Repair: true})
	if err != nil {
		t.Fatal(err)
	}
	if k := kinds(rep); k[cut] != "wrong-size " || len(rep.Problems) != 2 {
		t.Errorf("without hashes: %+v", rep.Problems)
	}
	if _, err := os.Stat(f.lib.Store().Location(media.RenditionKey(thumb, shas[0]))); err == nil {
		t.Error("a rendition was remade from a damaged original")
	}
	rep, err = Doctor(ctx, f.store, f.lib, DoctorOptions{Hashes: true})
	if err != nil {
		t.Fatal(err)
	}
	if k := kinds(rep); k[cut] != "wrong-size " || k[flipped] != "wrong-hash " || len(rep.Problems) != 3 {
		t.Errorf("with hashes: %+v", rep.Problems)
	}
}

// TestDoctor_AnyStore: doctor works through the storage interface: on a
// store whose files are not a folder's it finds and repairs the same.
func TestDoctor_AnyStore(t *testing.T) {
	f := newFixture(t)
	f.lib = media.New(storetest.Streamed(f.lib.Store()))
	ctx := context.Background()
	if _, err := Import(ctx, f.store, f.lib, f.slug, goodPaths(), media.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	shas, _, _ := f.lib.Stored(ctx)
	thumb, _ := media.RenditionNamed(media.Thumbnail)
	if err := f.lib.Store().Delete(ctx, media.RenditionKey(thumb, shas[0])); err != nil {
		t.Fatal(err)
	}
	if err := f.lib.Store().Delete(ctx, media.OriginalKey(shas[1])); err != nil {
		t.Fatal(err)
	}
	rep, err := Doctor(ctx, f.store, f.lib, DoctorOptions{Repair: true, Hashes: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 2 || rep.Problems[0].Kind != "missing-rendition" || !rep.Problems[0].Repaired && rep.Problems[1].Kind != "missing-rendition" {
		t.Errorf("%+v", rep.Problems)
	}
	got := map[string]bool{}
	for _, p := range rep.Problems {
		got[p.Kind] = p.Repaired
	}
	if repaired, ok := got["missing-rendition"]; !ok || !repaired {
		t.Errorf("missing thumbnail: %+v", rep.Problems)
	}
	if repaired, ok := got["missing-original"]; !ok || repaired {
		t.Errorf("missing original: %+v", rep.Problems)
	}
	if _, err := f.lib.Store().Stat(ctx, media.RenditionKey(thumb, shas[0])); err != nil {
		t.Errorf("thumbnail not remade: %v", err)
	}
}
