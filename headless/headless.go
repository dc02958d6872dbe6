// Package headless runs the programs followrank draws and prints with,
// without a screen: Chromium, to turn a chart page into a PNG or a page
// into a PDF and for the tests that check what a page shows; and
// LibreOffice, to turn a document into a PDF.
package headless

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser says no Chromium is installed to render with.
var ErrNoBrowser = errors.New("no Chromium found: install it (Debian/Ubuntu: apt-get install chromium) or set FOLLOWRANK_CHROMIUM to its path")

// BrowserPath finds Chromium: $FOLLOWRANK_CHROMIUM, or chromium,
// chromium-browser or google-chrome on the PATH.
func BrowserPath() (string, error) {
	if p := os.Getenv("FOLLOWRANK_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Browsed is a page open in headless Chromium, cut off from the network.
type Browsed struct {
	ctx    context.Context
	cancel func()
	mu     sync.Mutex
	errs   []string
}

// Open loads an HTML file in headless Chromium with every network request
// refused, and waits until its charts are drawn (or, on a page whose body
// says data-charts="none", until it is loaded). Script errors are kept
// for Errors.
func Open(ctx context.Context, htmlPath string, width, height int) (*Browsed, error) {
	abs, err := filepath.Abs(htmlPath)
	if err != nil {
		return nil, err
	}
	return OpenURL(ctx, "file://"+abs, width, height)
}

// OpenURL is Open for a page served over HTTP, on loopback: the web app's.
func OpenURL(ctx context.Context, pageURL string, width, height int) (*Browsed, error) {
	exe, err := BrowserPath()
	if err != nil {
		return nil, err
	}
	bypass := "<-loopback>"
	if u, err := url.Parse(pageURL); err == nil && u.Host != "" {
		bypass = u.Host
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		// Offline: every request that is not for the file itself, or the
		// server of the page, goes to a proxy that does not exist.
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
		chromedp.Flag("proxy-bypass-list", bypass),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b := &Browsed{ctx: bctx, cancel: func() { bcancel(); acancel() }}
	if err := chromedp.Listen(bctx, b.record); err != nil {
		b.Close()
		return nil, fmt.Errorf("start Chromium (%s): %w", exe, err)
	}
	wait, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	err = chromedp.Do(wait,
		// A window is at least 500 px wide: a phone's width is emulated.
		chromedp.EmulateViewport(int64(width), int64(height)),
		chromedp.Navigate(pageURL),
		// A page without charts says so on its body (data-charts="none").
		chromedp.Poll[chromedp.Void](`(window.followrankCharts && window.followrankCharts.length > 0) || (document.readyState === "complete" && document.body.dataset.charts === "none")`, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Sleep(300*time.Millisecond), // let the first frame paint
	)
	if err != nil {
		b.Close()
		if errs := b.Errors(); len(errs) > 0 {
			return nil, fmt.Errorf("open %s: %w; the page said: %s", pageURL, err, strings.Join(errs, "; "))
		}
		return nil, fmt.Errorf("open %s in Chromium: %w", pageURL, err)
	}
	return b, nil
}

func (b *Browsed) record(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil && e.ExceptionDetails.Exception.Description != "" {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range e.Args {
			parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
		}
		msg = "console.error: " + strings.Join(parts, " ")
	default:
		return
	}
	b.mu.Lock()
	b.errs = append(b.errs, msg)
	b.mu.Unlock()
}

// Errors returns the script errors the page raised so far.
func (b *Browsed) Errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errs...)
}

// Eval runs a JavaScript expression in the page and decodes its JSON value.
func (b *Browsed) Eval(expr string, out any) error {
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](expr))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, out)
}

// PNG is a picture of the page's content, as tall as the content (a page
// of one small chart is not padded to the window's height).
func (b *Browsed) PNG() ([]byte, error) {
	return chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS("body")))
}

// Close shuts the browser.
func (b *Browsed) Close() { b.cancel() }

// RenderPNG draws an HTML page of charts into a PNG file, as a manager's
// browser would show it. It fails if the page raises a script error.
func RenderPNG(ctx context.Context, htmlPath, pngPath string) error {
	b, err := Open(ctx, htmlPath, 1280, 900)
	if err != nil {
		return err
	}
	defer b.Close()
	if errs := b.Errors(); len(errs) > 0 {
		return fmt.Errorf("%s raised script errors: %s", htmlPath, strings.Join(errs, "; "))
	}
	png, err := b.PNG()
	if err != nil {
		return fmt.Errorf("screenshot %s: %w", htmlPath, err)
	}
	return os.WriteFile(pngPath, png, 0o644)
}

// PDF prints the page on A4 as Chromium prints it, in the margins the
// page's @page rule sets, with footer (an HTML template in which
// <span class="pageNumber"></span> and <span class="totalPages"></span>
// are filled in) at the foot of every page.
func (b *Browsed) PDF(footer string) ([]byte, error) {
	yes := true
	return chromedp.Run(b.ctx, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{
			PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes, PrintBackground: &yes,
			DisplayHeaderFooter: &yes, HeaderTemplate: "<span></span>", FooterTemplate: footer,
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}))
}

// ErrNoOffice says no LibreOffice is installed to convert with.
var ErrNoOffice = errors.New("no LibreOffice found: install it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or set FOLLOWRANK_SOFFICE to its path")

// OfficePath finds LibreOffice: $FOLLOWRANK_SOFFICE, or soffice or
// libreoffice on the PATH.
func OfficePath() (string, error) {
	if p := os.Getenv("FOLLOWRANK_SOFFICE"); p != "" {
		return p, nil
	}
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoOffice
}

// OfficePDF converts a document (DOCX, XLSX) to PDF with headless
// LibreOffice, in a profile of its own so that it runs beside an open
// LibreOffice, and returns the PDF.
func OfficePDF(ctx context.Context, docPath string) ([]byte, error) {
	exe, err := OfficePath()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "followrank-office-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, docPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("LibreOffice could not convert %s: %v: %s", filepath.Base(docPath), err, strings.TrimSpace(string(out)))
	}
	name := strings.TrimSuffix(filepath.Base(docPath), filepath.Ext(docPath)) + ".pdf"
	pdf, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("LibreOffice wrote no PDF of %s", filepath.Base(docPath))
	}
	return pdf, nil
}
