package redis

import "testing"

// Batches published out of order are not taken for numbers seen twice;
// a batch reusing any number already published is.
func TestPublishedNumbersTellReorderFromReuse(t *testing.T) {
	var n numbers
	for _, r := range [][2]uint64{{10, 12}, {16, 17}, {13, 15}, {20, 20}, {18, 19}} {
		if !n.add(r[0], r[1]) {
			t.Fatalf("%v taken for numbers seen twice", r)
		}
	}
	if n.contig != 20 || len(n.ranges) != 0 {
		t.Fatalf("contig %d, ranges %v; want 20 and none", n.contig, n.ranges)
	}
	for _, r := range [][2]uint64{{20, 22}, {5, 5}, {19, 19}} {
		if n.add(r[0], r[1]) {
			t.Errorf("%v reuses published numbers but was taken", r)
		}
	}
	n.add(30, 31)
	if n.add(31, 33) || n.add(28, 30) {
		t.Error("a batch overlapping a range above the hole was taken")
	}
	if !n.add(21, 29) {
		t.Error("the hole's batch was refused")
	}
	// A hole never filled is given up after maxRanges ranges.
	for i := range uint64(maxRanges + 1) {
		n.add(100+2*i, 100+2*i)
	}
	if n.contig < 100 {
		t.Errorf("contig %d: the hole before 100 is never given up", n.contig)
	}
}
