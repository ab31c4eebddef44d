package local

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// proc is one child process of the cluster, startable again after it ended.
// Its output goes to a log file (appended across restarts) and, when set, to
// a shared writer with a name prefix on every line.
type proc struct {
	name    string
	path    string
	args    []string
	env     []string
	logPath string
	echo    io.Writer

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the current run ended
	err  error         // how the current run ended
}

func (p *proc) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		select {
		case <-p.done:
		default:
			return fmt.Errorf("%s is already running", p.name)
		}
	}
	logf, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	var out io.Writer = logf
	if p.echo != nil {
		out = io.MultiWriter(logf, &prefixWriter{w: p.echo, prefix: p.name + " | "})
	}
	cmd := exec.Command(p.path, p.args...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = out, out
	// Own process group: a Ctrl-C in the terminal reaches the cluster only,
	// which stops the children in order. Pdeathsig: if the cluster dies
	// without stopping them, the kernel kills them.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	done := make(chan struct{})
	p.cmd, p.done, p.err = cmd, done, nil
	go func() {
		err := cmd.Wait()
		logf.Close()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(done)
	}()
	return nil
}

// exited returns a channel closed when the current run ends (nil if never
// started).
func (p *proc) exited() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

func (p *proc) running() bool {
	ch := p.exited()
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return false
	default:
		return true
	}
}

// exitErr is how the last run ended (nil while running or after a clean exit).
func (p *proc) exitErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *proc) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// kill sends SIGKILL to the process group and waits for the process.
func (p *proc) kill() {
	if !p.running() {
		return
	}
	_ = syscall.Kill(-p.pid(), syscall.SIGKILL)
	<-p.exited()
}

// stop sends sig to the process and waits up to grace for it to exit, then
// kills its process group.
func (p *proc) stop(sig syscall.Signal, grace time.Duration) {
	if !p.running() {
		return
	}
	_ = syscall.Kill(p.pid(), sig)
	select {
	case <-p.exited():
	case <-time.After(grace):
		p.kill()
	}
}

// logTail is the last n lines of the process' log.
func (p *proc) logTail(n int) string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return ""
	}
	return tail(string(b), n)
}

// prefixWriter writes whole lines to w, each after prefix.
type prefixWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	buf    []byte
}

var echoMu sync.Mutex // lines of different processes do not interleave

func (pw *prefixWriter) Write(b []byte) (int, error) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	pw.buf = append(pw.buf, b...)
	for {
		i := bytes.IndexByte(pw.buf, '\n')
		if i < 0 {
			break
		}
		echoMu.Lock()
		_, _ = fmt.Fprintf(pw.w, "%s%s\n", pw.prefix, pw.buf[:i])
		echoMu.Unlock()
		pw.buf = pw.buf[i+1:]
	}
	return len(b), nil
}
