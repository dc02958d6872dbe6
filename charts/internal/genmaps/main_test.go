package main

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// degrees quantizes a position in degrees to whole 1/1024ths, as ECharts'
// encoder does.
func degrees(lon, lat float64) point {
	return point{int64(math.Round(lon * scale)), int64(math.Round(lat * scale))}
}

func TestDecodeString(t *testing.T) {
	for _, tc := range []struct {
		s      string
		offset [2]int64
		want   []point
	}{
		{"@@", [2]int64{10, 20}, []point{{10, 20}}},
		// 'B' is 66: 2, zigzag 1; 'A' is 65: 1, zigzag -1.
		{"@@BA", [2]int64{10, 20}, []point{{10, 20}, {11, 19}}},
		// The offset need not be the first point: the package's own rings start with a step.
		{"FB", [2]int64{119606, 34106}, []point{{119609, 34107}}},
		// A step past 0x7f is a character of two or three UTF-8 bytes, still one UTF-16 code unit.
		{"@@" + string(rune(64+2000)) + string(rune(64+1999)), [2]int64{0, 0}, []point{{0, 0}, {1000, -1000}}},
	} {
		got, err := decodeString(tc.s, tc.offset)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("decodeString(%q, %v) = %v, %v; want %v", tc.s, tc.offset, got, err, tc.want)
		}
	}
	if _, err := decodeString("@@A", [2]int64{}); err == nil {
		t.Error("decodeString of an odd number of code units: no error")
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		pts  []point
	}{
		{"one point", []point{degrees(116.8, 33.3)}},
		{"亳州-like ring", []point{degrees(115.779, 33.876), degrees(115.780, 33.877), degrees(115.781, 33.875), degrees(115.779, 33.876)}},
		{"steps of every sign", []point{{0, 0}, {1, 0}, {0, 1}, {-1, -1}, {-2, 3}, {5, -7}, {0, 0}}},
		// Step 14 zigzags to 28, the code unit 92: a backslash, which JSON escapes.
		{"backslash", []point{{100, 100}, {114, 114}, {100, 100}}},
		{"long steps", []point{{0, 0}, {20000, -20000}, {-5000, 7000}, {0, 0}}},
		{"degrees", []point{degrees(73.5, 39.4), degrees(73.501, 39.399), degrees(80.08, 45.4)}},
	} {
		s, off, err := encodeString(tc.pts)
		if err != nil {
			t.Errorf("%s: encodeString: %v", tc.name, err)
			continue
		}
		if !strings.HasPrefix(s, "@@") || off != [2]int64{tc.pts[0].x, tc.pts[0].y} {
			t.Errorf("%s: encodeString = %q, %v; want the first point as offset and a first step of @@", tc.name, s, off)
		}
		// Through JSON, as the files carry it.
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back string
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		got, err := decodeString(back, off)
		if err != nil || !slices.Equal(got, tc.pts) {
			t.Errorf("%s: decode(encode(pts)) = %v, %v; want %v", tc.name, got, err, tc.pts)
		}
		// And the other way: encode(decode(s)) is s.
		again, off2, err := encodeString(got)
		if err != nil || again != s || off2 != off {
			t.Errorf("%s: encode(decode(%q)) = %q, %v, %v", tc.name, s, again, off2, err)
		}
	}
	for _, tc := range []struct {
		name string
		pts  []point
	}{
		{"no points", nil},
		{"step past 0xffff", []point{{0, 0}, {40000, 0}}},
		{"step into the surrogates", []point{{0, 0}, {(0xd800 - 64) / 2, 0}}},
	} {
		if s, _, err := encodeString(tc.pts); err == nil {
			t.Errorf("%s: encodeString = %q, want an error", tc.name, s)
		}
	}
}

