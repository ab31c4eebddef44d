// Command healthcheck asks a Sketchpad replica on this host whether it is
// alive: it GETs /healthz and exits 0 on a 200 answer, 1 otherwise. It is the
// container's HEALTHCHECK (the distroless image has no shell and no curl).
//
//	healthcheck                         # http://127.0.0.1:8080/healthz, or the port of $SKETCHPAD_ADDR
//	healthcheck -url http://127.0.0.1:9000/readyz
//
// It checks /healthz (the process answers), not /readyz (ready to serve
// boards): a replica that cannot reach Redis is not ready, but restarting it
// would not help, and an orchestrator acts on an unhealthy container by
// restarting it. Load balancers are the ones that should read /readyz.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	url := fs.String("url", "", "URL to check (default: /healthz on 127.0.0.1 at the port of $SKETCHPAD_ADDR, else 8080)")
	timeout := fs.Duration("timeout", 2*time.Second, "give up after this long")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *url == "" {
		*url = defaultURL(os.Getenv("SKETCHPAD_ADDR"))
	}
	if err := check(*url, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		os.Exit(1)
	}
}

// defaultURL is /healthz on loopback at the port of addr (a listen address
// such as ":8080", "0.0.0.0:9000" or "[::]:8080"), or 8080.
func defaultURL(addr string) string {
	port := "8080"
	if _, p, err := net.SplitHostPort(addr); err == nil && p != "" {
		port = p
	}
	return "http://" + net.JoinHostPort("127.0.0.1", port) + "/healthz"
}

// check GETs url and wants a 200.
func check(url string, timeout time.Duration) error {
	c := &http.Client{Timeout: timeout}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return nil
}
