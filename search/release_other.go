//go:build !linux

package search

// releaseMappedPages does nothing outside Linux.
func releaseMappedPages(string) {}
