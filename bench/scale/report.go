package main

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"
)

// point is one measurement: the cost per item at a size.
type point struct {
	N int
	V float64
}

// series is one cost measured at growing sizes. Its ratio is the cost per
// item at the largest size over the cost at Base (1,000 where measured).
type series struct {
	Name, Unit string
	Base       int
	Target     float64 // the most the ratio may be; 0: no target
	Pts        []point
}

func (s series) at(n int) float64 {
	for _, p := range s.Pts {
		if p.N == n {
			return p.V
		}
	}
	return math.NaN()
}

func (s series) ratio() float64 { return s.Pts[len(s.Pts)-1].V / s.at(s.Base) }

type report struct {
	series []series
	tables []string // further markdown, in order
	took   time.Duration
	quick  bool
}

func (r *report) add(s series)    { r.series = append(r.series, s) }
func (r *report) table(md string) { r.tables = append(r.tables, md) }

func num(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func val(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func (r *report) markdown() string {
	var b strings.Builder
	when := time.Now().UTC().Format("2006-01-02")
	fmt.Fprintf(&b, "Run of %s (%s, %s in all).\n\n", when, map[bool]string{true: "-quick", false: "full sizes"}[r.quick], r.took.Round(time.Second))
	b.WriteString("| cost | per | at each size | largest ÷ at base | target |\n|---|---|---|---|---|\n")
	for _, s := range r.series {
		var at []string
		for _, p := range s.Pts {
			at = append(at, num(p.N)+": "+val(p.V))
		}
		target, mark := "—", ""
		if s.Target > 0 {
			target = fmt.Sprintf("≤ %.1f×", s.Target)
			if s.ratio() > s.Target {
				mark = " ✗"
			} else {
				mark = " ✓"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | **%.2f×** (÷ %s)%s | %s |\n", s.Name, s.Unit, strings.Join(at, " · "), s.ratio(), num(s.Base), mark, target)
	}
	for _, t := range r.tables {
		b.WriteString("\n" + t + "\n")
	}
	b.WriteString("\n![cost per item over cost per item at base, by size](scale.svg)\n")
	return b.String()
}

// svg plots each series' cost per item over its cost at base, against the
// size on a log scale, with the 1.5× target.
func (r *report) svg() string {
	const w, h, l, rt, t, bt = 760, 440, 60, 250, 20, 50
	minN, maxN, maxY := math.Inf(1), math.Inf(-1), 2.0
	for _, s := range r.series {
		for _, p := range s.Pts {
			minN, maxN = math.Min(minN, float64(p.N)), math.Max(maxN, float64(p.N))
			maxY = math.Max(maxY, p.V/s.at(s.Base))
		}
	}
	maxY = math.Ceil(maxY*2) / 2
	x := func(n float64) float64 {
		return l + (math.Log10(n)-math.Log10(minN))/(math.Log10(maxN)-math.Log10(minN))*(w-l-rt)
	}
	y := func(v float64) float64 { return h - bt - v/maxY*(h-t-bt) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", w, h)
	for v := 0.0; v <= maxY+1e-9; v += 0.5 {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%.1f×</text>`+"\n", l, w-rt, y(v), y(v), l-6, y(v)+4, v)
	}
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#c00" stroke-dasharray="6 4"/><text x="%d" y="%.1f" fill="#c00">target 1.5×</text>`+"\n", l, w-rt, y(1.5), y(1.5), w-rt+4, y(1.5)+4)
	for e := math.Ceil(math.Log10(minN)); e <= math.Log10(maxN)+1e-9; e++ {
		n := math.Pow(10, e)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ddd"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x(n), x(n), t, h-bt, x(n), h-bt+16, num(int(n)))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">items (photos, events, galleries)</text>`+"\n", (l+w-rt)/2, h-12)
	fmt.Fprintf(&b, `<text x="14" y="%d" transform="rotate(-90 14 %d)" text-anchor="middle">cost per item ÷ cost per item at base</text>`+"\n", h/2, h/2)
	colours := []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"}
	for i, s := range r.series {
		c := colours[i%len(colours)]
		var pts []string
		for _, p := range s.Pts {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(float64(p.N)), y(p.V/s.at(s.Base))))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", c, strings.Join(pts, " "))
		for _, p := range pts {
			xy := strings.Split(p, ",")
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`, xy[0], xy[1], c)
		}
		ly := t + 14*i
		fmt.Fprintf(&b, "\n"+`<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/><text x="%d" y="%d">%s</text>`+"\n", w-rt+14, w-rt+30, ly+20, ly+20, c, w-rt+34, ly+24, html.EscapeString(s.Name))
	}
	b.WriteString("</svg>\n")
	return b.String()
}
