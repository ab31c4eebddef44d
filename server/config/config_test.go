package config

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestConfigFlagsBeatEnvironmentAndDefaultsFill(t *testing.T) {
	env := map[string]string{"SKETCHPAD_ADDR": ":9000", "SKETCHPAD_DATA": "/env/data", "SKETCHPAD_IDLE_TIMEOUT": "2m",
		"SKETCHPAD_ALLOWED_ORIGINS": "https://a.example/, https://b.example"}
	c, err := LoadConfig([]string{"--data", "/flag/data"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9000" || c.DataDir != "/flag/data" || c.IdleTimeout != 2*time.Minute {
		t.Errorf("got addr %q data %q idle %v", c.Addr, c.DataDir, c.IdleTimeout)
	}
	if len(c.AllowedOrigins) != 2 || c.AllowedOrigins[0] != "https://a.example" {
		t.Errorf("origins %q", c.AllowedOrigins)
	}
	if c.MaxFrameBytes != 64<<10 || c.SendQueueBytes != 4<<20 {
		t.Errorf("defaults not filled: %+v", c)
	}
}

func TestConfigRejectsBadValuesClearly(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, map[string]string{"SKETCHPAD_IDLE_TIMEOUT": "soon"}, "SKETCHPAD_IDLE_TIMEOUT"},
		{[]string{"--max-frame", "-1"}, nil, "positive integer"},
		{[]string{"--frame-cpu", "NaN"}, nil, "positive number"},
		{nil, map[string]string{"SKETCHPAD_FRAME_CPU": "+Inf"}, "positive number"},
		{[]string{"--nope"}, nil, "not defined"},
		{[]string{"stray"}, nil, "unexpected argument"},
	} {
		_, err := LoadConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: error %v, want one mentioning %q", tc.args, tc.env, err, tc.want)
		}
	}
}

// The README's configuration table must list every setting.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings {
		row := "| `--" + s.Flag + "` | `" + s.Env + "` |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md has no configuration row starting %s", row)
		}
	}
}

func TestConfigRefusesSettingsThatDisagree(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-rooms", "100", "--max-rooms-per-ip", "101"}, "lower --max-rooms-per-ip"},
		{[]string{"--room-park", "10ms"}, "raise --room-park"},
	} {
		_, err := LoadConfig(tc.args, func(string) string { return "" }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one saying %q", tc.args, err, tc.want)
		}
	}
	// The share follows --max-rooms unless set.
	c, err := LoadConfig([]string{"--max-rooms", "400"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxRoomsPerIP != 20 {
		t.Errorf("--max-rooms 400 gives a share of %d boards per address, want 20", c.MaxRoomsPerIP)
	}
	if _, err := LoadConfig(nil, func(string) string { return "" }, io.Discard); err != nil {
		t.Errorf("the defaults are refused: %v", err)
	}
}

// Limits that would let a board grow past what a joiner can receive are
// refused at start, naming the setting to change; the defaults agree.
func TestConfigRefusesLimitsAJoinerCannotReceive(t *testing.T) {
	c := &Config{}
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--max-board-points", "20000000"}, []string{"--max-board-points 20000000", "lower --max-board-points"}},
		{[]string{"--max-board-strokes", "3000000"}, []string{"--max-board-strokes 3000000", "lower --max-board-points, --max-board-strokes"}},
		{[]string{"--send-queue", "33554432"}, []string{"--send-queue of 33554432", "or --send-queue"}},
		{[]string{"--join-min-rate", "40000"}, []string{"--join-min-rate 40000", "raise --join-min-rate"}},
	} {
		_, err := LoadConfig(tc.args, func(string) string { return "" }, io.Discard)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %v, want one mentioning %q", tc.args, err, w)
			}
		}
	}
	// Smaller boards may be read slower.
	if _, err := LoadConfig([]string{"--join-min-rate", "40000", "--max-board-points", "500000"}, func(string) string { return "" }, io.Discard); err != nil {
		t.Errorf("a small board at a low rate is refused: %v", err)
	}
}

// --redis-hold: 2ms unless set; 0 turns the hold off (not back to the
// default); more than a second is refused.
func TestConfigRedisHold(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{
		{nil, 2 * time.Millisecond},
		{[]string{"--redis-hold", "500us"}, 500 * time.Microsecond},
		{[]string{"--redis-hold", "0"}, -1},
	} {
		c, err := LoadConfig(tc.args, func(string) string { return "" }, io.Discard)
		if err != nil || c.RedisHold != tc.want {
			t.Errorf("%v: hold %v, err %v; want %v", tc.args, c.RedisHold, err, tc.want)
		}
	}
	if _, err := LoadConfig([]string{"--redis-hold", "2s"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("--redis-hold 2s accepted")
	}
}
