// Command dist builds followrank's release into dist/ (`make dist`): for
// linux/amd64, linux/arm64 and linux/loong64 a static binary with the
// version, commit and build date stamped in, a .deb and a .tar.gz; the
// offline bundle a bureau carries into its intranet; and SHA256SUMS.
// README.md, "Install on a server", says what each is for.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}
