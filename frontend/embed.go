// Package frontend holds the browser app. Its sources are TypeScript under
// src/; `npm run build` bundles them into dist/, which is committed so that
// `go run ./server/cmd/sketchpad` works without Node, and embedded here.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Dist returns the built app: index.html, the hashed script, style sheet
// and icons with their gzip and Brotli copies, favicon.ico and the manifest.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees dist exists
	}
	return sub
}
