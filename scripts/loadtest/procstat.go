package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// clkTck is USER_HZ, the unit of utime and stime in /proc/<pid>/stat; 100
// on every Linux this runs on.
const clkTck = 100

// procSample is a process' CPU time and memory at one moment.
type procSample struct {
	cpu float64 // user + system seconds
	rss int64   // bytes
	hwm int64   // peak RSS, bytes
	wr  int64   // bytes written to storage (/proc/<pid>/io write_bytes)
}

func readProc(pid int) (procSample, error) {
	var s procSample
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return s, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return s, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	ut, _ := strconv.ParseFloat(f[11], 64) // field 14
	st, _ := strconv.ParseFloat(f[12], 64) // field 15
	s.cpu = (ut + st) / clkTck
	st2, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	sc := bufio.NewScanner(bytes.NewReader(st2))
	for sc.Scan() {
		line := sc.Text()
		for _, k := range []struct {
			key string
			dst *int64
		}{{"VmRSS:", &s.rss}, {"VmHWM:", &s.hwm}} {
			if v, ok := strings.CutPrefix(line, k.key); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				*k.dst = kb << 10
			}
		}
	}
	if io, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid)); err == nil {
		for _, line := range strings.Split(string(io), "\n") {
			if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
				s.wr, _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			}
		}
	}
	return s, nil
}

// machineCPU returns the CPU seconds all cores spent busy and in total
// since boot (/proc/stat): the share of the machine the run had, and what
// other processes took, show whether the figures are the service's own.
func machineCPU() (busy, total, softirq float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	for i, v := range f[1:] {
		n, _ := strconv.ParseFloat(v, 64)
		if i >= 8 { // guest time is already in user
			break
		}
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
		if i == 6 {
			softirq = n
		}
	}
	return busy / clkTck, total / clkTck, softirq / clkTck
}

// watched is a process whose CPU and memory the report shows.
type watched struct {
	name  string // "server", "server-2", "redis", "loadgen"
	role  string // "server", "redis" or "loadgen"
	pid   int
	start procSample
	end   procSample
}

// listenerPID finds the process listening on a loopback TCP address such as
// 127.0.0.1:8080, through /proc/net/tcp and every process' open sockets.
// It returns 0 when there is none it may look at.
func listenerPID(addr string) int {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	port, _ := strconv.Atoi(portStr)
	ip := net.ParseIP(host)
	if ip == nil {
		ips, err := net.LookupIP(host)
		if err != nil || len(ips) == 0 {
			return 0
		}
		ip = ips[0]
	}
	inodes := map[string]bool{}
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 10 || f[3] != "0A" { // LISTEN
				continue
			}
			la := strings.Split(f[1], ":")
			if len(la) != 2 {
				continue
			}
			p, _ := strconv.ParseUint(la[1], 16, 16)
			if int(p) != port {
				continue
			}
			if ip4 := ip.To4(); ip4 != nil && len(la[0]) == 8 {
				want := fmt.Sprintf("%02X%02X%02X%02X", ip4[3], ip4[2], ip4[1], ip4[0])
				if la[0] != want && la[0] != "00000000" {
					continue
				}
			}
			inodes["socket:["+f[9]+"]"] = true
		}
	}
	if len(inodes) == 0 {
		return 0
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*/fd")
	for _, dir := range dirs {
		fds, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if link, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && inodes[link] {
				pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
				return pid
			}
		}
	}
	return 0
}

// listenAddrs returns the loopback TCP addresses pid listens on.
func listenAddrs(pid int) []string {
	mine := map[string]bool{}
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, fd := range fds {
		if link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name())); err == nil {
			mine[link] = true
		}
	}
	var out []string
	b, _ := os.ReadFile("/proc/net/tcp")
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 10 || f[3] != "0A" || !mine["socket:["+f[9]+"]"] {
			continue
		}
		la := strings.Split(f[1], ":")
		if len(la) != 2 || len(la[0]) != 8 {
			continue
		}
		ip, _ := strconv.ParseUint(la[0], 16, 32)
		port, _ := strconv.ParseUint(la[1], 16, 16)
		out = append(out, fmt.Sprintf("%d.%d.%d.%d:%d", ip&0xff, ip>>8&0xff, ip>>16&0xff, ip>>24, port))
	}
	return out
}

// raiseFileLimit lifts RLIMIT_NOFILE to its hard limit: each connection is
// a descriptor here, and one in the server (which inherits the limit when
// this program starts it).
func raiseFileLimit() uint64 {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0
	}
	r.Cur = r.Max
	_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &r)
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r)
	return r.Cur
}

