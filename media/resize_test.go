package media

import "testing"

func TestResizePlane(t *testing.T) {
	for _, tc := range [][4]int{{4032, 3024, 2048, 1536}, {100, 1, 7, 1}, {1, 1, 1, 1}, {2, 1, 1, 1}, {3, 5, 40, 50}, {640, 480, 400, 300}} {
		src := newPlane(tc[0], tc[1])
		for i := range src.pix {
			src.pix[i] = 173
		}
		dst := resizePlane(src, tc[2], tc[3])
		if dst.w != tc[2] || dst.h != tc[3] || len(dst.pix) != tc[2]*tc[3] {
			t.Fatalf("%v: got %d×%d", tc, dst.w, dst.h)
		}
		for i, v := range dst.pix {
			if v < 172 || v > 174 {
				t.Fatalf("%v: flat grey became %d at %d", tc, v, i)
			}
		}
	}
}

func TestOrientPlane(t *testing.T) {
	// 2×3 plane: values 0..5 row by row.
	p := plane{pix: []byte{0, 1, 2, 3, 4, 5}, w: 3, h: 2, stride: 3}
	want := map[int][]byte{
		1: {0, 1, 2, 3, 4, 5},
		2: {2, 1, 0, 5, 4, 3},
		3: {5, 4, 3, 2, 1, 0},
		4: {3, 4, 5, 0, 1, 2},
		5: {0, 3, 1, 4, 2, 5},
		6: {3, 0, 4, 1, 5, 2},
		7: {5, 2, 4, 1, 3, 0},
		8: {2, 5, 1, 4, 0, 3},
	}
	for o, w := range want {
		got := orientPlane(p, o)
		if string(got.pix[:len(w)]) != string(w) {
			t.Errorf("orientation %d: %v, want %v", o, got.pix, w)
		}
	}
}
