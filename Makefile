# followrank: the two commands a new user runs are `make demo` and `make test`.
#
#   make demo   start ClickHouse if none answers (installing Debian's package if
#               needed), build, load the demo figures, write out/dashboard.html,
#               out/ranking.xlsx, out/ranking.csv and out/通报.docx
#   make test   start ClickHouse the same way, install Chromium for the browser
#               tests and LibreOffice for the print tests, go vet, and every
#               test, including those against the real server, in the real
#               browser and printed through LibreOffice
#   make stop   stop the ClickHouse server that these targets started
#   make bench  benchmarks (figures are printed, not asserted)

GO ?= go
BIN := bin/followrank
export FOLLOWRANK_CLICKHOUSE_DSN ?= clickhouse://127.0.0.1:9000/followrank

.PHONY: all build demo test stop bench fuzz clickhouse cluster-test check-go browser office clean screenshots

all: build

check-go:
	@command -v $(GO) >/dev/null 2>&1 || { echo "make: Go is not installed; install Go 1.26 or newer (https://go.dev/dl/)" >&2; exit 1; }

build: check-go
	$(GO) build -o $(BIN) ./cmd/followrank

clickhouse:
	@scripts/clickhouse.sh start

demo: build clickhouse
	./$(BIN) demo
	@echo "Open out/dashboard.html in a browser; sign and send out/通报.docx (and out/ranking.xlsx)."

browser:
	@scripts/browser.sh

# screenshots redraws the README's pictures of the maps and the climb from
# the demo's figures (docs/img/).
screenshots:
	scripts/screenshots.sh

office:
	@scripts/office.sh

test: check-go clickhouse browser office
	$(GO) vet ./...
	FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE=1 FOLLOWRANK_TEST_REQUIRE_BROWSER=1 FOLLOWRANK_TEST_REQUIRE_OFFICE=1 $(GO) test -count=1 -timeout 10m ./...

# bench prints import throughput against clickhouse-client (1 and 5 million
# rows, interleaved runs), the query and render benchmarks, and serve under
# the morning's load at national scale (cmd/benchload); BENCHMARKS.md
# records the figures.
bench: build clickhouse
	$(GO) run ./cmd/benchimport -rows 1000000 -runs 5
	$(GO) run ./cmd/benchimport -rows 5000000 -runs 5
	$(GO) run ./cmd/benchimport -rows 1000000 -runs 5 -layout office
	$(GO) test -run '^$$' -bench . -benchtime 5x ./rank ./charts
	$(GO) run ./cmd/benchload -clients 50 -duration 60s -uncached 30s -import-rows 100000

# cluster-test starts a local ClickHouse cluster (ZooKeeper and two shards of
# two replicas, scripts/cluster.sh), runs the cluster test against it, and
# stops it.
cluster-test: check-go
	@scripts/cluster.sh start
	FOLLOWRANK_CLUSTER_DSN=clickhouse://127.0.0.1:19101,127.0.0.1:19103 \
		$(GO) test -count=1 -run TestClusterMatchesSingleServer -v ./cmd/followrank; \
		status=$$?; scripts/cluster.sh stop; exit $$status

# fuzz runs each fuzz target for FUZZTIME (default 30s); new crashers land in
# sheet/testdata/fuzz or ingest/testdata/fuzz and then fail `make test` until fixed.
FUZZTIME ?= 30s
fuzz: check-go
	for t in FuzzParseCount FuzzParseRate FuzzParseDate; do \
		$(GO) test ./sheet -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) || exit 1; \
	done
	$(GO) test ./sheet -run '^$$' -fuzz '^FuzzReadXLSStream$$' -fuzztime $(FUZZTIME)
	$(GO) test ./ingest -run '^$$' -fuzz '^FuzzImportSheet$$' -fuzztime $(FUZZTIME)

stop:
	@scripts/clickhouse.sh stop

clean:
	rm -rf bin out
