package media

import (
	"context"
	"path/filepath"
)

// Where the tests' library keeps a photo's files: tests reach into the
// folder to damage it.

func (l *Library) Root() string { return l.folder.Root() }

func (l *Library) OriginalPath(sha string) string {
	return l.folder.path(OriginalKey(sha))
}

func (l *Library) RenditionPath(r Rendition, sha string) string {
	return l.folder.path(RenditionKey(r, sha))
}

func (l *Library) PreviewPath(sha string) string {
	return l.RenditionPath(mustRendition(Preview), sha)
}

func (l *Library) ThumbnailPath(sha string) string {
	return l.RenditionPath(mustRendition(Thumbnail), sha)
}

// paths lists a photo's files: the original, then its renditions.
func (l *Library) paths(sha string) []string {
	var p []string
	for _, k := range Keys(sha) {
		p = append(p, filepath.Join(l.Root(), filepath.FromSlash(k)))
	}
	return p
}

// checkPaths is Check, as paths.
func (l *Library) checkPaths(sha string) []string {
	keys, err := l.Check(context.Background(), sha)
	if err != nil {
		panic(err)
	}
	var p []string
	for _, k := range keys {
		p = append(p, l.folder.path(k))
	}
	return p
}
