package e2e

import (
	"fmt"
	"testing"

	"github.com/sketchpad/sketchpad/server/redistest"
)

// Two people on one board, each on a replica of its own: each page lists
// the other, and the two get distinct colors although both remembered the
// same one, not picked (the server hands out the least used color,
// counting the person on the other replica; two replicas that handed out
// one color at the same moment move the later person's), as on one replica
// (TestPeopleGetDistinctColorsCanPickTheirOwnAndViewersAreMarked).
func TestPeopleOnTwoReplicasSeeEachOtherInDistinctColors(t *testing.T) {
	redisURL := redistest.Shared(t)
	r1, r2 := startRedisReplica(t, redisURL), startRedisReplica(t, redisURL)
	room := roomFor(t, "e2e-replica-people")
	const red = 0xe03131ff
	a, b := newPerson(t, "A"), newPerson(t, "B")
	a.remember(r1, fmt.Sprintf(`{"name":"Ada","color":%d}`, red))
	b.remember(r2, fmt.Sprintf(`{"name":"Bob","color":%d}`, red))
	a.open(r1 + "/b/" + room)
	b.open(r2 + "/b/" + room)
	var authorA, authorB int
	a.eval(`window.sketchpad.author()`, &authorA)
	b.eval(`window.sketchpad.author()`, &authorB)
	a.waitFor("A to see B", fmt.Sprintf(`!!document.querySelector('[data-testid="people-list"] [data-author="%d"] .dot')`, authorB))
	b.waitFor("B to see A", fmt.Sprintf(`!!document.querySelector('[data-testid="people-list"] [data-author="%d"] .dot')`, authorA))
	// The later of the two moves to the first free color, orange.
	later, other, laterAuthor := b, a, authorB
	if authorA > authorB {
		later, other, laterAuthor = a, b, authorA
	}
	later.waitFor("the later one to change color", `getComputedStyle(document.querySelector('[data-testid="my-color"] .dot')).backgroundColor !== 'rgb(224, 49, 49)'`)
	other.waitFor("the other replica's page to see the new color", fmt.Sprintf(`(() => { const e = document.querySelector('[data-testid="people-list"] [data-author="%d"] .dot'); return !!e && getComputedStyle(e).backgroundColor !== 'rgb(224, 49, 49)'; })()`, laterAuthor))
	if got := other.personColor(0); got != "rgb(224, 49, 49)" {
		t.Errorf("the one here first changed color to %s", got)
	}
	if got := later.personColor(0); got != "rgb(232, 89, 12)" {
		t.Errorf("the later one shows itself in %s, want the least used color rgb(232, 89, 12)", got)
	}
	if got, want := other.personColor(laterAuthor), later.personColor(0); got != want {
		t.Errorf("the later one shows in %s on the other replica's page, in %s on its own", got, want)
	}
}