func TestDecodeGeometry(t *testing.T) {
	sq, off, _ := encodeString([]point{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}})
	offJSON, _ := json.Marshal(off)
	for _, tc := range []struct {
		typ, coords, offsets string
		polygons, rings      int
	}{
		{"Polygon", `["` + sq + `"]`, `[` + string(offJSON) + `]`, 1, 1},
		{"MultiPolygon", `[["` + sq + `"],["` + sq + `","` + sq + `"]]`, `[[` + string(offJSON) + `],[` + string(offJSON) + `,` + string(offJSON) + `]]`, 2, 3},
	} {
		polys, err := decodeGeometry(tc.typ, json.RawMessage(tc.coords), json.RawMessage(tc.offsets))
		if err != nil {
			t.Errorf("%s: %v", tc.typ, err)
			continue
		}
		rings := 0
		for _, p := range polys {
			rings += len(p)
			for _, r := range p {
				if len(r) != 5 || r[0] != r[len(r)-1] {
					t.Errorf("%s: ring %v, want the closed square", tc.typ, r)
				}
			}
		}
		if len(polys) != tc.polygons || rings != tc.rings {
			t.Errorf("%s: %d polygons, %d rings; want %d, %d", tc.typ, len(polys), rings, tc.polygons, tc.rings)
		}
	}
	if _, err := decodeGeometry("Polygon", json.RawMessage(`["@@"]`), json.RawMessage(`[]`)); err == nil {
		t.Error("coordinates without offsets: no error")
	}
	if _, err := decodeGeometry("LineString", json.RawMessage(`"@@"`), json.RawMessage(`[0,0]`)); err == nil {
		t.Error("a LineString: no error")
	}
}

func TestDouglasPeucker(t *testing.T) {
	// A line from (0,0) to (100,0) with noise of ±1.
	noisy := []point{{0, 0}}
	for x := int64(5); x < 100; x += 5 {
		noisy = append(noisy, point{x, x/5%3 - 1})
	}
	noisy = append(noisy, point{100, 0})
	var spike []point
	for x := int64(0); x <= 100; x += 5 {
		spike = append(spike, point{x, 0})
	}
	spike[10].y = 8
	for _, tc := range []struct {
		name string
		pts  []point
		tol  float64
		want []point
	}{
		{"noise below the tolerance", noisy, 1.5, []point{{0, 0}, {100, 0}}},
		{"noise at the tolerance", noisy, 1, []point{{0, 0}, {100, 0}}},
		{"a spike above it", spike, 1.5, []point{{0, 0}, {45, 0}, {50, 8}, {55, 0}, {100, 0}}},
		{"nothing to drop", []point{{0, 0}, {5, 5}}, 10, []point{{0, 0}, {5, 5}}},
	} {
		if got := douglasPeucker(tc.pts, tc.tol); !slices.Equal(got, tc.want) {
			t.Errorf("%s: douglasPeucker = %v, want %v", tc.name, got, tc.want)
		}
	}
	// The noise above the tolerance stays.
	if got := douglasPeucker(noisy, 0.5); len(got) < 10 {
		t.Errorf("noise above the tolerance: douglasPeucker kept %d points, want most", len(got))
	}
}

// noisySquare is a closed ring around the square from (x0,y0), side long,
// with a point every 2 units, each off the side by up to noise.
func noisySquare(x0, y0, side, noise int64) ring {
	var r ring
	jitter := func(i int64) int64 { return (i*7919)%(2*noise+1) - noise }
	var i int64
	for x := x0; x < x0+side; x += 2 {
		r = append(r, point{x, y0 + jitter(i)})
		i++
	}
	for y := y0; y < y0+side; y += 2 {
		r = append(r, point{x0 + side + jitter(i), y})
		i++
	}
	for x := x0 + side; x > x0; x -= 2 {
		r = append(r, point{x, y0 + side + jitter(i)})
		i++
	}
	for y := y0 + side; y > y0; y -= 2 {
		r = append(r, point{x0 + jitter(i), y})
		i++
	}
	r[0] = point{x0, y0}
	return closeRing(r)
}

