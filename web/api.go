package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"followrank/catalog"
	"followrank/config"
	"followrank/ingest"
	"followrank/model"
)

// apiFigure is one unit's figures in a JSON submission. The unit is named
// by unit (a code or a name), or by code or name.
type apiFigure struct {
	Unit      string `json:"unit"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	Date      string `json:"date"`
	Members   value  `json:"members"`
	Followers value  `json:"followers"`
	Rate      value  `json:"rate"`
	Reads     value  `json:"reads"`
	Shares    value  `json:"shares"`
	Likes     value  `json:"likes"`
	Wow       value  `json:"wow"`
	Comments  value  `json:"comments"`
}

// value is a figure given as a JSON number or string ("1,234", "85.3%"),
// read as a sheet cell would be.
type value string

func (v *value) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = value(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("%s is neither a number nor a string", b)
	}
	*v = value(n)
	return nil
}

// apiRow says what became of one submitted row.
type apiRow struct {
	Line   int    `json:"line"`
	Status string `json:"status"` // accepted or rejected
	Unit   string `json:"unit,omitempty"`
	Date   string `json:"date,omitempty"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason,omitempty"` // in the server's language (lang)
	Code   string `json:"code,omitempty"`   // why, for machines: unit.unknown, followers.over_members, …
}

type apiAnswer struct {
	RunID     string   `json:"run_id,omitempty"`
	Submitter string   `json:"submitter,omitempty"`
	Accepted  int      `json:"accepted"`
	Rejected  int      `json:"rejected"`
	Warnings  []string `json:"warnings,omitempty"`
	Rows      []apiRow `json:"rows,omitempty"`
	Error     string   `json:"error,omitempty"`
	ErrorCode string   `json:"error_code,omitempty"`
}

// refusal is an answer that refuses the whole submission.
func (s *Server) refusal(code catalog.Code, args ...any) apiAnswer {
	return apiAnswer{Error: s.say.Say(code, args...), ErrorCode: string(code)}
}

func answer(w http.ResponseWriter, code int, a apiAnswer) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(a)
}

// submitter finds the submitter whose token the request bears, comparing
// against every token in constant time.
func (s *Server) submitter(r *http.Request) (config.Submitter, bool) {
	given := bearer(r)
	var found config.Submitter
	ok := false
	for _, t := range s.tokens {
		if same(given, t.digest) && given != "" {
			found, ok = t.Submitter, true
		}
	}
	return found, ok
}

// collector keeps the figures of a submission until it is known to be
// within the submitter's scope.
type collector struct{ figs []model.Figure }

func (c *collector) WriteFigures(_ context.Context, _, _ string, figs []model.Figure) error {
	c.figs = append(c.figs, figs...)
	return nil
}

// submit takes figures from an office: a JSON array, or a CSV/XLSX file (as
// the body or the multipart field "file"). Rows get the validation of
// `followrank import`. A row for a unit outside the submitter's scope
// refuses the whole submission (403); otherwise good rows are stored and
// every row is answered.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	sub, ok := s.submitter(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="followrank"`)
		answer(w, http.StatusUnauthorized, s.refusal(catalog.TokenRequired))
		return
	}
	ctx := r.Context()
	tree, err := s.units.Tree(ctx)
	if err != nil {
		s.log.Error("submission: read units", "err", err)
		answer(w, http.StatusServiceUnavailable, s.refusal(catalog.StoreUnavailable))
		return
	}
	scope, err := tree.Find(sub.Scope, "")
	if err != nil {
		s.log.Error("submitter scope", "submitter", sub.Name, "err", err)
		answer(w, http.StatusForbidden, s.refusal(catalog.ScopeUnknown))
		return
	}
	// The run is recorded from the start, and its end even when the client
	// goes away meanwhile: once figures may have been stored, a record of
	// the run must say so.
	run, err := s.rec.Start(ctx, "api")
	if err != nil {
		s.log.Error("submission: record run", "err", err)
		answer(w, http.StatusServiceUnavailable, s.refusal(catalog.StoreUnavailable))
		return
	}
	o := ingest.SheetOptions{Tree: tree, Within: scope.Code, Say: s.say, Source: "api", RunID: run.ID, Keep: 10_000}
	// Every body is limited before anything reads it: the JSON decoder, the
	// multipart reader and the upload's copy all read r.Body.
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	c := &collector{}
	var rep *ingest.Report
	if r.ContentLength > s.cfg.MaxBodyBytes {
		err = &http.MaxBytesError{Limit: s.cfg.MaxBodyBytes}
	} else {
		rep, err = s.read(ctx, r, o, c)
	}
	// What the run read: who sent it, and the file or the JSON rows.
	out := ingest.Outcome{Items: []string{s.say.Say(catalog.RunItemSubmitter, sub.Name)}}
	if rep != nil {
		out.Add(rep)
		out.Items = append(out.Items, s.say.Say(catalog.RunItemFile, rep.File, rep.Accepted, rep.Rejected))
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.finish(ctx, run, ingest.Outcome{Items: out.Items[:1]}, err)
		answer(w, http.StatusRequestEntityTooLarge, s.refusal(catalog.TooBig, s.cfg.MaxBodyBytes))
		return
	case err != nil:
		s.finish(ctx, run, out, err)
		answer(w, http.StatusBadRequest, apiAnswer{Error: err.Error(), ErrorCode: string(ingest.CodeOf(err))})
		return
	}
	a := apiAnswer{RunID: run.ID, Submitter: sub.Name, Accepted: rep.Accepted, Rejected: rep.Rejected}
	for _, rj := range rep.Rejections {
		a.Rows = append(a.Rows, apiRow{Line: rj.Line, Status: "rejected", Field: rj.Field, Reason: rj.Reason, Code: rj.Code})
	}
	for _, wn := range rep.Warnings {
		a.Warnings = append(a.Warnings, s.say.Rejection(wn))
	}
	if rep.Outside > 0 {
		a.Accepted, a.RunID = 0, ""
		a.Error, a.ErrorCode = s.say.Say(catalog.SubmissionScope, sub.Name, scope.Name), string(catalog.SubmissionScope)
		s.finish(ctx, run, ingest.Outcome{Rejected: rep.Rejected, Rejections: rep.Rejections, Items: out.Items[:1]}, errors.New(a.Error))
		answer(w, http.StatusForbidden, a)
		return
	}
	for _, f := range c.figs {
		a.Rows = append(a.Rows, apiRow{Line: f.Line, Status: "accepted", Unit: f.Unit, Date: f.Date.Format(time.DateOnly)})
	}
	if err := s.store.WriteFigures(ctx, "api", run.ID, c.figs); err != nil {
		s.finish(ctx, run, ingest.Outcome{Items: out.Items}, err)
		s.log.Error("submission: store figures", "submitter", sub.Name, "err", err)
		answer(w, http.StatusServiceUnavailable, s.refusal(catalog.NotStored))
		return
	}
	s.finish(ctx, run, out, nil)
	s.log.Info("submission", "submitter", sub.Name, "accepted", rep.Accepted, "rejected", rep.Rejected, "run", run.ID)
	answer(w, http.StatusOK, a)
}

