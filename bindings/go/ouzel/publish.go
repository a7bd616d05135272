package ouzel

import (
	"context"

	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// PublishOption is an option of Publish: a QoS (QoS0, QoS1, QoS2), Retain, WaitFor(state) or
// WithProperties(props). The set is closed (publishConfig.apply knows each one).
type PublishOption interface{ publishOption() }

type publishConfig struct {
	qos    QoS
	retain bool
	wait   DeliveryState
	props  Properties
}

// apply reads the options with a type switch rather than through their method: a method call
// through the interface would make the config escape, an allocation per Publish.
func (p *publishConfig) apply(opts []PublishOption) {
	for _, o := range opts {
		switch v := o.(type) {
		case QoS:
			p.qos = v
		case retainOption:
			p.retain = bool(v)
		case waitOption:
			p.wait = DeliveryState(v)
		case propsOption:
			p.props = v.p
		}
	}
}

func (QoS) publishOption() {}

type retainOption bool

func (retainOption) publishOption() {}

// Retain makes the server keep the message as the topic's retained message.
const Retain = retainOption(true)

type waitOption DeliveryState

func (waitOption) publishOption() {}

// WaitFor sets the state Publish waits for: Queued (return once the library accepted the
// message: queued, and with Options.Persistence durably stored) or Acknowledged (the default:
// QoS 0 written to the connection, QoS 1 PUBACK, QoS 2 PUBCOMP).
func WaitFor(state DeliveryState) PublishOption { return waitOption(state) }

type propsOption struct{ p Properties }

func (propsOption) publishOption() {}

// WithProperties sets the MQTT 5 PUBLISH properties (Message Expiry Interval, Content Type,
// Response Topic, Correlation Data, User Property, ...).
func WithProperties(props Properties) PublishOption { return propsOption{props} }

// pubWaiter is a publish waiting for its PUBLISH_DONE.
type pubWaiter struct {
	done   chan struct{}
	queued Delivery // as accepted (read by waiters before done)
	d      Delivery // the final state (written by the poller before done is closed)
}

func (w *pubWaiter) finish() { close(w.done) }

// Publish sends payload to topic and returns when the message reached the state asked for
// (WaitFor; by default Acknowledged). The topic and payload are copied by the library before
// Publish returns; they are not copied on the Go side.
//
// While offline (or with the in-flight window full) QoS 1/2 messages are queued and sent once
// connected. ctx only ends the waiting: a message that was accepted is never taken back, and the
// error then wraps ctx.Err() with Delivery.Token for DeliveryStatus. Failures are *Error values:
// ErrInvalid (topic, QoS, properties; nothing is sent), ErrTooLarge, ErrQueueFull,
// ErrNotConnected (QoS 0 while offline), ErrNotSupported, ErrStore, ErrClosed; a message that
// ended without being acknowledged is ErrDropped or ErrExpired with the Delivery.
func (c *Client) Publish(ctx context.Context, topic string, payload []byte, opts ...PublishOption) (Delivery, error) {
	cfg := publishConfig{wait: Acknowledged}
	cfg.apply(opts)
	if cfg.wait != Acknowledged {
		d, _, err := c.publish(topic, payload, cfg, false)
		return d, err
	}
	d, w, err := c.publish(topic, payload, cfg, true)
	if err != nil {
		return d, err
	}
	select {
	case <-w.done:
		return w.d, deliveryError(&w.d)
	case <-ctx.Done():
		c.forget(d.Token)
		return d, stoppedWaiting(d, ctx.Err())
	}
}

func stoppedWaiting(d Delivery, cause error) error {
	return &Error{Op: "publish", Message: "stopped waiting (the message stays queued)", Delivery: &d, Err: cause}
}

func (c *client) forget(token uint64) {
	c.pubMu.Lock()
	delete(c.pubs, token)
	c.pubMu.Unlock()
}

// Pending is a message published with PublishAsync: accepted by the library, its final state
// still to come.
type Pending struct {
	w *pubWaiter
}

// PublishAsync queues a message like Publish and returns at once; the Pending completes when the
// message reaches its final state (acknowledged, expired or dropped). WaitFor does not apply.
func (c *Client) PublishAsync(topic string, payload []byte, opts ...PublishOption) (*Pending, error) {
	var cfg publishConfig
	cfg.apply(opts)
	_, w, err := c.publish(topic, payload, cfg, true)
	if err != nil {
		return nil, err
	}
	return &Pending{w}, nil
}

// Done is closed when the message reached its final state.
func (p *Pending) Done() <-chan struct{} { return p.w.done }

// Delivery is the message's token and packet identifier, and once Done its final state.
func (p *Pending) Delivery() Delivery {
	select {
	case <-p.w.done:
		return p.w.d
	default:
		return p.w.queued
	}
}

// Err is nil before Done and for an acknowledged message; else ErrDropped / ErrExpired.
func (p *Pending) Err() error {
	select {
	case <-p.w.done:
		return deliveryError(&p.w.d)
	default:
		return nil
	}
}

// Wait waits for Done or ctx (which only ends the waiting; Wait may be called again).
func (p *Pending) Wait(ctx context.Context) (Delivery, error) {
	select {
	case <-p.w.done:
		return p.w.d, deliveryError(&p.w.d)
	case <-ctx.Done():
		return p.w.queued, stoppedWaiting(p.w.queued, ctx.Err())
	}
}

// publish makes the C call; with wait it registers a waiter for the message's PUBLISH_DONE in
// the same critical section, so the poller cannot complete the token before it is known.
func (c *client) publish(topic string, payload []byte, cfg publishConfig, wait bool) (Delivery, *pubWaiter, error) {
	if err := c.enter("publish"); err != nil {
		return Delivery{}, nil, err
	}
	var props capi.Props
	if len(cfg.props) > 0 {
		props = cfg.props.encode()
	}
	var w *pubWaiter
	if wait {
		w = &pubWaiter{done: make(chan struct{})}
		c.pubMu.Lock()
	}
	token, mid, err := c.lib.Publish(topic, payload, int(cfg.qos), cfg.retain, props)
	if wait {
		if err == nil {
			w.queued = Delivery{Token: token, PacketID: uint16(mid), QoS: cfg.qos, State: Queued}
			w.d = w.queued
			c.pubs[token] = w
		}
		c.pubMu.Unlock()
	}
	c.leave()
	d := Delivery{Token: token, PacketID: uint16(mid), QoS: cfg.qos, State: Queued}
	if err != nil {
		e := wrap("publish", err).(*Error)
		if token != 0 { // accepted in memory, but not made durable (ErrStore)
			kept := d
			e.Delivery = &kept
		}
		return d, nil, e
	}
	return d, w, nil
}

// deliveryError is nil for an acknowledged message, else ErrDropped / ErrExpired with d.
func deliveryError(d *Delivery) error {
	switch d.State {
	case Acknowledged:
		return nil
	case Expired:
		return &Error{Op: "publish", Message: "the message expired before it was sent", Delivery: d}
	}
	e := &Error{Op: "publish", Message: "the message was dropped: " + d.DropReason.String(), Delivery: d}
	if d.DropReason == DropRejected {
		e.ReasonCode, e.HasReasonCode, e.packet, e.version = d.ReasonCode, true, pubackPacket(d.QoS), capi.MqttV5
	}
	if d.DropReason == DropCancelled {
		e.Code = ErrClosed
	}
	return e
}

func pubackPacket(q QoS) int {
	if q == QoS2 {
		return capi.PacketPubrec
	}
	return capi.PacketPuback
}

// DeliveryStatus returns where a published message is, by its Delivery.Token (ErrNotFound for
// an unknown token, or one finished long ago: the last 10,000 are kept).
func (c *Client) DeliveryStatus(token uint64) (Delivery, error) {
	if err := c.enter("delivery status"); err != nil {
		return Delivery{}, err
	}
	defer c.leave()
	s, err := c.lib.DeliveryStatus(token)
	if err != nil {
		return Delivery{}, wrap("delivery status", err)
	}
	return Delivery{Token: token, PacketID: uint16(s.Mid), State: DeliveryState(s.State),
		DropReason: DropReason(s.DropReason), ReasonCode: ReasonCode(s.ReasonCode)}, nil
}
