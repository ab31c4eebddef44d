package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/config"
)

// A restore opens a board, so it counts against --max-rooms-per-ip as a
// page opening one does: an address already on its most boards is told
// so (429 too_many_boards) and no new board is made; once it leaves one,
// the restore goes through.
func TestARestoreCountsAgainstTheBoardsAnAddressMayHaveOpen(t *testing.T) {
	ts := startWith(t, &config.Config{DataDir: t.TempDir(), MaxRooms: 100, MaxRoomsPerIP: 1})
	c := connect(t, ts, "rlim", "Ana")
	if _, err := c.Stroke(0x112233ff, 4, spiral(8, 1), 4); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitSeq(ctxT(t), 3); err != nil {
		t.Fatal(err)
	}
	restore := fmt.Sprintf(`{"at": %d}`, c.Seq())
	code, body := post(t, ts.URL+"/api/boards/rlim/restore", restore)
	if code != http.StatusTooManyRequests || !strings.Contains(body, `"too_many_boards"`) {
		t.Fatalf("a restore from an address on its one board: HTTP %d %s, want 429 too_many_boards", code, body)
	}
	c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body = post(t, ts.URL+"/api/boards/rlim/restore", restore)
		if code == http.StatusCreated || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code != http.StatusCreated {
		t.Fatalf("a restore once the address left its board: HTTP %d %s", code, body)
	}
	// The restore's own hold on the new board ended with it: a page may
	// open the new board at once.
	var res struct{ Board string }
	if err := json.Unmarshal([]byte(body), &res); err != nil || res.Board == "" {
		t.Fatalf("restore answer %s: %v", body, err)
	}
	connect(t, ts, res.Board, "Bo").Close()
}
