package units

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Loader reads the stored units; the store is one.
type Loader interface {
	Units(ctx context.Context) ([]Node, error)
	// UnitsVersion changes whenever units are stored.
	UnitsVersion(ctx context.Context) (string, error)
}

// Cache keeps the stored unit tree for a long-running process: the pages,
// the submission API and the inbox share one tree, and see units imported
// since the process started. It asks whether the stored units changed at
// most once every interval, and reads them again only when they did.
type Cache struct {
	load  Loader
	every time.Duration
	now   func() time.Time

	mu      sync.Mutex
	tree    *Tree
	version string
	checked time.Time
	loads   int
}

// NewCache returns a cache over l that checks for changes at most once
// every interval (0: on every call).
func NewCache(l Loader, every time.Duration) *Cache {
	return &Cache{load: l, every: every, now: time.Now}
}

// ErrNoUnits says no units are stored at all.
var ErrNoUnits = errors.New("no units are stored: run `followrank migrate` first")

// Tree returns the stored tree, reading it again when the stored units
// changed. Callers compare the pointer to tell a new tree from the old.
func (c *Cache) Tree(ctx context.Context) (*Tree, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.tree != nil && now.Sub(c.checked) < c.every {
		return c.tree, nil
	}
	version, err := c.load.UnitsVersion(ctx)
	if err != nil {
		if c.tree != nil {
			return c.tree, nil // keep serving the tree we have; the next call asks again
		}
		return nil, err
	}
	c.checked = now
	if c.tree != nil && version == c.version {
		return c.tree, nil
	}
	nodes, err := c.load.Units(ctx)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, ErrNoUnits
	}
	tree, err := NewTree(nodes)
	if err != nil {
		return nil, fmt.Errorf("stored units: %w", err)
	}
	c.tree, c.version = tree, version
	c.loads++
	return tree, nil
}

// Check makes the next Tree ask storage whether the units changed, however
// recently it last asked: for a caller that learnt something may have
// changed (a run was recorded).
func (c *Cache) Check() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checked = time.Time{}
}

// Loads is how many times the tree was read from storage.
func (c *Cache) Loads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loads
}
