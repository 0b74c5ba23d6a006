package testio

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// DecodeQR reads the QR code a frame of a terminal shows (a program's view,
// or what tmux captured of its pane): each cell is two modules high (█ ▀ ▄
// are dark halves), drawn into an image and read by a decoder.
func DecodeQR(t testing.TB, frame string) string {
	t.Helper()
	const px = 4 // pixels per module
	lines := strings.Split(ansi.Strip(frame), "\n")
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	img := image.NewGray(image.Rect(0, 0, (w+8)*px, (len(lines)*2+8)*px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	paint := func(cx, my int) {
		for y := range px {
			for x := range px {
				img.SetGray((cx+4)*px+x, (my+4)*px+y, color.Gray{})
			}
		}
	}
	for y, l := range lines {
		x := 0
		for _, r := range l {
			if r == '█' || r == '▀' {
				paint(x, 2*y)
			}
			if r == '█' || r == '▄' {
				paint(x, 2*y+1)
			}
			x += ansi.StringWidth(string(r))
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: false})
	if err != nil {
		t.Fatalf("no QR code read from the screen: %v\n%s", err, ansi.Strip(frame))
	}
	return res.GetText()
}
