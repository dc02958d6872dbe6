# followrank: the two commands a new user runs are `make demo` and `make test`.
#
#   make demo   start ClickHouse if none answers (installing Debian's package if
#               needed), build, load the demo figures, write out/dashboard.html,
#               out/ranking.xlsx and out/ranking.csv
#   make test   start ClickHouse the same way, install Chromium for the browser
#               tests, go vet, and every test, including those against the real
#               server and in the real browser
#   make stop   stop the ClickHouse server that these targets started
#   make bench  benchmarks (figures are printed, not asserted)

GO ?= go
BIN := bin/followrank
export FOLLOWRANK_CLICKHOUSE_DSN ?= clickhouse://127.0.0.1:9000/followrank

.PHONY: all build demo test stop bench fuzz clickhouse cluster-test check-go browser check-print clean

all: build

check-go:
	@command -v $(GO) >/dev/null 2>&1 || { echo "make: Go is not installed; install Go 1.26 or newer (https://go.dev/dl/)" >&2; exit 1; }

build: check-go
	$(GO) build -o $(BIN) ./cmd/followrank

clickhouse:
	@scripts/clickhouse.sh start

demo: build clickhouse
	./$(BIN) demo
	@echo "Open out/dashboard.html in a browser; print or send out/ranking.xlsx."

browser:
	@scripts/browser.sh

test: check-go clickhouse browser
	$(GO) vet ./...
	FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE=1 FOLLOWRANK_TEST_REQUIRE_BROWSER=1 $(GO) test -count=1 -timeout 10m ./...

# bench prints import throughput against clickhouse-client (1 and 5 million
# rows, interleaved runs) and the query and render benchmarks; BENCHMARKS.md
# records the figures.
bench: build clickhouse
	$(GO) run ./cmd/benchimport -rows 1000000 -runs 5
	$(GO) run ./cmd/benchimport -rows 5000000 -runs 5
	$(GO) test -run '^$$' -bench . -benchtime 5x ./rank ./charts

# cluster-test starts a local ClickHouse cluster (ZooKeeper and two shards of
# two replicas, scripts/cluster.sh), runs the cluster test against it, and
# stops it.
cluster-test: check-go
	@scripts/cluster.sh start
	FOLLOWRANK_CLUSTER_DSN=clickhouse://127.0.0.1:19101,127.0.0.1:19103 \
		$(GO) test -count=1 -run TestClusterMatchesSingleServer -v ./cmd/followrank; \
		status=$$?; scripts/cluster.sh stop; exit $$status

# check-print converts a ranking table to PDF with LibreOffice and checks that
# it prints on A4 width (installs LibreOffice, about 200 MB, the first time).
check-print: check-go
	@command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || \
		{ if [ "$$(id -u)" -eq 0 ]; then s=; else s=sudo; fi; \
		  $$s env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		  $$s env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui poppler-utils >/dev/null; }
	$(GO) test -count=1 -run TestXLSXPrintsOnA4Width -v ./export

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
