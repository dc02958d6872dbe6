package store

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"runtime"
	"strings"
)

// Statement is one statement the store sent, as clickhouse.statement_log
// records it, one JSON object a line.
type Statement struct {
	// Database is the store's database, which the statement names where
	// it qualifies a table ({db}. in the store's SQL).
	Database string `json:"db"`
	// SQL is the text the server received: values bound (the driver binds
	// ? on the client), {db}. qualified.
	SQL string `json:"sql"`
	// By is the function of the store that sent it, as the program calls
	// it (store.(*Store).EachStock), and Caller the function outside the
	// store that called that one (rank.(*Engine).Ranking).
	By     string `json:"by"`
	Caller string `json:"caller"`
}

// recorder appends every statement a connection sends to the file at path,
// as a Statement. It is the connection's slog.Handler: the driver logs each
// statement it sends, after binding the values, as "sending query" at debug
// level, in the goroutine that runs it, so the store's function that sent
// it is on the stack. Each statement is one write to a file opened for
// appending, so the processes of one `go test` run may share the file.
type recorder struct {
	path, db string
}

// driverSends is the driver's message for a statement it sends, and
// driverText the attribute that holds the statement (clickhouse-go
// v2.51, conn_send_query.go). TestStatementLogRecordsBoundStatements fails
// if an update of the driver changes them.
const driverSends, driverText = "sending query", "query"

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != driverSends {
		return nil
	}
	st := Statement{Database: r.db}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == driverText {
			st.SQL = a.Value.String()
			return false
		}
		return true
	})
	st.By, st.Caller = sender()
	line, err := json.Marshal(st)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(r.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sender finds, on the stack of the goroutine sending a statement, below
// the driver, the outermost function of package store (the one the program
// called) and the function that called it.
func sender() (by, caller string) {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	inDriver := false
	for {
		f, more := frames.Next()
		name := strings.TrimPrefix(f.Function, "followrank/")
		switch {
		case strings.HasPrefix(name, "github.com/ClickHouse/"):
			inDriver = true
		case !inDriver:
		case strings.HasPrefix(name, "store."):
			by = name
		case by != "" && !strings.HasPrefix(name, "retry."):
			return by, name
		}
		if !more {
			return by, ""
		}
	}
}
