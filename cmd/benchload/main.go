// Command benchload measures `followrank serve` the morning a 通报 link goes
// to a WeChat group: many managers at once, each opening the dashboard of
// their own province, city or county at a recent date, over the national
// benchmark data (China's 2,851 county-level divisions, 100,000 units, 36
// months; go test -bench National ./rank creates it). It runs serve as a
// bureau does, drives it with concurrent clients for a while and prints
// latency percentiles, throughput, errors, serve's peak memory and the bytes
// of a view; then the same with an import of new figures landing half-way,
// checking that every page asked for after the import shows them; then the
// same load with no pages kept in memory, for the ratio. `make bench` runs it.
package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"followrank/config"
	"followrank/units"
)

func main() {
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 60*time.Second, "how long each load runs")
	uncached := flag.Duration("uncached", 20*time.Second, "how long the load without kept pages runs (0: not run)")
	rows := flag.Int("import-rows", 100_000, "rows of the import that lands half-way (0: none)")
	bin := flag.String("followrank", "bin/followrank", "the followrank binary")
	db := flag.String("db", "followrank_bench_national", "the national benchmark database")
	flag.Parse()
	if err := run(*clients, *duration, *uncached, *rows, *bin, *db); err != nil {
		fmt.Fprintln(os.Stderr, "benchload:", err)
		os.Exit(1)
	}
}

// result is one load's figures.
type result struct {
	name                    string
	requests, errors, stale int64
	p50, p95, p99, max      time.Duration
	throughput              float64
	peakRSS, viewBytes      int64
	firstVisit              int64
	importedTook            time.Duration
}

func run(clients int, duration, uncached time.Duration, rows int, bin, db string) error {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	dsn := os.Getenv("FOLLOWRANK_CLICKHOUSE_DSN")
	if dsn == "" {
		dsn = config.DefaultDSN
	}
	cfg := config.ClickHouse{DSN: dsn}
	// The loads run on a copy, which the import changes; the national
	// benchmarks keep theirs.
	work := db + "_load"
	if err := clone(cfg, db, work); err != nil {
		return err
	}
	base := strings.TrimSuffix(dsn, "/"+cfg.Database()) + "/" + work
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		return err
	}
	var scopes []string
	for _, n := range tree.All() {
		// The benchmark's units are below counties: a city without counties
		// (东莞市, 中山市) has nothing to rank there.
		if n.Level == units.County || ((n.Level == units.Province || n.Level == units.City) && len(tree.Descendants(n.Code, units.County)) > 0) {
			scopes = append(scopes, n.Code)
		}
	}
	// The benchmark's last month ends and the five before it.
	last := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	var dates []string
	for i := range 6 {
		dates = append(dates, time.Date(last.Year(), last.Month()-time.Month(i)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
	}
	dir, err := os.MkdirTemp("", "followrank-benchload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	var results []result
	for _, load := range []struct {
		name   string
		cache  string
		length time.Duration
		rows   int
	}{
		{"pages kept", "0", duration, 0},
		{"pages kept, an import lands half-way", "0", duration, rows},
		{"no pages kept", "-1", uncached, 0},
	} {
		if load.length == 0 || (load.name == "pages kept, an import lands half-way" && load.rows == 0) {
			continue
		}
		fmt.Fprintf(os.Stderr, "benchload: %s, %d clients for %s\n", load.name, clients, load.length)
		r, err := drive(load.name, bin, base, load.cache, dir, scopes, dates, clients, load.length, load.rows, tree)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	fmt.Printf("\n%-40s %9s %7s %6s %8s %8s %8s %8s %9s %9s %10s\n", "load", "requests", "req/s", "errors", "p50", "p95", "p99", "max", "peak RSS", "view", "first visit")
	for _, r := range results {
		fmt.Printf("%-40s %9d %7.0f %6d %8s %8s %8s %8s %8dM %8dB %9dKB\n", r.name, r.requests, r.throughput, r.errors+r.stale,
			ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), r.peakRSS>>20, r.viewBytes, r.firstVisit>>10)
		if r.importedTook > 0 {
			fmt.Printf("%-40s import of the new month took %s; pages after it without the new figures: %d\n", "", r.importedTook.Round(time.Millisecond), r.stale)
		}
	}
	if len(results) == 3 {
		fmt.Printf("\np95 without kept pages / with: %.1f×; throughput with / without: %.1f×\n",
			float64(results[2].p95)/float64(results[0].p95), results[0].throughput/results[2].throughput)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// drive starts serve, loads it and stops it.
func drive(name, bin, dsn, cache, dir string, scopes, dates []string, clients int, length time.Duration, rows int, tree *units.Tree) (result, error) {
	r := result{name: name}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return r, err
	}
	addr := ln.Addr().String()
	ln.Close()
	env := append(os.Environ(), "FOLLOWRANK_CLICKHOUSE_DSN="+dsn, "FOLLOWRANK_SERVER_PAGE_CACHE_BYTES="+cache, "FOLLOWRANK_LOG_LEVEL=warn")
	serve := exec.Command(bin, "serve", "--addr", addr)
	serve.Env, serve.Dir, serve.Stderr = env, dir, os.Stderr
	if err := serve.Start(); err != nil {
		return r, err
	}
	defer func() { serve.Process.Signal(os.Interrupt); serve.Wait() }()
	url := "http://" + addr
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}, Timeout: 30 * time.Second}
	for i := 0; ; i++ {
		if resp, err := client.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if i > 300 {
			return r, fmt.Errorf("serve did not answer on %s", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	first, err := firstVisit(client, url+"/?within=340000")
	if err != nil {
		return r, err
	}
	r.firstVisit = first

	var (
		mu       sync.Mutex
		times    []time.Duration
		bytes    atomic.Int64
		requests atomic.Int64
		errs     atomic.Int64
		stale    atomic.Int64
		landed   atomic.Pointer[time.Time]
	)
	newDate := "2024-07-31"
	ctx, cancel := context.WithTimeout(context.Background(), length)
	defer cancel()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 2024))
			var mine []time.Duration
			for ctx.Err() == nil {
				scope := scopes[rng.IntN(len(scopes))]
				q := "/?within=" + scope + "&date=" + dates[rng.IntN(len(dates))]
				after := landed.Load()
				if after != nil && rng.IntN(4) == 0 {
					q = "/?within=" + scope // the latest date: must be the import's
				}
				start := time.Now()
				req, _ := http.NewRequestWithContext(ctx, "GET", url+q, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
						fmt.Fprintln(os.Stderr, "benchload:", err)
					}
					continue
				}
				var page strings.Builder
				n, _ := io.Copy(&page, resp.Body)
				resp.Body.Close()
				took := time.Since(start)
				requests.Add(1)
				bytes.Add(n)
				mine = append(mine, took)
				if resp.StatusCode != 200 {
					errs.Add(1)
					fmt.Fprintf(os.Stderr, "benchload: %s: %d\n", q, resp.StatusCode)
					continue
				}
				if after != nil && !strings.Contains(q, "date=") && !shows(page.String(), resp.Header.Get("Content-Encoding"), "截至2024年7月31日") {
					stale.Add(1)
					fmt.Fprintf(os.Stderr, "benchload: %s after the import does not show 2024年7月31日\n", q)
				}
			}
			mu.Lock()
			times = append(times, mine...)
			mu.Unlock()
		}()
	}
	if rows > 0 {
		time.Sleep(length / 2)
		sheet := filepath.Join(dir, "七月.csv")
		if err := writeSheet(sheet, rows, newDate, tree); err != nil {
			return r, err
		}
		start := time.Now()
		imp := exec.Command(bin, "import", sheet)
		imp.Env, imp.Dir = env, dir
		if out, err := imp.CombinedOutput(); err != nil {
			return r, fmt.Errorf("import: %v\n%s", err, out)
		}
		r.importedTook = time.Since(start)
		now := time.Now()
		landed.Store(&now)
	}
	wg.Wait()
	r.requests, r.errors, r.stale = requests.Load(), errs.Load(), stale.Load()
	slices.Sort(times)
	if len(times) > 0 {
		pick := func(p float64) time.Duration { return times[min(len(times)-1, int(p*float64(len(times))))] }
		r.p50, r.p95, r.p99, r.max = pick(0.50), pick(0.95), pick(0.99), times[len(times)-1]
		r.throughput = float64(len(times)) / length.Seconds()
		r.viewBytes = bytes.Load() / r.requests
	}
	r.peakRSS = peakRSS(serve.Process.Pid)
	return r, nil
}

