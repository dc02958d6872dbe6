package headless

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// Label is one text ECharts drew, in its chart's own pixels, as the page
// reports it.
type Label struct {
	Text       string
	X, Y, W, H float64
	Axis       bool // an axis label or axis name
}

// overlaps tells whether two labels come closer than dx pixels side by
// side or dy pixels one above the other (a negative gap allows that much
// overlap: anti-aliasing, not overlap).
func (a Label) overlaps(b Label, dx, dy float64) bool {
	return a.X-dx < b.X+b.W && b.X-dx < a.X+a.W && a.Y-dy < b.Y+b.H && b.Y-dy < a.Y+a.H
}

// DrawnChart is what one chart of a page shows.
type DrawnChart struct {
	ID            string
	Width, Height float64
	Labels        []Label
	Struck        []string // labels a mark line is drawn over
}

// drawnLabels reads every text each chart of the page shows (the ones
// ECharts hid to avoid overlap are not shown), with its box after every
// transform, through ECharts' and zrender's own API.
const drawnLabels = `followrankCharts.map(c => {
	const axis = new Set();
	["xAxis", "yAxis"].forEach(t => c.getModel().eachComponent(t, m => {
		const v = c.getViewOfComponentModel(m);
		if (v) v.group.traverse(el => { axis.add(el); }); // a true answer would stop the walk
	}));
	// A label of several lines is drawn as one span per line: take the
	// whole label, once.
	const texts = new Set();
	c.getZr().storage.getDisplayList(true).forEach(el => {
		if (!el.style || !el.style.text || el.ignore || el.invisible || el.style.opacity === 0) return;
		let top = el;
		while (top.parent && top.parent.type === "text") top = top.parent;
		texts.add(top);
	});
	const labels = [...texts].map(el => {
		const r = el.getBoundingRect().clone();
		const m = el.getComputedTransform();
		if (m) r.applyTransform(m);
		return {Text: String(el.style.text), X: r.x, Y: r.y, W: r.width, H: r.height, Axis: axis.has(el)};
	});
	// Mark lines drawn above a label strike through it.
	const box = el => { const r = el.getBoundingRect().clone(); const m = el.getComputedTransform(); if (m) r.applyTransform(m); return r; };
	const above = (a, b) => a.zlevel > b.zlevel || (a.zlevel === b.zlevel && (a.z > b.z || (a.z === b.z && a.z2 > b.z2)));
	const lines = c.getZr().storage.getDisplayList(true).filter(el => el.type === "ec-line" && !el.ignore);
	const struck = [];
	texts.forEach(t => lines.forEach(l => { if (above(l, t) && box(l).intersect(box(t))) struck.push(String(t.style.text)); }));
	return {ID: c.getDom().id, Width: c.getWidth(), Height: c.getHeight(), Labels: labels, Struck: struck};
})`

// Labels reads the labels of every chart on the page.
func (b *Browsed) Labels() ([]DrawnChart, error) {
	var drawn []DrawnChart
	return drawn, b.Eval(drawnLabels, &drawn)
}

// Problems says where a label runs off its chart, where two labels
// overlap, or two axis labels touch, and where a mark line is drawn over a
// label: what a reader would see as clipped or garbled.
func (c DrawnChart) Problems() []string {
	var out []string
	if len(c.Labels) == 0 {
		out = append(out, fmt.Sprintf("%s: no text drawn", c.ID))
	}
	for _, s := range c.Struck {
		out = append(out, fmt.Sprintf("%s: a mark line strikes through %q", c.ID, s))
	}
	for i, a := range c.Labels {
		if a.X < -0.5 || a.Y < -0.5 || a.X+a.W > c.Width+0.5 || a.Y+a.H > c.Height+0.5 {
			out = append(out, fmt.Sprintf("%s: %q is clipped: box (%.0f,%.0f)+(%.0fx%.0f) in a %.0fx%.0f chart", c.ID, a.Text, a.X, a.Y, a.W, a.H, c.Width, c.Height))
		}
		for _, b := range c.Labels[i+1:] {
			dx, dy := -0.5, -0.5
			if a.Axis && b.Axis {
				dx, dy = 2, 4 // axis labels that nearly touch read as one (100 over 104)
			}
			if a.overlaps(b, dx, dy) {
				out = append(out, fmt.Sprintf("%s: %q (axis %v) overlaps %q (axis %v): (%.0f,%.0f %.0fx%.0f) and (%.0f,%.0f %.0fx%.0f)",
					c.ID, a.Text, a.Axis, b.Text, b.Axis, a.X, a.Y, a.W, a.H, b.X, b.Y, b.W, b.H))
			}
		}
	}
	return out
}

// Click clicks the page at a point of the window, as a finger would.
func (b *Browsed) Click(x, y float64) error {
	_, err := chromedp.Run(b.ctx, chromedp.MouseClickXY(x, y))
	return err
}

// Do runs chromedp actions on the page: for tests that walk it.
func (b *Browsed) Do(actions ...chromedp.Action[chromedp.Void]) error {
	return chromedp.Do(b.ctx, actions...)
}

// WaitCharts waits for the page now shown to have drawn its charts.
func (b *Browsed) WaitCharts(ctx context.Context) error {
	wait, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	return chromedp.Do(wait,
		chromedp.Poll[chromedp.Void](`document.readyState === "complete" && window.followrankCharts && window.followrankCharts.length > 0`, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Sleep(300*time.Millisecond))
}
