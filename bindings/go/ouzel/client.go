package ouzel

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// Client is an MQTT client running on the Ouzel engine. It is safe for concurrent use by many
// goroutines. Create it with NewClient, end it with Close.
//
// The engine runs the connection on its own thread; the binding drains the engine's events in
// batches on one poller goroutine (C never calls Go) and runs handlers on one dispatcher
// goroutine per client, in protocol order. A handler may call any method, including a Publish
// that waits for its acknowledgement.
type Client struct {
	*client
}

// client is the state the binding's goroutines use. The poller goroutine keeps it (and so the
// Client) alive until Close, as a connection's goroutines would: a program that subscribes and
// then only waits must not lose its client to the collector.
type client struct {
	self *Client
	opts Options
	lib  capi.Client

	// life guards lib against Free: every C call holds the read lock and first checks freed.
	life    sync.RWMutex
	freed   bool
	closing atomic.Bool
	closed  chan struct{} // closed by Close
	done    chan struct{} // closed once the library client is freed

	// Publishes that wait, by token. pubMu is held across the C publish and the registration so
	// the poller (which takes it to complete a token) never sees a completion before its waiter.
	pubMu      sync.Mutex
	pubs       map[uint64]*pubWaiter
	pubWaiting atomic.Int32

	// mu guards the rest.
	mu          sync.Mutex
	acks        map[int32]*ackWaiter // SUBSCRIBE / UNSUBSCRIBE by packet id
	connWaiters []*connWaiter
	discWaiters []chan error
	up          bool // a CONNACK was seen and no DISCONNECTED since
	routes      routeTable

	waiter    *eventWaiter                  // nil: the poller blocks in the library instead
	msgs      atomic.Pointer[chan *Message] // Messages(), once asked for
	msgsOnce  sync.Once
	disp      dispatcher
	unhandled atomic.Uint64
}

// NewClient validates the options, creates the engine's client and starts its thread, the
// poller and the dispatcher. It does not connect.
func NewClient(opts Options) (*Client, error) {
	if err := capi.CheckVersion(); err != nil {
		return nil, &Error{Op: "new client", Code: ErrVersion, Message: err.Error()}
	}
	if len(opts.Servers) == 0 {
		return nil, &Error{Op: "new client", Code: ErrInvalid, Message: "Options.Servers is empty"}
	}
	enc, names := opts.encoded()
	lib, err := capi.NewClient(enc.Encoded())
	if err != nil {
		return nil, optionError("new client", err, names)
	}
	in := &client{
		opts:   opts,
		lib:    lib,
		closed: make(chan struct{}),
		done:   make(chan struct{}),
		pubs:   make(map[uint64]*pubWaiter),
		acks:   make(map[int32]*ackWaiter),
	}
	in.opts.Servers = append([]string(nil), opts.Servers...)
	if err := in.routes.init(); err != nil {
		lib.Free()
		return nil, wrap("new client", err)
	}
	in.disp.init()
	if w, err := newEventWaiter(lib.EventFD()); err == nil {
		in.waiter = w
	}
	out := &Client{in}
	in.self = out
	go in.pollLoop()
	go in.dispatchLoop()
	return out, nil
}

// Close frees the client: the connection is closed without DISCONNECT (the server then
// publishes the Will; call Disconnect first for a clean end), handlers stop being called, and
// waiting calls return ErrClosed. It never blocks and may be called any number of times, from
// any goroutine, including a handler. Messages received but not yet handled are not
// acknowledged, so a kept session gets them again.
func (c *Client) Close() error {
	c.close()
	return nil
}

func (c *client) close() {
	if !c.closing.CompareAndSwap(false, true) {
		return
	}
	close(c.closed)
	c.disp.wake()
	if c.waiter != nil {
		c.waiter.wake()
	}
	// Only a poller blocked in the library (no netpoller) needs the interrupt. TryRLock: if the
	// poller is already freeing the client (after a failed poll), there is nothing to wake and
	// Close must not wait for the free.
	if c.waiter == nil && c.life.TryRLock() {
		if !c.freed {
			c.lib.InterruptPoll()
		}
		c.life.RUnlock()
	}
}

// Done is closed once a closed client has released everything it held in the library.
func (c *Client) Done() <-chan struct{} { return c.done }

// enter starts a C call: it fails with ErrClosed once Close was called. Pair with leave.
func (c *client) enter(op string) error {
	if c.closing.Load() {
		return closedError(op)
	}
	c.life.RLock()
	if c.freed {
		c.life.RUnlock()
		return closedError(op)
	}
	return nil
}

func (c *client) leave() { c.life.RUnlock() }

// handle returns the Client for handlers.
func (c *client) handle() *Client { return c.self }

// IsConnected reports whether a CONNACK-accepted connection is up.
func (c *Client) IsConnected() bool { return c.isConnected() }

func (c *client) isConnected() bool {
	if c.enter("is connected") != nil {
		return false
	}
	defer c.leave()
	return c.lib.IsConnected()
}

