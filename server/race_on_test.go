//go:build race

package server_test

// raceSlowdown stretches the time limits of tests that assert how fast
// something is closed: the race detector makes the server several times
// slower. The figures in RELIABILITY.md come from runs without it.
const raceSlowdown = 5
