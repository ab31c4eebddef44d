package local

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"

	"golang.org/x/net/dns/dnsmessage"
)

// dnsServer plays the part of Docker's embedded DNS (127.0.0.11) for the
// local cluster: it answers one name (the compose service's, "sketchpad")
// with the addresses of the replicas that are up, so nginx finds replicas at
// run time exactly as it does in compose. Only A queries get records; any
// other name is NXDOMAIN. UDP only, as nginx's resolver asks.
type dnsServer struct {
	conn *net.UDPConn
	name string // fully qualified, lower case: "sketchpad."

	mu    sync.Mutex
	addrs map[netip.Addr]bool // live replicas
	order []netip.Addr        // answer order: replica order
	done  chan struct{}
}

func startDNS(name string) (*dnsServer, error) {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	d := &dnsServer{conn: conn, name: strings.ToLower(name) + ".", addrs: map[netip.Addr]bool{}, done: make(chan struct{})}
	go d.serve()
	return d, nil
}

// Addr is host:port for nginx's resolver directive.
func (d *dnsServer) Addr() string { return d.conn.LocalAddr().String() }

// set marks addr as up (answered) or down (left out).
func (d *dnsServer) set(addr netip.Addr, up bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, known := d.addrs[addr]; !known {
		d.order = append(d.order, addr)
	}
	d.addrs[addr] = up
}

func (d *dnsServer) live() []netip.Addr {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []netip.Addr
	for _, a := range d.order {
		if d.addrs[a] {
			out = append(out, a)
		}
	}
	return out
}

func (d *dnsServer) close() {
	_ = d.conn.Close()
	<-d.done
}

func (d *dnsServer) serve() {
	defer close(d.done)
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if resp, err := d.answer(buf[:n]); err == nil {
			_, _ = d.conn.WriteToUDPAddrPort(resp, from)
		}
	}
}

// answer builds the response to one query.
func (d *dnsServer) answer(query []byte) ([]byte, error) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, err
	}
	q, err := p.Question()
	if err != nil {
		return nil, err
	}
	rh := dnsmessage.Header{ID: h.ID, Response: true, OpCode: h.OpCode, Authoritative: true,
		RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
	ours := strings.EqualFold(q.Name.String(), d.name) && q.Class == dnsmessage.ClassINET
	if !ours {
		rh.RCode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(q); err != nil {
		return nil, err
	}
	if err := b.StartAnswers(); err != nil {
		return nil, err
	}
	if ours && q.Type == dnsmessage.TypeA {
		for _, a := range d.live() {
			rr := dnsmessage.ResourceHeader{Name: q.Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: 1}
			if err := b.AResource(rr, dnsmessage.AResource{A: a.As4()}); err != nil {
				return nil, err
			}
		}
	}
	return b.Finish()
}
