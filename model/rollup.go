package model

import "time"

// RollUp is a division's state on a day as a snapshot of the whole country
// computes it: its own fresh report, or the sums over its children. It does
// not depend on the scope it is seen from, so a store may keep the states
// of one version of the figures and answer a climb through the country
// from them, without reading every unit's reports again.
type RollUp struct {
	Unit               string
	Date               time.Time
	Members, Followers uint64
	// Reported says the figures are the unit's own report.
	Reported bool
	// Stale says a report they rest on is older than the staleness window.
	Stale bool
	// ReportDate is the date of the newest report they rest on.
	ReportDate time.Time
}
