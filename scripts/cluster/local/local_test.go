package local

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRenderIsEnvsubstOfTheGivenVariables(t *testing.T) {
	tmpl := "listen ${SKETCHPAD_LB_LISTEN}; resolver $SKETCHPAD_LB_RESOLVER; set $b ${SKETCHPAD_LB_BACKEND};\n" +
		"proxy_set_header Upgrade $http_upgrade; proxy_set_header Host $http_host; ${OTHER} $SKETCHPAD_LB_LISTENER"
	vars := map[string]string{VarListen: "8080", VarResolver: "127.0.0.11", VarBackend: "sketchpad:8080"}
	got, err := Render(tmpl, vars)
	if err != nil {
		t.Fatal(err)
	}
	want := "listen 8080; resolver 127.0.0.11; set $b sketchpad:8080;\n" +
		"proxy_set_header Upgrade $http_upgrade; proxy_set_header Host $http_host; ${OTHER} $SKETCHPAD_LB_LISTENER"
	if got != want {
		t.Errorf("Render:\n got %q\nwant %q", got, want)
	}
	delete(vars, VarBackend)
	if _, err := Render(tmpl, vars); err == nil || !strings.Contains(err.Error(), VarBackend) {
		t.Errorf("a missing variable gave %v", err)
	}
	vars[VarBackend] = "x"
	if _, err := Render("listen ${SKETCHPAD_LB_LISTEN}; resolver ${SKETCHPAD_LB_RESOLVER};", vars); err == nil {
		t.Error("a template without one of the placeholders rendered")
	}
}

func TestDNSAnswersTheServiceWithLiveReplicas(t *testing.T) {
	d, err := startDNS(ServiceName)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var dialer net.Dialer
		return dialer.DialContext(ctx, "udp", d.Addr())
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lookup := func() []string {
		addrs, err := r.LookupNetIP(ctx, "ip4", ServiceName+".")
		if err != nil {
			return []string{"error: " + err.Error()}
		}
		var out []string
		for _, a := range addrs {
			out = append(out, a.String())
		}
		slices.Sort(out)
		return out
	}
	a, b := replicaIP(0), replicaIP(1)
	d.set(a, true)
	d.set(b, true)
	if got := lookup(); !slices.Equal(got, []string{"127.0.77.1", "127.0.77.2"}) {
		t.Errorf("two live replicas: %v", got)
	}
	d.set(a, false)
	if got := lookup(); !slices.Equal(got, []string{"127.0.77.2"}) {
		t.Errorf("after a kill: %v", got)
	}
	d.set(a, true)
	if got := lookup(); len(got) != 2 {
		t.Errorf("after a restart: %v", got)
	}
	if _, err := r.LookupNetIP(ctx, "ip4", "elsewhere.example."); err == nil {
		t.Error("another name resolved")
	}
}
