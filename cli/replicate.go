package cli

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"pinhole/replica"
)

const replicateUsage = "stream the database to file:///FOLDER or s3://BUCKET/PREFIX while running (default $PINHOLE_REPLICATE)"

// ReplicaFlag is --replicate, of the commands that run Pinhole.
type ReplicaFlag struct {
	url string
	fs  *pflag.FlagSet
}

// Add declares the flag.
func (f *ReplicaFlag) Add(fs *pflag.FlagSet) {
	fs.StringVar(&f.url, "replicate", "", replicateUsage)
	f.fs = fs
}

// URL is the flag's value when it was given, else $PINHOLE_REPLICATE.
func (f *ReplicaFlag) URL(env *Env) string {
	if f.fs != nil && f.fs.Changed("replicate") {
		return f.url
	}
	return env.Getenv("PINHOLE_REPLICATE")
}

// Replicate opens the store and streams it to the replica at raw, when
// one is given, until the returned stop is called (which ships what is
// left). A new data folder is not started over a replica that holds a
// database: that database is restored first.
func Replicate(ctx context.Context, c *Env, raw string, logger *slog.Logger) (stop func(), err error) {
	if raw == "" {
		return func() {}, nil
	}
	target, err := replica.Parse(raw)
	if err != nil {
		return nil, usageError{msg: err.Error()}
	}
	path := filepath.Join(c.DataDir, "pinhole.db")
	if c.Store == nil {
		if err := replica.CheckFresh(ctx, target, path, logger); err != nil {
			return nil, err
		}
	}
	if _, err := c.OpenStore(ctx); err != nil {
		return nil, err
	}
	r, err := replica.Start(ctx, target, path, logger)
	if err != nil {
		return nil, err
	}
	logger.Info("replicating the database", "to", target.URL)
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			logger.Error("the last changes may not have reached the replica", "err", err)
		}
	}, nil
}
