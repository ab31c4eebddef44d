package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/client"
)

// A board's history as the page replays it (GET
// /api/boards/{room}/history/ops) and restored as a new board (POST
// /api/boards/{room}/restore), over real HTTP in both modes.

// getOps fetches a stretch of history: its body and X-Sketchpad-Through.
func getOps(t *testing.T, ts *testServer, path string) (int, []byte, uint64) {
	t.Helper()
	resp, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	through, _ := strconv.ParseUint(resp.Header.Get("X-Sketchpad-Through"), 10, 64)
	return resp.StatusCode, b, through
}

// replayStretch reads the board after op at and every op to to, a page
// of limit ops at a time, and checks the board after every sequence
// number against want (the board replayed from the log, as encoded).
func replayStretch(t *testing.T, ts *testServer, room string, at, to uint64, limit int, want [][]byte) {
	t.Helper()
	var b *canvas.Board
	var op canvas.Op
	seq := at
	q := fmt.Sprintf("at=%d", at)
	for pages := 0; ; pages++ {
		if pages > int(to-at)+2 {
			t.Fatalf("replay %d..%d: paging does not get on (at %d)", at, to, seq)
		}
		code, body, through := getOps(t, ts, fmt.Sprintf("/api/boards/%s/history/ops?%s&to=%d&limit=%d", room, q, to, limit))
		if code != http.StatusOK {
			t.Fatalf("replay %d..%d: HTTP %d %s", at, to, code, body)
		}
		err := canvas.DecodeServerFrame(body, func(m *canvas.ServerMsg) error {
			switch m.Type {
			case canvas.MsgSnapshot:
				enc, _ := m.Board.MarshalBinary()
				b = new(canvas.Board)
				if err := b.UnmarshalBinary(enc); err != nil {
					return err
				}
				if b.Seq == at && seq == at {
					break // the board asked for
				}
				if b.Seq != seq+1 {
					return fmt.Errorf("a snapshot at %d after op %d", b.Seq, seq)
				}
				seq = b.Seq
			case canvas.MsgOps:
				if b == nil {
					return fmt.Errorf("ops before the board")
				}
				if m.FirstSeq != seq+1 {
					return fmt.Errorf("ops from %d after op %d", m.FirstSeq, seq)
				}
				for _, o := range m.Ops {
					if err := canvas.DecodeOp(o.Op, &op); err != nil {
						return err
					}
					b.Apply(o.Author, &op)
					seq++
					b.Seq = seq
					if got, _ := b.MarshalBinary(); !bytes.Equal(got, want[seq]) {
						return fmt.Errorf("the board after op %d is not ops 1..%d replayed", seq, seq)
					}
				}
				return nil
			default:
				return fmt.Errorf("message %#x", m.Type)
			}
			if got, _ := b.MarshalBinary(); !bytes.Equal(got, want[seq]) {
				return fmt.Errorf("the board at %d is not ops 1..%d replayed", seq, seq)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("replay %d..%d limit %d: %v", at, to, limit, err)
		}
		if through != seq {
			t.Fatalf("replay %d..%d: X-Sketchpad-Through %d, the body ends at %d", at, to, through, seq)
		}
		if seq == to {
			return
		}
		q = fmt.Sprintf("after=%d", seq)
	}
}

// boardsOf replays log from empty and returns the board after every op
// (index: sequence number), encoded under epoch.
func boardsOf(t *testing.T, epoch uint64, log []client.Entry) [][]byte {
	t.Helper()
	b := canvas.NewBoard(epoch)
	var op canvas.Op
	out := make([][]byte, len(log)+1)
	out[0], _ = b.MarshalBinary()
	for i, e := range log {
		if err := canvas.DecodeOp(e.Op, &op); err != nil {
			t.Fatal(err)
		}
		b.Apply(e.Author, &op)
		b.Seq = e.Seq
		out[i+1], _ = b.MarshalBinary()
	}
	return out
}

// The page replays history exactly: from any point to any later one, in
// pages of any size, across checkpoints (every 7 ops here), the board
// after every op is ops 1..SEQ replayed from empty.
func TestHistoryOpsReplayEveryStretchExactly(t *testing.T) {
	historyModes(t, func(t *testing.T, ts *testServer) {
		room := randomNames("hops", 1)[0]
		log := drawRandom(t, ts, room, 21, 60)
		n := uint64(len(log))
		_, first, _ := getOps(t, ts, "/api/boards/"+room+"/history/ops?at=0&to=0")
		var epoch uint64
		_ = canvas.DecodeServerFrame(first, func(m *canvas.ServerMsg) error {
			if m.Type == canvas.MsgSnapshot {
				epoch = m.Board.Epoch
			}
			return nil
		})
		if epoch == 0 {
			t.Fatalf("at=0 holds no board: %x", first)
		}
		want := boardsOf(t, epoch, log)
		for _, c := range []struct {
			at, to uint64
			limit  int
		}{{0, n, 5000}, {0, n, 5}, {0, n, 1}, {6, 8, 5000}, {7, 7, 1}, {13, 50, 7}, {20, n, 3}, {n, n, 10}} {
			replayStretch(t, ts, room, c.at, c.to, c.limit, want)
		}
		// The stretch crosses checkpoints: they stand for their ops. A
		// checkpoint is written after the ops it covers were sent, so on a
		// busy machine the last ones may still be on their way.
		snaps := 0
		for deadline := time.Now().Add(10 * time.Second); snaps < 2 && time.Now().Before(deadline); {
			_, all, _ := getOps(t, ts, fmt.Sprintf("/api/boards/%s/history/ops?at=0&to=%d", room, n))
			snaps = 0
			_ = canvas.DecodeServerFrame(all, func(m *canvas.ServerMsg) error {
				if m.Type == canvas.MsgSnapshot {
					snaps++
				}
				return nil
			})
			if snaps < 2 {
				time.Sleep(50 * time.Millisecond)
			}
		}
		if snaps < 2 {
			t.Errorf("the whole history holds %d snapshots: no checkpoint was crossed (every 7 ops)", snaps)
		}
		// Without to, up to the head.
		code, _, through := getOps(t, ts, "/api/boards/"+room+"/history/ops?after=3")
		if code != http.StatusOK || through != n {
			t.Errorf("after=3 without to: HTTP %d through %d, want through the head %d", code, through, n)
		}
	})
}

// Wrong history reads and restores get a clear JSON error.
func TestHistoryOpsAndRestoreRefuseBadRequests(t *testing.T) {
	historyModes(t, func(t *testing.T, ts *testServer) {
		room := randomNames("hbad", 1)[0]
		drawRandom(t, ts, room, 3, 20)
		never := randomNames("hnever", 1)[0]
		ops := "/api/boards/" + room + "/history/ops"
		for _, c := range []struct {
			path string
			code int
			err  string
		}{
			{ops, 400, "bad_at"},
			{ops + "?at=1&after=1", 400, "bad_at"},
			{ops + "?at=x", 400, "bad_at"},
			{ops + "?at=-1", 400, "bad_at"},
			{ops + "?after=1e3", 400, "bad_after"},
			{ops + "?at=99999999999999999999999", 400, "bad_at"},
			{ops + "?at=5&to=4", 400, "bad_to"},
			{ops + "?at=5&to=z", 400, "bad_to"},
			{ops + "?at=1&limit=0", 400, "bad_limit"},
			{ops + "?at=1&limit=5001", 400, "bad_limit"},
			{ops + "?at=1&limit=many", 400, "bad_limit"},
			{ops + "?at=21", 404, "not_drawn_yet"},
			{ops + "?at=1&to=21", 404, "not_drawn_yet"},
			{"/api/boards/" + never + "/history/ops?at=0", 404, "no_board"},
			{"/api/boards/bad%20name!/history/ops?at=0", 400, "bad_room"},
			{"/api/boards/v.forged/history/ops?at=0", 404, "bad_link"},
		} {
			code, body, _ := get(t, ts.URL+c.path)
			var he server.HTTPError
			if code != c.code || json.Unmarshal([]byte(body), &he) != nil || he.Error.Code != c.err || he.Error.Message == "" {
				t.Errorf("GET %s: HTTP %d %s, want %d %s", c.path, code, body, c.code, c.err)
			}
		}
		restore := "/api/boards/" + room + "/restore"
		view := viewID(t, ts, room)
		viewTok := mint(t, ts, server.TokenRequest{Board: room, Can: access.CanView})
		for _, c := range []struct {
			path, body string
			code       int
			err        string
		}{
			{restore, `{"at": 5`, 400, "bad_request"},
			{restore, `{"at": -5}`, 400, "bad_request"},
			{restore, `{"at": "5"}`, 400, "bad_request"},
			{restore, `{"seq": 5}`, 400, "bad_request"},
			{restore, `{}`, 400, "bad_at"},
			{restore, `{"at": 21}`, 404, "not_drawn_yet"},
			{"/api/boards/" + never + "/restore", `{"at": 0}`, 404, "no_board"},
			{"/api/boards/" + view + "/restore", `{"at": 5}`, 403, "read_only"},
			{"/api/boards/" + view + "/restore?token=" + url.QueryEscape(viewTok.Token), `{"at": 5}`, 403, "read_only"},
		} {
			code, body := post(t, ts.URL+c.path, c.body)
			var he server.HTTPError
			if code != c.code || json.Unmarshal([]byte(body), &he) != nil || he.Error.Code != c.err || he.Error.Message == "" {
				t.Errorf("POST %s %s: HTTP %d %s, want %d %s", c.path, c.body, code, body, c.code, c.err)
			}
		}
		// Nothing asked about became a board.
		if code, _, _ := getHistory(t, ts, "/api/boards/"+never+"/history"); code != http.StatusNotFound {
			t.Errorf("a board asked about became a board: HTTP %d", code)
		}
	})
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// shown is what a board shows: its visible strokes, whoever's they are.
func shown(b *canvas.Board) []canvas.Stroke {
	var out []canvas.Stroke
	for _, s := range b.Strokes() {
		if s.Visible() {
			c := *s
			c.ID, c.Seq = canvas.StrokeID{}, 0
			out = append(out, c)
		}
	}
	return out
}

// Restoring a version makes a new board that shows what the board showed
// then, under a new edit link; the original is untouched. An embed token
// that may draw may restore too.
func TestRestoreMakesANewBoardOfThatVersion(t *testing.T) {
	historyModes(t, func(t *testing.T, ts *testServer) {
		room := randomNames("hrest", 1)[0]
		log := drawRandom(t, ts, room, 77, 50)
		want := boardsOf(t, 1, log)
		_, before, _ := get(t, ts.URL+"/b/"+room+".svg")
		// The empty board, and the two fullest points of the board's life.
		var full1, full2 uint64
		for seq := range want {
			var b canvas.Board
			_ = b.UnmarshalBinary(want[seq])
			n := len(shown(&b))
			if n >= len(shownAt(want, full1)) {
				full1, full2 = uint64(seq), full1
			}
		}
		for _, at := range []uint64{0, full2, full1} {
			var wantBoard canvas.Board
			if err := wantBoard.UnmarshalBinary(want[at]); err != nil {
				t.Fatal(err)
			}
			path := "/api/boards/" + room + "/restore"
			if at == full2 {
				tok := mint(t, ts, server.TokenRequest{Board: room, Can: access.CanDraw})
				path = "/api/boards/" + viewID(t, ts, room) + "/restore?token=" + url.QueryEscape(tok.Token)
			}
			code, body := post(t, ts.URL+path, fmt.Sprintf(`{"at": %d}`, at))
			var res server.RestoreResponse
			if code != http.StatusCreated || json.Unmarshal([]byte(body), &res) != nil || res.URL != "/b/"+res.Board || res.Board == room {
				t.Fatalf("restore at %d: HTTP %d %s", at, code, body)
			}
			c := connect(t, ts, res.Board, "Cy")
			got := shown(c.Board())
			if fmt.Sprint(got) != fmt.Sprint(shown(&wantBoard)) {
				t.Errorf("restored at %d, the new board shows\n%v\nwant\n%v", at, got, shown(&wantBoard))
			}
			if at > 0 && len(got) == 0 {
				t.Errorf("restored at %d: an empty board (the test board should have strokes)", at)
			}
			c.Close()
		}
		if _, after, _ := get(t, ts.URL+"/b/"+room+".svg"); after != before {
			t.Error("restoring changed the original board")
		}
		if code, h, _ := getHistory(t, ts, "/api/boards/"+room+"/history"); code != http.StatusOK || h.Head != uint64(len(log)) {
			t.Errorf("the original's head after restores: HTTP %d head %d, want %d", code, h.Head, len(log))
		}
	})
}

func shownAt(want [][]byte, seq uint64) []canvas.Stroke {
	var b canvas.Board
	_ = b.UnmarshalBinary(want[seq])
	return shown(&b)
}
