package api_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/essor-ess/essor/api"
)

func TestSpecIsValidOpenAPI303(t *testing.T) {
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData(api.Spec)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if spec.OpenAPI != "3.0.3" {
		t.Errorf("openapi %q, want 3.0.3 (oapi-codegen and kin-openapi do not fully support 3.1)", spec.OpenAPI)
	}
	if err := spec.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("validate (examples included): %v", err)
	}
}

// The generated server must be what the spec and config give today; CI runs this test, so a spec change without
// `go generate ./api` fails the build. Generation is deterministic, so any difference is drift.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs oapi-codegen")
	}
	out := filepath.Join(t.TempDir(), "api.gen.go")
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", "oapi-codegen.yaml", "-o", out, "openapi.yaml")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../internal/httpapi/gen/api.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Fatal("internal/httpapi/gen/api.gen.go is stale: run `go generate ./api` and commit the result")
	}
}
