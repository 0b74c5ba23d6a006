package web

import (
	"io"
	"sync"
	"time"
)

// LogWriter gathers log lines and writes them out together: at most every
// interval, when 64 kB are waiting, and on Flush. Under load the request
// log then costs one write for many requests instead of one each; every
// request is still logged, at most one interval late.
type LogWriter struct {
	mu    sync.Mutex
	w     io.Writer
	every time.Duration
	buf   []byte
	armed bool // a flush is scheduled
}

// NewLogWriter buffers writes to w for up to every.
func NewLogWriter(w io.Writer, every time.Duration) *LogWriter {
	return &LogWriter{w: w, every: every, buf: make([]byte, 0, 64<<10)}
}

// Write takes a copy of p; errors of the underlying writer are dropped,
// as a log has nowhere to report them.
func (l *LogWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if len(l.buf) >= 64<<10 {
		l.flushLocked()
	} else if !l.armed {
		l.armed = true
		time.AfterFunc(l.every, func() { l.Flush() })
	}
	return len(p), nil
}

// Flush writes out what is waiting.
func (l *LogWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.armed = false
	return l.flushLocked()
}

func (l *LogWriter) flushLocked() error {
	if len(l.buf) == 0 {
		return nil
	}
	_, err := l.w.Write(l.buf)
	l.buf = l.buf[:0]
	return err
}
