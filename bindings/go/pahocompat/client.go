package pahocompat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

// Connection states, as paho reports them through IsConnected / IsConnectionOpen.
type status int

const (
	disconnected status = iota
	connecting
	connected
	reconnecting
)

// client implements mqtt.Client over an ouzel.Client. The native client lives from Connect to
// Disconnect (paho's client holds no connection state in between either); routes added with
// AddRoute or Subscribe outlive it and are installed again on the next Connect.
type client struct {
	opts ClientOptions // a copy, as paho keeps
	tune func(*ouzel.Options)

	mu     sync.Mutex
	native *ouzel.Client
	files  []string // certificate files made for the native client
	state  status
	routes []routeEntry // in the order added
}

type routeEntry struct {
	filter  string
	handler MessageHandler
}

// NewClient returns a paho mqtt.Client running on the Ouzel engine, configured by paho's
// ClientOptions. It does not connect (Connect does); invalid options fail Connect's token.
func NewClient(o *ClientOptions) Client {
	return &client{opts: *o, tune: tunerFor(o)}
}

// message adapts an *ouzel.Message to paho's Message interface (a pointer-shaped value: no
// allocation when it becomes the interface).
type message struct{ m *ouzel.Message }

func (m message) Duplicate() bool   { return m.m.Duplicate }
func (m message) Qos() byte         { return byte(m.m.QoS) }
func (m message) Retained() bool    { return m.m.Retain }
func (m message) Topic() string     { return m.m.Topic }
func (m message) MessageID() uint16 { return m.m.PacketID }
func (m message) Payload() []byte   { return m.m.Payload }

// Ack acknowledges the message when SetAutoAckDisabled(true) was used (else a no-op).
func (m message) Ack() { _ = m.m.Ack() }

func (c *client) handler(h MessageHandler) func(*ouzel.Message) {
	return func(m *ouzel.Message) { h(c, message{m}) }
}

// start creates the native client for a Connect.
func (c *client) start() (*ouzel.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.native != nil {
		return c.native, nil
	}
	n, files, err := nativeOptions(&c.opts, c.tune)
	if err != nil {
		return nil, err
	}
	o := &c.opts
	n.OnConnect = func(*ouzel.Client, *ouzel.ConnAck) {
		c.setState(connected)
		if o.OnConnectionNotification != nil {
			o.OnConnectionNotification(c, mqtt.ConnectionNotificationConnected{})
		}
		if o.OnConnect != nil {
			o.OnConnect(c)
		}
	}
	n.OnConnectionLost = func(_ *ouzel.Client, err error) {
		if o.AutoReconnect {
			c.setState(reconnecting)
		} else {
			c.setState(disconnected)
		}
		if o.OnConnectionNotification != nil {
			o.OnConnectionNotification(c, mqtt.ConnectionNotificationLost{Reason: err})
		}
		if o.OnConnectionLost != nil {
			o.OnConnectionLost(c, err)
		}
		if o.AutoReconnect && o.OnReconnecting != nil {
			o.OnReconnecting(c, o)
		}
	}
	n.OnConnectError = func(_ *ouzel.Client, err error) {
		if o.OnConnectionNotification != nil {
			o.OnConnectionNotification(c, mqtt.ConnectionNotificationFailed{Reason: err})
		}
	}
	n.OnMessage = func(m *ouzel.Message) {
		if o.DefaultPublishHandler != nil {
			o.DefaultPublishHandler(c, message{m})
			return
		}
		DEBUG.Printf("[pahocompat] a message on %q matched no handler and there is no default handler", m.Topic)
	}
	n.Logger = logToPackageLoggers
	n.LogLevel = ouzel.LogWarning
	if _, quiet := DEBUG.(NOOPLogger); !quiet {
		n.LogLevel = ouzel.LogDebug
	}
	native, err := ouzel.NewClient(n)
	if err != nil {
		removeAll(files)
		return nil, err
	}
	for _, r := range c.routes {
		if err := native.AddRoute(r.filter, c.handler(r.handler)); err != nil {
			native.Close()
			removeAll(files)
			return nil, err
		}
	}
	c.native, c.files = native, files
	return native, nil
}