// finish records the end of a submission's run; a failure to record is
// logged by the recorder.
func (s *Server) finish(ctx context.Context, run model.Run, out ingest.Outcome, err error) {
	_, _ = s.rec.Finish(ctx, run, out, err)
}

// read parses the submission by its content type.
func (s *Server) read(ctx context.Context, r *http.Request, o ingest.SheetOptions, sink ingest.FigureSink) (*ingest.Report, error) {
	body := r.Body
	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ctype == "application/json":
		// The whole body is read (within the limit) so that a body over
		// the limit is refused even when its array ends before it, and
		// anything after the array is refused too.
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		var figs []apiFigure
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&figs); err != nil {
			return nil, fmt.Errorf("the body is not a JSON array of figures: %v", err)
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("the body has data after the JSON array of figures (at byte %d)", dec.InputOffset())
		}
		return ingest.ImportRows(ctx, "submission", jsonRows(figs), o, sink)
	case ctype == "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, err
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil, errors.New(`the form has no "file" field`)
				}
				return nil, err
			}
			if part.FormName() == "file" {
				return s.readFile(ctx, part.FileName(), part, o, sink)
			}
		}
	default:
		name := "submission"
		if _, p, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil && p["filename"] != "" {
			name = p["filename"]
		}
		return s.readFile(ctx, name, body, o, sink)
	}
}

// readFile imports an uploaded figure sheet. Its name, without any folder,
// may state the date of the figures.
func (s *Server) readFile(ctx context.Context, name string, body io.Reader, o ingest.SheetOptions, sink ingest.FigureSink) (*ingest.Report, error) {
	dir, err := os.MkdirTemp("", "followrank-upload-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	base := filepath.Base(filepath.Clean("/" + strings.ReplaceAll(name, `\`, "/")))
	if base == "/" || base == "." || base == "" {
		base = "submission"
	}
	path := filepath.Join(dir, base)
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	rep, err := ingest.ImportSheet(ctx, path, o, sink)
	if err != nil {
		return rep, fmt.Errorf("%s: %v", base, err)
	}
	return rep, nil
}

// jsonRows lays JSON figures out as a sheet, so they get the same checks as
// a file; row i is the i-th figure.
func jsonRows(figs []apiFigure) [][]string {
	rows := [][]string{{"code", "name", "date", "members", "followers", "rate", "reads", "shares", "likes", "wow", "comments"}}
	for _, f := range figs {
		code, name := f.Code, f.Name
		if f.Unit != "" {
			if isCode(f.Unit) {
				code = f.Unit
			} else {
				name = f.Unit
			}
		}
		rows = append(rows, []string{code, name, f.Date, string(f.Members), string(f.Followers), string(f.Rate),
			string(f.Reads), string(f.Shares), string(f.Likes), string(f.Wow), string(f.Comments)})
	}
	return rows
}

// isCode says a unit reference is a code rather than a name: no Chinese.
func isCode(s string) bool {
	for _, r := range s {
		if r > 0x7f {
			return false
		}
	}
	return true
}
