package httpapi

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
)

func (h *handlers) GetHealth(context.Context, gen.GetHealthRequestObject) (gen.GetHealthResponseObject, error) {
	return gen.GetHealth200JSONResponse{Status: "ok", Version: nonEmpty(h.deps.Version)}, nil
}

func (h *handlers) GetReadiness(ctx context.Context, _ gen.GetReadinessRequestObject) (gen.GetReadinessResponseObject, error) {
	if h.deps.Ready != nil {
		if err := h.deps.Ready(ctx); err != nil {
			return nil, &domain.Error{Kind: domain.KindUnavailable, Code: "not_ready", Detail: "the service is not ready", Err: err}
		}
	}
	return gen.GetReadiness200JSONResponse{Status: "ok", Version: nonEmpty(h.deps.Version)}, nil
}
