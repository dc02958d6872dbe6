package rank

import (
	"context"
	"sync"
	"time"

	"followrank/model"
	"followrank/units"
)

// The figures change only when a run lands. A long-running server tells
// the engine the data's version with each request (WithVersion); the
// engine then keeps the country's snapshot of each day it is asked for at
// that version, and answers every scope's snapshot of the day as a view of
// it: a unit's state — its own report or the roll-up of its children —
// does not depend on the scope it is seen from. The first page of a day
// reads the country once; the next thousand read nothing.

type versionKey struct{}

// WithVersion says which version of the figures a request is answered
// from: snapshots of the country are kept, per day, until the version
// changes. Without it nothing is kept.
func WithVersion(ctx context.Context, version string) context.Context {
	return context.WithValue(ctx, versionKey{}, version)
}

// keptMax bounds the country snapshots kept: about 9 MB each at the
// national scale of BENCHMARKS.md (103,000 units and divisions).
const keptMax = 16

// kept holds the country's snapshots at one version of the figures.
type kept struct {
	mu       sync.Mutex
	version  string
	snaps    map[keptKey]*Snapshot
	order    []keptKey                 // oldest first
	building map[keptKey]chan struct{} // closed when the read of the day is done
	reading  sync.Mutex                // held while a country is read
}

type keptKey struct {
	day            time.Time
	withEngagement bool
}

// Within is the snapshot seen from a scope inside its own: the same
// figures, ranked among scope's units.
func (s *Snapshot) Within(scope units.Node) *Snapshot {
	v := *s
	v.Scope = scope
	return &v
}

// keptSnapshots answers Snapshots from the kept country snapshots when the
// request carries a version; ok is false when it does not.
func (e *Engine) keptSnapshots(ctx context.Context, scope units.Node, days []time.Time, withEngagement bool) ([]*Snapshot, bool, error) {
	version, _ := ctx.Value(versionKey{}).(string)
	if version == "" {
		return nil, false, nil
	}
	root, ok := e.tree.Get(units.Root)
	if !ok {
		return nil, false, nil
	}
	e.mu.Lock()
	if e.kept == nil || e.kept.version != version {
		e.kept = &kept{version: version, snaps: map[keptKey]*Snapshot{}, building: map[keptKey]chan struct{}{}}
	}
	k := e.kept
	e.mu.Unlock()

	var out []*Snapshot
	ready := true
	for _, d := range days {
		key := keptKey{model.Date(d), withEngagement}
		snap, building := k.get(key)
		if snap == nil && building != nil {
			// Being read: wait for it, rather than ask ClickHouse for this
			// scope too while it reads the country.
			select {
			case <-building:
			case <-ctx.Done():
				return nil, true, ctx.Err()
			}
			snap, _ = k.get(key)
		}
		if snap == nil {
			// Not read yet: read the country in the background and answer
			// this request from its own scope, so that the first page after
			// a run costs no more than it did without keeping.
			ready = false
			k.build(key, func(ctx context.Context) (*Snapshot, error) {
				snaps, err := e.snapshots(ctx, root, []time.Time{key.day}, withEngagement)
				if err != nil || len(snaps) != 1 {
					return nil, err
				}
				return snaps[0], nil
			}, context.WithoutCancel(ctx))
			continue
		}
		out = append(out, snap.Within(scope))
	}
	if !ready {
		return nil, false, nil
	}
	return out, true, nil
}

// get is the kept snapshot of key, or the channel closed when the one
// being read is done; both nil when neither.
func (k *kept) get(key keptKey) (*Snapshot, chan struct{}) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.snaps[key], k.building[key]
}

// build reads key's snapshot in the background, once however many ask,
// one country at a time: each read holds the country's reports for a
// moment.
func (k *kept) build(key keptKey, read func(context.Context) (*Snapshot, error), bg context.Context) {
	k.mu.Lock()
	if k.snaps[key] != nil || k.building[key] != nil {
		k.mu.Unlock()
		return
	}
	done := make(chan struct{})
	k.building[key] = done
	k.mu.Unlock()
	go func() {
		defer close(done)
		k.reading.Lock()
		defer k.reading.Unlock()
		ctx, cancel := context.WithTimeout(bg, 5*time.Minute)
		defer cancel()
		snap, err := read(ctx)
		k.mu.Lock()
		defer k.mu.Unlock()
		delete(k.building, key)
		if err != nil || snap == nil {
			return // the next request tries again
		}
		k.snaps[key] = snap
		k.order = append(k.order, key)
		if len(k.order) > keptMax {
			delete(k.snaps, k.order[0])
			k.order = k.order[1:]
		}
	}()
}

// Kept tells whether the country's snapshots of the days are kept at the
// version ctx carries: the pages of those days are then answered without
// reading ClickHouse.
func (e *Engine) Kept(ctx context.Context, days []time.Time, withEngagement bool) bool {
	version, _ := ctx.Value(versionKey{}).(string)
	e.mu.Lock()
	k := e.kept
	e.mu.Unlock()
	if k == nil || version == "" || k.version != version {
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, d := range days {
		if k.snaps[keptKey{model.Date(d), withEngagement}] == nil {
			return false
		}
	}
	return true
}
