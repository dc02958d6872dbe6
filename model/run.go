package model

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Rejection is a row, or a value in it, that a source could not take, in
// the manner of encoding/csv's ParseError: where, which field, why.
type Rejection struct {
	File   string // the file, and for workbooks the sheet: may.xlsx[全省]
	Line   int    // the CSV line or the spreadsheet row; 0 for the whole file
	Field  string // unit, members, followers, …
	Reason string // in the language of the import (see package catalog)
	Raw    string // the row as read, cut to a few hundred characters
	// Code says why for machines (catalog.Code: unit.unknown, …); the API
	// answers it with each rejected row.
	Code string
}

// String is the rejection as import prints it: FILE:LINE: field: reason.
func (r Rejection) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", r.File, r.Line, r.Field, r.Reason)
}

// Run statuses.
const (
	RunRunning = "running"
	RunOK      = "ok"
	RunPartial = "partial" // some rows rejected
	RunFailed  = "failed"
	// RunInterrupted is a run whose process ended before it did (killed,
	// the machine restarted): it stopped beating (see jobs.Recorder).
	RunInterrupted = "interrupted"
)

// Run is one ingestion: what ran, what it took and how it ended.
type Run struct {
	ID      string
	Source  string
	Started time.Time
	// Finished is when the run ended; while it runs, when it last beat.
	Finished time.Time
	Status   string
	Accepted uint64
	Rejected uint64
	Warnings uint64
	Error    string
	// Items say what the run read, one line each: the files and their
	// counts, the submitter, the account's days.
	Items []string
}

// NewRunID returns a fresh random run id.
func NewRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
