package web

import (
	"bytes"
	"container/list"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"followrank/rank"
)

// The figures change only when an ingestion run lands or units are
// imported. Pages are kept in memory keyed by what was asked and by the
// data's version — the runs recorded and the unit tree in use — and built
// once, however many managers open the same link at once. A run records
// its end after its figures are stored, so the first request after a run
// lands sees a new version and builds its page again: never a stale page
// after a successful import, and no timer to wait for.

// pageCache holds built pages, the least recently used dropped first once
// they take more than max bytes. Entries of an older version are dropped
// as soon as a newer version is seen.
type pageCache struct {
	max int

	mu      sync.Mutex
	version string
	ll      *list.List // of *pageEntry, most recent first
	byKey   map[string]*list.Element
	size    int

	group        singleflight.Group
	hits, builds atomic.Int64
}

type pageEntry struct {
	key  string
	body []byte
}

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{max: maxBytes, ll: list.New(), byKey: map[string]*list.Element{}}
}

// page returns the page for key at version, building it with build when it
// is not kept; concurrent requests for the same page wait for one build.
// A nil cache builds every time.
func (c *pageCache) page(version, key string, build func() ([]byte, error)) ([]byte, error) {
	if c == nil {
		return build()
	}
	full := version + "\x00" + key
	if body, ok := c.get(version, full); ok {
		c.hits.Add(1)
		return body, nil
	}
	v, err, _ := c.group.Do(full, func() (any, error) {
		if body, ok := c.get(version, full); ok {
			return body, nil
		}
		body, err := build()
		if err != nil {
			return nil, err
		}
		c.builds.Add(1)
		c.put(version, full, body)
		return body, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

func (c *pageCache) get(version, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.turn(version)
	if e, ok := c.byKey[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*pageEntry).body, true
	}
	return nil, false
}

func (c *pageCache) put(version, key string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.turn(version)
	if version != c.version || len(body) > c.max {
		return // built for a version already gone
	}
	if _, ok := c.byKey[key]; ok {
		return
	}
	c.byKey[key] = c.ll.PushFront(&pageEntry{key, body})
	c.size += len(body)
	for c.size > c.max {
		last := c.ll.Back()
		e := last.Value.(*pageEntry)
		c.ll.Remove(last)
		delete(c.byKey, e.key)
		c.size -= len(e.body)
	}
}

// turn drops every page when the data's version moves on. A request that
// read the older version and finishes late turns it back for a moment:
// that costs a build, never a stale page, since the version is in the key.
func (c *pageCache) turn(version string) {
	if version == c.version {
		return
	}
	c.version = version
	c.ll.Init()
	clear(c.byKey)
	c.size = 0
}

// dataVersion is the version of what the pages show: the recorded runs
// and the unit tree in use. The runs' part is read from ClickHouse on every
// request (one small query), so that a run landed by another process
// (followrank import, ingest, units import) is seen at once; when it moved,
// the unit tree is asked for too before the page is drawn.
func (s *Server) dataVersion(ctx context.Context) (string, *rank.Engine, error) {
	runs, err := s.store.RunsVersion(ctx)
	if err != nil {
		return "", nil, err
	}
	if last := s.runsSeen.Swap(&runs); (last == nil || *last != runs) && s.units != nil {
		s.units.Check()
	}
	m, err := s.engineFor(ctx)
	if err != nil {
		return "", nil, err
	}
	// The runs' version, then the tree's: kept cuts the last part off.
	return fmt.Sprintf("%s/%p", runs, m.Tree()), m, nil
}

// span is the first and last day with figures at a version, read once per
// version.
type span struct {
	version     string
	first, last time.Time
	rows        uint64
}

func (s *Server) stockSpan(ctx context.Context, version string) (time.Time, time.Time, uint64, error) {
	if v := s.span.Load(); v != nil && v.version == version {
		return v.first, v.last, v.rows, nil
	}
	first, last, rows, err := s.store.StockSpan(ctx)
	if err != nil {
		return first, last, rows, err
	}
	s.span.Store(&span{version, first, last, rows})
	return first, last, rows, nil
}

// personal puts the signed-in user's name and sign-out button into a kept
// page, which is the same for everyone who may see it.
func personal(body []byte, who []byte) []byte {
	if len(who) == 0 {
		return body
	}
	const nav = `<nav class="app">`
	i := bytes.Index(body, []byte(nav))
	if i < 0 {
		return body
	}
	i += len(nav)
	out := make([]byte, 0, len(body)+len(who))
	out = append(out, body[:i]...)
	out = append(out, who...)
	return append(out, body[i:]...)
}

// kept lets the engine keep the country's snapshots, and its climbs'
// roll-ups, at the data's version (rank.WithVersion), unless nothing is to
// be kept (page_cache_bytes < 0: every request read from ClickHouse, as for
// measuring). The engine is told the runs' part of the version only: it is
// one engine per tree, and the roll-ups it keeps in ClickHouse are of use
// to the next process too.
func (s *Server) kept(ctx context.Context, version string) context.Context {
	if s.pages == nil {
		return ctx
	}
	runs := version[:max(strings.LastIndex(version, "/"), 0)]
	return rank.WithVersion(ctx, runs)
}
