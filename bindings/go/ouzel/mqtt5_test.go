package ouzel_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

func TestMQTT5_EmptyClientID_TheAssignedIDIsVisible(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	c, err := ouzel.NewClient(ouzel.Options{Servers: []string{b.URI()}, Version: ouzel.MQTT5})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ack, err := c.Connect(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if ack.AssignedClientID() == "" {
		t.Fatalf("no assigned client id in CONNACK properties %+v", ack.Properties)
	}
}

func TestMQTT5_PropertiesRoundTrip_UserPropertyOrderAndRepeats_RequestResponse(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	topic := "go/props/" + clientID(t)
	sub := connected(t, b, ouzel.Options{Version: ouzel.MQTT5})
	got := make(chan *ouzel.Message, 1)
	if _, err := sub.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithChannel(got)); err != nil {
		t.Fatal(err)
	}
	pub := connected(t, b, ouzel.Options{Version: ouzel.MQTT5})
	sent := ouzel.Properties{
		ouzel.User("b", "1"), ouzel.User("a", "2"), ouzel.User("b", "3"),
		ouzel.StringProperty(ouzel.ResponseTopic, topic+"/reply"),
		ouzel.BinaryProperty(ouzel.CorrelationData, []byte{0, 1, 2, 0xff}),
		ouzel.StringProperty(ouzel.ContentType, "application/octet-stream"),
		ouzel.IntProperty(ouzel.MessageExpiryInterval, 60),
	}
	if _, err := pub.Publish(ctx(t), topic, []byte("req"), ouzel.QoS1, ouzel.WithProperties(sent)); err != nil {
		t.Fatal(err)
	}
	m := recv(t, got)
	users := m.Properties.Users()
	if len(users) != 3 || users[0].Key != "b" || string(users[0].Bytes) != "1" || users[1].Key != "a" ||
		users[2].Key != "b" || string(users[2].Bytes) != "3" {
		t.Fatalf("user properties %+v", users)
	}
	if m.Properties.String(ouzel.ResponseTopic) != topic+"/reply" ||
		!bytes.Equal(m.Properties.Bytes(ouzel.CorrelationData), []byte{0, 1, 2, 0xff}) ||
		m.Properties.String(ouzel.ContentType) != "application/octet-stream" {
		t.Fatalf("properties %+v", m.Properties)
	}
	if v, ok := m.Properties.Int(ouzel.MessageExpiryInterval); !ok || v == 0 || v > 60 {
		t.Fatalf("message expiry %d %v", v, ok)
	}
}

func TestMQTT5_PropertyNotAllowedInPublish_IsErrInvalidNamingIt(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	c := connected(t, b, ouzel.Options{Version: ouzel.MQTT5})
	_, err := c.Publish(ctx(t), "go/x", nil, ouzel.QoS1,
		ouzel.WithProperties(ouzel.Properties{ouzel.IntProperty(ouzel.SessionExpiryInterval, 5)}))
	if !errors.Is(err, ouzel.ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	t.Log(err)
}

func TestBadCredentials_ConnectFailsWithTheBrokersReasonCode(t *testing.T) {
	b := startBroker(t, testbroker.Config{Users: map[string]string{"alice": "secret"}})
	for _, v := range []ouzel.ProtocolVersion{ouzel.MQTT311, ouzel.MQTT5} {
		c := newClient(t, b, ouzel.Options{Version: v, Username: "alice", Password: []byte("wrong")})
		_, err := c.Connect(ctx(t))
		var oe *ouzel.Error
		if !errors.As(err, &oe) || !oe.HasReasonCode || !errors.Is(err, ouzel.ErrRefused) {
			t.Fatalf("v%d: %v, want ErrRefused with a reason code", v, err)
		}
		want := ouzel.ReasonCode(5) // 3.1.1: not authorized
		if v == ouzel.MQTT5 {
			want = 0x86 // bad user name or password (mosquitto 2.0 sends 0x86 or 0x87)
		}
		if oe.ReasonCode != want && !(v == ouzel.MQTT5 && oe.ReasonCode == 0x87) {
			t.Fatalf("v%d: reason code %v, want %v", v, oe.ReasonCode, want)
		}
		t.Log(err)
		if c.IsConnected() {
			t.Fatal("connected after a refusal")
		}
	}
	ok := connected(t, b, ouzel.Options{Username: "alice", Password: []byte("secret")})
	if !ok.IsConnected() {
		t.Fatal("not connected with the right password")
	}
}

func TestTooLarge_OverTheServersMaximumPacketSize_FailsBeforeSending(t *testing.T) {
	b := startBroker(t, testbroker.Config{Extra: []string{"max_packet_size 1000"}})
	c := connected(t, b, ouzel.Options{Version: ouzel.MQTT5})
	_, err := c.Publish(ctx(t), "go/big", make([]byte, 2000), ouzel.QoS1)
	if !errors.Is(err, ouzel.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if _, err := c.Publish(ctx(t), "go/big", make([]byte, 100), ouzel.QoS1); err != nil {
		t.Fatalf("a small message after the refusal: %v", err)
	}
}

func TestRetainedAndWill(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	topic := "go/retained/" + clientID(t)
	pub := connected(t, b, ouzel.Options{})
	if _, err := pub.Publish(ctx(t), topic, []byte("kept"), ouzel.QoS1, ouzel.Retain); err != nil {
		t.Fatal(err)
	}
	late := connected(t, b, ouzel.Options{})
	got := make(chan *ouzel.Message, 2)
	if _, err := late.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithChannel(got)); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, got); !m.Retain || string(m.Payload) != "kept" {
		t.Fatalf("retained: %+v", m)
	}

	willTopic := topic + "/will"
	watcher := connected(t, b, ouzel.Options{})
	wills := make(chan *ouzel.Message, 1)
	if _, err := watcher.Subscribe(ctx(t), willTopic, ouzel.QoS1, ouzel.WithChannel(wills)); err != nil {
		t.Fatal(err)
	}
	dying := connected(t, b, ouzel.Options{Will: &ouzel.Will{Topic: willTopic, Payload: []byte("gone"), QoS: ouzel.QoS1}})
	dying.Close() // no DISCONNECT: the broker publishes the will
	if m := recv(t, wills); string(m.Payload) != "gone" {
		t.Fatalf("will: %q", m.Payload)
	}
}

