package ouzel

import (
	"context"

	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// Subscription is one topic filter of a SUBSCRIBE.
type Subscription struct {
	Filter string // may be a shared subscription, $share/group/filter
	QoS    QoS    // the maximum QoS the server may send with
	// MQTT 5 subscription options.
	NoLocal           bool // do not receive this client's own publications
	RetainAsPublished bool
	RetainHandling    byte // 0 send retained, 1 only for new subscriptions, 2 never
}

// SubscribeOption is an option of Subscribe: WithHandler, WithChannel or
// WithSubscribeProperties.
type SubscribeOption interface{ applySubscribe(*subscribeConfig) }

type subscribeConfig struct {
	handler func(*Message)
	ch      chan<- *Message
	props   Properties
}

type handlerOption func(*Message)

func (h handlerOption) applySubscribe(s *subscribeConfig) { s.handler = h }

// WithHandler routes the messages matching the subscription's filters to h, called on the
// client's dispatcher goroutine in arrival order. A message matching several subscriptions goes
// to each of their handlers, the most specific filter first.
func WithHandler(h func(*Message)) SubscribeOption { return handlerOption(h) }

type chanOption chan<- *Message

func (c chanOption) applySubscribe(s *subscribeConfig) { s.ch = c }

// WithChannel routes the matching messages to ch. The dispatcher waits for ch to take each one
// (meanwhile the server is throttled; nothing is dropped), so ch must be read.
func WithChannel(ch chan<- *Message) SubscribeOption { return chanOption(ch) }

type subPropsOption struct{ p Properties }

func (o subPropsOption) applySubscribe(s *subscribeConfig) { s.props = o.p }

// WithSubscribeProperties sets the MQTT 5 SUBSCRIBE / UNSUBSCRIBE properties (Subscription
// Identifier, User Property).
func WithSubscribeProperties(props Properties) SubscribeOption { return subPropsOption{props} }

// SubscribeResult is the server's answer to a SUBSCRIBE or UNSUBSCRIBE.
type SubscribeResult struct {
	// ReasonCodes has one code per filter: the granted QoS (0, 1, 2) or a failure (0x80 and
	// above). For an MQTT 3.1.1 UNSUBSCRIBE it is empty (UNSUBACK carries none).
	ReasonCodes []ReasonCode
	Properties  Properties
}

// ackWaiter is a SUBSCRIBE or UNSUBSCRIBE waiting for its acknowledgement.
type ackWaiter struct {
	op     string
	done   chan struct{}
	res    SubscribeResult
	err    error
	routes []*route // subscribe: the routes installed, one per filter (nil entries without one)
	old    []*route
	unsub  []string // unsubscribe: the filters
}

// Subscribe subscribes to one filter. Shorthand for SubscribeMany.
func (c *Client) Subscribe(ctx context.Context, filter string, qos QoS, opts ...SubscribeOption) (*SubscribeResult, error) {
	return c.SubscribeMany(ctx, []Subscription{{Filter: filter, QoS: qos}}, opts...)
}

// SubscribeMany sends one SUBSCRIBE and waits for the SUBACK or ctx. With WithHandler or
// WithChannel, the filters' routes are in place before the SUBSCRIBE leaves (retained messages
// find them); a filter the server refuses loses its route again. The error is an *Error with
// the first refusal's reason code when any filter was refused (the result still lists all).
// Subscribing needs a connection: ErrNotConnected otherwise.
func (c *Client) SubscribeMany(ctx context.Context, subs []Subscription, opts ...SubscribeOption) (*SubscribeResult, error) {
	var cfg subscribeConfig
	for _, o := range opts {
		o.applySubscribe(&cfg)
	}
	var enc capi.Filters
	for _, s := range subs {
		enc.Sub(s.Filter, int(s.QoS), s.NoLocal, s.RetainAsPublished, int(s.RetainHandling))
	}
	w := &ackWaiter{op: "subscribe", done: make(chan struct{})}
	if cfg.handler != nil || cfg.ch != nil {
		for _, s := range subs {
			r, old, err := c.routes.set(s.Filter, cfg.handler, cfg.ch)
			if err != nil {
				c.restoreRoutes(w)
				return nil, err
			}
			w.routes = append(w.routes, r)
			w.old = append(w.old, old)
		}
	}
	if err := c.enter("subscribe"); err != nil {
		c.restoreRoutes(w)
		return nil, err
	}
	c.mu.Lock()
	mid, err := c.lib.Subscribe(enc.Encoded(), enc.Count(), cfg.props.encode())
	if err == nil {
		c.acks[mid] = w
	}
	c.mu.Unlock()
	c.leave()
	if err != nil {
		c.restoreRoutes(w)
		return nil, wrap("subscribe", err)
	}
	return c.waitAck(ctx, w, mid)
}

func (c *client) restoreRoutes(w *ackWaiter) {
	for i, r := range w.routes {
		c.routes.restore(r, w.old[i])
	}
}

// Unsubscribe sends one UNSUBSCRIBE for filters and waits for the UNSUBACK or ctx. The filters'
// routes are removed when the UNSUBACK arrives (messages sent before it still reach them).
func (c *Client) Unsubscribe(ctx context.Context, filters []string, opts ...SubscribeOption) (*SubscribeResult, error) {
	var cfg subscribeConfig
	for _, o := range opts {
		o.applySubscribe(&cfg)
	}
	var enc capi.Filters
	for _, f := range filters {
		enc.Filter(f)
	}
	w := &ackWaiter{op: "unsubscribe", done: make(chan struct{}), unsub: append([]string(nil), filters...)}
	if err := c.enter("unsubscribe"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	mid, err := c.lib.Unsubscribe(enc.Encoded(), enc.Count(), cfg.props.encode())
	if err == nil {
		c.acks[mid] = w
	}
	c.mu.Unlock()
	c.leave()
	if err != nil {
		return nil, wrap("unsubscribe", err)
	}
	return c.waitAck(ctx, w, mid)
}

func (c *client) waitAck(ctx context.Context, w *ackWaiter, mid int32) (*SubscribeResult, error) {
	select {
	case <-w.done:
		if w.err != nil {
			return &w.res, w.err
		}
		return &w.res, nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.acks, mid)
		c.mu.Unlock()
		return nil, &Error{Op: w.op, Message: "stopped waiting (the request was sent)", Err: ctx.Err()}
	}
}

// completeAck handles a SUBACK / UNSUBACK (on the poller): routes of refused filters and of
// unsubscribed ones go, the waiter wakes. It reports whether routes changed.
func (c *client) completeAck(ev *capi.Event) (changed bool) {
	c.mu.Lock()
	w, ok := c.acks[ev.Mid]
	if ok {
		delete(c.acks, ev.Mid)
	}
	c.mu.Unlock()
	if !ok {
		return false
	}
	if ev.Error != capi.OK {
		// The connection closed before the acknowledgement: none will come.
		w.err = &Error{Op: w.op, Code: Code(ev.Error), Message: "the connection closed before the server answered"}
		c.restoreRoutes(w)
		close(w.done)
		return len(w.routes) > 0
	}
	w.res.Properties = decodeProperties(ev.Props)
	for _, rc := range ev.ReasonCodes {
		w.res.ReasonCodes = append(w.res.ReasonCodes, ReasonCode(rc))
	}
	packet := capi.PacketSuback
	if ev.Type == capi.EventUnsubscribeDone {
		packet = capi.PacketUnsuback
		for _, f := range w.unsub {
			c.routes.removeFilter(f)
			changed = true
		}
	}
	for i, rc := range w.res.ReasonCodes {
		if !capi.ReasonCodeIsError(c.version(), packet, int(rc)) {
			continue
		}
		if i < len(w.routes) && w.routes[i] != nil {
			c.routes.remove(w.routes[i])
			changed = true
		}
		if w.err == nil {
			w.err = &Error{Op: w.op, Code: ErrRefused, Message: "the server refused a filter",
				ReasonCode: rc, HasReasonCode: true, packet: packet, version: c.version()}
		}
	}
	close(w.done)
	return changed
}
