// Package headlesstest is what tests that open pages in Chromium share.
package headlesstest

import (
	"errors"
	"os"
	"testing"

	"followrank/headless"
)

// NeedBrowser skips a test where Chromium is not installed, except under
// `make test` (FOLLOWRANK_TEST_REQUIRE_BROWSER=1) and in CI, which install
// it and where a skip would hide a failure.
func NeedBrowser(t testing.TB) {
	t.Helper()
	if _, err := headless.BrowserPath(); errors.Is(err, headless.ErrNoBrowser) {
		if os.Getenv("FOLLOWRANK_TEST_REQUIRE_BROWSER") == "1" || os.Getenv("CI") == "true" {
			t.Fatal("Chromium is required here: ", err)
		}
		t.Skip("skipping: this test needs Chromium (make test installs Debian's chromium): ", err)
	}
}
