package main

// No container engine runs here, so these tests prove the compose topology
// the other ways there are: docker-compose.yml is loaded by compose-go (the
// library `docker compose` itself uses, schema validation included) and its
// services checked; the Dockerfile's build is re-enacted (the same go build
// over a copy of exactly the files .dockerignore lets into the build
// context) and its binaries checked to be static; and the one nginx template
// is rendered with the compose values and with local ones, and both pass
// `nginx -t`.

import (
	"context"
	"debug/elf"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/sketchpad/sketchpad/scripts/cluster/local"
)

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := local.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func loadCompose(t *testing.T, profiles ...string) *types.Project {
	t.Helper()
	root := moduleRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := loader.LoadWithContext(ctx, types.ConfigDetails{
		WorkingDir:  root,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(root, "docker-compose.yml")}},
		Environment: types.Mapping{},
	}, loader.WithProfiles(profiles))
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}
	return p
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, ok := p.Services[name]
	if !ok {
		t.Fatalf("docker-compose.yml has no service %q", name)
	}
	return s
}

func env(s types.ServiceConfig, name string) string {
	if v, ok := s.Environment[name]; ok && v != nil {
		return *v
	}
	return ""
}

// argAfter returns the argument after flag in a command line, or "".
func argAfter(cmd []string, flag string) string {
	if i := slices.Index(cmd, flag); i >= 0 && i+1 < len(cmd) {
		return cmd[i+1]
	}
	return ""
}

func TestComposeServices(t *testing.T) {
	p := loadCompose(t)
	names := p.ServiceNames()
	slices.Sort(names)
	if !slices.Equal(names, []string{"nginx", "postgres", "redis", "sketchpad"}) {
		t.Errorf("services %v, want nginx, postgres, redis, sketchpad", names)
	}
}

// The cluster profile: 6 Redis nodes in cluster mode, made into 3 masters
// with a replica each, which the replicas find from any node.
func TestComposeClusterProfile(t *testing.T) {
	p := loadCompose(t, "cluster")
	names := p.ServiceNames()
	slices.Sort(names)
	if !slices.Equal(names, []string{"nginx", "postgres", "redis", "redis-cluster-init", "redis-node", "sketchpad"}) {
		t.Errorf("cluster profile services %v", names)
	}
	n := service(t, p, "redis-node")
	cmd := []string(n.Command)
	for flag, want := range map[string]string{"--cluster-enabled": "yes", "--appendonly": "yes", "--appendfsync": "everysec", "--maxmemory-policy": "noeviction"} {
		if v := argAfter(cmd, flag); v != want {
			t.Errorf("redis-node %s %q, want %q", flag, v, want)
		}
	}
	if n.Deploy == nil || n.Deploy.Replicas == nil || *n.Deploy.Replicas != 6 {
		t.Errorf("redis-node deploy %+v, want 6 replicas", n.Deploy)
	}
	init := strings.Join(service(t, p, "redis-cluster-init").Entrypoint, " ")
	if !strings.Contains(init, "--cluster create") || !strings.Contains(init, "--cluster-replicas 1") {
		t.Errorf("redis-cluster-init does not create 3 masters with a replica each: %s", init)
	}
}

