package main

import (
	"os"
	"strings"
	"testing"

	"followrank/push/pushtest"
)

// TestPushFromTheSchedule: a job that lists the source push sends each
// configured scope's summary of the demo figures, from ClickHouse, to its
// robots — a WeCom robot for 亳州市 and a DingTalk robot (signed) for
// 蒙城县 — once each, and `followrank ingest` reports the run; the keys,
// read from the environment, are in no output.
func TestPushFromTheSchedule(t *testing.T) {
	useTestDatabase(t)
	wecom, ding := pushtest.NewWeCom(t), pushtest.NewDingTalk(t)
	t.Setenv("FOLLOWRANK_TEST_WECOM_KEY", pushtest.WeComKey)
	t.Setenv("FOLLOWRANK_TEST_DING_TOKEN", pushtest.DingTalkToken)
	t.Setenv("FOLLOWRANK_TEST_DING_SECRET", pushtest.DingTalkSecret)
	config := "targets:\n  - {scope: 安徽省, rate: 90%}\n" +
		"schedule:\n  - {name: tongbao, spec: \"0 0 9 5 * *\", sources: [push]}\n" +
		"push:\n  public_url: https://followrank.example.gov.cn/\n  robots:\n" +
		"    - {kind: wecom, scope: 亳州市, key_env: FOLLOWRANK_TEST_WECOM_KEY, base_url: " + wecom.URL + "}\n" +
		"    - {kind: dingtalk, scope: \"341622\", key_env: FOLLOWRANK_TEST_DING_TOKEN, secret_env: FOLLOWRANK_TEST_DING_SECRET, base_url: " + ding.URL + "}\n"
	if err := os.WriteFile("followrank.yaml", []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := followrank(t, "demo"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	out, err := followrank(t, "ingest", "--source", "push")
	if err != nil {
		t.Fatalf("ingest --source push: %v\n%s", err, out)
	}
	if !strings.Contains(out, "push：ok，入库2行，拒收0行") {
		t.Errorf("ingest said:\n%s", out)
	}
	w, d := wecom.Messages(), ding.Messages()
	if len(w) != 1 || len(d) != 1 {
		t.Fatalf("%d WeCom and %d DingTalk messages, want one each", len(w), len(d))
	}
	t.Logf("WeCom:\n%s\n\nDingTalk:\n%s", w[0].Content, d[0].Text)
	for _, want := range []string{"**亳州市关注率通报（截至2024年6月30日）**", "（目标 90%，未达标单位", "前两名：", "后两名：", "未报送：无",
		"[查看详情](https://followrank.example.gov.cn/?date=2024-06-30&within=341600)"} {
		if !strings.Contains(w[0].Content, want) {
			t.Errorf("the WeCom message lacks %q", want)
		}
	}
	for _, want := range []string{"蒙城县关注率通报（截至2024年6月30日）", "前三名：", "后三名：", "倒数第1"} {
		if !strings.Contains(d[0].Text, want) {
			t.Errorf("the DingTalk message lacks %q", want)
		}
	}
	runs, err := followrank(t, "runs")
	if err != nil || !strings.Contains(runs, "push") {
		t.Errorf("runs: %v\n%s", err, runs)
	}
	for _, secret := range []string{pushtest.WeComKey, pushtest.DingTalkToken, pushtest.DingTalkSecret} {
		if strings.Contains(out+runs, secret) {
			t.Errorf("a key is in the output:\n%s\n%s", out, runs)
		}
	}
}
