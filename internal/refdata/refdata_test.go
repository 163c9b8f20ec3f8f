package refdata

import (
	"testing"
	"time"
)

func TestEmbeddedDataLoads(t *testing.T) {
	start := time.Now()
	c, err := load()
	if err != nil {
		t.Fatal(err)
	}
	// The budget is 100 ms; the bound is looser because tests share slow CPUs, and BenchmarkLoad measures it.
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("loading took %v", d)
	}
	if first, again := Default(), Default(); c.cpvSearch == nil || c.commSearch == nil || first == nil || first != again {
		t.Error("catalog not fully built or not shared")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildSearchIndexes(b *testing.B) {
	c := Default()
	for b.Loop() {
		c.buildCPVSearch()
		c.buildCommuneSearch()
	}
}
