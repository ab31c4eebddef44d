package room

import (
	"fmt"
	"sync"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// Many people drawing at once, one joining halfway, one losing its
// connection and coming back, and (with a shared log) another replica
// drawing too with a third of its publications lost: at the end everyone
// has the same board, every op of every author on it once, each author's
// in the order drawn.
func TestManyPeopleDrawingConverge(t *testing.T) {
	const people, perPerson = 5, 40 // ops each: 20 strokes
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, _ := newTestHub(t, shared, nil)
		type drawer struct {
			p      *fakePeer
			r      *Room
			author uint32
			ops    [][]byte
		}
		ds := make([]*drawer, people)
		for i := range ds {
			r, p, w := join(t, h, "b", fmt.Sprintf("p%d", i), nil)
			ds[i] = &drawer{p: p, r: r, author: w.Author, ops: strokes(1, perPerson/2)}
		}
		total := people * perPerson
		var wg sync.WaitGroup
		for i, d := range ds[1:] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j, op := range d.ops {
					d.r.Op(d.p, op)
					if j%7 == 0 {
						d.r.Cursor(d.p, canvas.Cursor{X: int32(j), Y: int32(i)})
					}
				}
			}()
		}
		// Meanwhile, on the test's goroutine: another replica draws (a
		// third of its publications lost, never the last), and p0 loses
		// its connection halfway and comes back.
		var other uint32
		otherDraws := func(from, to int) {
			for i := from; i < to; i++ {
				e, f, b := l.appendAs(t, "b", other, stroke(uint32(i+1), 1))
				if i%3 != 1 || i == perPerson/2-1 {
					l.publish("b", e, f, b)
				}
			}
		}
		if shared {
			other = l.newAuthorAs(t, "b")
			total += perPerson
		}
		d := ds[0]
		draw(d.r, d.p, d.ops[:perPerson/2])
		if shared {
			otherDraws(0, perPerson/4)
		}
		d.p.Close(canvas.CloseAbnormal, "connection lost")
		p2, hello := d.p.reconnected("p0 again")
		leave(h, d.r, "b", d.p)
		r2 := attach(t, h, "b", p2, &hello)
		w := p2.welcome(t)
		if w.Author != d.author || w.Applied > perPerson/2 {
			t.Fatalf("p0's welcome %+v, want author %d and at most %d applied", w, d.author, perPerson/2)
		}
		d.p, d.r = p2, r2
		draw(r2, p2, d.ops[w.Applied:]) // resend what was not acknowledged, then go on
		if shared {
			otherDraws(perPerson/4, perPerson/2)
		}
		_, late, _ := join(t, h, "b", "late", nil)
		wg.Wait()
		final := late.waitSeq(t, uint64(total)).board
		for _, d := range ds {
			v := d.p.waitSeq(t, uint64(total))
			sameBoard(t, d.p.name+"'s and the late joiner's", v.board, final)
		}
		for _, d := range ds {
			if got := final.Author(d.author).Applied; got != perPerson {
				t.Fatalf("%s has %d ops on the board, want %d", d.p.name, got, perPerson)
			}
		}
		for _, d := range ds[1:] { // p0's new connection saw only a replay
			v := d.p.view()
			for _, e := range ds[1:] {
				if !sameOps(v.opsBy(e.author), e.ops) {
					t.Fatalf("%s did not see %s's ops once each, in order", d.p.name, e.p.name)
				}
			}
		}
		if shared && final.Author(other).Applied != perPerson {
			t.Fatalf("the other replica has %d ops on the board, want %d", final.Author(other).Applied, perPerson)
		}
	})
}
