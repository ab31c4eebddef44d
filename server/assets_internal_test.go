package server

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"testing/fstest"
)

// A name is trusted as hashed only when the hash in it is the content's:
// a file merely named like one (a hand-edited dist) is revalidated.
func TestOnlyANameWithTheContentsHashIsImmutable(t *testing.T) {
	body := []byte("console.log(1)")
	sum := sha256.Sum256(body)
	good := "app." + hex.EncodeToString(sum[:])[:hashedNameDigits] + ".js"
	set, err := loadAssets(fstest.MapFS{
		good:                     {Data: body},
		good + ".gz":             {Data: []byte("gz")},
		"app.0123456789.js":      {Data: body},
		"app.js":                 {Data: body},
		"index.html":             {Data: []byte("<!doctype html>")},
		"manifest.webmanifest":   {Data: []byte("{}")},
		"favicon.ico":            {Data: []byte{0, 0, 1, 0}},
		"icon.0123456789.svg.br": {Data: []byte("orphan")},
	}, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{good: true, "app.0123456789.js": false, "app.js": false, "favicon.ico": false} {
		a, ok := set[name]
		if !ok || a.hashed != want {
			t.Errorf("%s: present %v, hashed %v, want %v", name, ok, ok && a.hashed, want)
		}
	}
	if _, ok := set["index.html"]; ok {
		t.Error("index.html is served as a file")
	}
	if n := len(set[good].forms); n != 2 || set[good].forms[0].coding != "gzip" {
		t.Errorf("%s: %d forms, want gzip and identity", good, n)
	}
	if len(set) != 5 {
		t.Errorf("%d files, want 5 (compressed copies are forms, not files)", len(set))
	}
}
