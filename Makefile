# followrank: the two commands a new user runs are `make demo` and `make test`.
#
#   make demo   start ClickHouse if none answers (installing Debian's package if
#               needed), build, load the demo figures, write out/dashboard.html,
#               out/ranking.xlsx, out/ranking.csv and out/通报.docx
#   make test   start ClickHouse the same way, install Chromium for the browser
#               tests and LibreOffice for the print tests, go vet, and every
#               test, including those against the real server, in the real
#               browser and printed through LibreOffice; then, when Node.js is
#               here, every SELECT those tests sent, on current ClickHouse too
#               (see test-current)
#   make test-current  the store's, the engine's and the program's tests, and
#               every SELECT they send run on ClickHouse 26.7 (chDB, installed
#               with npm into a cache) and on the 18.16 server: the same answers
#   make stop   stop the ClickHouse server that these targets started
#   make dist   the release in dist/: a .deb and a .tar.gz for amd64, arm64
#               and loong64, the offline bundle and SHA256SUMS
#   make test-dist  build the release, check each package, install the amd64
#               one into a copy of this machine, run arm64 and loong64 under qemu
#   make bench  benchmarks (figures are printed, not asserted)

GO ?= go
BIN := bin/followrank
export FOLLOWRANK_CLICKHOUSE_DSN ?= clickhouse://127.0.0.1:9000/followrank
# CHDB is where chDB, current ClickHouse in process (the npm package chdb,
# about 550 MB), is installed: a cache outside the repository.
CHDB ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/followrank/chdb
# STATEMENTS logs every statement the tests send (clickhouse.statement_log).
STATEMENTS := $(CURDIR)/var/current/statements.jsonl
NODE := $(shell command -v node 2>/dev/null)

.PHONY: all build demo test test-current current stop bench fuzz clickhouse cluster-test check-go browser office clean screenshots

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
	@mkdir -p $(dir $(STATEMENTS)) && rm -f $(STATEMENTS)
ifneq ($(NODE),)
	@scripts/current/install.sh "$(CHDB)"
endif
	FOLLOWRANK_CLICKHOUSE_STATEMENT_LOG=$(STATEMENTS) $(if $(NODE),FOLLOWRANK_CHDB="$(CHDB)") \
	FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE=1 FOLLOWRANK_TEST_REQUIRE_BROWSER=1 FOLLOWRANK_TEST_REQUIRE_OFFICE=1 $(GO) test -count=1 -timeout 10m ./...
ifneq ($(NODE),)
	@$(MAKE) --no-print-directory current
else
	@echo "test-current: skipped, Node.js not found"
endif

# test-current shows that the store works on current ClickHouse. It runs the
# store's, the engine's and the program's tests (not the fault and cluster
# tests) with every statement logged, and the test of the comparison; then
# scripts/current runs every SELECT they sent, and those of the program
# filling a fixture, on chDB (ClickHouse 26.7 in process, installed with npm
# into CHDB) and on the 18.16 server over the same data, and fails where one
# fails or the answers differ. `make test` does the same over all its tests.
test-current: check-go clickhouse
	@command -v node >/dev/null 2>&1 || { echo "test-current: Node.js not found; install it (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	@scripts/current/install.sh "$(CHDB)"
	@mkdir -p $(dir $(STATEMENTS)) && rm -f $(STATEMENTS)
	FOLLOWRANK_CLICKHOUSE_STATEMENT_LOG=$(STATEMENTS) FOLLOWRANK_CHDB="$(CHDB)" FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE=1 \
		$(GO) test -count=1 -skip 'TestFault|TestCluster' ./store/... ./rank ./ingest/... ./cmd/followrank ./scripts/current
	@$(MAKE) --no-print-directory current

# current compares the statements logged in STATEMENTS (scripts/current).
current: build
	$(GO) run ./scripts/current -chdb "$(CHDB)" -followrank $(BIN) $(STATEMENTS)

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

# dist writes the release into dist/ (cmd/dist): static binaries for
# linux/amd64, arm64 and loong64 with the version, commit and date stamped
# in, a .deb and a .tar.gz for each, the offline bundle (with Debian 12's
# ClickHouse for amd64 when apt knows it: scripts/clickhouse-debs.sh) and
# SHA256SUMS. VERSION=1.2.0 numbers it; else git describe does.
.PHONY: dist test-dist
dist: check-go
	@status=0; scripts/clickhouse-debs.sh var/clickhouse-debs || status=$$?; \
	case $$status in 0) ch="-clickhouse var/clickhouse-debs" ;; 3) ch="" ;; *) exit $$status ;; esac; \
	echo "$(GO) run ./cmd/dist -o dist $(if $(VERSION),-version $(VERSION) )$$ch"; \
	$(GO) run ./cmd/dist -o dist $(if $(VERSION),-version $(VERSION)) $$ch

# test-dist builds the release and checks it (cmd/dist, TestRelease): each
# package's fields, files and scripts (dpkg-deb) and lintian's verdict; the
# amd64 package installed with dpkg into a copy of this machine (an overlay,
# through sudo when not root), run, upgraded, removed and purged, and the
# .tar.gz's install.sh likewise; the arm64 and loong64 binaries running
# version and demo under qemu-user against the test ClickHouse; the offline
# bundle installed on a fresh Debian 12 with no network
# (scripts/offline-check.sh; debootstrap makes it once, in var/). CI runs it.
test-dist: check-go clickhouse
	@scripts/dist-tools.sh
	@scripts/clickhouse-debs.sh var/clickhouse-debs
	FOLLOWRANK_TEST_DIST=1 FOLLOWRANK_DIST_CLICKHOUSE=$(CURDIR)/var/clickhouse-debs FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE=1 \
		$(GO) test -count=1 -timeout 15m -v -run '^TestRelease$$' ./cmd/dist

# fuzz runs each fuzz target for FUZZTIME (default 30s); new crashers land in
# sheet/testdata/fuzz or ingest/testdata/fuzz and then fail `make test` until fixed.
FUZZTIME ?= 30s
fuzz: check-go
	for t in FuzzParseCount FuzzParseRate FuzzParseDate FuzzClean; do \
		$(GO) test ./sheet -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) || exit 1; \
	done
	$(GO) test ./sheet -run '^$$' -fuzz '^FuzzCSVMatchesEncodingCSV$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s
	$(GO) test ./sheet -run '^$$' -fuzz '^FuzzReadXLSStream$$' -fuzztime $(FUZZTIME)
	$(GO) test ./ingest -run '^$$' -fuzz '^FuzzImportSheet$$' -fuzztime $(FUZZTIME)

stop:
	@scripts/clickhouse.sh stop

clean:
	rm -rf bin out dist
