package bucket

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

	"pinhole/media"
)

// Photo files are sharded into 256 folders by their hash, so a ZIP of a
// thousand photos has about four in each folder. A folder's listing (up
// to 1,000 keys a page) says the size of all of them in one request, but
// costs more the more objects the folder holds: about two HEADs, plus one
// for every listPerHead objects listed (measured against versitygw). The
// folders' sizes are alike (the hash spreads them evenly), so the first
// folder listed tells what the others would cost; and when the ZIP asks
// for most of the folders of a parent (originals/), the parent's listing,
// a page for 1,000 objects, costs less than theirs one by one.
const (
	listBase    = 2
	listPerHead = 8
)

// listCost is what a listing of n objects costs, in HEADs.
func listCost(n int) float64 { return listBase + float64(n)/listPerHead }

// StatAll describes the objects at keys, in their order (see
// [media.StatAll]): the keys of a folder from its listing, or its
// parent's, when that costs less than a HEAD each, the others with a HEAD
// each, several requests at once. Every key is answered for by the bucket before StatAll returns:
// one that is not there is an error wrapping fs.ErrNotExist.
func (s *Store) StatAll(ctx context.Context, keys []string) ([]media.ObjectInfo, error) {
	out := make([]media.ObjectInfo, len(keys))
	dirs := map[string][]int{} // key indexes by folder
	for i, k := range keys {
		if err := media.CheckKey(k); err != nil {
			return nil, err
		}
		d := path.Dir(k)
		dirs[d] = append(dirs[d], i)
	}
	order := make([]string, 0, len(dirs))
	for d := range dirs {
		order = append(order, d)
	}
	// The folder with the most keys first: listed, it tells what a
	// folder's listing costs.
	slices.SortFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(dirs[b]), len(dirs[a])), strings.Compare(a, b))
	})
	if len(order) == 0 {
		return out, nil
	}
	held := -1 // objects in a folder, once one is listed
	if len(dirs[order[0]]) > 2 && order[0] != "." {
		n, err := s.statPrefix(ctx, order[0]+"/", keys, dirs[order[0]], out)
		if err != nil {
			return nil, err
		}
		held, order = n, order[1:]
	}
	if held >= 0 {
		var err error
		if order, err = s.statParents(ctx, order, dirs, held, keys, out); err != nil {
			return nil, err
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(media.StatAtOnce)
	for _, d := range order {
		idx := dirs[d]
		if held >= 0 && d != "." && listCost(held) < float64(len(idx)) {
			g.Go(func() error {
				_, err := s.statPrefix(ctx, d+"/", keys, idx, out)
				return err
			})
			continue
		}
		for _, i := range idx {
			g.Go(func() error {
				info, _, err := s.head(ctx, keys[i])
				out[i] = info
				return err
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// statParents lists whole the parents of folders (order, their keys'
// indexes in dirs) whose listing costs less than the folders' one by one,
// folders holding about held objects each, and fills out for their keys.
// It returns the folders left.
func (s *Store) statParents(ctx context.Context, order []string, dirs map[string][]int, held int, keys []string, out []media.ObjectInfo) ([]string, error) {
	parents := map[string][]string{}
	for _, d := range order {
		if p := path.Dir(d); d != "." && p != "." {
			parents[p] = append(parents[p], d)
		}
	}
	listed := map[string]bool{}
	for p, ds := range parents {
		var cost float64 // of the folders' listings or HEADs
		for _, d := range ds {
			cost += min(float64(len(dirs[d])), listCost(held))
		}
		// The parent holds these folders at least; how many more, its
		// listing by folder says (one request).
		if len(ds) < 2 || listCost(len(ds)*held) >= cost {
			continue
		}
		folders, err := s.countFolders(ctx, p+"/")
		if err != nil {
			return nil, err
		}
		if listCost(folders*held) >= cost {
			continue
		}
		var idx []int
		for _, d := range ds {
			idx = append(idx, dirs[d]...)
			listed[d] = true
		}
		if _, err := s.statPrefix(ctx, p+"/", keys, idx, out); err != nil {
			return nil, err
		}
	}
	return slices.DeleteFunc(order, func(d string) bool { return listed[d] }), nil
}

// countFolders counts the folders (and objects) right under prefix.
func (s *Store) countFolders(ctx context.Context, prefix string) (int, error) {
	n := 0
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: aws.String(s.prefix + prefix), Delimiter: aws.String("/"), MaxKeys: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("stat %s: %w", s.Location(prefix), Explain(err))
		}
		n += len(page.CommonPrefixes) + len(page.Contents)
	}
	return n, nil
}

// statPrefix fills out[i] for keys[i], i in idx, all under prefix (a
// folder and "/"), from its listing. It returns how many objects the
// listing holds.
func (s *Store) statPrefix(ctx context.Context, prefix string, keys []string, idx []int, out []media.ObjectInfo) (int, error) {
	found := make(map[string]media.ObjectInfo, len(idx))
	for _, i := range idx {
		found[keys[i]] = media.ObjectInfo{Size: -1}
	}
	n := 0
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: aws.String(s.prefix + prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("stat %s: %w", s.Location(prefix), Explain(err))
		}
		for _, o := range page.Contents {
			n++
			k := strings.TrimPrefix(aws.ToString(o.Key), s.prefix)
			if _, ok := found[k]; ok {
				// As a HEAD gives it: Last-Modified has whole seconds.
				found[k] = media.ObjectInfo{Key: k, Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified).Truncate(time.Second)}
			}
		}
	}
	for _, i := range idx {
		info := found[keys[i]]
		if info.Size < 0 {
			return 0, fmt.Errorf("stat %s: %w", s.Location(keys[i]), fs.ErrNotExist)
		}
		out[i] = info
	}
	return n, nil
}
