package studio

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"pinhole/db"
	"pinhole/mail"
)

// ErrNoMail says e-mail is not set up.
var ErrNoMail = errors.New("e-mail is not set up: pinhole config set smtp-url smtp://USER:PASS@HOST:PORT (STARTTLS) or smtps://… (TLS)")

// mailRetry is how long a failed send waits before the next try; after
// the last one the message is given up (about a day after the first).
var mailRetry = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour}

// mailSetup is the SMTP server and the sender, or ErrNoMail.
func mailSetup(ctx context.Context, s *db.Store) (*mail.Server, string, error) {
	raw, err := s.Setting(ctx, db.SettingSMTPURL)
	if err != nil {
		return nil, "", err
	}
	if raw == "" {
		return nil, "", ErrNoMail
	}
	srv, err := mail.Parse(raw)
	if err != nil {
		return nil, "", err
	}
	from, err := s.Setting(ctx, db.SettingMailFrom)
	if err != nil {
		return nil, "", err
	}
	if from == "" {
		if from, err = s.Setting(ctx, db.SettingNotifyEmail); err != nil {
			return nil, "", err
		}
	}
	if from == "" && strings.Contains(srv.User, "@") {
		from = srv.User
	}
	if from == "" {
		return nil, "", errors.New("e-mail needs a sender: pinhole config set mail-from studio@example.com")
	}
	return srv, from, nil
}

// QueueShare puts a gallery's link message to a client in the outbox. It
// never carries the PIN, which goes by another channel. The link starts
// with the base URL (given: see [BaseURL]).
func QueueShare(ctx context.Context, s *db.Store, given Given, g db.Gallery, to string) (db.Mail, error) {
	addr, err := mail.Address(to)
	if err != nil {
		return db.Mail{}, err
	}
	if _, _, err := mailSetup(ctx, s); err != nil {
		return db.Mail{}, err
	}
	sh, err := ShareFor(ctx, s, given, g)
	if err != nil {
		return db.Mail{}, err
	}
	if sh.Warning != "" {
		return db.Mail{}, fmt.Errorf("not sent: %s", sh.Warning)
	}
	if sh.PIN != "" && strings.Contains(sh.LinkMessage, sh.PIN) {
		return db.Mail{}, errors.New("not sent: the link message holds the PIN (share-template-link has {pin}), and an e-mail never carries it: take {pin} out of the template")
	}
	studio, err := Setting(ctx, s, db.SettingStudioName)
	if err != nil {
		return db.Mail{}, err
	}
	return s.QueueMail(ctx, db.Mail{GalleryID: g.ID, Kind: db.MailShare, To: addr,
		Subject: fmt.Sprintf("Your photos: %s — %s", g.Title, studio), Body: sh.LinkMessage + "\n"})
}

// SentList is one list of a selection a visitor sent: a selection spans
// a collection, one list per gallery.
type SentList struct {
	Gallery db.Gallery
	ListID  int64
	Photos  int
}

// QueueSelectionNotice tells the photographer (notify-email) that a
// visitor sent a selection of the collection top, naming each list as the
// photographer's lists name it ("Anna (2)" where names repeat), with the
// command that finds it; nothing when e-mail or the address is not set.
func QueueSelectionNotice(ctx context.Context, s *db.Store, top db.Gallery, sent []SentList) error {
	to, err := s.Setting(ctx, db.SettingNotifyEmail)
	if err != nil || to == "" {
		return err
	}
	if _, _, err := mailSetup(ctx, s); errors.Is(err, ErrNoMail) {
		return nil
	}
	who, total := "", 0
	var lists strings.Builder
	for _, l := range sent {
		label, err := ListLabel(ctx, s, l.Gallery.ID, l.ListID)
		if err != nil {
			return err
		}
		if who == "" {
			who = label
		}
		total += l.Photos
		fmt.Fprintf(&lists, "\n%q: %d %s, listed as %q\n", l.Gallery.Title, l.Photos, Plural(l.Photos, "photo", "photos"), label)
		fmt.Fprintf(&lists, "  See every list:   pinhole favourites %s\n", l.Gallery.Slug)
		fmt.Fprintf(&lists, "  For Lightroom:    pinhole favourites %s --by %s --lightroom\n", l.Gallery.Slug, ShellQuote(label))
	}
	if who == "" {
		who = "A visitor"
	}
	body := fmt.Sprintf("%s sent a selection of %d %s in %q.\n%s", who, total, Plural(total, "photo", "photos"), top.Title, lists.String())
	_, err = s.QueueMail(ctx, db.Mail{GalleryID: top.ID, Kind: db.MailSelection, To: to,
		Subject: fmt.Sprintf("%s sent a selection: %s", who, top.Title), Body: body})
	return err
}