func TestSimplifyRing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		r       ring
		tol     float64
		atLeast int
		atMost  int
	}{
		{"noisy square, noise below the tolerance", noisySquare(0, 0, 100, 1), 2, 4, 9},
		{"clean square", closeRing([]point{{0, 0}, {50, 0}, {100, 0}, {100, 100}, {0, 100}}), 1, 5, 5},
		{"noisy square, noise above the tolerance", noisySquare(0, 0, 100, 3), 1, 40, 1000},
	} {
		s := simplifyRing(tc.r, map[point]bool{}, tc.tol, map[string][]point{})
		if s[0] != s[len(s)-1] {
			t.Errorf("%s: %v is not closed", tc.name, s)
		}
		if len(s) < tc.atLeast || len(s) > tc.atMost || len(s) < 4 {
			t.Errorf("%s: %d points, want %d to %d (and at least 4)", tc.name, len(s), tc.atLeast, tc.atMost)
		}
		if math.Signbit(area(s)) != math.Signbit(area(tc.r)) {
			t.Errorf("%s: simplifying turned the ring round", tc.name)
		}
	}
}

func TestSimplifyCity(t *testing.T) {
	// Two squares sharing a noisy border; the left one has a speck of an
	// island that collapses; the third feature is only a speck.
	left := noisySquare(0, 0, 100, 1)
	shared := map[point]bool{}
	for _, p := range left {
		if p.x >= 99 && p.y > 0 && p.y < 100 {
			shared[p] = true
		}
	}
	// The right square walks the left's east side the other way round.
	right := ring{{100, 0}, {200, 0}, {200, 100}, {100, 100}}
	var east []point
	for _, p := range left {
		if p.x >= 99 && p.y > 0 && p.y < 100 {
			east = append(east, p)
		}
	}
	slices.Reverse(east)
	right = append(right, east...)
	right = closeRing(right)
	speck := closeRing([]point{{300, 300}, {301, 300}, {301, 301}})
	feats := []*feature{
		{code: "1", polygons: [][]ring{{left}, {speck}}},
		{code: "2", polygons: [][]ring{{right}}},
		{code: "3", polygons: [][]ring{{speck}}},
	}
	kept := simplifyCity(feats, 2)
	if !slices.Equal(kept, []string{"3 "}) {
		t.Errorf("kept unsimplified: %q, want feature 3 only", kept)
	}
	if len(feats[0].polygons) != 1 {
		t.Errorf("feature 1 has %d polygons, want the speck dropped", len(feats[0].polygons))
	}
	for _, f := range feats {
		for _, p := range f.polygons {
			for _, r := range p {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Errorf("feature %s: ring %v not closed with at least 4 points", f.code, r)
				}
			}
		}
	}
	// The shared border is simplified once: both sides keep the same points on it.
	onBorder := func(r ring) []point {
		var out []point
		for _, p := range r[:len(r)-1] {
			if shared[p] || p == (point{100, 0}) || p == (point{100, 100}) {
				out = append(out, p)
			}
		}
		slices.SortFunc(out, func(a, b point) int { return int(a.y - b.y) })
		return out
	}
	l, r := onBorder(feats[0].polygons[0][0]), onBorder(feats[1].polygons[0][0])
	if !slices.Equal(l, r) || len(l) < 2 {
		t.Errorf("shared border: left keeps %v, right %v", l, r)
	}
	if n := len(feats[0].polygons[0][0]); n > 12 {
		t.Errorf("left square kept %d points, want it simplified", n)
	}
}

func TestDissolve(t *testing.T) {
	a := ring{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}    // clockwise, as the package winds exteriors
	b := ring{{10, 0}, {10, 10}, {20, 10}, {20, 0}, {10, 0}} // shares a's east side
	far := ring{{50, 50}, {50, 60}, {60, 60}, {60, 50}, {50, 50}}
	out, slivers := dissolve([][]ring{{a}, {b}, {far}})
	if len(out) != 2 || slivers != 0 {
		t.Fatalf("dissolve = %v, %d slivers; want two polygons", out, slivers)
	}
	if got := area(out[0][0]); got != -400 || len(out[0]) != 1 {
		t.Errorf("union: %v, twice its area %v; want one ring of twice the area -400", out[0], got)
	}
	for _, p := range out[0][0] {
		if p == (point{10, 5}) {
			t.Error("the shared border is still there")
		}
	}
}