func logToPackageLoggers(level ouzel.LogLevel, line string) {
	switch level {
	case ouzel.LogError:
		ERROR.Println("[ouzel]", line)
	case ouzel.LogWarning:
		WARN.Println("[ouzel]", line)
	default:
		DEBUG.Println("[ouzel]", line)
	}
}

func (c *client) setState(s status) {
	c.mu.Lock()
	c.state = s
	c.mu.Unlock()
}

func (c *client) current() *ouzel.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.native
}

// IsConnected is true while connected, and also while reconnecting with AutoReconnect or
// connecting with ConnectRetry (paho's definition: publishing then queues).
func (c *client) IsConnected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch c.state {
	case connected:
		return true
	case connecting:
		return c.opts.ConnectRetry
	case reconnecting:
		return c.opts.AutoReconnect
	}
	return false
}

// IsConnectionOpen is true only while a connection is up.
func (c *client) IsConnectionOpen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == connected
}

// Connect connects (every broker in order); the token completes when the broker accepted, or
// with the error when every broker failed (with ConnectRetry: keeps trying until accepted).
func (c *client) Connect() Token {
	t := &ConnectToken{baseToken: newBase()}
	native, err := c.start()
	if err != nil {
		t.complete(err)
		return t
	}
	c.mu.Lock()
	if c.state == disconnected {
		c.state = connecting
	}
	c.mu.Unlock()
	go func() {
		var ack *ouzel.ConnAck
		var err error
		if c.opts.ConnectRetry {
			ack, err = native.ConnectRetry(context.Background())
		} else {
			ack, err = native.Connect(context.Background())
		}
		if err != nil {
			var oe *ouzel.Error
			if errors.As(err, &oe) && oe.HasReasonCode {
				t.returnCode = byte(oe.ReasonCode)
			} else if errors.Is(err, ouzel.ErrBusy) && native.IsConnected() {
				err = nil // already connected: paho completes without error
			} else {
				t.returnCode = networkErrorCode
			}
			if err != nil {
				c.mu.Lock()
				if c.state == connecting {
					c.state = disconnected
				}
				c.mu.Unlock()
			}
		} else {
			t.sessionPresent = ack.SessionPresent
			c.setState(connected)
		}
		t.complete(err)
	}()
	return t
}

// networkErrorCode is paho's ReturnCode for a connection that failed before any CONNACK.
const networkErrorCode = 0xFE

// Disconnect waits up to quiesce milliseconds for messages in flight or queued to finish, then
// sends DISCONNECT and closes the connection. The client may Connect again.
func (c *client) Disconnect(quiesce uint) {
	native := c.current()
	if native == nil {
		return
	}
	deadline := time.Now().Add(time.Duration(quiesce) * time.Millisecond)
	for time.Now().Before(deadline) {
		s, err := native.Stats()
		if err != nil || s.Inflight+s.Queued == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(quiesce)*time.Millisecond+time.Second)
	_ = native.Disconnect(ctx)
	cancel()
	c.mu.Lock()
	c.native, c.state = nil, disconnected
	files := c.files
	c.files = nil
	c.mu.Unlock()
	native.Close()
	go func() { // the certificate files are read while connecting only; remove once freed
		<-native.Done()
		removeAll(files)
	}()
}

// Publish sends payload (string, []byte, bytes.Buffer or *bytes.Buffer) to topic. The token
// completes when the message is written (QoS 0) or acknowledged (QoS 1, 2).
func (c *client) Publish(topic string, qos byte, retained bool, payload interface{}) Token {
	native := c.current()
	if native == nil || !c.IsConnected() {
		return failedPublish(ErrNotConnected)
	}
	var p []byte
	switch v := payload.(type) {
	case string:
		// Read in place: the library copies it before PublishAsync returns.
		p = unsafe.Slice(unsafe.StringData(v), len(v))
	case []byte:
		p = v
	case bytes.Buffer:
		p = v.Bytes()
	case *bytes.Buffer:
		p = v.Bytes()
	default:
		return failedPublish(fmt.Errorf("unknown payload type"))
	}
	opts := []ouzel.PublishOption{ouzel.QoS(qos)}
	if retained {
		opts = append(opts, ouzel.Retain)
	}
	pending, err := native.PublishAsync(topic, p, opts...)
	if err != nil {
		return failedPublish(err)
	}
	return &PublishToken{pending: pending, messageID: pending.Delivery().PacketID}
}

