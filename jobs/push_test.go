package jobs_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"followrank/ingest"
	"followrank/jobs"
	"followrank/model"
	"followrank/push"
	"followrank/push/pushtest"
	"followrank/retry"
)

func summaryOf(ctx context.Context, scope string) (push.Summary, error) {
	return push.Summary{Scope: "亳州市", Date: time.Date(2024, 7, 31, 0, 0, 0, 0, time.UTC), Rate: 0.8817, Link: "https://followrank.example.gov.cn/?within=" + scope}, nil
}

// TestPushFollowsEachLandedRunOnce: serve pushes the summary once after
// every run that stored figures, in the background, and records the push
// as a run of its own; runs that stored nothing, pushes and units imports
// are not followed by one.
func TestPushFollowsEachLandedRunOnce(t *testing.T) {
	store := newRuns()
	robot := pushtest.NewWeCom(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	rec := jobs.NewRecorder(store, log)
	inbox := &source{name: "inbox", epoch: time.Now()}
	r := jobs.New(store, rec, []ingest.Source{inbox}, log)
	p := &jobs.Pusher{
		Scopes:    []jobs.PushScope{{Scope: "341600", Robots: []push.Robot{&push.WeCom{Key: pushtest.WeComKey, BaseURL: robot.URL}}}},
		Summarise: summaryOf, Policy: retry.Policy{Attempts: 3, Wait: time.Millisecond}, Log: log,
	}
	ctx := context.Background()
	r.PushAfterRuns(ctx, rec, p)

	for i := range 2 {
		if _, err := r.RunSource(ctx, inbox); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool { return len(robot.Messages()) == i+1 })
	}
	// Nothing stored, a units import: no push.
	for _, run := range []model.Run{{Source: "inbox", Status: model.RunOK}, {Source: "units", Status: model.RunOK, Accepted: 18}} {
		started, err := rec.Start(ctx, run.Source)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rec.Finish(ctx, started, ingest.Outcome{Accepted: int(run.Accepted)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	msgs := robot.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages after two landed runs, want 2", len(msgs))
	}
	if !strings.Contains(msgs[0].Content, "亳州市关注率通报（截至2024年7月31日）") {
		t.Errorf("message:\n%s", msgs[0].Content)
	}
	pushes := 0
	for _, run := range store.all() {
		if run.Source == jobs.PushSource {
			pushes++
			if run.Status != model.RunOK || run.Accepted != 1 {
				t.Errorf("push run %+v, want ok with one message taken", run)
			}
		}
	}
	if pushes != 2 {
		t.Errorf("%d push runs recorded, want 2", pushes)
	}
}

// TestAPushRefusedIsRecordedWithoutItsKey: a robot that refuses the key
// is asked once (not again by the runner's retry), the push run is
// recorded failed, and neither the record nor the log holds the key.
func TestAPushRefusedIsRecordedWithoutItsKey(t *testing.T) {
	store := newRuns()
	robot := pushtest.NewWeCom(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	rec := jobs.NewRecorder(store, log)
	const wrong = "0b7f2e1c-wrong-key-9d3a"
	p := &jobs.Pusher{
		Scopes:    []jobs.PushScope{{Scope: "341600", Robots: []push.Robot{&push.WeCom{Key: wrong, BaseURL: robot.URL}}}},
		Summarise: summaryOf, Policy: retry.Policy{Attempts: 3, Wait: time.Millisecond}, Log: log,
	}
	r := jobs.New(store, rec, []ingest.Source{p}, log)
	r.Retry = retry.Policy{Attempts: 4, Wait: time.Millisecond}
	run, err := r.RunSource(context.Background(), p)
	if err == nil || run.Status != model.RunFailed {
		t.Fatalf("run %+v, err %v; want failed", run, err)
	}
	if n := robot.Requests(); n != 1 {
		t.Errorf("the robot was asked %d times, want once: a wrong key is not tried again", n)
	}
	if !strings.Contains(run.Error, "93000") {
		t.Errorf("recorded error %q, want the robot's errcode", run.Error)
	}
	for what, text := range map[string]string{"error": err.Error(), "record": run.Error, "items": strings.Join(run.Items, "\n"), "log": logs.String()} {
		if strings.Contains(text, wrong) {
			t.Errorf("the %s holds the key: %s", what, text)
		}
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
