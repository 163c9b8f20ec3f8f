// Package migrations embeds the versioned SQL migrations goose runs, one folder per SQL dialect with the same
// version numbers.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql; internal/sqlstore picks the folder matching the database.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
