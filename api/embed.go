// Package api holds Essor's HTTP contract, the OpenAPI document that the server is generated from, validates
// requests against and serves at /openapi.yaml.
package api

import _ "embed"

//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o ../internal/httpapi/gen/api.gen.go openapi.yaml

// Spec is the OpenAPI 3.0.3 document of the API (openapi.yaml).
//
//go:embed openapi.yaml
var Spec []byte
