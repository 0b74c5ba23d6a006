package web

import (
	"path/filepath"
	"strings"
	"testing"

	"pinhole/media"
)

// Where the fixture's folder keeps a photo's files: tests reach in to
// damage them.

func originalPath(lib *media.Library, sha string) string {
	return lib.Store().Location(media.OriginalKey(sha))
}

func renditionPath(lib *media.Library, r media.Rendition, sha string) string {
	return lib.Store().Location(media.RenditionKey(r, sha))
}

func previewPath(lib *media.Library, sha string) string {
	return renditionPath(lib, renditionNamed(media.Preview), sha)
}

func thumbnailPath(lib *media.Library, sha string) string {
	return renditionPath(lib, renditionNamed(media.Thumbnail), sha)
}

// repoFiles is the repository's folder as a store, for tests that stream
// its test photos: the key of "../../testdata/x" is "testdata/x".
func repoFiles(t *testing.T) *media.Folder {
	t.Helper()
	f, err := media.NewFolder(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func repoKey(path string) string { return strings.TrimPrefix(path, "../../") }
