package canvas

import (
	"reflect"
	"testing"
)

func TestViewBytes(t *testing.T) {
	// 1400 × 900 CSS px at 100 % (4 board units a pixel), centered at
	// (700, -450) px: x 2800 → zigzag 5600 = e0 2b; y -1800 → 3599 = 8f 1c.
	wantClientFrameBytes(t, ClientFrame{Type: MsgView, View: View{X: 2800, Y: -1800, W: 5600, H: 3600}}, unhex(t, "29 e02b 8f1c e02b 901c"))
}

func TestViewDecoderRefusesWhatNoScreenShows(t *testing.T) {
	for name, v := range map[string]View{
		"no width":               {W: 0, H: 10},
		"no height":              {W: 10, H: 0},
		"wider than MaxViewSpan": {W: MaxViewSpan + 1, H: 10},
		"center past the limit":  {X: CoordLimit + 1, W: 10, H: 10},
	} {
		var f ClientFrame
		if err := DecodeClientFrame(AppendView(nil, v), &f); err == nil {
			t.Errorf("%s: a View of %+v decodes", name, v)
		}
		err := DecodeServerFrame(AppendViews(nil, []AuthorView{{Author: 1, View: v}}), func(*ServerMsg) error { return nil })
		if err == nil {
			t.Errorf("%s: a Views of %+v decodes", name, v)
		}
	}
}

func TestViewsTruncatedAtEveryByteFail(t *testing.T) {
	frame := AppendView(nil, View{X: -CoordLimit, Y: CoordLimit, W: MaxViewSpan, H: 3})
	for n := range len(frame) {
		var f ClientFrame
		if err := DecodeClientFrame(frame[:n], &f); err == nil {
			t.Errorf("View cut to %d of %d bytes decodes", n, len(frame))
		}
	}
	msg := AppendViews(nil, []AuthorView{{Author: 300, View: View{X: 5, Y: -5, W: 100, H: 200}}, {Author: 1, View: View{W: 1, H: 1}}})
	for n := 2; n < len(msg); n++ {
		// The message length stays the full one: the body is short.
		cut := append([]byte{msg[0], byte(n - 2)}, msg[2:n]...)
		if err := DecodeServerFrame(cut, func(*ServerMsg) error { return nil }); err == nil {
			t.Errorf("Views with its body cut to %d bytes decodes", n-2)
		}
	}
}

// FuzzViews fuzzes the two view decoders on their own: a View client frame
// and a Views message built around the fuzzed body. What decodes
// re-encodes to the same value, never longer.
func FuzzViews(f *testing.F) {
	f.Add([]byte("\x00\x00\x01\x01"))
	f.Add([]byte("\xe0\x2b\x8f\x1c\xe0\x2b\x90\x1c"))
	f.Add([]byte("\x01\x03\x01\x02\x01\x02"))
	f.Add([]byte("\x02\x01\x00\x00\x01\x01\x02\x00\x00\x80\x80\x80\x80\x04\x01"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var fr ClientFrame
		if err := DecodeClientFrame(append([]byte{MsgView}, body...), &fr); err != nil {
			mustProtocolError(t, err, body)
		} else {
			re := AppendView(nil, fr.View)
			checkShortest(t, append([]byte{MsgView}, body...), re)
			var fr2 ClientFrame
			if err := DecodeClientFrame(re, &fr2); err != nil || fr2.View != fr.View {
				t.Fatalf("view %x: %+v re-encodes as %x: %+v, %v", body, fr.View, re, fr2.View, err)
			}
		}
		frame := appendMsg(nil, MsgViews, body)
		var got []AuthorView
		err := DecodeServerFrame(frame, func(m *ServerMsg) error {
			if 5*len(m.Views) > len(body) {
				t.Fatalf("%d bytes decoded to %d views", len(body), len(m.Views))
			}
			got = append(got, m.Views...)
			return nil
		})
		if err != nil {
			mustProtocolError(t, err, body)
			return
		}
		re := AppendViews(nil, got)
		checkShortest(t, frame, re)
		var again []AuthorView
		if err := DecodeServerFrame(re, func(m *ServerMsg) error { again = append(again, m.Views...); return nil }); err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("views %x: %+v re-encode as %x: %+v, %v", body, got, re, again, err)
		}
	})
}

// appendMsg appends a server message of type typ around body.
func appendMsg(b []byte, typ byte, body []byte) []byte {
	b, s := beginMsg(b, typ)
	return endMsg(append(b, body...), s)
}