func TestComposeRedis(t *testing.T) {
	p := loadCompose(t)
	r := service(t, p, "redis")
	if !strings.HasPrefix(r.Image, "redis:7") {
		t.Errorf("redis image %q, want redis:7", r.Image)
	}
	cmd := []string(r.Command)
	if len(cmd) == 0 || cmd[0] != "redis-server" {
		t.Errorf("redis command %q does not run redis-server", cmd)
	}
	if v := argAfter(cmd, "--appendonly"); v != "yes" {
		t.Errorf("redis --appendonly %q, want yes (command %q)", v, cmd)
	}
	if v := argAfter(cmd, "--appendfsync"); v != "everysec" {
		t.Errorf("redis --appendfsync %q, want everysec (command %q)", v, cmd)
	}
	// The room logs must never be evicted (server/oplog/redis/log.go says so too).
	if v := argAfter(cmd, "--maxmemory-policy"); v != "noeviction" {
		t.Errorf("redis --maxmemory-policy %q, want noeviction", v)
	}
	var data *types.ServiceVolumeConfig
	for i, v := range r.Volumes {
		if v.Target == "/data" {
			data = &r.Volumes[i]
		}
	}
	switch {
	case data == nil:
		t.Error("redis has no volume at /data: its append-only file would die with the container")
	case data.Type != types.VolumeTypeVolume:
		t.Errorf("redis /data is a %s mount, want a named volume", data.Type)
	default:
		if _, ok := p.Volumes[data.Source]; !ok {
			t.Errorf("redis /data volume %q is not declared under volumes:", data.Source)
		}
	}
	if hc := r.HealthCheck; hc == nil || !slices.Equal([]string(hc.Test), []string{"CMD", "redis-cli", "ping"}) {
		t.Errorf("redis healthcheck %+v, want [CMD redis-cli ping]", hc)
	}
}

// PostgreSQL keeps cold boards and old history: its data must outlive
// the container, and the replicas wait for it to answer.
func TestComposePostgres(t *testing.T) {
	p := loadCompose(t)
	pg := service(t, p, "postgres")
	if !strings.HasPrefix(pg.Image, "postgres:") {
		t.Errorf("postgres image %q, want postgres:N", pg.Image)
	}
	var data *types.ServiceVolumeConfig
	for i, v := range pg.Volumes {
		if v.Target == "/var/lib/postgresql/data" {
			data = &pg.Volumes[i]
		}
	}
	if data == nil || data.Type != types.VolumeTypeVolume {
		t.Errorf("postgres has no named volume at /var/lib/postgresql/data (%+v): its data would die with the container", pg.Volumes)
	} else if _, ok := p.Volumes[data.Source]; !ok {
		t.Errorf("postgres volume %q is not declared under volumes:", data.Source)
	}
	if hc := pg.HealthCheck; hc == nil || len(hc.Test) < 2 || hc.Test[0] != "CMD" || hc.Test[1] != "pg_isready" {
		t.Errorf("postgres healthcheck %+v, want [CMD pg_isready ...]", hc)
	}
	if len(pg.Ports) != 0 {
		t.Errorf("postgres publishes %+v: only the replicas need it", pg.Ports)
	}
	s := service(t, p, "sketchpad")
	u, err := url.Parse(env(s, "SKETCHPAD_ARCHIVE_URL"))
	if err != nil || u.Scheme != "postgres" || u.Hostname() != "postgres" || u.Port() != "5432" {
		t.Fatalf("sketchpad SKETCHPAD_ARCHIVE_URL %q, want postgres://...@postgres:5432/...", env(s, "SKETCHPAD_ARCHIVE_URL"))
	}
	if db := strings.TrimPrefix(u.Path, "/"); db != env(pg, "POSTGRES_DB") || u.User.Username() != env(pg, "POSTGRES_USER") {
		t.Errorf("the archive URL names user %q, database %q; postgres creates %q, %q", u.User.Username(), db, env(pg, "POSTGRES_USER"), env(pg, "POSTGRES_DB"))
	}
	if pw, _ := u.User.Password(); pw != env(pg, "POSTGRES_PASSWORD") {
		t.Error("the archive URL's password is not the one postgres is given")
	}
	if d, ok := s.DependsOn["postgres"]; !ok || d.Condition != types.ServiceConditionHealthy {
		t.Errorf("sketchpad depends_on postgres %+v, want condition service_healthy", d)
	}
}

