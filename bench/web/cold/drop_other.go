//go:build !linux

package main

import "errors"

func drop(string) error {
	return errors.New("dropping files from the page cache needs Linux")
}
