package config

import (
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config is the server's configuration. The zero value of a field means its
// documented default; Defaults fills them in. Every field can be set by a
// flag and by an environment variable (see Settings and README.md).
type Config struct {
	Addr    string // listen address. Default ":8080".
	DataDir string // directory for the board store (embedded mode). Default "./data".

	// RedisURL, when set, switches to Redis mode: rooms are sequenced,
	// logged and fanned out through Redis so that any number of replicas
	// share them, and DataDir is not used. Example: redis://redis:6379/0.
	RedisURL string
	// RedisWaitReplicas: with N > 0, an op is acknowledged to its author
	// only once N replicas of its Redis master have it (WAIT N), so a
	// failover loses no acknowledged op. Default 0.
	RedisWaitReplicas int
	// RedisHold: how long a replica holds a board's batch for the batches
	// of other boards, to number them all in one round trip to Redis.
	// Negative: not at all. Default 2ms.
	RedisHold time.Duration

	// ArchiveURL, in Redis mode, is a PostgreSQL URL (postgres://...):
	// boards nobody has been on for ArchiveAfter move there out of Redis,
	// and so does history older than Redis keeps. Default: unset, Redis
	// keeps everything (history bounded by HistoryOps).
	ArchiveURL   string
	ArchiveAfter time.Duration // a board nobody is on this long is archived. Default 10m.

	// Secret keys view links (and embed tokens). Replicas of one service
	// must share it. Default: generated once and kept in DataDir/secret
	// (embedded mode) or in Redis (Redis mode).
	Secret string

	// EmbedOrigins lists the origins (scheme://host[:port]) whose pages may
	// frame /embed/{board}. Default: none, embedding is refused.
	EmbedOrigins []string

	// PprofAddr, when set, serves net/http/pprof on that address (keep it
	// on loopback). Default: off.
	PprofAddr string

	// SysmonAwake: the command re-executes itself at start with the Go
	// runtime's scheduler trace on, which keeps the runtime's monitor
	// thread polling while the replica is idle (see internal/sysmon).
	// Default false.
	SysmonAwake bool

	// AdminKey guards POST /api/tokens (minting embed tokens). Default:
	// unset, the endpoint is off.
	AdminKey string

	// AllowedOrigins lists origins (scheme://host[:port]) besides the
	// server's own that may open WebSockets. Default: none, same origin
	// only. Each entry lets that site's pages draw on any board a visitor
	// can name: list only sites you trust.
	AllowedOrigins []string

	MaxFrameBytes      int           // largest client frame; bigger closes with 1009. Default 64 KiB.
	SendQueueBytes     int64         // per-connection unsent bytes before the client is dropped as too slow. Default 4 MiB.
	JoinMinRate        float64       // bytes per second a joiner must read its board's snapshot at (see Session.sendv). Default 65536.
	IdleTimeout        time.Duration // a connection silent this long (at most an eighth longer) is closed; the server pings at half of it. Default 60s.
	HandshakeTimeout   time.Duration // WebSocket handshake deadline. Default 5s.
	RoomIdle           time.Duration // an empty room stays open this long. Default 30s.
	RoomPark           time.Duration // a room quiet this long stops its goroutine until its next event. Default 10s.
	ReplayOps          int           // recent ops kept per room for reconnect replay. Default 10000.
	SnapshotEvery      int           // ops between stored snapshots. Default 2000.
	HistoryOps         int           // Redis mode: ops of history kept before the latest snapshot. Default 10000.
	CursorInterval     time.Duration // cursor updates are batched this often. Default 40ms.
	FlushInterval      time.Duration // the longest a busy room holds ops to send them in one frame (see Room.sendInterval). Default 30ms.
	FrameCPU           float64       // the share of a core a room's frames may take; less coalesces more (see Room.sendInterval). Default 0.5.
	RoomInbox          int           // events queued per room before senders wait. Default 512.
	NoisyLogsPerMinute int           // per-connection log lines per minute. Default 30.
	ShutdownTimeout    time.Duration // graceful shutdown deadline. Default 10s.
	SyncInterval       time.Duration // Redis mode: health and lost-data check period. Default 1s.

	// Limits (0 in a field means its default; see Settings).
	MaxConnsPerIP   int     // WebSocket connections per client IP. Default 1000.
	MaxRoomClients  int     // connections on one board per replica. Default 2000.
	MaxRooms        int     // boards open on one replica. Default 50000.
	MaxRoomsPerIP   int     // boards one client address may be on at once on a replica. Default MaxRooms/20, at least 10 (MaxRooms if less).
	MaxBoardPoints  int     // points on one board; drawing beyond is refused. Default 2,000,000.
	MaxBoardStrokes int     // strokes on one board. Default 100,000.
	ImageBytes      int64   // bytes of one uploaded image. Default 5 MiB.
	BoardImageBytes int64   // bytes of all the images of one board. Default 50 MiB.
	RateDraw        float64 // drawing ops per second per connection (burst 2x). Default 250.
	RateDestructive float64 // erase/restore/clear per second per connection. Default 20.
	RatePresence    float64 // cursor/name updates per second per connection. Default 70.
	IPRateFactor    float64 // an IP's budget is this many connections' worth. Default 10.
	RateHTTP        float64 // HTTP requests that make the replica work, per second per client IP (burst 2x). Default 50.
	// TrustedProxies are CIDRs of reverse proxies whose X-Forwarded-For is
	// believed for the client IP (per-IP limits). Default: none.
	TrustedProxies []string

	// BehindTLS says browsers reach the service over HTTPS (at it or at a
	// proxy in front): pages then send Strict-Transport-Security and name
	// wss:// in their policy. Default: false.
	BehindTLS bool

	// WriteTimeout bounds one write to a client: a client that reads
	// nothing for this long is dropped as too slow (a joiner's board gets
	// longer, see JoinMinRate). Default 10s.
	WriteTimeout time.Duration
}

// Defaults fills every zero field with its default.
func (c *Config) Defaults() {
	setDefault(&c.Addr, ":8080")
	setDefault(&c.DataDir, "./data")
	setDefault(&c.MaxFrameBytes, 64<<10)
	setDefault(&c.SendQueueBytes, 4<<20)
	setDefault(&c.JoinMinRate, 65536)
	setDefault(&c.IdleTimeout, 60*time.Second)
	setDefault(&c.HandshakeTimeout, 5*time.Second)
	setDefault(&c.RoomIdle, 30*time.Second)
	setDefault(&c.RoomPark, 10*time.Second)
	setDefault(&c.ReplayOps, 10000)
	setDefault(&c.SnapshotEvery, 2000)
	setDefault(&c.HistoryOps, 10000)
	setDefault(&c.CursorInterval, 40*time.Millisecond)
	setDefault(&c.FlushInterval, 30*time.Millisecond)
	setDefault(&c.FrameCPU, 0.5)
	setDefault(&c.RoomInbox, 512)
	setDefault(&c.NoisyLogsPerMinute, 30)
	setDefault(&c.ShutdownTimeout, 10*time.Second)
	setDefault(&c.SyncInterval, time.Second)
	setDefault(&c.RedisHold, 2*time.Millisecond)
	setDefault(&c.ArchiveAfter, 10*time.Minute)
	setDefault(&c.MaxConnsPerIP, 1000)
	setDefault(&c.MaxRoomClients, 2000)
	setDefault(&c.MaxRooms, 50000)
	setDefault(&c.MaxRoomsPerIP, max(c.MaxRooms/20, min(c.MaxRooms, 10)))
	setDefault(&c.MaxBoardPoints, 2_000_000)
	setDefault(&c.MaxBoardStrokes, 100_000)
	setDefault(&c.ImageBytes, 5<<20)
	setDefault(&c.BoardImageBytes, 50<<20)
	setDefault(&c.RateDraw, 250)
	setDefault(&c.RateDestructive, 20)
	setDefault(&c.RatePresence, 70)
	setDefault(&c.IPRateFactor, 10)
	setDefault(&c.RateHTTP, 50)
	setDefault(&c.WriteTimeout, 10*time.Second)
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

// Setting documents one configuration knob: its flag, its environment
// variable, and what it sets. README.md's table is this list.
type Setting struct {
	Flag, Env, Default, Help string
	set                      func(c *Config, v string) error
}

// Settings is every knob, in README order.
var Settings = []Setting{
	{"addr", "SKETCHPAD_ADDR", ":8080", "listen address", func(c *Config, v string) error { c.Addr = v; return nil }},
	{"data", "SKETCHPAD_DATA", "./data", "directory where boards are kept (embedded mode)", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"archive-url", "SKETCHPAD_ARCHIVE_URL", "(unset: Redis keeps every board)", "Redis mode: PostgreSQL URL (postgres://user@host:5432/db) where boards nobody is on move out of Redis, with history older than Redis keeps; the schema is created and migrated at start", func(c *Config, v string) error {
		if !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
			return fmt.Errorf("want a postgres:// URL")
		}
		c.ArchiveURL = v
		return nil
	}},
	{"archive-after", "SKETCHPAD_ARCHIVE_AFTER", "10m", "with --archive-url: a board nobody has been on (on any replica) this long is written to PostgreSQL and removed from Redis; the next join loads it back", durSetter(func(c *Config) *time.Duration { return &c.ArchiveAfter })},
	{"redis-url", "REDIS_URL", "(unset: embedded mode)", "Redis URL (redis://host:6379/0), or several nodes of a Redis Cluster, comma-separated (any one is enough: the rest are discovered); set, replicas share rooms through Redis and keep nothing on disk", func(c *Config, v string) error { c.RedisURL = v; return nil }},
	{"redis-wait-replicas", "SKETCHPAD_REDIS_WAIT_REPLICAS", "0", "Redis mode: acknowledge an op to its author only once this many replicas of its Redis master have it (WAIT), so a failover loses no acknowledged op; 0 acknowledges once the master has it (faster; a failover may lose the last moment of drawing, and those boards reload)", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 16 {
			return fmt.Errorf("want a number of replicas from 0 to 16")
		}
		c.RedisWaitReplicas = n
		return nil
	}},
	{"redis-hold", "SKETCHPAD_REDIS_HOLD", "2ms", "Redis mode: how long a replica may hold a board's batch of ops for other boards' batches, so that one round trip numbers them all (Redis spends about half as much per op at four batches a round trip as at one); only while batches come at least this often, so a quiet replica holds nothing; 0: never", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > time.Second {
			return fmt.Errorf("want a duration from 0 to 1s, such as 1ms")
		}
		c.RedisHold = d
		if d == 0 {
			c.RedisHold = -1 // never: zero is the unset value Defaults fills in
		}
		return nil
	}},
	{"secret", "SKETCHPAD_SECRET", "(generated and kept)", "secret (at least 32 characters) that keys view links; all replicas must share it", func(c *Config, v string) error {
		if len(v) < 32 {
			return fmt.Errorf("want at least 32 characters")
		}
		c.Secret = v
		return nil
	}},
	{"allowed-origins", "SKETCHPAD_ALLOWED_ORIGINS", "(same origin only)", "comma-separated extra origins allowed to open WebSockets", func(c *Config, v string) error {
		c.AllowedOrigins = commaList(v)
		return nil
	}},
	{"embed-origins", "SKETCHPAD_EMBED_ORIGINS", "(none)", "comma-separated origins whose pages may frame /embed/{board}", func(c *Config, v string) error {
		c.EmbedOrigins = commaList(v)
		for _, o := range c.EmbedOrigins {
			if !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") || strings.ContainsAny(o, " ;'*") {
				return fmt.Errorf("%q is not an origin like https://example.com", o)
			}
		}
		return nil
	}},
	{"admin-key", "SKETCHPAD_ADMIN_KEY", "(unset: off)", "bearer key for POST /api/tokens, which mints embed tokens (at least 32 characters)", func(c *Config, v string) error {
		if len(v) < 32 {
			return fmt.Errorf("want at least 32 characters")
		}
		c.AdminKey = v
		return nil
	}},
	{"max-frame", "SKETCHPAD_MAX_FRAME", "65536", "largest WebSocket frame a client may send, bytes (over: close 1009)", intSetter(func(c *Config) *int { return &c.MaxFrameBytes })},
	{"send-queue", "SKETCHPAD_SEND_QUEUE", "4194304", "unsent bytes per connection before a slow client is dropped (close 4008)", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("want a positive number of bytes")
		}
		c.SendQueueBytes = n
		return nil
	}},
	{"join-min-rate", "SKETCHPAD_JOIN_MIN_RATE", "65536", "bytes per second a joining client must at least read its board at: the board's snapshot does not count against --send-queue, and a joiner that takes longer than 10s plus the snapshot's size at this rate is dropped as too slow", floatSetter(func(c *Config) *float64 { return &c.JoinMinRate })},
	{"idle-timeout", "SKETCHPAD_IDLE_TIMEOUT", "60s", "close connections silent this long, at most an eighth longer (the server pings at half of it)", durSetter(func(c *Config) *time.Duration { return &c.IdleTimeout })},
	{"room-idle", "SKETCHPAD_ROOM_IDLE", "30s", "a board nobody is on is closed (stored and dropped from memory) this long after the last person left", durSetter(func(c *Config) *time.Duration { return &c.RoomIdle })},
	{"room-park", "SKETCHPAD_ROOM_PARK", "10s", "a board whose people are all quiet this long gives up its goroutine until the next event (independent of --room-idle: an empty board does not park, it closes)", durSetter(func(c *Config) *time.Duration { return &c.RoomPark })},
	{"replay-ops", "SKETCHPAD_REPLAY_OPS", "10000", "recent ops kept per room to replay to reconnecting clients", intSetter(func(c *Config) *int { return &c.ReplayOps })},
	{"snapshot-every", "SKETCHPAD_SNAPSHOT_EVERY", "2000", "ops between stored board snapshots", intSetter(func(c *Config) *int { return &c.SnapshotEvery })},
	{"history-ops", "SKETCHPAD_HISTORY_OPS", "10000", "Redis mode: ops of a board's history kept in Redis before its latest snapshot, with their checkpoints and versions (older history is trimmed; embedded mode keeps all of it)", intSetter(func(c *Config) *int { return &c.HistoryOps })},
	{"flush-interval", "SKETCHPAD_FLUSH_INTERVAL", "30ms", "the longest a busy room holds ops to send them in one frame, and the window its frame budget is averaged over: a frame goes at once while the room's frames of the last flush interval cost less than --frame-cpu × it (a frame to n connections costs n × the measured CPU a frame costs, 30µs until measured), else it waits until they do; a crowd of 1,000 that has spent its budget gets --frame-cpu ÷ (1,000 × a frame's cost) frames/s (about 40 where a frame costs 12µs, 70–75 where it costs 7µs)", durSetter(func(c *Config) *time.Duration { return &c.FlushInterval })},
	{"frame-cpu", "SKETCHPAD_FRAME_CPU", "0.5", "the share of a core one room's frames may take, averaged over --flush-interval; lower trades latency for CPU", floatSetter(func(c *Config) *float64 { return &c.FrameCPU })},
	{"pprof", "SKETCHPAD_PPROF", "(off)", "serve Go's pprof profiles on this address, e.g. 127.0.0.1:6060 (never expose it)", func(c *Config, v string) error { c.PprofAddr = v; return nil }},
	{"sysmon-awake", "SKETCHPAD_SYSMON_AWAKE", "false", "keep the Go runtime's monitor thread (sysmon) polling while the replica is idle, so that going from idle to busy does not restart a millisecond of 20µs polls: less CPU per frame for boards that go idle between frames, slower hand-off of threads stuck in system calls when the machine is short of CPU, up to 100 wake-ups a second while idle; the replica re-executes itself at start with schedtrace added to GODEBUG (left alone when GODEBUG has a schedtrace)", boolSetter(func(c *Config) *bool { return &c.SysmonAwake })},
	{"sync-interval", "SKETCHPAD_SYNC_INTERVAL", "1s", "Redis mode: how often a replica checks that Redis is reachable and still has its data; a replica with a board open on other replicas too announces its people there every three of these, and forgets those of a replica not heard from for three and a half announcements", durSetter(func(c *Config) *time.Duration { return &c.SyncInterval })},
	{"max-conns-per-ip", "SKETCHPAD_MAX_CONNS_PER_IP", "1000", "WebSocket connections one client IP may hold (over: HTTP 429)", intSetter(func(c *Config) *int { return &c.MaxConnsPerIP })},
	{"max-room-clients", "SKETCHPAD_MAX_ROOM_CLIENTS", "2000", "connections one board may have on a replica (over: close 1013)", intSetter(func(c *Config) *int { return &c.MaxRoomClients })},
	{"max-rooms", "SKETCHPAD_MAX_ROOMS", "50000", "boards open at once on a replica; at the limit the board nobody has been on for longest closes to make room, and only when every board has someone on it is a new one refused (close 1013)", intSetter(func(c *Config) *int { return &c.MaxRooms })},
	{"max-rooms-per-ip", "SKETCHPAD_MAX_ROOMS_PER_IP", "(max-rooms ÷ 20, at least 10)", "boards one client IP may be on at once on a replica, so no address holds more than its share of --max-rooms (over: close 1013)", intSetter(func(c *Config) *int { return &c.MaxRoomsPerIP })},
	{"max-board-points", "SKETCHPAD_MAX_BOARD_POINTS", "2000000", "points one board may hold; drawing beyond is refused with Notice 413", boundedInt(1<<26, func(c *Config) *int { return &c.MaxBoardPoints })},
	{"max-board-strokes", "SKETCHPAD_MAX_BOARD_STROKES", "100000", "strokes, shapes and texts one board may hold", boundedInt(1<<22, func(c *Config) *int { return &c.MaxBoardStrokes })},
	{"image-bytes", "SKETCHPAD_IMAGE_BYTES", "5242880", "bytes of one image uploaded to a board (over: HTTP 413)", int64Setter(func(c *Config) *int64 { return &c.ImageBytes })},
	{"board-image-bytes", "SKETCHPAD_BOARD_IMAGE_BYTES", "52428800", "bytes of all the images uploaded to one board, each counted once (over: HTTP 413)", int64Setter(func(c *Config) *int64 { return &c.BoardImageBytes })},
	{"rate-draw", "SKETCHPAD_RATE_DRAW", "250", "drawing ops per second per connection, burst twice that (over: slowed, Notice 429; persisting: close 4429)", floatSetter(func(c *Config) *float64 { return &c.RateDraw })},
	{"rate-destructive", "SKETCHPAD_RATE_DESTRUCTIVE", "20", "erase, restore and clear ops per second per connection", floatSetter(func(c *Config) *float64 { return &c.RateDestructive })},
	{"rate-presence", "SKETCHPAD_RATE_PRESENCE", "70", "cursor, laser and name updates per second per connection (over: cursors and lasers dropped)", floatSetter(func(c *Config) *float64 { return &c.RatePresence })},
	{"ip-rate-factor", "SKETCHPAD_IP_RATE_FACTOR", "10", "one client IP's budget, in connections' worth of each rate", floatSetter(func(c *Config) *float64 { return &c.IPRateFactor })},
	{"rate-http", "SKETCHPAD_RATE_HTTP", "50", "requests per second per client address, burst twice that, to endpoints that make a replica work: board pages and pictures, embeds, token minting, WebSocket upgrades (over: HTTP 429)", floatSetter(func(c *Config) *float64 { return &c.RateHTTP })},
	{"trusted-proxies", "SKETCHPAD_TRUSTED_PROXIES", "(none)", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For gives the client IP", func(c *Config, v string) error {
		c.TrustedProxies = commaList(v)
		for _, p := range c.TrustedProxies {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8", p)
			}
		}
		return nil
	}},
	{"behind-tls", "SKETCHPAD_BEHIND_TLS", "false", "set when browsers reach the service over HTTPS (here or at a proxy): responses carry Strict-Transport-Security", boolSetter(func(c *Config) *bool { return &c.BehindTLS })},
	{"shutdown-timeout", "SKETCHPAD_SHUTDOWN_TIMEOUT", "10s", "graceful shutdown deadline", durSetter(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
	{"write-timeout", "SKETCHPAD_WRITE_TIMEOUT", "10s", "a client whose socket takes no data for this long (between half of it and all of it) is dropped as too slow, as one whose queue passes --send-queue is; a joiner's board gets longer, see --join-min-rate", durSetter(func(c *Config) *time.Duration { return &c.WriteTimeout })},
}

// commaList splits a comma-separated setting, trimming spaces and a
// trailing slash (origins).
func commaList(v string) []string {
	var out []string
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, strings.TrimRight(o, "/"))
		}
	}
	return out
}