func TestComposeSketchpad(t *testing.T) {
	p := loadCompose(t)
	s := service(t, p, "sketchpad")
	if s.Deploy == nil || s.Deploy.Replicas == nil || *s.Deploy.Replicas != 3 {
		t.Errorf("sketchpad deploy.replicas = %v, want 3", s.Deploy)
	}
	if s.Build == nil || filepath.Clean(s.Build.Context) != moduleRoot(t) {
		t.Errorf("sketchpad build %+v, want the repository's Dockerfile", s.Build)
	} else if df := s.Build.Dockerfile; df != "" && df != "Dockerfile" {
		t.Errorf("sketchpad builds %q, want Dockerfile", df)
	}
	if len(s.Ports) != 0 {
		t.Errorf("sketchpad publishes %+v: a fixed host port breaks --scale; nginx is the way in", s.Ports)
	}
	if s.ContainerName != "" {
		t.Errorf("sketchpad has container_name %q, which breaks --scale", s.ContainerName)
	}

	u, err := url.Parse(env(s, "REDIS_URL"))
	if err != nil || u.Scheme != "redis" {
		t.Fatalf("sketchpad REDIS_URL %q is not a redis:// URL", env(s, "REDIS_URL"))
	}
	if _, ok := p.Services[u.Hostname()]; !ok || u.Hostname() != "redis" {
		t.Errorf("sketchpad REDIS_URL host %q, want the redis service", u.Hostname())
	}
	if u.Port() != "6379" {
		t.Errorf("sketchpad REDIS_URL port %q, want 6379", u.Port())
	}
	if d, ok := s.DependsOn["redis"]; !ok || d.Condition != types.ServiceConditionHealthy {
		t.Errorf("sketchpad depends_on redis %+v, want condition service_healthy", d)
	}

	hc := s.HealthCheck
	if hc == nil || hc.Disable || len(hc.Test) < 2 {
		t.Fatalf("sketchpad has no healthcheck (%+v)", hc)
	}
	// The image has no shell: the check must be an exec of a binary the
	// Dockerfile puts there.
	if hc.Test[0] != "CMD" {
		t.Errorf("sketchpad healthcheck %q: want an exec form (CMD ...), the image has no shell", hc.Test)
	}
	df := readFile(t, filepath.Join(moduleRoot(t), "Dockerfile"))
	if !strings.Contains(df, hc.Test[1]) && !strings.Contains(df, filepath.Dir(hc.Test[1])+"/") {
		t.Errorf("sketchpad healthcheck runs %s, which the Dockerfile does not install", hc.Test[1])
	}
}