func TestManualAck_UnacknowledgedMessageIsDeliveredAgainAfterReconnect(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	id, topic := clientID(t), "go/manual/"+clientID(t)
	opts := ouzel.Options{ClientID: id, KeepSession: true, ManualAck: true}
	first := connected(t, b, opts)
	got := make(chan *ouzel.Message, 4)
	if _, err := first.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithChannel(got)); err != nil {
		t.Fatal(err)
	}
	pub := connected(t, b, ouzel.Options{})
	if _, err := pub.Publish(ctx(t), topic, []byte("once"), ouzel.QoS1); err != nil {
		t.Fatal(err)
	}
	recv(t, got) // not acknowledged
	first.Close()
	<-first.Done()

	second := newClient(t, b, opts)
	again := make(chan *ouzel.Message, 4)
	if err := second.AddRoute(topic, func(m *ouzel.Message) { again <- m; _ = m.Ack() }); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Connect(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, again); string(m.Payload) != "once" || !m.Duplicate {
		t.Fatalf("redelivery: %q dup %v", m.Payload, m.Duplicate)
	}
}

func TestUnroutedMessages_GoToMessagesChannel_ElseAreCounted(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	topic := "go/unrouted/" + clientID(t)
	c := connected(t, b, ouzel.Options{})
	if _, err := c.Subscribe(ctx(t), topic, ouzel.QoS1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Publish(ctx(t), topic, []byte("1"), ouzel.QoS1); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, _ := c.Stats()
		if s.Unhandled == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Unhandled = %d", s.Unhandled)
		}
		time.Sleep(10 * time.Millisecond)
	}
	msgs := c.Messages()
	if _, err := c.Publish(ctx(t), topic, []byte("2"), ouzel.QoS1); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, msgs); string(m.Payload) != "2" {
		t.Fatalf("got %q", m.Payload)
	}
}

