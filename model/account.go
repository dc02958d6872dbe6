package model

import "time"

// AccountDay is one day of a WeChat official account: followers (stocks
// and flows) and what they read and shared.
type AccountDay struct {
	Account         string
	Date            time.Time
	NewUsers        uint32 // new_user: followed that day
	CancelledUsers  uint32 // cancel_user: unfollowed that day
	CumulativeUsers uint32 // cumulate_user: followers at the end of the day
	Reads           uint64 // int_page_read_count
	ReadUsers       uint64 // int_page_read_user
	Shares          uint64 // share_count
	Favourites      uint64 // add_to_fav_count
	// Sources splits the day's new and cancelled followers by where they
	// came from (user_source: 0 search, 1 QR code, 17 card sharing, …).
	Sources []AccountSource
}

// Net is the day's net change of followers.
func (d AccountDay) Net() int64 { return int64(d.NewUsers) - int64(d.CancelledUsers) }

// AccountSource is one source's share of a day's new and cancelled followers.
type AccountSource struct {
	Source         int
	NewUsers       uint32
	CancelledUsers uint32
}