func TestComposeNginx(t *testing.T) {
	p := loadCompose(t)
	n := service(t, p, "nginx")
	s := service(t, p, "sketchpad")
	if !strings.HasPrefix(n.Image, "nginx") {
		t.Errorf("nginx image %q", n.Image)
	}
	published := false
	for _, port := range n.Ports {
		if port.Published == "8080" && port.Target == 8080 {
			published = true
		}
	}
	if !published {
		t.Errorf("nginx ports %+v, want 8080:8080", n.Ports)
	}
	if d, ok := n.DependsOn["sketchpad"]; !ok || d.Condition == "" {
		t.Errorf("nginx depends_on sketchpad: %+v", n.DependsOn)
	}
	if n.HealthCheck == nil || len(n.HealthCheck.Test) == 0 {
		t.Error("nginx has no healthcheck")
	} else if !strings.Contains(strings.Join(n.HealthCheck.Test, " "), "/lb-healthz") {
		t.Errorf("nginx healthcheck %q does not ask /lb-healthz", n.HealthCheck.Test)
	}

	// The configuration is the one template, mounted where the image
	// renders templates from.
	tmplPath := filepath.Join(moduleRoot(t), local.TemplatePath)
	mounted := false
	for _, v := range n.Volumes {
		if v.Type == types.VolumeTypeBind && filepath.Clean(v.Source) == tmplPath &&
			strings.HasPrefix(v.Target, "/etc/nginx/templates/") && strings.HasSuffix(v.Target, ".conf.template") {
			mounted = true
		}
	}
	if !mounted {
		t.Errorf("nginx volumes %+v: want %s mounted at /etc/nginx/templates/*.conf.template", n.Volumes, local.TemplatePath)
	}

	// The template's variables wire nginx to the replicas: the listen port
	// is the published one, the backend is the sketchpad service on the
	// port it listens on, the resolver is Docker's DNS.
	vars, missing := local.ComposeVars(n.Environment)
	if len(missing) > 0 {
		t.Fatalf("nginx environment lacks %v", missing)
	}
	if vars[local.VarListen] != "8080" {
		t.Errorf("%s = %q, want 8080", local.VarListen, vars[local.VarListen])
	}
	if vars[local.VarResolver] != "127.0.0.11" {
		t.Errorf("%s = %q, want Docker's DNS 127.0.0.11", local.VarResolver, vars[local.VarResolver])
	}
	addr := env(s, "SKETCHPAD_ADDR")
	if addr == "" {
		addr = ":8080" // the image's default
	}
	if want := "sketchpad" + addr[strings.LastIndex(addr, ":"):]; vars[local.VarBackend] != want {
		t.Errorf("%s = %q, want %q (the service and the port it listens on)", local.VarBackend, vars[local.VarBackend], want)
	}
	if !slices.Contains([]string(s.Expose), strings.TrimPrefix(addr[strings.LastIndex(addr, ":"):], ":")) {
		t.Errorf("sketchpad exposes %v, not the port it listens on (%s)", s.Expose, addr)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDockerfile(t *testing.T) {
	df := readFile(t, filepath.Join(moduleRoot(t), "Dockerfile"))
	var lines []string // instructions, continuations joined
	for _, l := range strings.Split(strings.ReplaceAll(df, "\\\n", " "), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	var froms, users []string
	var health, expose, build string
	for _, l := range lines {
		f := strings.Fields(l)
		switch strings.ToUpper(f[0]) {
		case "FROM":
			froms = append(froms, l)
		case "USER":
			users = append(users, f[1])
		case "HEALTHCHECK":
			health = l
		case "EXPOSE":
			expose = l
		case "RUN":
			if strings.Contains(l, "go build") {
				build = l
			}
		}
	}
	if len(froms) < 2 || !strings.Contains(froms[0], "golang:1.26") {
		t.Errorf("want a multi-stage build from golang:1.26, got %q", froms)
	}
	if final := froms[len(froms)-1]; !strings.Contains(final, "distroless/static") && !strings.Contains(final, "scratch") {
		t.Errorf("final stage %q: want distroless/static or scratch", final)
	}
	if len(users) == 0 {
		t.Error("Dockerfile has no USER: the replica would run as root")
	} else if u := strings.Split(users[len(users)-1], ":")[0]; u == "root" || u == "0" {
		t.Errorf("USER %s is root", users[len(users)-1])
	}
	if health == "" || strings.Contains(health, "NONE") {
		t.Error("Dockerfile has no HEALTHCHECK")
	}
	if !strings.Contains(expose, "8080") {
		t.Errorf("EXPOSE %q, want 8080", expose)
	}
	if !regexp.MustCompile(`CGO_ENABLED=0`).MatchString(df) {
		t.Error("Dockerfile does not build with CGO_ENABLED=0")
	}
	for _, want := range []string{"-trimpath", "./server/cmd/sketchpad", "./server/cmd/healthcheck"} {
		if !strings.Contains(build, want) {
			t.Errorf("go build line %q lacks %s", build, want)
		}
	}
}

// TestDockerBuildContext re-enacts the Dockerfile's build stage without
// Docker: it copies the files that .dockerignore lets into the build
// context (matched by moby/patternmatcher, Docker's own matcher), runs the
// same go build there, and checks that both binaries are static.
func TestDockerBuildContext(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the image's binaries")
	}
	root := moduleRoot(t)
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	patterns, err := ignorefile.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	ctxDir := t.TempDir()
	var n int
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if rel == "." {
			return nil
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules":
				return filepath.SkipDir // excluded by "*" anyway; not worth walking
			}
			return nil
		}
		skip, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
		if err != nil || skip || !d.Type().IsRegular() {
			return err
		}
		n++
		return copyFile(path, filepath.Join(ctxDir, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"go.mod", "go.sum", "frontend/dist/index.html", "frontend/embed.go"} {
		if _, err := os.Stat(filepath.Join(ctxDir, must)); err != nil {
			t.Errorf("build context lacks %s", must)
		}
	}
	t.Logf("build context: %d files", n)

	out := t.TempDir()
	cmd := exec.Command("go", "build", "-trimpath", "-o", out+"/", "./server/cmd/sketchpad", "./server/cmd/healthcheck")
	cmd.Dir = ctxDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the Dockerfile's go build fails on the .dockerignore'd context: %v\n%s", err, b)
	}
	for _, bin := range []string{"sketchpad", "healthcheck"} {
		ef, err := elf.Open(filepath.Join(out, bin))
		if err != nil {
			t.Fatal(err)
		}
		for _, prog := range ef.Progs {
			if prog.Type == elf.PT_INTERP {
				t.Errorf("%s is dynamically linked: distroless/static has no libc", bin)
			}
		}
		ef.Close()
	}
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// needTool returns a tool's path, or skips the test when it is missing and
// cannot be installed; where the tests must be complete (make test sets
// SKETCHPAD_REQUIRE_BROWSER=1, CI sets CI=true) it fails instead.
func needTool(t *testing.T, name string, find func() (string, error)) string {
	t.Helper()
	p, err := find()
	if err == nil {
		return p
	}
	if os.Getenv("SKETCHPAD_REQUIRE_BROWSER") == "1" || os.Getenv("CI") == "true" {
		t.Fatalf("%s is needed and could not be found or installed (run scripts/setup): %v", name, err)
	}
	t.Skipf("%s is not installed and could not be installed (scripts/setup installs it): %v", name, err)
	return ""
}

func needNginx(t *testing.T) string {
	return needTool(t, "nginx", func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		return local.EnsureNginx(ctx, t.Logf)
	})
}

// TestNginxTemplateRendersAndPassesNginxT renders the one template with the
// compose service's variables and with the local cluster's, and runs
// `nginx -t` on each.
func TestNginxTemplateRendersAndPassesNginxT(t *testing.T) {
	nginx := needNginx(t)
	root := moduleRoot(t)
	tmpl, err := local.LoadTemplate(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"proxy_http_version 1.1", "proxy_set_header Upgrade", "proxy_set_header Connection $connection_upgrade",
		"proxy_read_timeout 1h", "proxy_send_timeout 1h", "proxy_buffering off", "location /ws/",
		"proxy_set_header Host              $http_host", "resolver ${" + local.VarResolver + "}",
	} {
		if !strings.Contains(tmpl, want) {
			t.Errorf("template lacks %q", want)
		}
	}
	composeVars, missing := local.ComposeVars(service(t, loadCompose(t), "nginx").Environment)
	if len(missing) > 0 {
		t.Fatalf("nginx service environment lacks %v", missing)
	}
	for name, vars := range map[string]map[string]string{
		"compose": composeVars,
		"local": {local.VarListen: "127.0.0.1:18080", local.VarResolver: "127.0.0.1:15353",
			local.VarBackend: "sketchpad:18081"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			conf, err := local.WriteConfig(dir, tmpl, vars)
			if err != nil {
				t.Fatal(err)
			}
			rendered := readFile(t, filepath.Join(dir, "sketchpad.conf"))
			if strings.Contains(rendered, "${") {
				t.Errorf("placeholder left in the rendering: %q", regexp.MustCompile(`\$\{[^}]*\}`).FindString(rendered))
			}
			for _, want := range []string{"listen " + vars[local.VarListen] + ";", "resolver " + vars[local.VarResolver] + " ",
				"set $sketchpad_backend " + vars[local.VarBackend] + ";", "$http_upgrade", "$proxy_add_x_forwarded_for"} {
				if !strings.Contains(rendered, want) {
					t.Errorf("rendering lacks %q", want)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := local.TestConfig(ctx, nginx, conf); err != nil {
				t.Error(err)
			}
		})
	}
}