// ConnectionState is where the client's connection stands, from the engine's bookkeeping.
type ConnectionState int

// Connection states.
const (
	Disconnected   ConnectionState = capi.StateDisconnected   // none, and none wanted (never connected, or Disconnect)
	ConnectPending ConnectionState = capi.StateConnectPending // wanted: waiting for the reconnection delay
	Connecting     ConnectionState = capi.StateConnecting     // an attempt is under way (no CONNACK yet)
	Connected      ConnectionState = capi.StateConnected      // a CONNACK accepted the connection
	Disconnecting  ConnectionState = capi.StateDisconnecting  // closing (DISCONNECT written, a refusal handled)
	ConnectionLost ConnectionState = capi.StateConnectionLost // ended and not retried (NoReconnect, or Connect failed)
)

func (s ConnectionState) String() string {
	switch s {
	case Disconnected:
		return "disconnected"
	case ConnectPending:
		return "connect pending"
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	case Disconnecting:
		return "disconnecting"
	case ConnectionLost:
		return "connection lost"
	}
	return fmt.Sprintf("ConnectionState(%d)", int(s))
}

// State is where the connection stands now (a snapshot). A closed client is Disconnected.
func (c *Client) State() ConnectionState {
	if c.enter("state") != nil {
		return Disconnected
	}
	defer c.leave()
	return ConnectionState(c.lib.State())
}

// ConnAck is the server's acceptance of a connection.
type ConnAck struct {
	SessionPresent bool
	Properties     Properties // MQTT 5 CONNACK properties
}

// AssignedClientID is the client identifier the server assigned (MQTT 5, empty ClientID).
func (a *ConnAck) AssignedClientID() string { return a.Properties.String(AssignedClientIdentifier) }

type connWaiter struct {
	done     chan struct{}
	ack      *ConnAck
	err      error
	failures int           // CONNECT_FAILED seen since the waiter was registered (under mu)
	failed   chan struct{} // signalled on each of them
}

// Connect connects to the first server that answers (Options.Servers, in order) and returns
// when the server accepted the connection, when every server failed once (the error says why;
// the engine then stops trying), or when ctx ends (the attempt goes on in the background; a
// later success calls OnConnect). With Options.NoReconnect unset, a connection lost later is
// re-established automatically. Use ConnectRetry to keep trying until ctx ends.
func (c *Client) Connect(ctx context.Context) (*ConnAck, error) {
	return c.connect(ctx, false)
}

// ConnectRetry is Connect that keeps trying (with the reconnect back-off) until the server
// accepts or ctx ends; each failure goes to OnConnectError.
func (c *Client) ConnectRetry(ctx context.Context) (*ConnAck, error) {
	return c.connect(ctx, true)
}

func (c *client) connect(ctx context.Context, retry bool) (*ConnAck, error) {
	w := &connWaiter{done: make(chan struct{}), failed: make(chan struct{}, 1)}
	c.mu.Lock()
	c.connWaiters = append(c.connWaiters, w)
	c.mu.Unlock()
	if err := c.enter("connect"); err != nil {
		c.dropConnWaiter(w)
		return nil, err
	}
	err := c.lib.Connect()
	c.leave()
	startedHere := err == nil
	if err != nil {
		var ce *capi.Error
		if errors.As(err, &ce) && ce.Code == capi.Ebusy {
			if c.isConnected() {
				c.dropConnWaiter(w)
				return nil, &Error{Op: "connect", Code: ErrBusy, Message: "already connected"}
			}
			// Connecting already (another Connect, or the automatic reconnection): wait for it.
		} else {
			c.dropConnWaiter(w)
			return nil, wrap("connect", err)
		}
	}
	servers := len(c.opts.Servers)
	for {
		select {
		case <-w.done:
			if w.err == nil {
				return w.ack, nil
			}
			return nil, w.err
		case <-ctx.Done():
			c.dropConnWaiter(w)
			return nil, &Error{Op: "connect", Message: "stopped waiting (the attempt goes on)", Err: ctx.Err()}
		case <-c.closed:
			c.dropConnWaiter(w)
			return nil, closedError("connect")
		case <-w.failed:
			c.mu.Lock()
			failures, last := w.failures, w.err
			c.mu.Unlock()
			if retry || failures < servers {
				continue
			}
			c.dropConnWaiter(w)
			if startedHere && !c.hasRetryingWaiter() {
				// Stop the engine's background retries: Connect reported the failure.
				if c.enter("connect") == nil {
					_ = c.lib.Disconnect(0, nil)
					c.leave()
				}
			}
			return nil, last
		}
	}
}

func (c *client) hasRetryingWaiter() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.connWaiters) > 0
}

func (c *client) dropConnWaiter(w *connWaiter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.connWaiters {
		if x == w {
			c.connWaiters = append(c.connWaiters[:i], c.connWaiters[i+1:]...)
			return
		}
	}
}

