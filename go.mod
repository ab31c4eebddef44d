module github.com/sketchpad/sketchpad

go 1.26