func intSetter(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("want a positive integer")
		}
		*field(c) = n
		return nil
	}
}

func boolSetter(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		*field(c) = b
		return nil
	}
}

func int64Setter(field func(*Config) *int64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("want a positive number of bytes")
		}
		*field(c) = n
		return nil
	}
}

// boundedInt is intSetter with a ceiling: board limits may not exceed what a
// snapshot can hold (canvas's decoder caps), or a full board could not be
// loaded back.
func boundedInt(ceiling int, field func(*Config) *int) func(*Config, string) error {
	set := intSetter(field)
	return func(c *Config, v string) error {
		if err := set(c, v); err != nil {
			return err
		}
		if *field(c) > ceiling {
			return fmt.Errorf("at most %d (what a board snapshot can hold)", ceiling)
		}
		return nil
	}
}

func floatSetter(field func(*Config) *float64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || !(n > 0) || math.IsInf(n, 0) {
			return fmt.Errorf("want a positive number")
		}
		*field(c) = n
		return nil
	}
}

func durSetter(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 30s")
		}
		*field(c) = d
		return nil
	}
}

type settingValue struct {
	s   *Setting
	c   *Config
	val string
}

func (v *settingValue) String() string { return v.val }
func (v *settingValue) Set(s string) error {
	if err := v.s.set(v.c, s); err != nil {
		return err
	}
	v.val = s
	return nil
}

// LoadConfig reads flags from args, falling back to environment variables
// (getenv) and then to defaults. A flag beats its environment twin.
func LoadConfig(args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	return LoadConfigWith("sketchpad", args, getenv, usage, nil)
}

// LoadConfigWith is LoadConfig for a command named name that has flags of
// its own besides the settings: extra adds them.
func LoadConfigWith(name string, args []string, getenv func(string) string, usage io.Writer, extra func(*flag.FlagSet)) (*Config, error) {
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if extra != nil {
		extra(fs)
	}
	fs.SetOutput(usage)
	for i := range Settings {
		s := &Settings[i]
		if v := getenv(s.Env); v != "" {
			if err := s.set(c, v); err != nil {
				return nil, fmt.Errorf("%s=%q: %w", s.Env, v, err)
			}
		}
		fs.Var(&settingValue{s: s, c: c}, s.Flag, fmt.Sprintf("%s (env %s, default %s)", s.Help, s.Env, s.Default))
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}
