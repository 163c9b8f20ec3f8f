//go:build linux

package search

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// releaseMappedPages tells the kernel that this process no longer needs the pages of the index files under dir
// that it has touched so far. Loading the table reads every stored document once, which leaves the whole stored
// section of the segments resident and counted in the process's RSS although serving only reads the stored fields
// of each page's hits. The segments are read-only shared file mappings: a dropped page stays in the page cache
// and comes back on the next access, so this changes no data, only what the process holds.
func releaseMappedPages(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "start-end perms offset dev inode path"
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.HasPrefix(fields[5], abs+string(os.PathSeparator)) || !strings.HasSuffix(fields[5], ".zap") {
			continue
		}
		bounds := strings.SplitN(fields[0], "-", 2)
		start, err1 := strconv.ParseUint(bounds[0], 16, 64)
		end, err2 := strconv.ParseUint(bounds[1], 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED)
	}
}