// QueueDigests puts in the outbox, for each gallery visited or downloaded
// from since its last digest, a digest of the day for the photographer:
// at most one a day per gallery. It returns how many were queued.
func QueueDigests(ctx context.Context, s *db.Store, now time.Time) (int, error) {
	to, err := s.Setting(ctx, db.SettingNotifyEmail)
	if err != nil || to == "" {
		return 0, err
	}
	if _, _, err := mailSetup(ctx, s); errors.Is(err, ErrNoMail) {
		return 0, nil
	}
	gs, err := s.Galleries(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range gs {
		last, err := s.LastMail(ctx, g.ID, db.MailDigest)
		if err != nil {
			return n, err
		}
		if !last.IsZero() && now.Sub(last) < 24*time.Hour {
			continue
		}
		// The last digest counted through the second it was made.
		since := now.Add(-24 * time.Hour)
		if !last.IsZero() && !last.Before(since) {
			since = last.Add(time.Second)
		}
		st, err := s.GalleryStats(ctx, g.ID, since)
		if err != nil {
			return n, err
		}
		if st.Opened == 0 && st.Downloads == 0 {
			continue
		}
		body := fmt.Sprintf("%s in the last day:\n\n  opened     %d\n  downloads  %d\n\nWho and what:  pinhole activity %s\n",
			g.Title, st.Opened, st.Downloads, g.Slug)
		if _, err := s.QueueMail(ctx, db.Mail{GalleryID: g.ID, Kind: db.MailDigest, To: to,
			Subject: fmt.Sprintf("%s: %d %s, %d %s", g.Title, st.Opened, Plural(st.Opened, "visit", "visits"), st.Downloads, Plural(st.Downloads, "download", "downloads")),
			Body:    body}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// shareClosed says why the link of gallery id does not open now ("" when
// it does), as gallery share warns: it was deleted, or it is closed.
func shareClosed(ctx context.Context, s *db.Store, id int64) (string, error) {
	if id == 0 {
		return "the gallery was deleted", nil
	}
	g, err := s.GalleryByID(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return "the gallery was deleted", nil
	}
	if err != nil {
		return "", err
	}
	d, err := Effective(ctx, s, g)
	if err != nil {
		return "", err
	}
	return d.Closed(), nil
}

var mailWords = map[string]string{db.MailShare: "gallery link", db.MailSelection: "selection notice", db.MailDigest: "daily digest"}

// Deliver sends the mail that is due. A failed send is tried again later
// (and given up after about a day); each failure shows in the activity
// view. Without e-mail set up it does nothing.
func Deliver(ctx context.Context, s *db.Store) (sent, failed int, err error) {
	due, err := s.DueMail(ctx, 50)
	if err != nil || len(due) == 0 {
		return 0, 0, err
	}
	srv, from, setupErr := mailSetup(ctx, s)
	if errors.Is(setupErr, ErrNoMail) {
		return 0, 0, nil
	}
	for _, m := range due {
		// Claim it, so that two processes sending never send it twice.
		if ok, err := s.ClaimMail(ctx, m.ID, s.Now().Add(10*time.Minute)); err != nil || !ok {
			if err != nil {
				return sent, failed, err
			}
			continue
		}
		who := "E-mail to " + m.To
		if m.Kind == db.MailShare {
			// A link message that waited is sent only while its link opens:
			// the gallery may have been deleted or closed meanwhile.
			why, err := shareClosed(ctx, s, m.GalleryID)
			if err != nil {
				return sent, failed, err
			}
			if why != "" {
				failed++
				detail := fmt.Sprintf("%s not sent: %s; share it again once it opens", mailWords[m.Kind], why)
				if err := s.MailFailed(ctx, m.ID, "not sent: "+why, time.Time{}); err != nil {
					return sent, failed, err
				}
				if err := s.AddEvent(ctx, db.Event{GalleryID: m.GalleryID, Kind: db.EventMailFail, Visitor: who, Detail: detail}); err != nil {
					return sent, failed, err
				}
				continue
			}
		}
		err := setupErr
		if err == nil {
			err = srv.Send(ctx, mail.Message{From: from, To: m.To, Subject: m.Subject, Body: m.Body})
		}
		if err == nil {
			sent++
			if err := s.MailSent(ctx, m.ID); err != nil {
				return sent, failed, err
			}
			if m.Kind == db.MailShare {
				s.AddEvent(ctx, db.Event{GalleryID: m.GalleryID, Kind: db.EventMailSent, Visitor: who, Detail: mailWords[m.Kind]})
			}
			continue
		}
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
		failed++
		var next time.Time
		detail := fmt.Sprintf("%s: %v; given up after %d tries", mailWords[m.Kind], err, m.Attempts+1)
		if m.Attempts < len(mailRetry) {
			next = s.Now().Add(mailRetry[m.Attempts])
			detail = fmt.Sprintf("%s: %v; next try in %s", mailWords[m.Kind], err, mailRetry[m.Attempts])
		}
		if err := s.MailFailed(ctx, m.ID, err.Error(), next); err != nil {
			return sent, failed, err
		}
		if err := s.AddEvent(ctx, db.Event{GalleryID: m.GalleryID, Kind: db.EventMailFail, Visitor: who, Detail: detail}); err != nil {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}
