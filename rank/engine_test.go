package rank_test

import (
	"context"

	"followrank/rank"
	"followrank/store"
	"followrank/units"
)

// newEngine is the engine over a store's figures and its stored units.
func newEngine(ctx context.Context, s *store.Store, staleDays int) (*rank.Engine, error) {
	tree, err := units.NewCache(s, 0).Tree(ctx)
	if err != nil {
		return nil, err
	}
	return rank.New(s, tree, staleDays), nil
}
