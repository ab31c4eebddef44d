package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/config"
)

// token is `sketchpad token`: it mints an embed token with the secret of
// the service the settings describe (SKETCHPAD_SECRET, else the data
// directory's or Redis's), and prints it with its embed path as JSON.
func token(args []string, stdout, stderr io.Writer) error {
	var req server.TokenRequest
	cfg, err := config.LoadConfigWith("sketchpad token", args, os.Getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&req.Board, "board", "", "board name (required)")
		fs.StringVar(&req.Can, "can", access.CanView, `what the token allows: "view", "draw" or "moderate" (draw, and remove someone's work)`)
		fs.StringVar(&req.Name, "name", "", "display name forced on whoever uses the token (optional)")
		fs.StringVar(&req.TTL, "ttl", "1h", "how long the token is valid (at most 720h)")
	})
	if err != nil {
		fmt.Fprintln(stderr, "sketchpad token:", err)
		return errUsage
	}
	links, done, err := server.LinksFor(cfg)
	if err != nil {
		return err
	}
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, claims, err := server.MintFor(ctx, links, req)
	if err != nil {
		fmt.Fprintln(stderr, "sketchpad token:", err)
		return errUsage
	}
	enc := json.NewEncoder(stdout)
	return enc.Encode(server.TokenResponse{Token: tok, Expires: time.Unix(claims.Expires, 0).UTC(),
		Embed: "/embed/" + claims.Board + "?token=" + tok})
}
