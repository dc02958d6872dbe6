package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"followrank/jobs"
	"followrank/pages"
	"followrank/push"
	"followrank/rank"
	"followrank/remind"
	"followrank/store"
	"followrank/units"
)

// pusher is the source that pushes each configured scope's summary to its
// robots (push: in the config), or nil when no robot is configured. engine
// is the process's ranking engine. A robot's key that cannot be read is a
// mistake in the config, said before anything runs.
func (e *env) pusher(ctx context.Context, s *store.Store, tree *units.Cache, engine func(context.Context) (*rank.Engine, error)) (*jobs.Pusher, error) {
	if len(e.cfg.Push.Robots) == 0 {
		return nil, nil
	}
	t, err := tree.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var scopes []jobs.PushScope
	at := map[string]int{}
	for i, r := range e.cfg.Push.Robots {
		key := fmt.Sprintf("push.robots[%d]", i)
		n, err := t.Find(r.Scope, "")
		if err != nil {
			return nil, &exitError{code: 2, err: &worded{unitWords(e.cli, key+".scope", err), err}}
		}
		secret, err := r.Key()
		if err != nil {
			return nil, &exitError{code: 2, err: fmt.Errorf("%s: %w", key, err)}
		}
		var robot push.Robot = &push.WeCom{Key: secret, BaseURL: r.BaseURL}
		if r.Kind == "dingtalk" {
			sign, err := r.Secret()
			if err != nil {
				return nil, &exitError{code: 2, err: fmt.Errorf("%s: %w", key, err)}
			}
			robot = &push.DingTalk{AccessToken: secret, Secret: sign, BaseURL: r.BaseURL}
		}
		if _, ok := at[n.Code]; !ok {
			at[n.Code] = len(scopes)
			scopes = append(scopes, jobs.PushScope{Scope: n.Code})
		}
		scopes[at[n.Code]].Robots = append(scopes[at[n.Code]].Robots, robot)
	}
	summarise := func(ctx context.Context, scope string) (push.Summary, error) {
		m, err := engine(ctx)
		if err != nil {
			return push.Summary{}, err
		}
		return e.summary(ctx, s, m, scope)
	}
	return &jobs.Pusher{Scopes: scopes, Summarise: summarise, Policy: push.RetryPolicy(), Log: e.log}, nil
}

// summary is the push's summary of scope's ranking as of the newest
// figures, compared with the month end before them, with its 催报 counts.
func (e *env) summary(ctx context.Context, s *store.Store, m *rank.Engine, code string) (push.Summary, error) {
	scope, ok := m.Tree().Get(code)
	if !ok {
		return push.Summary{}, fmt.Errorf("推送：单位 %s 已不在单位树中", code)
	}
	_, last, err := e.span(ctx, s)
	if err != nil {
		return push.Summary{}, err
	}
	compare := time.Date(last.Year(), last.Month(), 0, 0, 0, 0, 0, time.UTC)
	level, err := remindLevel(e, m, scope)
	if err != nil {
		return push.Summary{}, err
	}
	targets, err := e.targets(m.Tree(), scope, 0)
	if err != nil {
		return push.Summary{}, err
	}
	now, prev, err := remind.Rankings(ctx, m, level, scope, last, compare)
	if err != nil {
		return push.Summary{}, err
	}
	l := remind.Check(now, prev, remind.Options{Targets: targets, DueDay: e.cfg.Remind.DueDay})
	link := ""
	if base := strings.TrimRight(e.cfg.Push.PublicURL, "/"); base != "" {
		link = base + "/?" + url.Values{"within": {scope.Code}, "date": {last.Format(time.DateOnly)}}.Encode()
	}
	return pages.Summary(now, l, link), nil
}
