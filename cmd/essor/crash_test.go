package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// TestMain lets a test start this very binary as `essor` in a child process (ESSOR_RUN_MAIN=1), so it can kill it.
func TestMain(m *testing.M) {
	if os.Getenv("ESSOR_RUN_MAIN") == "1" {
		os.Args = append([]string{"essor"}, strings.Fields(os.Getenv("ESSOR_ARGS"))...)
		os.Exit(exitCode())
	}
	os.Exit(m.Run())
}

// TestKilledDuringRebuildResumesToAnIndexEqualToTheDatabase kills the server with SIGKILL in the middle of a full
// index rebuild, starts it again, and checks that the index then holds exactly the database's structures.
func TestKilledDuringRebuildResumesToAnIndexEqualToTheDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 8,000 structures")
	}
	databaseURL, dataDir := dbtest.URL(t)
	env := map[string]string{"DATABASE_URL": databaseURL, "ESSOR_DATA_DIR": dataDir, "ESSOR_LOG_LEVEL": "warn"}
	if err := run(context.Background(), []string{"seed", "demo", "--count", "8000"}, func(k string) string { return env[k] },
		strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "ESSOR_RUN_MAIN=1", "ESSOR_ARGS=serve", "ESSOR_ADDR=127.0.0.1:0",
		"DATABASE_URL="+databaseURL, "ESSOR_DATA_DIR="+dataDir, "ESSOR_LOG_LEVEL=warn")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	checkpoint := filepath.Join(dataDir, "index", "rebuild.json")
	killedAt := waitForCheckpoint(t, checkpoint, 1000)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	t.Logf("killed the server after %d structures of the rebuild", killedAt)

	base, stop := startServeOn(t, databaseURL, dataDir)
	waitFor(t, 60*time.Second, "the index is rebuilt after the restart", func() bool {
		code, _, _ := get(t, base+"/v1/structures?sort=name&page_size=1")
		return code == http.StatusOK
	})
	got := indexIDsThroughAPI(t, base)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	want := databaseIDs(t, databaseURL, dataDir)
	if len(got) != len(want) || !slices.Equal(got, want) {
		t.Fatalf("after the crash and restart the index holds %d structures, the database %d", len(got), len(want))
	}
}

// waitForCheckpoint polls the rebuild checkpoint until it records at least n structures and returns that count.
func waitForCheckpoint(t *testing.T, path string, n int64) int64 {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var cp struct {
			Done     int64 `json:"done"`
			Complete bool  `json:"complete"`
		}
		if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &cp) == nil {
			if cp.Complete {
				t.Fatal("the rebuild completed before the test could kill it; seed more structures")
			}
			if cp.Done >= n {
				return cp.Done
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("no rebuild checkpoint with %d structures at %s", n, path)
	return 0
}

// indexIDsThroughAPI walks every page of a search that only the index answers (sort by name).
func indexIDsThroughAPI(t *testing.T, base string) []string {
	t.Helper()
	var ids []string
	url := base + "/v1/structures?sort=name&page_size=100"
	for {
		code, body, _ := get(t, url)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", url, code, body)
		}
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.NextCursor == nil {
			break
		}
		url = fmt.Sprintf("%s/v1/structures?sort=name&page_size=100&cursor=%s", base, *page.NextCursor)
	}
	slices.Sort(ids)
	return ids
}

func databaseIDs(t *testing.T, databaseURL, dataDir string) []string {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), databaseURL, dataDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	}()
	ids, err := sqlstore.New(db).StructureIDsAfter(context.Background(), "", 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}
