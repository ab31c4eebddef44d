package frontend

import _ "embed"

//go:embed embed/embed.js
var embedJS []byte

// EmbedJS returns embed.js, the host-page library served at /embed.js
// (plain JavaScript, no build step).
func EmbedJS() []byte { return embedJS }
