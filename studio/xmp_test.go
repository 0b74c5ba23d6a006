package studio

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteSidecars: picks are matched by name (case-insensitively if need
// be); a new sidecar is made, an existing one keeps every other field and
// has its rating and label replaced; a pick not in the folder is reported;
// the photos are never touched.
func TestWriteSidecars(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("IMG_1.JPG", "photo one")
	write("a.jpg", "photo a")
	write("a.xmp", `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
   xmp:Rating="2" crs:Exposure2012="+0.35">
  <xmp:Label>Red</xmp:Label>
 </rdf:Description></rdf:RDF></x:xmpmeta>`)

	rep, err := WriteSidecars(dir, []string{"img_1.jpg", "a.jpg", "missing.jpg"}, "Green & Blue", 5)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written != 2 || rep.Missing() != 1 || rep.Failed() != 0 || rep.Problems[0].Pick != "missing.jpg" {
		t.Fatalf("report %+v", rep)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "a.xmp"))
	for _, want := range []string{`xmp:Rating="5"`, `<xmp:Label>Green &amp; Blue</xmp:Label>`, `crs:Exposure2012="+0.35"`} {
		if !strings.Contains(string(a), want) {
			t.Errorf("a.xmp lacks %q:\n%s", want, a)
		}
	}
	one, err := os.ReadFile(filepath.Join(dir, "IMG_1.xmp"))
	if err != nil || !strings.Contains(string(one), `xmp:Rating="5"`) || !strings.Contains(string(one), `xmp:Label="Green &amp; Blue"`) {
		t.Errorf("IMG_1.xmp: %v\n%s", err, one)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "IMG_1.JPG")); string(b) != "photo one" {
		t.Errorf("the photo was touched: %q", b)
	}
	if _, err := WriteSidecars(filepath.Join(dir, "nope"), []string{"a.jpg"}, "Green", 5); err == nil {
		t.Error("a missing folder is not an error")
	}
	if got := LightroomLine([]string{"IMG_1.JPG", "a.b.jpg"}); got != "IMG_1, a.b" {
		t.Errorf("LightroomLine = %q", got)
	}
}
