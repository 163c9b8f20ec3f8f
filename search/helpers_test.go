package search

import (
	"os"

	index "github.com/blevesearch/bleve_index_api"
)

type indexField = index.Field

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