// Subscribe subscribes to topic; callback nil means the default handler.
func (c *client) Subscribe(topic string, qos byte, callback MessageHandler) Token {
	return c.SubscribeMultiple(map[string]byte{topic: qos}, callback)
}

// SubscribeMultiple subscribes to every filter in one SUBSCRIBE.
func (c *client) SubscribeMultiple(filters map[string]byte, callback MessageHandler) Token {
	t := &SubscribeToken{baseToken: newBase(), result: map[string]byte{}}
	native := c.current()
	if native == nil || !c.IsConnected() {
		t.complete(ErrNotConnected)
		return t
	}
	subs := make([]ouzel.Subscription, 0, len(filters))
	for f, q := range filters {
		subs = append(subs, ouzel.Subscription{Filter: f, QoS: ouzel.QoS(q)})
	}
	var opts []ouzel.SubscribeOption
	if callback != nil {
		opts = append(opts, ouzel.WithHandler(c.handler(callback)))
	}
	go func() {
		res, err := native.SubscribeMany(context.Background(), subs, opts...)
		if res != nil {
			t.mu.Lock()
			for i, s := range subs {
				if i < len(res.ReasonCodes) {
					t.result[s.Filter] = byte(res.ReasonCodes[i])
				}
			}
			t.mu.Unlock()
		}
		if callback != nil && res != nil {
			c.mu.Lock()
			for i, s := range subs {
				if i < len(res.ReasonCodes) && !res.ReasonCodes[i].IsError() {
					c.setRouteLocked(s.Filter, callback)
				}
			}
			c.mu.Unlock()
		}
		// paho reports a refused filter in Result(), not as the token's error.
		var oe *ouzel.Error
		if errors.As(err, &oe) && oe.Code == ouzel.ErrRefused && res != nil {
			err = nil
		}
		t.complete(err)
	}()
	return t
}

// Unsubscribe ends the subscriptions (their handlers go too).
func (c *client) Unsubscribe(topics ...string) Token {
	t := &UnsubscribeToken{baseToken: newBase()}
	native := c.current()
	if native == nil || !c.IsConnected() {
		t.complete(ErrNotConnected)
		return t
	}
	go func() {
		_, err := native.Unsubscribe(context.Background(), topics)
		c.mu.Lock()
		for _, f := range topics {
			c.removeRouteLocked(f)
		}
		c.mu.Unlock()
		t.complete(err)
	}()
	return t
}

// AddRoute sends the messages matching topic to callback without subscribing.
func (c *client) AddRoute(topic string, callback MessageHandler) {
	if callback == nil {
		return
	}
	c.mu.Lock()
	c.setRouteLocked(topic, callback)
	native := c.native
	c.mu.Unlock()
	if native != nil {
		if err := native.AddRoute(topic, c.handler(callback)); err != nil {
			ERROR.Println("[pahocompat] AddRoute:", err)
		}
	}
}

func (c *client) setRouteLocked(filter string, h MessageHandler) {
	for i := range c.routes {
		if c.routes[i].filter == filter {
			c.routes[i].handler = h
			return
		}
	}
	c.routes = append(c.routes, routeEntry{filter, h})
}

func (c *client) removeRouteLocked(filter string) {
	for i := range c.routes {
		if c.routes[i].filter == filter {
			c.routes = append(c.routes[:i], c.routes[i+1:]...)
			return
		}
	}
}

// OptionsReader reads a copy of the options.
func (c *client) OptionsReader() ClientOptionsReader {
	o := c.opts
	return mqtt.NewOptionsReader(&o)
}
