package httpapi

import "github.com/essor-ess/essor/internal/ratelimit"

// Rate is a token-bucket limit: PerMinute requests a minute on average, Burst at once.
type Rate = ratelimit.Rate

// RateLimits are the request limits of the API (see internal/ratelimit).
type RateLimits = ratelimit.Limits

// DefaultRateLimits are 60 requests a minute (burst 30) per anonymous IP, 600 (burst 100) per token, 10 sign-in or
// sign-up attempts a minute (burst 5) per IP.
var DefaultRateLimits = ratelimit.Defaults
