// Command benchimport measures `followrank import` of a generated figure
// sheet against `clickhouse-client` inserting the same rows from TSV into an
// equivalent table, in interleaved runs, and prints the medians, their ratio
// and followrank's peak memory. `make bench` runs it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"followrank/config"
	"followrank/units"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "rows in the generated sheet")
	runs := flag.Int("runs", 5, "runs of each, interleaved")
	bin := flag.String("followrank", "bin/followrank", "the followrank binary")
	layout := flag.String("layout", "codes", "the sheet's layout: codes (区划代码, 日期, 离退休干部数, 关注人数, 阅读量) or office (序号, 区划代码, 单位, 日期, 离退休干部数, 关注人数, 阅读, as offices lay it out)")
	flag.Parse()
	if *layout != "codes" && *layout != "office" {
		fmt.Fprintln(os.Stderr, "benchimport: -layout is codes or office")
		os.Exit(2)
	}
	if err := run(*rows, *runs, *bin, *layout); err != nil {
		fmt.Fprintln(os.Stderr, "benchimport:", err)
		os.Exit(1)
	}
}

func run(rows, runs int, bin, layout string) error {
	dsn := os.Getenv("FOLLOWRANK_CLICKHOUSE_DSN")
	if dsn == "" {
		dsn = config.DefaultDSN
	}
	cfg := config.ClickHouse{DSN: dsn}
	base := strings.TrimSuffix(dsn, "/"+cfg.Database())
	db := "followrank_bench_import"
	host, port := hostPort(base)
	dir, err := os.MkdirTemp("", "followrank-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	csvPath, tsvPath := filepath.Join(dir, "sheet.csv"), filepath.Join(dir, "sheet.tsv")
	if err := generate(rows, csvPath, tsvPath, layout == "office"); err != nil {
		return err
	}
	env := append(os.Environ(), "FOLLOWRANK_CLICKHOUSE_DSN="+base+"/"+db)
	client := func(q string, stdin string) (time.Duration, int64, error) {
		cmd := exec.Command("clickhouse-client", "--host", host, "--port", port, "--query", q)
		if stdin != "" {
			f, err := os.Open(stdin)
			if err != nil {
				return 0, 0, err
			}
			defer f.Close()
			cmd.Stdin = f
		}
		return timed(cmd)
	}
	if _, _, err := client("DROP DATABASE IF EXISTS "+db, ""); err != nil {
		return err
	}
	migrate := exec.Command(bin, "migrate")
	migrate.Env = env
	if out, err := migrate.CombinedOutput(); err != nil {
		return fmt.Errorf("migrate: %v\n%s", err, out)
	}
	if _, _, err := client("CREATE TABLE "+db+".tsv_figures AS "+db+".unit_figures", ""); err != nil {
		return err
	}
	insert := "INSERT INTO " + db + ".tsv_figures (unit_code, date, has_stock, members, followers, reads, shares, likes, wow, comments, source, run_id, version) FORMAT TabSeparated"
	// Every run inserts into empty tables with no merge running, so that
	// one run's background merges do not slow the next.
	reset := func(table string) error {
		if _, _, err := client("TRUNCATE TABLE "+db+"."+table, ""); err != nil {
			return err
		}
		for range 120 {
			out, err := exec.Command("clickhouse-client", "--host", host, "--port", port, "--query",
				"SELECT count() FROM system.merges WHERE database = '"+db+"'").Output()
			if err != nil {
				return fmt.Errorf("clickhouse-client: %w", err)
			}
			if strings.TrimSpace(string(out)) == "0" {
				return nil
			}
			time.Sleep(250 * time.Millisecond)
		}
		return nil
	}
	var ours, theirs []time.Duration
	var peak int64
	for i := 0; i < runs; i++ {
		if err := reset("unit_figures"); err != nil {
			return err
		}
		cmd := exec.Command(bin, "import", csvPath)
		cmd.Env = env
		d, rss, err := timed(cmd)
		if err != nil {
			return fmt.Errorf("followrank import: %w", err)
		}
		ours, peak = append(ours, d), max(peak, rss)
		if err := reset("tsv_figures"); err != nil {
			return err
		}
		d, _, err = client(insert, tsvPath)
		if err != nil {
			return fmt.Errorf("clickhouse-client: %w", err)
		}
		theirs = append(theirs, d)
	}
	client("DROP DATABASE IF EXISTS "+db, "")
	mo, mt := median(ours), median(theirs)
	fmt.Printf("import of %d rows laid out by %s (%d runs each, interleaved):\n", rows, layout, runs)
	fmt.Printf("  followrank import (CSV: parse, validate, resolve, insert)  median %6.2f s  %s\n", mo.Seconds(), list(ours))
	fmt.Printf("  clickhouse-client INSERT … FORMAT TabSeparated            median %6.2f s  %s\n", mt.Seconds(), list(theirs))
	fmt.Printf("  ratio %.2f   followrank peak RSS %d MB\n", mo.Seconds()/mt.Seconds(), peak/1024)
	return nil
}

// timed runs a command and returns its wall time and peak RSS in KB.
func timed(cmd *exec.Cmd) (time.Duration, int64, error) {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%v: %s", err, stderr.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return d, rss, nil
}

// generate writes the same figures as a sheet (with a title row, codes and
// dates, as a province exports them; with office, also a 序号 and each
// unit's name, as an office lays its sheet out) and as TSV for
// clickhouse-client.
func generate(rows int, csvPath, tsvPath string, office bool) error {
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		return err
	}
	counties := tree.Descendants(units.Root, units.County)
	c, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	defer c.Close()
	t, err := os.Create(tsvPath)
	if err != nil {
		return err
	}
	defer t.Close()
	cw, tw := bufio.NewWriterSize(c, 1<<20), bufio.NewWriterSize(t, 1<<20)
	if office {
		cw.WriteString("全国各县（市、区）关注“离退休干部工作”公众号情况统计表\n序号,区划代码,单位,日期,离退休干部数,关注人数,阅读\n")
	} else {
		cw.WriteString("全国各县(市、区)关注情况日报\n区划代码,日期,离退休干部数,关注人数,阅读量\n")
	}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < rows; i++ {
		u, d := counties[i%len(counties)], start.AddDate(0, 0, i/len(counties)).Format(time.DateOnly)
		m := 1000 + (i*37)%4000
		f := m * (30 + i%60) / 100
		r := (i * 7) % 500
		if office {
			fmt.Fprintf(cw, "%d,%s,%s,%s,%d,%d,%d\n", i+1, u.Code, u.Name, d, m, f, r)
		} else {
			fmt.Fprintf(cw, "%s,%s,%d,%d,%d\n", u.Code, d, m, f, r)
		}
		fmt.Fprintf(tw, "%s\t%s\t1\t%d\t%d\t%d\t0\t0\t0\t0\timport\tbench\t1\n", u.Code, d, m, f, r)
	}
	if err := cw.Flush(); err != nil {
		return err
	}
	return tw.Flush()
}

func hostPort(dsn string) (string, string) {
	hp := strings.TrimPrefix(dsn, "clickhouse://")
	if i := strings.LastIndex(hp, "@"); i >= 0 {
		hp = hp[i+1:]
	}
	hp, _, _ = strings.Cut(hp, "/")
	host, port, ok := strings.Cut(hp, ":")
	if !ok {
		port = "9000"
	}
	return host, port
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func list(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%.2f", d.Seconds()))
	}
	return "(" + strings.Join(parts, " ") + ")"
}
