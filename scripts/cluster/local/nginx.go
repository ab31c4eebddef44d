package local

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/sketchpad/sketchpad/internal/testenv"
)

// TemplatePath is the load balancer's configuration, relative to the module
// root: the one source that docker-compose.yml mounts into the nginx image
// and that the local cluster renders for its own ports.
const TemplatePath = "scripts/cluster/nginx/sketchpad.conf.template"

// The template's placeholders.
const (
	VarListen   = "SKETCHPAD_LB_LISTEN"   // what nginx listens on: a port or address:port
	VarResolver = "SKETCHPAD_LB_RESOLVER" // DNS server that resolves the replicas' name
	VarBackend  = "SKETCHPAD_LB_BACKEND"  // host:port of the replicas
)

// Placeholders lists every variable the template must be given.
var Placeholders = []string{VarListen, VarResolver, VarBackend}

// envsubst's two forms: ${NAME} and $NAME.
var placeholderRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// Render fills the template's placeholders the way the nginx image's
// entrypoint does (envsubst restricted to the variables that are set): every
// $NAME and ${NAME} whose NAME is in vars is replaced, and nginx's own
// variables ($host, $http_upgrade, ...) are left alone. Every name in
// Placeholders must be given and used.
func Render(tmpl string, vars map[string]string) (string, error) {
	used := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(tmpl, -1) {
		used[m[1]+m[2]] = true
	}
	for _, name := range Placeholders {
		if _, ok := vars[name]; !ok {
			return "", fmt.Errorf("nginx template: no value for %s", name)
		}
		if !used[name] {
			return "", fmt.Errorf("nginx template: placeholder ${%s} is not used", name)
		}
	}
	return placeholderRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		sub := placeholderRE.FindStringSubmatch(m)
		name := sub[1] + sub[2]
		if v, ok := vars[name]; ok {
			return v
		}
		return m
	}), nil
}

// LoadTemplate reads the template from the module root.
func LoadTemplate(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, TemplatePath))
	return string(b), err
}

// MainConfig is an nginx.conf for a non-root, non-daemon nginx whose every
// file is under dir: the wrapper around the rendered snippet (include), as
// the nginx image's own nginx.conf is in compose.
//
// master_process is off: the cluster runs nginx as one process, so that when
// the cluster (or a test binary) dies, the kernel's parent-death signal takes
// all of nginx with it; with a master, orphaned workers would keep the port.
func MainConfig(dir, include string) string {
	p := func(name string) string { return filepath.Join(dir, name) }
	return fmt.Sprintf(`# Written by scripts/cluster: the local twin of the nginx image's nginx.conf.
daemon off;
master_process off;
worker_rlimit_nofile 65536;
pid %s;
error_log %s warn;

events {
    worker_connections 16384;
}

http {
    access_log %s;
    client_body_temp_path %s;
    proxy_temp_path %s;
    fastcgi_temp_path %s;
    uwsgi_temp_path %s;
    scgi_temp_path %s;

    include %s;
}
`, p("nginx.pid"), p("error.log"), p("access.log"), p("tmp/client_body"), p("tmp/proxy"),
		p("tmp/fastcgi"), p("tmp/uwsgi"), p("tmp/scgi"), include)
}

// WriteConfig renders tmpl with vars into dir (sketchpad.conf) with a main
// config around it (nginx.conf) and returns the main config's path.
func WriteConfig(dir, tmpl string, vars map[string]string) (string, error) {
	snippet, err := Render(tmpl, vars)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return "", err
	}
	inc := filepath.Join(dir, "sketchpad.conf")
	if err := os.WriteFile(inc, []byte(snippet), 0o644); err != nil {
		return "", err
	}
	conf := filepath.Join(dir, "nginx.conf")
	return conf, os.WriteFile(conf, []byte(MainConfig(dir, inc)), 0o644)
}

// NginxArgs are the arguments that run nginx on conf with every path under
// its directory (no /var/log, no /run): prefix, error log, config.
func NginxArgs(conf string) []string {
	dir := filepath.Dir(conf)
	return []string{"-p", dir + "/", "-e", filepath.Join(dir, "error.log"), "-c", conf}
}

// TestConfig runs `nginx -t` on conf and returns its output as the error
// when the configuration is not valid.
func TestConfig(ctx context.Context, nginx, conf string) error {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, nginx, append([]string{"-t", "-q"}, NginxArgs(conf)...)...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("nginx -t -c %s: %v\n%s", conf, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// FindNginx returns the path of nginx, looking in PATH and in /usr/sbin
// (which a non-root PATH often lacks).
func FindNginx() (string, error) {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("nginx is not installed (scripts/setup installs Debian's package)")
}

// EnsureNginx returns nginx's path, installing Debian's package first when
// it is missing (with apt-get, through sudo unless root) and saying so.
func EnsureNginx(ctx context.Context, logf func(string, ...any)) (string, error) {
	if p, err := FindNginx(); err == nil {
		return p, nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return "", fmt.Errorf("nginx is not installed and there is no apt-get to install it: install nginx")
	}
	logf("nginx is missing: installing Debian's nginx package (apt-get install -y nginx)")
	var prefix []string
	if os.Geteuid() != 0 {
		prefix = []string{"sudo", "-n"}
	}
	for _, args := range [][]string{{"apt-get", "update", "-qq"}, {"apt-get", "install", "-y", "-qq", "nginx"}} {
		argv := append(append([]string(nil), prefix...), args...)
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, testenv.Tail(string(out), 20))
		}
	}
	return FindNginx()
}

// ComposeVars picks the template's variables out of an environment (such as
// the nginx service's in docker-compose.yml), sorted for stable messages.
func ComposeVars(env map[string]*string) (map[string]string, []string) {
	vars := map[string]string{}
	var missing []string
	for _, name := range Placeholders {
		if v, ok := env[name]; ok && v != nil {
			vars[name] = *v
		} else {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return vars, missing
}