func TestExtractRegisterMap(t *testing.T) {
	for _, tc := range []struct {
		name, js, wantName, wantBody string
	}{
		{
			"the package's wrapper",
			`(function (root, factory) {factory({}, root.echarts);}(this, function (exports, echarts) {if (!echarts.registerMap) {log('ECharts Map is not loaded');return;}echarts.registerMap('亳州', {"type":"FeatureCollection","features":[{"id":"341602","properties":{"name":"谯城区"}}],"UTF8Encoding":true});}));`,
			"亳州",
			`{"type":"FeatureCollection","features":[{"id":"341602","properties":{"name":"谯城区"}}],"UTF8Encoding":true}`,
		},
		{
			"braces and quotes inside strings",
			`echarts.registerMap("x", {"a":"}{\"}","b":["]"]}) ; trailing {}`,
			"x",
			`{"a":"}{\"}","b":["]"]}`,
		},
	} {
		name, body, err := extractRegisterMap(tc.js)
		if err != nil || name != tc.wantName || body != tc.wantBody {
			t.Errorf("%s: extractRegisterMap = %q, %q, %v; want %q, %q", tc.name, name, body, err, tc.wantName, tc.wantBody)
			continue
		}
		if !json.Valid([]byte(body)) {
			t.Errorf("%s: %q is not JSON", tc.name, body)
		}
	}
	for _, js := range []string{
		`echarts.getMap('x')`,
		`echarts.registerMap(name, {})`,
		`echarts.registerMap('x', {"a":1`,
		`echarts.registerMap('x', [1])`,
	} {
		if _, _, err := extractRegisterMap(js); err == nil {
			t.Errorf("extractRegisterMap(%q): no error", js)
		}
	}
}

func TestCheckFile(t *testing.T) {
	divs := map[string]division{}
	for _, d := range []division{
		{"340000", "安徽省", "000000", "province"},
		{"341600", "亳州市", "340000", "city"},
		{"341602", "谯城区", "341600", "county"},
		{"341621", "涡阳县", "341600", "county"},
		{"370000", "山东省", "000000", "province"},
		{"370100", "济南市", "370000", "city"},
		{"370116", "莱芜区", "370100", "county"},
	} {
		divs[d.code] = d
	}
	sq, off, _ := encodeString([]point{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}})
	feature := func(id, name string) sourceFeature {
		var f sourceFeature
		f.ID, f.Properties.Name = id, name
		f.Geometry.Type = "Polygon"
		f.Geometry.Coordinates, _ = json.Marshal([]string{sq})
		f.Geometry.EncodeOffsets, _ = json.Marshal([][2]int64{off})
		return f
	}
	for _, tc := range []struct {
		name  string
		file  string
		src   []sourceFeature
		codes []string
		msgs  int
		probs int
	}{
		{"all current", "安徽/亳州市", []sourceFeature{feature("341602", "谯城区"), feature("341621", "涡阳县")}, []string{"341602", "341621"}, 0, 0},
		{"no id: found by name", "安徽/亳州市", []sourceFeature{feature("", "涡阳县")}, []string{"341621"}, 1, 0},
		{"renamed by the table", "山东/莱芜市", []sourceFeature{feature("371202", "莱城区")}, []string{"370116"}, 2, 0},
		{"unknown code", "安徽/亳州市", []sourceFeature{feature("341699", "某某县")}, nil, 0, 1},
		{"wrong name", "安徽/亳州市", []sourceFeature{feature("341621", "涡阳市")}, nil, 0, 1},
		{"another city's county", "安徽/亳州市", []sourceFeature{feature("370116", "莱芜区")}, nil, 0, 1},
	} {
		province, feats, msgs, probs, err := checkFile(tc.file, tc.src, divs, map[string]bool{})
		if err != nil || province {
			t.Errorf("%s: checkFile: province %v, %v", tc.name, province, err)
			continue
		}
		var codes []string
		for _, f := range feats {
			codes = append(codes, f.code)
		}
		if !slices.Equal(codes, tc.codes) || len(msgs) != tc.msgs || len(probs) != tc.probs {
			t.Errorf("%s: checkFile = %v, msgs %v, probs %q; want %v, %d msgs, %d probs", tc.name, codes, msgs, probs, tc.codes, tc.msgs, tc.probs)
		}
	}
}
