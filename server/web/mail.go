package web

import (
	"context"
	"time"

	"pinhole/studio"
)

// SendMail sends the outbox's due mail every interval, and at once when a
// visitor sends a selection; once an hour it queues the day's digests.
// Requests never wait on the mail server: they only queue mail.
func (h *Handler) SendMail(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	var digested time.Time
	for {
		if now := h.now(); now.Sub(digested) >= time.Hour {
			if _, err := studio.QueueDigests(ctx, h.store, now); err != nil && ctx.Err() == nil {
				h.log.Warn("queue digests", "err", err)
			}
			digested = now
		}
		if sent, failed, err := studio.Deliver(ctx, h.store); err != nil && ctx.Err() == nil {
			h.log.Warn("send mail", "err", err)
		} else if sent+failed > 0 {
			h.log.Info("mail", "sent", sent, "failed", failed)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-h.mailNow:
		}
	}
}

// pokeMail wakes SendMail, if it is not already awake.
func (h *Handler) pokeMail() {
	select {
	case h.mailNow <- struct{}{}:
	default:
	}
}
