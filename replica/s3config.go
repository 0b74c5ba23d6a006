package replica

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
)

// s3Config is what Litestream's client needs beyond the bucket.
type s3Config struct {
	endpoint  string // "" for AWS itself
	region    string
	pathStyle bool // a self-hosted server: http://host/bucket/key
}

// loadS3Config reads the endpoint and region the AWS way: AWS_ENDPOINT_URL
// and AWS_REGION, else the profile in the shared config files.
func loadS3Config(ctx context.Context) (s3Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return s3Config{}, fmt.Errorf("read the AWS configuration: %w", err)
	}
	var c s3Config
	if cfg.BaseEndpoint != nil {
		c.endpoint = *cfg.BaseEndpoint
		c.pathStyle = true
	}
	c.region = cfg.Region
	return c, nil
}
