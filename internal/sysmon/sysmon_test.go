package sysmon

import (
	"slices"
	"testing"
)

// The setting joins what the operator put in GODEBUG; a schedtrace the
// operator chose (0 included) is left as it is, so the re-executed
// process, which has one, does not re-execute again.
func TestEnvironAddsScheduleTraceOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []string
		want []string // nil: no re-exec
	}{
		{"no GODEBUG", []string{"A=1"}, []string{"A=1", "GODEBUG=" + Setting}},
		{"empty GODEBUG", []string{"GODEBUG=", "A=1"}, []string{"GODEBUG=" + Setting, "A=1"}},
		{"operator's GODEBUG kept", []string{"GODEBUG=madvdontneed=1,gctrace=1"}, []string{"GODEBUG=madvdontneed=1,gctrace=1," + Setting}},
		{"operator's schedtrace", []string{"GODEBUG=gctrace=1,schedtrace=1000"}, nil},
		{"operator's schedtrace=0", []string{"GODEBUG=schedtrace=0"}, nil},
		{"after the re-exec", []string{"GODEBUG=madvdontneed=1," + Setting}, nil},
		{"only the first GODEBUG counts", []string{"GODEBUG=gctrace=1", "GODEBUG=schedtrace=5"}, []string{"GODEBUG=gctrace=1," + Setting, "GODEBUG=schedtrace=5"}},
		{"a name that only contains it", []string{"GODEBUG=xschedtrace=1"}, []string{"GODEBUG=xschedtrace=1," + Setting}},
	} {
		in := slices.Clone(tc.in)
		got, again := Environ(in)
		if !slices.Equal(in, tc.in) {
			t.Errorf("%s: the environment passed in was changed to %q", tc.name, in)
		}
		if tc.want == nil {
			if again || !slices.Equal(got, tc.in) {
				t.Errorf("%s: re-exec %v with %q, want none", tc.name, again, got)
			}
			continue
		}
		if !again || !slices.Equal(got, tc.want) {
			t.Errorf("%s: re-exec %v with %q, want %q", tc.name, again, got, tc.want)
		}
		if _, more := Environ(got); more {
			t.Errorf("%s: the re-executed process would re-execute again", tc.name)
		}
	}
}
