package canvas

import "testing"

func TestLeastUsedColorPrefersTheFewestThenTheOneItHadThenPaletteOrder(t *testing.T) {
	pc := PersonColors
	viewer := func(c uint32) uint32 { return c &^ 0xff }
	for _, tc := range []struct {
		name   string
		taken  []uint32
		prefer uint32
		want   uint32
	}{
		{"nobody here, no preference: the first", nil, 0, pc[0]},
		{"nobody here: the one it had", nil, viewer(pc[6]), pc[6]},
		{"the one it had is taken: the first free", []uint32{pc[6], pc[0]}, pc[6], pc[1]},
		{"viewers count, whatever their alpha", []uint32{viewer(pc[0]), pc[1]}, 0, pc[2]},
		{"a color not in the palette prefers nothing", []uint32{pc[0]}, 0x123456ff, pc[1]},
		{"a color not in the palette counts for nothing", []uint32{0x123456ff}, 0, pc[0]},
		{"all taken once, one twice: the first of the once", append(append([]uint32{}, pc[:]...), pc[0]), 0, pc[1]},
		{"all taken once: the one it had", pc[:], pc[9], pc[9]},
		{"all taken once, the one it had twice: the first", append(append([]uint32{}, pc[:]...), pc[9]), pc[9], pc[0]},
	} {
		if got := LeastUsedColor(tc.taken, tc.prefer); got != tc.want {
			t.Errorf("%s: %#08x, want %#08x", tc.name, got, tc.want)
		}
	}
}

func TestColorPickedIsAnyAlphaButZero(t *testing.T) {
	if ColorPicked(0x0c859900) || !ColorPicked(0x0c8599ff) || !ColorPicked(0x0c859901) {
		t.Fatal("alpha 0 asks, any other alpha is picked")
	}
}
