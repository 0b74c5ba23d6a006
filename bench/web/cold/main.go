// Command cold drops the files named on standard input (one per line)
// from the page cache, so that the next read of each comes from the disk,
// as it does for photos nobody has looked at for a while. It needs no
// privilege: it only advises the kernel that the files' cached pages are
// not needed. Linux only, as is the benchmark.
package main

import (
	"bufio"
	"fmt"
	"os"
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
