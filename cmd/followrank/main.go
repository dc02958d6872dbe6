// Command followrank ingests follow figures of the "离退休干部工作" official
// account, stores them in ClickHouse, and produces the rankings, charts and
// tables (通报) that retired-cadre bureaus publish. Run `followrank help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"syscall"
)

// tuneMemory sets the garbage collector for the commands that stream
// sheets: more garbage between collections (faster), under a soft ceiling
// of 112 MiB of heap that keeps an import of millions of rows near 135 MB
// of memory in all (128 MiB let it reach 153 MB once two inserts were in
// flight). GOGC and GOMEMLIMIT in the environment still rule when set.
//
// serve keeps the country's snapshots and pages in memory between runs:
// under a soft ceiling of 280 MiB of heap it stays near 320 MB while 50
// clients ask for dashboards at national scale (BENCHMARKS.md), where
// without one the collector let it reach 610 MB.
func tuneMemory(args []string) {
	if slices.Contains(args, "serve") && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(280 << 20)
		return
	}
	if !slices.Contains(args, "import") && !slices.Contains(args, "ingest") {
		return
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(112 << 20)
	}
}

func main() {
	tuneMemory(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "followrank:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}
