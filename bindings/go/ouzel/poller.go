package ouzel

import (
	"fmt"

	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// The poller goroutine: it drains the engine's event queue in batches (one crossing per batch,
// properties and routes included), completes what callers wait for (publishes, subscribes,
// connects) at once, and hands everything that runs application code to the dispatcher. It never
// runs a handler, so a handler waiting for its own publish is woken by it.

const (
	pollBatchSize    = 256
	pollScratchBytes = 16 << 10
)

// pollBatch is one poll's events once decoded, and what the dispatcher must do with them.
type pollBatch struct {
	held       *capi.Held // the events, kept unreleased until their handlers ran
	n          int
	items      []item
	routes     []*route // the messages' routes, one after the other
	routeStart []int32  // event i's routes are routes[routeStart[i]:routeEnd[i]]
	routeEnd   []int32
}

type itemKind uint8

const (
	itemMessage itemKind = iota
	itemConnected
	itemConnectFailed
	itemConnectionLost
	itemAuth
)

// item is one event for the dispatcher.
type item struct {
	kind   itemKind
	idx    int // the event's position in the batch
	msg    *Message
	routes []*route
	ack    *ConnAck
	err    error
	reason ReasonCode
	props  Properties
}

func (c *client) pollLoop() {
	defer c.teardown()
	b := capi.NewBatch(pollBatchSize, pollScratchBytes)
	defer b.Free()
	evs := make([]capi.Event, pollBatchSize)
	dones := make([]int, 0, pollBatchSize)
	for !c.closing.Load() {
		// Poll without holding life: only this goroutine frees the client, after the loop.
		var n int
		var err error
		if c.waiter != nil {
			// Non-blocking polls, parked in the netpoller between them.
			_ = c.waiter.until(func() bool {
				n, err = c.lib.Poll(b, 0)
				return n > 0 || err != nil || c.closing.Load()
			})
		} else {
			n, err = c.lib.Poll(b, -1) // blocks in the library; Close interrupts it
		}
		if err != nil {
			c.logf(LogError, "ouzel: polling events failed, closing the client: %v", err)
			c.close()
			break
		}
		if n > 0 {
			c.handleBatch(b, evs[:n], dones[:0])
		}
	}
}

// handleBatch decodes the n events of b and acts on them. Events that need the dispatcher stay
// unreleased (a copy of the batch goes with them); the others are released here.
func (c *client) handleBatch(b *capi.Batch, evs []capi.Event, dones []int) {
	n := len(evs)
	pb := &pollBatch{n: n}
	c.routes.routeBatch(b, 0, n, pb)
	for i := range evs {
		ev := &evs[i]
		b.Decode(i, ev)
		switch ev.Type {
		case capi.EventPublishDone:
			dones = append(dones, i)
		case capi.EventSubscribeDone, capi.EventUnsubscribeDone:
			if c.completeAck(ev) {
				// Routes changed: the messages after this acknowledgement see the new ones.
				c.routes.routeBatch(b, i+1, n, pb)
			}
		case capi.EventConnected:
			c.onConnected(pb, i, ev)
		case capi.EventConnectFailed:
			c.onConnectFailed(pb, i, ev)
		case capi.EventDisconnected:
			c.onDisconnected(pb, i, ev)
		case capi.EventMessage:
			m := &Message{
				Topic: ev.Topic, Payload: ev.Payload, QoS: QoS(ev.QoS), Retain: ev.Retain,
				Duplicate: ev.Dup, PacketID: uint16(ev.Mid),
				Properties: decodeProperties(ev.Props), client: c,
			}
			pb.items = append(pb.items, item{kind: itemMessage, idx: i, msg: m, routes: pb.routesOf(i)})
		case capi.EventAuth:
			if c.opts.OnAuth != nil {
				pb.items = append(pb.items, item{kind: itemAuth, idx: i,
					reason: ReasonCode(ev.ReasonCode), props: decodeProperties(ev.Props)})
			}
		case capi.EventLog:
			if c.opts.Logger != nil {
				c.opts.Logger(LogLevel(ev.Level), ev.Text)
			}
		}
	}
	if len(dones) > 0 {
		c.completePublishes(evs, dones)
	}
	if len(pb.items) == 0 {
		if c.enter("release") == nil {
			_ = c.lib.Release(b, 0, n)
			c.leave()
		}
		return
	}
	pb.held = b.Hold(n)
	c.disp.push(pb)
}

// completePublishes wakes the publishes waiting for these PUBLISH_DONE events.
func (c *client) completePublishes(evs []capi.Event, dones []int) {
	c.pubMu.Lock()
	defer c.pubMu.Unlock()
	if len(c.pubs) == 0 {
		return
	}
	for _, i := range dones {
		ev := &evs[i]
		w, ok := c.pubs[ev.Token]
		if !ok {
			continue
		}
		delete(c.pubs, ev.Token)
		w.d.PacketID = uint16(ev.Mid)
		w.d.QoS = QoS(ev.QoS)
		w.d.State = DeliveryState(ev.State)
		w.d.DropReason = DropReason(ev.DropReason)
		w.d.ReasonCode = ReasonCode(ev.ReasonCode)
		w.d.Properties = decodeProperties(ev.Props)
		w.finish()
	}
}

func (c *client) onConnected(pb *pollBatch, i int, ev *capi.Event) {
	ack := &ConnAck{SessionPresent: ev.SessionPresent, Properties: decodeProperties(ev.Props)}
	c.mu.Lock()
	c.up = true
	waiters := c.connWaiters
	c.connWaiters = nil
	c.mu.Unlock()
	for _, w := range waiters {
		w.ack = ack
		close(w.done)
	}
	if c.opts.OnConnect != nil {
		pb.items = append(pb.items, item{kind: itemConnected, idx: i, ack: ack})
	}
}

func (c *client) onConnectFailed(pb *pollBatch, i int, ev *capi.Event) {
	err := &Error{Op: "connect", Code: Code(ev.Error), Message: ev.Text}
	if ev.ReasonCode >= 0 {
		err.ReasonCode, err.HasReasonCode = ReasonCode(ev.ReasonCode), true
		err.packet, err.version = capi.PacketConnack, c.version()
	}
	c.mu.Lock()
	for _, w := range c.connWaiters {
		w.failures++
		w.err = err
		select {
		case w.failed <- struct{}{}:
		default:
		}
	}
	c.mu.Unlock()
	if c.opts.OnConnectError != nil {
		pb.items = append(pb.items, item{kind: itemConnectFailed, idx: i, err: err})
	}
}

func (c *client) onDisconnected(pb *pollBatch, i int, ev *capi.Event) {
	var err error
	if ev.Error != capi.OK {
		e := &Error{Op: "connection", Code: Code(ev.Error), Message: ev.Text}
		if ev.ByServer || ev.ReasonCode != 0 {
			e.ReasonCode, e.HasReasonCode = ReasonCode(ev.ReasonCode), true
			e.packet, e.version = capi.PacketDisconnect, c.version()
		}
		if ev.ByServer {
			e.Message = "the server sent DISCONNECT"
			if ev.Text != "" {
				e.Message += ": " + ev.Text
			}
		}
		err = e
	}
	c.mu.Lock()
	c.up = false
	waiters := c.discWaiters
	c.discWaiters = nil
	c.mu.Unlock()
	for _, ch := range waiters {
		ch <- err
	}
	if err != nil && c.opts.OnConnectionLost != nil {
		pb.items = append(pb.items, item{kind: itemConnectionLost, idx: i, err: err})
	}
}

func (c *client) version() int {
	if c.opts.Version == 0 {
		return capi.MqttV311
	}
	return int(c.opts.Version)
}

// logf logs the binding's own lines through Options.Logger, filtered as the library's are.
func (c *client) logf(level LogLevel, format string, args ...any) {
	min := c.opts.LogLevel
	if min == 0 {
		min = LogWarning
	}
	if c.opts.Logger != nil && level.severity() >= min.severity() {
		c.opts.Logger(level, fmt.Sprintf(format, args...))
	}
}

// teardown frees the library client once the poller stopped, then fails every waiter.
func (c *client) teardown() {
	c.life.Lock()
	c.freed = true
	c.lib.Free()
	c.life.Unlock()
	if c.waiter != nil {
		c.waiter.close()
	}
	c.routes.free()

	c.pubMu.Lock()
	pubs := c.pubs
	c.pubs = map[uint64]*pubWaiter{}
	c.pubMu.Unlock()
	for _, w := range pubs {
		w.d.State, w.d.DropReason = Dropped, DropCancelled
		w.finish()
	}
	c.mu.Lock()
	acks, conns, discs := c.acks, c.connWaiters, c.discWaiters
	c.acks, c.connWaiters, c.discWaiters = map[int32]*ackWaiter{}, nil, nil
	c.mu.Unlock()
	for _, w := range acks {
		w.err = closedError(w.op)
		close(w.done)
	}
	for _, w := range conns {
		w.err = closedError("connect")
		close(w.done)
	}
	for _, ch := range discs {
		ch <- closedError("disconnect")
	}
	for _, pb := range c.disp.drain() {
		pb.held.Free()
	}
	close(c.done)
}
