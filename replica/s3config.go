package replica

import (
	"context"

	"pinhole/media/bucket"
)

// s3Config is what Litestream's client needs beyond the bucket.
type s3Config struct {
	endpoint  string // "" for AWS itself
	region    string
	pathStyle bool // a self-hosted server: http://host/bucket/key
}

// loadS3Config reads the endpoint and region as the photo storage does
// (AWS_ENDPOINT_URL, AWS_REGION, the shared config files); the keys
// Litestream's client reads itself, from the same places.
func loadS3Config(ctx context.Context) (s3Config, error) {
	cfg, err := bucket.Config(ctx)
	if err != nil {
		return s3Config{}, err
	}
	c := s3Config{region: cfg.Region, pathStyle: bucket.PathStyle(cfg)}
	if cfg.BaseEndpoint != nil {
		c.endpoint = *cfg.BaseEndpoint
	}
	return c, nil
}
