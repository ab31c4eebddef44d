package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// TestOriginAndAccessMatrix asserts every cell: which Origin may open which
// kind of board link, and whether an op over it is taken.
func TestOriginAndAccessMatrix(t *testing.T) {
	ts := startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute,
		AllowedOrigins: []string{"http://partner.example"}, AdminKey: adminKey})
	ctx := context.Background()
	links := ts.app.Links()
	view, err := links.ViewID(ctx, "matrix")
	if err != nil {
		t.Fatal(err)
	}
	drawTok, _, _ := links.MintToken(ctx, "matrix", access.CanDraw, "", time.Now().Add(time.Hour))
	viewTok, _, _ := links.MintToken(ctx, "matrix", access.CanView, "", time.Now().Add(time.Hour))
	expired, _, _ := links.MintToken(ctx, "matrix", access.CanDraw, "", time.Now().Add(-time.Minute))
	otherTok, _, _ := links.MintToken(ctx, "elsewhere", access.CanDraw, "", time.Now().Add(time.Hour))
	host := strings.TrimPrefix(ts.URL, "http://")

	origins := map[string]string{
		"none":    "",
		"same":    "http://" + host,
		"allowed": "http://partner.example",
		"foreign": "http://evil.example",
	}
	type access struct {
		path string
		// want: "draw" (op applied), "view" (connects, op closes 4403),
		// or an HTTP status refusing the upgrade.
		want string
	}
	accesses := map[string]access{
		"edit link":            {"/ws/matrix", "draw"},
		"view link":            {"/ws/" + view, "view"},
		"draw token":           {"/ws/" + view + "?token=" + url.QueryEscape(drawTok), "draw"},
		"view token":           {"/ws/" + view + "?token=" + url.QueryEscape(viewTok), "view"},
		"expired token":        {"/ws/" + view + "?token=" + url.QueryEscape(expired), "401"},
		"other board's token":  {"/ws/" + view + "?token=" + url.QueryEscape(otherTok), "403"},
		"forged view link":     {"/ws/v.bm90LWEtdmlldy1saW5rLWF0LWFsbC14eHh4eHg", "404"},
		"draw token, bad name": {"/ws/no%20way?token=" + url.QueryEscape(drawTok), "400"},
	}
	for oname, origin := range origins {
		for aname, a := range accesses {
			want := a.want
			if oname == "foreign" && (want == "draw" || want == "view") {
				want = "403"
			}
			h := http.Header{}
			if origin != "" {
				h.Set("Origin", origin)
			}
			c := client.New("ws://"+host+a.path, client.Options{Header: h, Name: "m"})
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := c.Connect(cctx)
			cancel()
			cell := oname + " origin × " + aname
			switch want {
			case "draw", "view":
				if err != nil {
					t.Errorf("%s: connect: %v, want %s", cell, err, want)
					c.Close()
					continue
				}
				before := c.Seq()
				_ = c.Send(&canvas.Op{Type: canvas.OpEnd})
				if want == "draw" {
					if err := c.WaitAcked(ctxT(t)); err != nil || c.Seq() != before+1 {
						t.Errorf("%s: op not applied: %v", cell, err)
					}
				} else {
					code, _, err := c.WaitClosed(ctxT(t))
					if err != nil || code != uint16(canvas.CloseReadOnly) {
						t.Errorf("%s: op over a read-only link: close %d %v, want %d", cell, code, err, uint16(canvas.CloseReadOnly))
					}
				}
			default:
				// Refused before the upgrade: an HTTP status, no 101.
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%s: %v, want HTTP %s and no upgrade", cell, err, want)
				}
			}
			c.Close()
		}
	}
}
