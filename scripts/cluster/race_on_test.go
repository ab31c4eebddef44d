//go:build race

package main

// underRace: the storm test's 2,000 clients are too slow under the race
// detector to say anything about timing; `make test` runs it without.
const underRace = true
