package media

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// StatAtOnce is how many requests StatAll has in flight.
const StatAtOnce = 64

// StatAll describes the objects at keys, in their order, asking several
// at once: a bucket answers each after a round trip, and a ZIP of a
// thousand photos would otherwise wait for a thousand in turn before its
// first byte. A store that can do better (a bucket: a folder's listing
// answers for many keys at once) does it its way. The first error ends it.
func StatAll(ctx context.Context, s Store, keys []string) ([]ObjectInfo, error) {
	if sa, ok := s.(interface {
		StatAll(context.Context, []string) ([]ObjectInfo, error)
	}); ok {
		return sa.StatAll(ctx, keys)
	}
	return statEach(ctx, s, keys)
}

// statEach is StatAll with a Stat per key, several at once.
func statEach(ctx context.Context, s Store, keys []string) ([]ObjectInfo, error) {
	out := make([]ObjectInfo, len(keys))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(StatAtOnce)
	for i, k := range keys {
		g.Go(func() error {
			info, err := s.Stat(ctx, k)
			out[i] = info
			return err
		})
	}
	return out, g.Wait()
}