// redisWatch samples a Redis while load runs: the output buffers of its
// pub/sub clients (CLIENT LIST omem), and command counts (INFO
// commandstats) at the start and the end.
type redisWatch struct {
	rdb      *redis.Client
	pid      int
	mu       sync.Mutex
	omemPeak int64 // largest omem of one pub/sub client seen
	omemSum  int64 // largest sum over pub/sub clients seen
	samples  int
	startCmd map[string]int64
	endCmd   map[string]int64
	stop     chan struct{}
	done     chan struct{}
}

func newRedisWatch(url string) (*redisWatch, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	w := &redisWatch{rdb: redis.NewClient(opt)}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	info, err := w.rdb.Info(ctx, "server").Result()
	if err != nil {
		return nil, fmt.Errorf("redis %s: %w", url, err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "process_id:"); ok {
			w.pid, _ = strconv.Atoi(v)
		}
	}
	return w, nil
}

func (w *redisWatch) commandStats() map[string]int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	info, err := w.rdb.Info(ctx, "commandstats").Result()
	out := map[string]int64{}
	if err != nil {
		return out
	}
	for _, line := range strings.Split(info, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !strings.HasPrefix(name, "cmdstat_") {
			continue
		}
		for _, kv := range strings.Split(rest, ",") {
			if v, ok := strings.CutPrefix(kv, "calls="); ok {
				out[strings.TrimPrefix(name, "cmdstat_")], _ = strconv.ParseInt(v, 10, 64)
			}
		}
	}
	return out
}

func (w *redisWatch) begin(every time.Duration) {
	w.startCmd = w.commandStats()
	w.stop, w.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(w.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			w.sample()
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
}

func (w *redisWatch) sample() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := w.rdb.ClientList(ctx).Result()
	if err != nil {
		return
	}
	var peak, sum int64
	for _, line := range strings.Split(list, "\n") {
		var omem int64
		pubsub := false
		for _, kv := range strings.Fields(line) {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "omem":
				omem, _ = strconv.ParseInt(v, 10, 64)
			case "sub", "psub", "ssub":
				if v != "0" {
					pubsub = true
				}
			}
		}
		if pubsub {
			peak = max(peak, omem)
			sum += omem
		}
	}
	w.mu.Lock()
	w.omemPeak = max(w.omemPeak, peak)
	w.omemSum = max(w.omemSum, sum)
	w.samples++
	w.mu.Unlock()
}

func (w *redisWatch) finish() {
	if w.stop != nil {
		close(w.stop)
		<-w.done
	}
	w.endCmd = w.commandStats()
}

// calls is the number of calls of cmd during the run.
func (w *redisWatch) calls(cmd string) int64 { return w.endCmd[cmd] - w.startCmd[cmd] }

func (w *redisWatch) totalCalls() int64 {
	var n int64
	for k, v := range w.endCmd {
		if k == "info" || k == "client|list" || k == "client" {
			continue // ours
		}
		n += v - w.startCmd[k]
	}
	return n
}

// procCPU is a process' name and CPU seconds.
type procCPU struct {
	name string
	cpu  float64
}

// allProcs reads every process' CPU time from /proc.
func allProcs() map[int]procCPU {
	out := map[int]procCPU{}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		i, j := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if i < 0 || j < i {
			continue
		}
		f := strings.Fields(string(b[j+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		out[pid] = procCPU{name: string(b[i+1 : j]), cpu: (ut + st) / clkTck}
	}
	return out
}

// otherProcs sums the CPU of processes other than the watched ones between
// two snapshots and names the busiest.
func otherProcs(a, b map[int]procCPU, watched []*watched) (float64, string) {
	skip := map[int]bool{}
	for _, w := range watched {
		skip[w.pid] = true
	}
	byName := map[string]float64{}
	var sum float64
	for pid, e := range b {
		if skip[pid] {
			continue
		}
		d := e.cpu - a[pid].cpu
		if d > 0 {
			sum += d
			byName[e.name] += d
		}
	}
	type kv struct {
		k string
		v float64
	}
	var all []kv
	for k, v := range byName {
		all = append(all, kv{k, v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
	var top []string
	for _, e := range all[:min(3, len(all))] {
		if e.v >= 0.1 {
			top = append(top, fmt.Sprintf("%s %.1f", e.k, e.v))
		}
	}
	return round(sum, 2), strings.Join(top, ", ")
}

// irqSeconds is the machine's interrupt and softirq time (/proc/stat).
func irqSeconds() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 {
		return 0
	}
	irq, _ := strconv.ParseFloat(f[6], 64)
	soft, _ := strconv.ParseFloat(f[7], 64)
	return (irq + soft) / clkTck
}
