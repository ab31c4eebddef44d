package server_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// BenchmarkJoinImageBoard measures what images cost a joiner: a board of
// 200 ink strokes, alone or with 20 images of about 77 KB each (noise, so
// PNG cannot shrink them). Reported: the snapshot's bytes, the time to
// join (connect to board held), and the time to join and fetch every
// image's bytes as a page does (serially here; a browser fetches six at
// once). go test ./server -run '^$' -bench JoinImageBoard -benchtime 20x
func BenchmarkJoinImageBoard(b *testing.B) {
	for _, images := range []int{0, 20} {
		b.Run(map[int]string{0: "ink", 20: "ink+20images"}[images], func(b *testing.B) {
			// The shared helpers take a *testing.T; their cleanups are not
			// run for this one, so the server is stopped here.
			t := &testing.T{}
			ts := startWith(t, &config.Config{DataDir: b.TempDir(), RoomIdle: time.Minute, RateHTTP: 1e6,
				BoardImageBytes: 64 << 20, ImageBytes: 1 << 20})
			defer ts.stop(t)
			room := randomNames("bench-", 1)[0]
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			drawer := client.New(ts.wsURL(room), client.Options{Name: "drawer"})
			if err := drawer.Connect(ctx); err != nil {
				b.Fatal(err)
			}
			defer drawer.Close()
			for i := range 200 {
				if _, err := drawer.Stroke(uint32(i), 4, spiral(60, float64(i)), 16); err != nil {
					b.Fatal(err)
				}
			}
			var urls []string
			for i := range images {
				_, up := upload(&testing.T{}, ts, room, "image/png", pngOf(&testing.T{}, 160+i, 160, true))
				urls = append(urls, ts.URL+up.URL)
				op := &canvas.Op{Type: canvas.OpImage, Stroke: uint32(1000 + i), Color: 0xff,
					Points: []canvas.Point{{X: int32(i * 100), Y: 0}, {X: int32(i*100 + 640), Y: 640}}, Text: up.Hash}
				if err := drawer.Send(op); err != nil {
					b.Fatal(err)
				}
			}
			if err := drawer.WaitAcked(ctx); err != nil {
				b.Fatal(err)
			}
			snap, _ := drawer.Board().MarshalBinary()
			var joinNs, fetchNs, fetched int64
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				c := client.New(ts.wsURL(room), client.Options{Name: "joiner"})
				if err := c.Connect(ctx); err != nil {
					b.Fatal(err)
				}
				if err := c.WaitSeq(ctx, drawer.Seq()); err != nil {
					b.Fatal(err)
				}
				joinNs += time.Since(start).Nanoseconds()
				for _, u := range urls {
					resp, err := http.Get(u)
					if err != nil {
						b.Fatal(err)
					}
					n, _ := io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					fetched += n
				}
				fetchNs += time.Since(start).Nanoseconds()
				c.Close()
			}
			b.ReportMetric(float64(len(snap)), "snapshot-B")
			b.ReportMetric(float64(joinNs)/float64(b.N)/1e6, "join-ms")
			b.ReportMetric(float64(fetchNs)/float64(b.N)/1e6, "join+images-ms")
			b.ReportMetric(float64(fetched)/float64(b.N), "image-B")
		})
	}
}