func TestPublish_ContextEndsTheWaitNotTheMessage(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	topic := "go/ctx/" + clientID(t)
	sub := connected(t, b, ouzel.Options{})
	got := make(chan *ouzel.Message, 1)
	if _, err := sub.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithChannel(got)); err != nil {
		t.Fatal(err)
	}
	offline := newClient(t, b, ouzel.Options{}) // not connected yet: the message waits in the queue
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	d, err := offline.Publish(short, topic, []byte("later"), ouzel.QoS1)
	if !errors.Is(err, context.DeadlineExceeded) || d.Token == 0 {
		t.Fatalf("err = %v, delivery %+v", err, d)
	}
	if !strings.Contains(err.Error(), "stays queued") {
		t.Fatalf("err = %v", err)
	}
	if _, err := offline.Connect(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, got); string(m.Payload) != "later" {
		t.Fatalf("got %q", m.Payload)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := offline.DeliveryStatus(d.Token)
		if err == nil && s.State == ouzel.Acknowledged {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status %+v %v", s, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Mosquitto 2.0.11 grants every valid filter (it applies ACLs when delivering), so the refusal
// comes from a scripted fake broker: the one thing here a real broker cannot be made to do.
func TestSubscribe_RefusedFilter_IsErrRefusedAndItsRouteIsRemoved(t *testing.T) {
	fake := startFakeBroker(t, []byte{0x01, 0x80})
	c := connected(t, nil, ouzel.Options{Servers: []string{fake}})
	handled := make(chan string, 4)
	unrouted := c.Messages()
	res, err := c.SubscribeMany(ctx(t), []ouzel.Subscription{{Filter: "go/ok", QoS: 1}, {Filter: "go/denied", QoS: 1}},
		ouzel.WithHandler(func(m *ouzel.Message) { handled <- m.Topic }))
	var oe *ouzel.Error
	if !errors.Is(err, ouzel.ErrRefused) || !errors.As(err, &oe) || oe.ReasonCode != 0x80 {
		t.Fatalf("err = %v, want ErrRefused with 0x80", err)
	}
	if res == nil || len(res.ReasonCodes) != 2 || res.ReasonCodes[0] != 1 || res.ReasonCodes[1] != 0x80 {
		t.Fatalf("result %+v", res)
	}
	t.Log(err)
	// The fake then publishes on go/denied and go/ok: only go/ok still has the handler.
	select {
	case topic := <-handled:
		if topic != "go/ok" {
			t.Fatalf("the handler got %q", topic)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the handler got nothing")
	}
	if m := recv(t, unrouted); m.Topic != "go/denied" {
		t.Fatalf("Messages() got %q", m.Topic)
	}
}

// startFakeBroker accepts one MQTT 3.1.1 client: CONNACK accepted, then a SUBACK with `codes`
// for every SUBSCRIBE. A test double, named as such; it answers nothing else.
func startFakeBroker(t *testing.T, codes []byte) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		r := bufio.NewReader(conn)
		for {
			conn.SetDeadline(time.Now().Add(20 * time.Second))
			head, err := r.ReadByte()
			if err != nil {
				return
			}
			n, mul := 0, 1
			for {
				b, err := r.ReadByte()
				if err != nil {
					return
				}
				n += int(b&0x7f) * mul
				mul *= 128
				if b&0x80 == 0 {
					break
				}
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(r, body); err != nil {
				return
			}
			switch head >> 4 {
			case 1: // CONNECT
				conn.Write([]byte{0x20, 2, 0, 0})
			case 8: // SUBSCRIBE: packet id first; then a QoS 0 PUBLISH on each test topic
				conn.Write(append([]byte{0x90, byte(2 + len(codes)), body[0], body[1]}, codes...))
				for _, topic := range []string{"go/denied", "go/ok"} {
					conn.Write(append([]byte{0x30, byte(2 + len(topic)), 0, byte(len(topic))}, topic...))
				}
			case 12: // PINGREQ
				conn.Write([]byte{0xd0, 0})
			}
		}
	}()
	return "mqtt://" + l.Addr().String()
}

func TestWithholdAck_FailedHandler_TheMessageComesBackOnTheKeptSession(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	id, topic := clientID(t), "go/withhold/"+clientID(t)
	opts := ouzel.Options{ClientID: id, KeepSession: true}
	first := connected(t, b, opts)
	got := make(chan *ouzel.Message, 2)
	if _, err := first.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithHandler(func(m *ouzel.Message) {
		m.WithholdAck() // the handler "failed"
		got <- m
	})); err != nil {
		t.Fatal(err)
	}
	pub := connected(t, b, ouzel.Options{})
	if _, err := pub.Publish(ctx(t), topic, []byte("retry me"), ouzel.QoS1); err != nil {
		t.Fatal(err)
	}
	recv(t, got)
	time.Sleep(100 * time.Millisecond) // the release happened; no PUBACK may have left
	first.Close()
	<-first.Done()

	second := newClient(t, b, opts)
	again := make(chan *ouzel.Message, 2)
	if err := second.AddRoute(topic, func(m *ouzel.Message) { again <- m }); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Connect(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, again); string(m.Payload) != "retry me" || !m.Duplicate {
		t.Fatalf("redelivery %q dup %v", m.Payload, m.Duplicate)
	}
}