// shows tells whether a page, gzipped or not, has text in it.
func shows(body, encoding, text string) bool {
	if encoding == "gzip" {
		z, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			return false
		}
		b, _ := io.ReadAll(z)
		body = string(b)
	}
	return strings.Contains(body, text)
}

// firstVisit is the bytes a browser with an empty cache takes for a page:
// the page and the assets it links, gzipped.
func firstVisit(client *http.Client, url string) (int64, error) {
	get := func(u string) ([]byte, int64, error) {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			return nil, 0, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return b, int64(len(b)), err
	}
	_, total, err := get(url)
	if err != nil {
		return 0, err
	}
	// The page itself, plain, for its asset links.
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	host := url[:strings.Index(url[len("http://"):], "/")+len("http://")]
	for _, part := range strings.Split(string(html), `"/assets/`)[1:] {
		_, n, err := get(host + "/assets/" + part[:strings.IndexByte(part, '"')])
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// writeSheet writes the figures of a new month for the benchmark's units
// below counties, as an office's sheet: a title row, then 单位代码, 日期,
// 离退休干部数, 关注人数.
func writeSheet(path string, rows int, date string, tree *units.Tree) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, "全国各单位关注情况（%s）\n单位代码,日期,离退休干部数,关注人数\n", date)
	for i := range rows {
		m := 20 + i%80
		fmt.Fprintf(w, "N%06d,%s,%d,%d\n", i, date, m, m*(40+i%60)/100)
	}
	return w.Flush()
}

// peakRSS is a process's peak resident memory, from the kernel.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// clone copies database from into to with clickhouse-client.
func clone(cfg config.ClickHouse, from, to string) error {
	u, err := neturl.Parse(cfg.DSN)
	if err != nil {
		return err
	}
	host, port := u.Hostname(), u.Port()
	ch := func(q string) (string, error) {
		args := []string{"--host", host, "--query", q}
		if port != "" {
			args = append(args, "--port", port)
		}
		out, err := exec.Command("clickhouse-client", args...).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("clickhouse-client %q: %v: %s", q, err, out)
		}
		return string(out), nil
	}
	tables, err := ch("SHOW TABLES FROM " + from)
	if err != nil {
		return fmt.Errorf("%w (run go test -run '^$' -bench National ./rank first: it creates %s)", err, from)
	}
	if _, err := ch("DROP DATABASE IF EXISTS " + to); err != nil {
		return err
	}
	if _, err := ch("CREATE DATABASE " + to); err != nil {
		return err
	}
	for _, t := range strings.Fields(tables) {
		if _, err := ch(fmt.Sprintf("CREATE TABLE %s.%s AS %s.%s", to, t, from, t)); err != nil {
			return err
		}
		if _, err := ch(fmt.Sprintf("INSERT INTO %s.%s SELECT * FROM %s.%s", to, t, from, t)); err != nil {
			return err
		}
	}
	return nil
}
