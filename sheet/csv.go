package sheet

import (
	"bufio"
	"bytes"
	"io"
	"math/bits"
	"strings"
)

// csvReader reads the records of a CSV stream exactly as encoding/csv's
// Reader does with LazyQuotes, FieldsPerRecord -1 and ReuseRecord over a
// bufio.Reader of the same size: the same records, the same line numbers
// and offsets, and the same reads of its source, so that lineLimit fails a
// file where it failed it before. FuzzCSVMatchesEncodingCSV holds it to
// that. Like encoding/csv with LazyQuotes, it takes any bytes as CSV: its
// only errors are its source's.
//
// It is faster for the lines figure sheets are made of. encoding/csv copies
// every line into a record buffer, field by field, and then into a string
// of its own. Here a line without a quote is split where it lies, and the
// cells of the lines in a few kilobytes share one string: one copy of the
// bytes and one allocation for dozens of rows (a cell kept keeps its
// neighbours' bytes too, as encoding/csv's keep their record's; see Row).
// A line with a quote anywhere takes encoding/csv's way, ported as it is.
type csvReader struct {
	src   io.Reader
	comma byte

	// buf[r:w] is buffered and unread, as in bufio.Reader; err is the
	// error of the last read, given once buf is drained.
	buf  []byte
	r, w int
	err  error

	// chunk holds copies of whole lines from the buffer, and chunk[at:]
	// is the same as the start of buf[r:w] while at < len(chunk).
	chunk string
	at    int

	numLine int   // lines read, as encoding/csv counts them
	offset  int64 // bytes of the input read as records

	// The record being read, encoding/csv's way.
	raw    []byte // a line longer than buf
	record []byte
	ends   []int
	cells  []string
	// first and last are the lines where the record's first and last
	// fields start.
	first, last int
}

// chunkBytes is about how much of the input one string holds. A figure
// sheet's line is some 60 bytes, so one allocation serves some 60 rows.
const chunkBytes = 4 << 10

// newCSVReader reads src through a buffer of size bytes (16 at least, as
// bufio's).
func newCSVReader(src io.Reader, size int) *csvReader {
	return &csvReader{src: src, comma: ',', buf: make([]byte, max(size, 16))}
}

// fill is bufio.Reader's fill: it reads once into the free end of the
// buffer, after sliding the unread bytes to its start.
func (c *csvReader) fill() {
	if c.r > 0 {
		copy(c.buf, c.buf[c.r:c.w])
		c.w -= c.r
		c.r = 0
	}
	for range 100 { // bufio's maxConsecutiveEmptyReads
		n, err := c.src.Read(c.buf[c.w:])
		if n < 0 {
			panic("sheet: a reader returned a negative count")
		}
		c.w += n
		if err != nil {
			c.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	c.err = io.ErrNoProgress
}

// readErr returns the pending read error and forgets it, as bufio does.
func (c *csvReader) readErr() error {
	err := c.err
	c.err = nil
	return err
}

// peek is bufio.Reader's Peek, without its error.
func (c *csvReader) peek(n int) []byte {
	for c.w-c.r < n && c.w-c.r < len(c.buf) && c.err == nil {
		c.fill()
	}
	if n > len(c.buf) {
		return c.buf[c.r:c.w]
	}
	if avail := c.w - c.r; avail < n {
		c.readErr()
		return c.buf[c.r:c.w]
	}
	return c.buf[c.r : c.r+n]
}

// readSlice is bufio.Reader's ReadSlice('\n').
func (c *csvReader) readSlice() (line []byte, err error) {
	s := 0
	for {
		if i := bytes.IndexByte(c.buf[c.r+s:c.w], '\n'); i >= 0 {
			line = c.buf[c.r : c.r+s+i+1]
			c.r += s + i + 1
			break
		}
		if c.err != nil {
			line = c.buf[c.r:c.w]
			c.r = c.w
			err = c.readErr()
			break
		}
		if c.w-c.r >= len(c.buf) {
			c.r = c.w
			line = c.buf
			err = bufio.ErrBufferFull
			break
		}
		s = c.w - c.r
		c.fill()
	}
	// What the chunk held of the line is read too: a line read here
	// started at chunk[at:] if anywhere, and the chunk holds whole lines.
	if c.at < len(c.chunk) {
		c.at += len(line)
	}
	return line, err
}

// readLine is encoding/csv's readLine.
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.readSlice()
	if err == bufio.ErrBufferFull {
		c.raw = append(c.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = c.readSlice()
			c.raw = append(c.raw, line...)
		}
		line = c.raw
	}
	readSize := len(line)
	if readSize > 0 && err == io.EOF {
		err = nil
		// encoding/csv drops a CR before the end of the input.
		if line[readSize-1] == '\r' {
			line = line[:readSize-1]
		}
	}
	c.numLine++
	c.offset += int64(readSize)
	// CR LF ends a line as LF does.
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// Read returns the next record, or io.EOF after the last; its slice is
// reused by the next Read.
func (c *csvReader) Read() ([]string, error) {
	for {
		if c.at >= len(c.chunk) && !c.cut() {
			return c.readRecord()
		}
		rest := c.chunk[c.at:]
		n := strings.IndexByte(rest, '\n') + 1 // the chunk holds whole lines
		line := rest[:n-1]
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		var cells []string
		if line != "" {
			var quoted bool
			if cells, quoted = split(c.cells[:0], line, c.comma); quoted {
				return c.readRecord()
			}
			c.cells = cells
		}
		c.at += n
		c.r += n
		c.numLine++
		c.offset += int64(n)
		if line == "" {
			continue // encoding/csv skips empty lines
		}
		c.first, c.last = c.numLine, c.numLine
		return cells, nil
	}
}

// split appends the fields of a line to cells, or says the line has a
// quote. It looks at eight bytes at a time (a figure sheet's line is some
// 60), for separators and quotes at once: a third of the cost of finding
// each separator with strings.IndexByte.
func split(cells []string, line string, comma byte) (_ []string, quoted bool) {
	const ones = 0x0101010101010101
	commas, quotes := ones*uint64(comma), ones*uint64('"')
	start, i := 0, 0
	for ; i+8 <= len(line); i += 8 {
		w := load64(line[i : i+8])
		if zeroBytes(w^quotes) != 0 {
			return cells, true
		}
		for m := zeroBytes(w ^ commas); m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)/8
			cells = append(cells, line[start:j])
			start = j + 1
		}
	}
	for ; i < len(line); i++ {
		switch line[i] {
		case comma:
			cells = append(cells, line[start:i])
			start = i + 1
		case '"':
			return cells, true
		}
	}
	return append(cells, line[start:]), false
}

