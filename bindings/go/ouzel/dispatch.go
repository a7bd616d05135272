package ouzel

import (
	"sync"
)

// The dispatcher goroutine runs application code (handlers, channel sends) for one client, one
// event at a time in the order the engine produced them, and only then releases the events:
// a QoS 1/2 message is acknowledged after its handler returned, and the messages not yet
// handled count against Options.MaxPendingMessages, so a slow handler makes the engine stop
// reading and the server hold the rest (flow control, not loss).

// releaseEvery bounds how many handled events wait for one release crossing.
const releaseEvery = 32

// dispatcher is an unbounded FIFO of batches: the poller must never wait for a handler (it
// completes the publishes handlers wait for). What bounds it is the engine's pending-message
// limit.
type dispatcher struct {
	mu     sync.Mutex
	q      []*pollBatch
	signal chan struct{}
}

func (d *dispatcher) init() { d.signal = make(chan struct{}, 1) }

func (d *dispatcher) push(pb *pollBatch) {
	d.mu.Lock()
	d.q = append(d.q, pb)
	d.mu.Unlock()
	d.wake()
}

func (d *dispatcher) wake() {
	select {
	case d.signal <- struct{}{}:
	default:
	}
}

// pop waits for the next batch; false once closed is closed.
func (d *dispatcher) pop(closed <-chan struct{}) (*pollBatch, bool) {
	for {
		select {
		case <-closed:
			return nil, false
		default:
		}
		d.mu.Lock()
		if len(d.q) > 0 {
			pb := d.q[0]
			d.q[0] = nil
			d.q = d.q[1:]
			d.mu.Unlock()
			return pb, true
		}
		d.mu.Unlock()
		select {
		case <-d.signal:
		case <-closed:
			return nil, false
		}
	}
}

// drain empties the queue (the client is being freed) and returns what was in it.
func (d *dispatcher) drain() []*pollBatch {
	d.mu.Lock()
	defer d.mu.Unlock()
	q := d.q
	d.q = nil
	return q
}

func (c *client) dispatchLoop() {
	defer func() { close(c.messages()) }()
	for {
		pb, ok := c.disp.pop(c.closed)
		if !ok {
			return
		}
		c.runBatch(pb)
	}
}

// runBatch runs the batch's items and releases its events (all of them, handled or not, except
// when the client closes midway: unreleased events are not acknowledged).
func (c *client) runBatch(pb *pollBatch) {
	defer pb.held.Free()
	released := 0
	for k := range pb.items {
		if c.closing.Load() {
			return
		}
		it := &pb.items[k]
		c.run(it)
		if it.kind == itemMessage && it.msg.withheld.Load() {
			c.withhold(pb, it.idx)
		}
		if k%releaseEvery == releaseEvery-1 {
			c.release(pb, released, it.idx+1)
			released = it.idx + 1
		}
	}
	if !c.closing.Load() {
		c.release(pb, released, pb.n)
	}
}

func (c *client) release(pb *pollBatch, from, to int) {
	if c.enter("release") != nil {
		return
	}
	defer c.leave()
	if err := c.lib.ReleaseHeld(pb.held, from, to-from); err != nil {
		c.logf(LogError, "ouzel: releasing events failed: %v", err)
	}
}

// withhold clears event i's ack_on_release before it is released (under life: the array is
// only ours to write while the client lives).
func (c *client) withhold(pb *pollBatch, i int) {
	if c.enter("withhold") != nil {
		return
	}
	pb.held.SetAckOnRelease(i, false)
	c.leave()
}

func (c *client) run(it *item) {
	switch it.kind {
	case itemMessage:
		c.deliver(it)
	case itemConnected:
		if h := c.handle(); h != nil {
			c.opts.OnConnect(h, it.ack)
		}
	case itemConnectFailed:
		if h := c.handle(); h != nil {
			c.opts.OnConnectError(h, it.err)
		}
	case itemConnectionLost:
		if h := c.handle(); h != nil {
			c.opts.OnConnectionLost(h, it.err)
		}
	case itemAuth:
		if h := c.handle(); h != nil {
			c.opts.OnAuth(h, it.reason, it.props)
		}
	}
}

// deliver gives a message to every route it matched, else to OnMessage or Messages().
func (c *client) deliver(it *item) {
	m := it.msg
	for _, r := range it.routes {
		if r.handler != nil {
			r.handler(m)
		}
		if r.ch != nil && !c.send(r.ch, m) {
			return
		}
	}
	if len(it.routes) > 0 {
		return
	}
	switch {
	case c.opts.OnMessage != nil:
		c.opts.OnMessage(m)
	case c.msgs.Load() != nil:
		c.send(*c.msgs.Load(), m)
	default:
		c.unhandled.Add(1)
		c.logf(LogWarning, "ouzel: a message on %q matched no handler (set Options.OnMessage or read Messages())", m.Topic)
	}
}

// send waits until ch takes m or the client is closed (false).
func (c *client) send(ch chan<- *Message, m *Message) bool {
	select {
	case ch <- m:
		return true
	case <-c.closed:
		return false
	}
}
