package canvas

// The close and notice codes of the shared vectors (vectors_test.go): read
// from the source of codes.go, so that the vectors name every code as it
// is spelled there, and checked against the compiled constants.

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// codeTable is every close and notice code by its Go name, read from
// codes.go itself, so a code added, renamed or renumbered there changes the
// file, and the TypeScript test then fails until codes.ts matches.
type codeTable struct {
	Close  map[string]uint16 `json:"close"`
	Notice map[string]uint16 `json:"notice"`
}

// readCodes type-checks codes.go alone (it imports nothing) and returns its
// constants of type CloseCode and NoticeCode. Within a family no two names
// may share a number.
func readCodes(t testing.TB) codeTable {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := new(types.Config).Check("canvas", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ct := codeTable{Close: map[string]uint16{}, Notice: map[string]uint16{}}
	for _, name := range pkg.Scope().Names() {
		c, ok := pkg.Scope().Lookup(name).(*types.Const)
		if !ok {
			continue
		}
		v, _ := constant.Uint64Val(c.Val())
		switch c.Type().String() {
		case "canvas.CloseCode":
			ct.Close[name] = uint16(v)
		case "canvas.NoticeCode":
			ct.Notice[name] = uint16(v)
		}
	}
	for family, m := range map[string]map[string]uint16{"close": ct.Close, "notice": ct.Notice} {
		seen := map[uint16]string{}
		for name, code := range m {
			if other, dup := seen[code]; dup {
				t.Errorf("%s code %d has two names: %s and %s", family, code, name, other)
			}
			seen[code] = name
		}
	}
	if len(ct.Close) == 0 || len(ct.Notice) == 0 {
		t.Fatalf("no codes read from codes.go: %+v", ct)
	}
	return ct
}

func TestCodesAreTheCompiledOnes(t *testing.T) {
	ct := readCodes(t)
	for name, want := range map[string]CloseCode{
		"CloseGoingAway": CloseGoingAway, "CloseReplaced": CloseReplaced,
		"CloseBadServerFrame": CloseBadServerFrame, "CloseRateLimited": CloseRateLimited,
	} {
		if ct.Close[name] != uint16(want) {
			t.Errorf("%s: read %d from codes.go, compiled %d", name, ct.Close[name], want)
		}
	}
	if ct.Notice["NoticePaused"] != uint16(NoticePaused) || ct.Notice["NoticeRateLimited"] != uint16(NoticeRateLimited) {
		t.Errorf("notice codes read from codes.go differ from the compiled ones: %v", ct.Notice)
	}
}
