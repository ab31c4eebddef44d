package testenv

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Proc is one supervised child process, startable again after it ended.
// Set the exported fields, then call Start. Its output goes to LogPath
// (appended across restarts; discarded when LogPath is "") and, when Echo
// is set, to Echo with "Name | " before every line.
//
// A Proc runs in a process group of its own, so a Ctrl-C in a terminal
// reaches only the tool, which stops its children in order; Pdeathsig
// kills it if the tool dies without doing so.
type Proc struct {
	Name    string   // for messages and the Echo prefix
	Path    string   // the program
	Args    []string // its arguments
	Env     []string // added to this process' environment
	Dir     string   // working directory; "" is this process'
	LogPath string
	Echo    io.Writer
	// Cred, when set, runs the process as that user (a PostgreSQL
	// server refuses to run as root).
	Cred *syscall.Credential

	mu   sync.Mutex // guards cmd, done and err
	cmd  *exec.Cmd
	done chan struct{} // closed when the current run ended
	err  error         // how the current run ended
}

// Start starts the process; it is an error if it is running.
func (p *Proc) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		select {
		case <-p.done:
		default:
			return fmt.Errorf("%s is already running", p.Name)
		}
	}
	var out io.Writer
	var logf *os.File
	if p.LogPath != "" {
		f, err := os.OpenFile(p.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		logf, out = f, f
	}
	if p.Echo != nil {
		echo := &prefixWriter{w: p.Echo, prefix: p.Name + " | "}
		if out != nil {
			out = io.MultiWriter(out, echo)
		} else {
			out = echo
		}
	}
	cmd := exec.Command(p.Path, p.Args...)
	cmd.Dir = p.Dir
	cmd.Env = append(os.Environ(), p.Env...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL, Credential: p.Cred}
	if err := cmd.Start(); err != nil {
		if logf != nil {
			logf.Close()
		}
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	done := make(chan struct{})
	p.cmd, p.done, p.err = cmd, done, nil
	go func() {
		err := cmd.Wait()
		if logf != nil {
			logf.Close()
		}
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(done)
	}()
	return nil
}

// Exited returns a channel closed when the current run ends (nil if never
// started).
func (p *Proc) Exited() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// Running reports whether the process is up.
func (p *Proc) Running() bool {
	ch := p.Exited()
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

// ExitErr is how the last run ended (nil while running or after a clean
// exit).
func (p *Proc) ExitErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Pid is the process id of the current or last run (0 if never started).
func (p *Proc) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// Kill sends SIGKILL to the process group and waits for the process.
func (p *Proc) Kill() {
	if !p.Running() {
		return
	}
	_ = syscall.Kill(-p.Pid(), syscall.SIGKILL)
	<-p.Exited()
}

// Stop sends sig to the process and waits up to grace for it to exit, then
// kills its process group.
func (p *Proc) Stop(sig syscall.Signal, grace time.Duration) {
	if !p.Running() {
		return
	}
	_ = syscall.Kill(p.Pid(), sig)
	select {
	case <-p.Exited():
	case <-time.After(grace):
		p.Kill()
	}
}

// LogTail is the last n lines of the process' log ("" without one).
func (p *Proc) LogTail(n int) string {
	if p.LogPath == "" {
		return ""
	}
	return TailFile(p.LogPath, n)
}

// TailFile is the last n lines of the file at path ("" if unreadable).
func TailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return Tail(string(b), n)
}

// Tail is the last n lines of s.
func Tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// prefixWriter writes whole lines to w, each after prefix.
type prefixWriter struct {
	mu     sync.Mutex // guards buf
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
