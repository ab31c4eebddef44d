//go:build race

package main

// underRace: a flood's rate limits are wall-clock budgets; under the race
// detector the in-process server and clients run several times slower and
// the flooder never gets over its budget for long. `make test` runs
// TestFloodInProcess without -race.
const underRace = true