// load64 reads eight bytes, the first in the lowest (the compiler makes
// one load of it).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// zeroBytes marks the bytes of x that are zero with their top bits, and
// no others: a byte's low seven bits plus 0x7F carry into its top bit, and
// never into the next byte, unless they are all zero.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7F7F7F7F7F7F7F7F
	return ^((x&low7 + low7) | x | low7)
}

// cut copies the whole lines at the start of the buffer, about chunkBytes
// of them or one longer line, into a new chunk; it says false when the
// buffer holds no whole line. It does not read.
func (c *csvReader) cut() bool {
	b := c.buf[c.r:c.w]
	end := bytes.LastIndexByte(b[:min(len(b), chunkBytes)], '\n')
	if end < 0 {
		end = bytes.IndexByte(b, '\n')
		if end < 0 {
			return false
		}
	}
	c.chunk, c.at = string(b[:end+1]), 0
	return true
}

// readRecord is encoding/csv's readRecord with LazyQuotes, no comment
// character and no trimming of leading space, from the start of a line.
func (c *csvReader) readRecord() ([]string, error) {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = c.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue // an empty line
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}

	const quoteLen = len(`"`)
	c.record = c.record[:0]
	c.ends = c.ends[:0]
	c.first = c.numLine
	fieldLine, posLine := c.numLine, c.numLine
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			// A field without quotes.
			i := bytes.IndexByte(line, c.comma)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			c.record = append(c.record, field...)
			c.ends = append(c.ends, len(c.record))
			fieldLine = posLine
			if i >= 0 {
				line = line[i+1:]
				continue parseField
			}
			break parseField
		}
		// A quoted field.
		start := posLine
		line = line[quoteLen:]
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				c.record = append(c.record, line[:i]...)
				line = line[i+quoteLen:]
				switch {
				case len(line) > 0 && line[0] == '"':
					// "" is a quote.
					c.record = append(c.record, '"')
					line = line[quoteLen:]
				case len(line) > 0 && line[0] == c.comma:
					// ", ends the field.
					line = line[1:]
					c.ends = append(c.ends, len(c.record))
					fieldLine = start
					continue parseField
				case lengthNL(line) == len(line):
					// " at the end of the line ends the field and the record.
					c.ends = append(c.ends, len(c.record))
					fieldLine = start
					break parseField
				default:
					// A quote in the field, taken as it is (LazyQuotes).
					c.record = append(c.record, '"')
				}
			case len(line) > 0:
				// The field goes on to the next line.
				c.record = append(c.record, line...)
				if errRead != nil {
					break parseField
				}
				line, errRead = c.readLine()
				if len(line) > 0 {
					posLine++
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default:
				// The end of the input ends the field.
				c.ends = append(c.ends, len(c.record))
				fieldLine = start
				break parseField
			}
		}
	}
	c.last = fieldLine

	str := string(c.record)
	cells := c.cells[:0]
	prev := 0
	for _, end := range c.ends {
		cells = append(cells, str[prev:end])
		prev = end
	}
	c.cells = cells
	return cells, errRead
}

// lines returns the lines where the last record read starts and where its
// last field starts: encoding/csv's FieldPos(0) and FieldPos(n-1).
func (c *csvReader) lines() (first, last int) { return c.first, c.last }

func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}