// Disconnect sends DISCONNECT (normal disconnection) and waits until the connection is closed
// or ctx ends. Automatic reconnection stops; Connect starts again. ErrNotConnected when there
// was neither a connection nor an attempt.
func (c *Client) Disconnect(ctx context.Context) error {
	return c.DisconnectWith(ctx, 0, nil)
}

// DisconnectWith is Disconnect with an MQTT 5 reason code and properties (Session Expiry
// Interval, Reason String, User Property); 0x04 "Disconnect with Will Message" has the server
// publish the Will.
func (c *Client) DisconnectWith(ctx context.Context, reason ReasonCode, props Properties) error {
	ch := make(chan error, 1)
	c.mu.Lock()
	wait := c.up
	if wait {
		c.discWaiters = append(c.discWaiters, ch)
	}
	c.mu.Unlock()
	if err := c.enter("disconnect"); err != nil {
		return err
	}
	err := c.lib.Disconnect(int(reason), props.encode())
	c.leave()
	if err != nil || !wait {
		c.dropDiscWaiter(ch)
		return wrap("disconnect", err)
	}
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		c.dropDiscWaiter(ch)
		return &Error{Op: "disconnect", Message: "stopped waiting", Err: ctx.Err()}
	case <-c.closed:
		return closedError("disconnect")
	}
}

func (c *client) dropDiscWaiter(ch chan error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.discWaiters {
		if x == ch {
			c.discWaiters = append(c.discWaiters[:i], c.discWaiters[i+1:]...)
			return
		}
	}
}

// Reconnect drops the current connection (without DISCONNECT) and connects again, resuming a
// persistent session.
func (c *Client) Reconnect() error {
	if err := c.enter("reconnect"); err != nil {
		return err
	}
	defer c.leave()
	return wrap("reconnect", c.lib.Reconnect())
}

// AuthContinue answers the server's AUTH (OnAuth) with Authentication Method and Data.
func (c *Client) AuthContinue(props Properties) error { return c.auth("auth", false, props) }

// Reauthenticate starts MQTT 5 re-authentication with Authentication Method and Data.
func (c *Client) Reauthenticate(props Properties) error { return c.auth("reauthenticate", true, props) }

func (c *client) auth(op string, re bool, props Properties) error {
	if err := c.enter(op); err != nil {
		return err
	}
	defer c.leave()
	return wrap(op, c.lib.Auth(re, props.encode()))
}

func (c *client) ack(mid int32) error {
	if err := c.enter("ack"); err != nil {
		return err
	}
	defer c.leave()
	return wrap("ack", c.lib.Ack(mid))
}

// Stats are the client's counters.
type Stats struct {
	MessagesSent, MessagesReceived int64
	BytesSent, BytesReceived       int64
	Inflight, Queued               int64 // outgoing QoS 1/2 in flight; waiting to be sent
	Reconnects                     int64
	// Unhandled counts received messages no handler, channel, OnMessage or Messages() took
	// (acknowledged and discarded, as paho does without a default handler).
	Unhandled uint64
}

var statIDs = []int32{capi.StatMessagesSent, capi.StatMessagesReceived, capi.StatBytesSent,
	capi.StatBytesReceived, capi.StatInflight, capi.StatQueued, capi.StatReconnects}

// Stats reads the counters.
func (c *Client) Stats() (Stats, error) {
	if err := c.enter("stats"); err != nil {
		return Stats{}, err
	}
	defer c.leave()
	v, err := c.lib.Stats(statIDs)
	if err != nil {
		return Stats{}, wrap("stats", err)
	}
	s := Stats{MessagesSent: v[0], MessagesReceived: v[1], BytesSent: v[2], BytesReceived: v[3],
		Inflight: v[4], Queued: v[5], Reconnects: v[6]}
	s.Unhandled = c.unhandled.Load()
	return s, nil
}

// PersistenceReport is what the client found in its session store when it was created.
type PersistenceReport = capi.PersistenceReport

// PersistenceReport returns the recovery report of Options.Persistence's store.
func (c *Client) PersistenceReport() (PersistenceReport, error) {
	if err := c.enter("persistence report"); err != nil {
		return PersistenceReport{}, err
	}
	defer c.leave()
	r, err := c.lib.PersistenceReport()
	return r, wrap("persistence report", err)
}

// Messages returns the channel that receives the messages no subscription handler or channel
// took (when Options.OnMessage is not set). Asked for once, it must be read: the dispatcher
// waits for it (and the server is throttled meanwhile; nothing is dropped). It is closed when
// the client is closed.
func (c *Client) Messages() <-chan *Message { return c.messages() }

func (c *client) messages() chan *Message {
	c.msgsOnce.Do(func() {
		// Closed by the dispatcher when it ends, the one place that closes it.
		ch := make(chan *Message, 64)
		c.msgs.Store(&ch)
	})
	return *c.msgs.Load()
}
