package main

import "pinhole/cli"

// The --json shapes, by the names these tests have always used.
type (
	galleryJSON    = cli.GalleryJSON
	clientJSON     = cli.ClientJSON
	photoJSON      = cli.PhotoJSON
	eventJSON      = cli.EventJSON
	adminKeyJSON   = cli.AdminKeyJSON
	previewJSON    = cli.PreviewJSON
	favouritesJSON = cli.FavouritesJSON
)

var DefaultDataDir = cli.DefaultDataDir
