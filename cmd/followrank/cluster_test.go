package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"followrank/config"
	"followrank/store"
	"followrank/store/storetest"
)

// TestClusterMatchesSingleServer runs followrank on the local test cluster
// (scripts/cluster.sh: two shards of two replicas) and on a single server,
// and compares every ranking and export byte for byte; then it kills a
// server in the middle of the only import of a large sheet and shows every
// row readable, shard by shard, before the server returns. `make
// cluster-test` starts the cluster and sets FOLLOWRANK_CLUSTER_DSN.
func TestClusterMatchesSingleServer(t *testing.T) {
	clusterDSN := os.Getenv("FOLLOWRANK_CLUSTER_DSN")
	if clusterDSN == "" {
		t.Skip("skipping: FOLLOWRANK_CLUSTER_DSN is not set; `make cluster-test` starts a local cluster and runs this test")
	}
	single := storetest.Config(t)
	db := single.Database() + "_cluster"
	ccfg := config.ClickHouse{DSN: clusterDSN + "/" + db, Cluster: "followrank_test", DialTimeout: 3 * time.Second}
	t.Cleanup(func() { store.DropDatabase(context.Background(), ccfg) })
	dir := t.TempDir()
	t.Chdir(dir)
	sheet := filepath.Join(dir, "全省各县-日报.csv")
	bigSheet(t, sheet, 4000) // 416,000 rows

	steps := [][]string{
		{"migrate"}, {"migrate"}, {"demo", "-o", "out"},
		{"import", fixture("anhui-cities-2024-05.xlsx"), fixture("安徽各市关注情况-2024年6月.csv"), fixture("bozhou-counties.csv")},
	}
	queries := [][]string{
		{"rank", "--level", "county", "--within", "安徽省", "--date", "2024-06-30", "--compare", "2024-05-31", "--format", "json"},
		{"rank", "--level", "city", "--within", "安徽省", "--date", "2024-06-30", "--compare", "2024-05-31", "--format", "json"},
		{"rank", "--level", "county", "--within", "亳州市", "--date", "2024-03-31", "--format", "csv"},
		{"climb", "--unit", "蒙城县", "--within", "安徽省"},
		{"export", "--level", "county", "--within", "安徽省", "--date", "2024-06-30", "--compare", "2024-05-31", "--format", "csv", "-o", "/dev/stdout"},
		{"report", "--within", "安徽省", "--date", "2024-06-30", "--compare", "2024-05-31", "--focus", "蒙城县"},
		{"units", "list", "--within", "亳州市"},
	}
	results := map[string][]string{}
	for _, target := range []struct{ name, dsn, cluster string }{{"single", single.DSN, ""}, {"cluster", ccfg.DSN, ccfg.Cluster}} {
		t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", target.dsn)
		t.Setenv("FOLLOWRANK_CLICKHOUSE_CLUSTER", target.cluster)
		for i, args := range steps {
			out, err := followrank(t, args...)
			if err != nil {
				t.Fatalf("%s: %v: %v\n%s", target.name, args, err, out)
			}
			if i == 1 && !strings.Contains(out, "的数据库结构已是最新") {
				t.Errorf("%s: the second migrate did something: %s", target.name, out)
			}
		}
		if target.cluster != "" {
			// A shard's second replica fetches new parts a moment after
			// the insert; the comparison is of the answers, not of that
			// moment.
			syncReplicas(t, db)
		}
		for _, q := range queries {
			out, err := followrank(t, q...)
			if err != nil {
				t.Fatalf("%s: %v: %v", target.name, q, err)
			}
			results[target.name] = append(results[target.name], out)
		}
	}
	for i, q := range queries {
		if results["single"][i] != results["cluster"][i] {
			t.Errorf("%v differs between the single server and the cluster: %s", q, firstDifference(results["single"][i], results["cluster"][i]))
		}
	}

	// Kill the server the import is connected to during the first and only
	// import of the big sheet: the import carries on through the other
	// shard's server, every row is readable through the surviving servers
	// before the killed one returns, and each shard holds what the single
	// server holds of it (a retried block that the dead replica had already
	// stored must not be dropped by the survivor as its duplicate, and a
	// block it acknowledged just before it died must have reached its
	// shard's other replica: the insert quorum).
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", single.DSN)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_CLUSTER", "")
	if out, err := followrank(t, "import", sheet); err != nil {
		t.Fatalf("single import: %v\n%s", err, out)
	}
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", ccfg.DSN)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_CLUSTER", ccfg.Cluster)
	cluster := filepath.Join(pkgDir, "..", "..", "scripts", "cluster.sh")
	done := make(chan error, 1)
	var logs string
	go func() {
		_, l, err := followrankLogs(t, "import", sheet)
		logs = l
		done <- err
	}()
	time.Sleep(400 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("the import ended (%v) before the server could be killed; make the sheet larger", err)
	default:
	}
	if out, err := exec.Command(cluster, "kill", "1").CombinedOutput(); err != nil {
		t.Fatalf("kill server 1: %v\n%s", err, out)
	}
	revived := false
	revive := func() {
		if !revived {
			revived = true
			if out, err := exec.Command(cluster, "revive", "1").CombinedOutput(); err != nil {
				t.Fatalf("revive server 1: %v\n%s", err, out)
			}
		}
	}
	defer revive()
	if err := <-done; err != nil {
		t.Fatalf("the import failed when a server went down: %v", err)
	}
	// Its inserts waited for a second replica until one could not be had.
	if !strings.Contains(logs, "inserts stop waiting for a second replica") {
		t.Errorf("the import did not log that its inserts stopped waiting for a second replica:\n%s", logs)
	}
	// While server 1 is down: through the cluster, and shard by shard on
	// the surviving replicas, counts and sums equal the single server's.
	sr, ss := digestOf(t, single)
	cr, cs := digestOf(t, ccfg)
	if sr != cr || ss != cs {
		t.Errorf("with server 1 down the cluster reads %d figures (%x), the single server holds %d (%x)", cr, cs, sr, ss)
	}
	perShard := func(port, table, where string) string {
		t.Helper()
		q := "SELECT count(), sum(members), sum(followers), sum(reads) FROM " + table + " FINAL" + where
		out, err := exec.Command("clickhouse-client", "--port", port, "-q", q).CombinedOutput()
		if err != nil {
			db, name, _ := strings.Cut(table, ".")
			parts, _ := exec.Command("clickhouse-client", "--port", port, "-q",
				"SELECT count(), sum(rows) FROM system.parts WHERE active AND database = '"+db+"' AND table = '"+name+"'").CombinedOutput()
			t.Fatalf("%s on %s: %v (active parts, rows: %s)\n%s", q, port, err, strings.TrimSpace(string(parts)), out)
		}
		return strings.TrimSpace(string(out))
	}
	singlePort := single.DSN[strings.LastIndex(single.DSN, ":")+1 : strings.LastIndex(single.DSN, "/")]
	for _, sh := range []struct{ n, port string }{{"1", "19102"}, {"2", "19103"}} {
		// Shard n of 2 takes the rows whose key leaves n-1 (Distributed's weights are 1 and 1).
		want := perShard(singlePort, single.Database()+".unit_figures", fmt.Sprintf(" WHERE cityHash64(unit_code) %% 2 = %s - 1", sh.n))
		got := perShard(sh.port, db+".unit_figures_local", "")
		if got != want {
			t.Errorf("shard %s read on its surviving replica (:%s) before server 1 returns: %s (count, members, followers, reads), want %s", sh.n, sh.port, got, want)
		}
	}
	revive()
	// The revived replica catches up with its shard.
	for i := 0; i < 60; i++ {
		a, _ := exec.Command("clickhouse-client", "--port", "19101", "-q", "SELECT count() FROM "+db+".unit_figures_local").Output()
		b, _ := exec.Command("clickhouse-client", "--port", "19102", "-q", "SELECT count() FROM "+db+".unit_figures_local").Output()
		if len(a) > 0 && bytes.Equal(a, b) {
			return
		}
		time.Sleep(time.Second)
	}
	t.Error("the revived replica did not catch up with its shard within a minute")
}

// firstDifference shows the first line where two outputs differ, with the
// line before it.
func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			before := ""
			if i > 0 {
				before = la[i-1]
			}
			return fmt.Sprintf("at line %d, after %q:\nsingle:  %q\ncluster: %q", i+1, before, x, y)
		}
	}
	return "no line differs"
}

// syncReplicas waits until every replica of the test cluster has fetched
// what its shard holds, table by table.
func syncReplicas(t *testing.T, db string) {
	t.Helper()
	for port := 19101; port <= 19104; port++ {
		p := fmt.Sprint(port)
		out, err := exec.Command("clickhouse-client", "--port", p, "-q", "SELECT name FROM system.tables WHERE database = '"+db+"' AND engine LIKE 'Replicated%'").Output()
		if err != nil {
			t.Fatalf("list the replicated tables on %s: %v", p, err)
		}
		for _, table := range strings.Fields(string(out)) {
			if out, err := exec.Command("clickhouse-client", "--port", p, "-q", "SYSTEM SYNC REPLICA "+db+"."+table).CombinedOutput(); err != nil {
				t.Fatalf("sync %s on %s: %v\n%s", table, p, err, out)
			}
		}
	}
}
