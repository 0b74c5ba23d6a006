// Command cold drops the files named on standard input (one per line)
// from the page cache, so that the next read of each comes from the disk,
// as it does for photos nobody has looked at for a while. It needs no
// privilege: it only advises the kernel that the files' cached pages are
// not needed.
package main

import (
	"bufio"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

func main() {
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if err := drop(sc.Text()); err != nil {
			fmt.Fprintln(os.Stderr, "cold:", err)
			os.Exit(1)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "cold:", err)
		os.Exit(1)
	}
}

func drop(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// Dirty pages (a file just written) stay cached until written back.
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
