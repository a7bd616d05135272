package pahocompat_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	mqtt "github.com/ouzel-mqtt/ouzel/bindings/go/pahocompat"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

// Compile-time: the values are paho's own interfaces.
var (
	_ paho.Client  = mqtt.NewClient(paho.NewClientOptions())
	_ paho.Token   = (*mqtt.PublishToken)(nil)
	_ paho.Token   = (*mqtt.ConnectToken)(nil)
	_ paho.Token   = (*mqtt.SubscribeToken)(nil)
	_ paho.Token   = (*mqtt.UnsubscribeToken)(nil)
	_ mqtt.Message = nil
)

func broker(t *testing.T, cfg testbroker.Config) *testbroker.Broker {
	t.Helper()
	if !testbroker.Available() {
		t.Skip("mosquitto not installed")
	}
	b, err := testbroker.Start(t.TempDir(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	return b
}

var n atomic.Int64

func opts(b *testbroker.Broker) *mqtt.ClientOptions {
	return mqtt.NewClientOptions().AddBroker(fmt.Sprintf("tcp://127.0.0.1:%d", b.Port)).
		SetClientID(fmt.Sprintf("paho-compat-%d", n.Add(1)))
}

// wait fails the test when the token does not complete within 10 s or completes with an error.
func wait(t *testing.T, tok mqtt.Token) {
	t.Helper()
	if !tok.WaitTimeout(10 * time.Second) {
		t.Fatal("token not complete within 10s")
	}
	if err := tok.Error(); err != nil {
		t.Fatal(err)
	}
}

func connect(t *testing.T, o *mqtt.ClientOptions) mqtt.Client {
	t.Helper()
	c := mqtt.NewClient(o)
	wait(t, c.Connect())
	t.Cleanup(func() { c.Disconnect(0) })
	return c
}

func TestPahoPatterns_ConnectSubscribePublishUnsubscribe_WithTokens(t *testing.T) {
	b := broker(t, testbroker.Config{})
	got := make(chan mqtt.Message, 10)
	o := opts(b).SetDefaultPublishHandler(func(_ mqtt.Client, m mqtt.Message) { got <- m })
	c := connect(t, o)
	if !c.IsConnected() || !c.IsConnectionOpen() {
		t.Fatal("not connected")
	}
	sub := c.Subscribe("compat/a", 1, nil)
	wait(t, sub)
	if r := sub.(*mqtt.SubscribeToken).Result(); r["compat/a"] != 1 {
		t.Fatalf("Result %v", r)
	}
	for _, payload := range []interface{}{"text", []byte{0, 1}, *bytes.NewBufferString("buf"), bytes.NewBufferString("ptr")} {
		tok := c.Publish("compat/a", 1, false, payload)
		wait(t, tok)
		if tok.(*mqtt.PublishToken).MessageID() == 0 {
			t.Fatal("QoS 1 message without a message id")
		}
	}
	for _, want := range []string{"text", "\x00\x01", "buf", "ptr"} {
		select {
		case m := <-got:
			if string(m.Payload()) != want || m.Topic() != "compat/a" || m.Qos() != 1 {
				t.Fatalf("got %q on %q qos %d", m.Payload(), m.Topic(), m.Qos())
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no message")
		}
	}
	if tok := c.Publish("compat/a", 0, false, 42); tok.Wait() && tok.Error() == nil {
		t.Fatal("an int payload was accepted")
	}
	wait(t, c.Unsubscribe("compat/a"))
	c.Disconnect(250)
	if c.IsConnected() {
		t.Fatal("connected after Disconnect")
	}
	if tok := c.Publish("compat/a", 1, false, "x"); !errors.Is(tok.Error(), mqtt.ErrNotConnected) {
		t.Fatalf("publish after Disconnect: %v", tok.Error())
	}
}

// The paho.mqtt.golang deadlock (handlers must not block, its README says): a handler that
// publishes and waits for the token. Here it completes.
func TestPahoPatterns_HandlerPublishesAndWaits_NoDeadlock(t *testing.T) {
	b := broker(t, testbroker.Config{})
	c := connect(t, opts(b))
	pongs := make(chan string, 10)
	wait(t, c.Subscribe("compat/pong", 1, func(_ mqtt.Client, m mqtt.Message) { pongs <- string(m.Payload()) }))
	wait(t, c.Subscribe("compat/ping", 1, func(cl mqtt.Client, m mqtt.Message) {
		tok := cl.Publish("compat/pong", 1, false, m.Payload())
		tok.Wait()
	}))
	for i := 0; i < 5; i++ {
		wait(t, c.Publish("compat/ping", 1, false, fmt.Sprint(i)))
		select {
		case p := <-pongs:
			if p != fmt.Sprint(i) {
				t.Fatalf("pong %q", p)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no pong: the handler's publish did not complete")
		}
	}
}

func TestPahoPatterns_OnConnectSubscribes_AutoReconnectAfterBrokerRestart_AddRoute(t *testing.T) {
	b := broker(t, testbroker.Config{})
	var lost, connects atomic.Int32
	routed := make(chan string, 10)
	o := opts(b).SetAutoReconnect(true).SetMaxReconnectInterval(200 * time.Millisecond).
		SetConnectRetryInterval(50 * time.Millisecond).
		SetOnConnectHandler(func(c mqtt.Client) {
			connects.Add(1)
			c.Subscribe("compat/route/#", 1, nil).Wait() // waiting inside OnConnect works too
		}).
		SetConnectionLostHandler(func(mqtt.Client, error) { lost.Add(1) })
	c := mqtt.NewClient(o)
	c.AddRoute("compat/route/x", func(_ mqtt.Client, m mqtt.Message) { routed <- m.Topic() })
	wait(t, c.Connect())
	defer c.Disconnect(0)
	if err := b.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for connects.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("not reconnected: OnConnect %d times, lost %d", connects.Load(), lost.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !c.IsConnected() {
		t.Fatal("IsConnected false after reconnecting")
	}
	wait(t, c.Publish("compat/route/x", 1, false, "r"))
	select {
	case topic := <-routed:
		if topic != "compat/route/x" {
			t.Fatal(topic)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("AddRoute's handler got nothing")
	}
	if lost.Load() != 1 {
		t.Fatalf("OnConnectionLost %d times", lost.Load())
	}
}

func TestPahoPatterns_BadPassword_ConnectTokenFailsWithReturnCode(t *testing.T) {
	b := broker(t, testbroker.Config{Users: map[string]string{"u": "p"}})
	c := mqtt.NewClient(opts(b).SetUsername("u").SetPassword("wrong"))
	tok := c.Connect()
	if !tok.WaitTimeout(10*time.Second) || tok.Error() == nil {
		t.Fatal("connect with a wrong password succeeded")
	}
	if rc := tok.(*mqtt.ConnectToken).ReturnCode(); rc != 5 {
		t.Fatalf("ReturnCode %d, want 5 (not authorized)", rc)
	}
	t.Log(tok.Error())
}

func TestPahoPatterns_TLSConfigWithClientCertificate_AndCAFileThroughTune(t *testing.T) {
	b := broker(t, testbroker.Config{TLS: true, ClientCA: true})
	cert, err := tls.LoadX509KeyPair(b.Certs.ClientCert, b.Certs.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	o := mqtt.NewClientOptions().AddBroker(fmt.Sprintf("ssl://127.0.0.1:%d", b.TLSPort)).
		SetClientID("compat-tls").SetTLSConfig(&tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: nil})
	mqtt.Tune(o, func(n *ouzel.Options) { n.TLS.CAFile = b.Certs.CAFile })
	c := connect(t, o)
	wait(t, c.Publish("compat/tls", 1, false, "over TLS"))
}

func TestPahoPatterns_AutoAckDisabled_MessageAckAcknowledges(t *testing.T) {
	b := broker(t, testbroker.Config{})
	got := make(chan mqtt.Message, 1)
	c := connect(t, opts(b).SetAutoAckDisabled(true))
	wait(t, c.Subscribe("compat/ack", 1, func(_ mqtt.Client, m mqtt.Message) { got <- m }))
	wait(t, c.Publish("compat/ack", 1, false, "a"))
	select {
	case m := <-got:
		m.Ack()
	case <-time.After(10 * time.Second):
		t.Fatal("no message")
	}
}

// A Go CertPool cannot be read back: Connect says how to name the CA file instead of quietly
// trusting the system's CAs.
func TestPahoPatterns_RootCAsWithoutCAFile_ConnectFailsWithTheAdvice(t *testing.T) {
	o := mqtt.NewClientOptions().AddBroker("ssl://127.0.0.1:1").SetTLSConfig(&tls.Config{RootCAs: x509.NewCertPool()})
	tok := mqtt.NewClient(o).Connect()
	if !tok.WaitTimeout(10*time.Second) || tok.Error() == nil || !strings.Contains(tok.Error().Error(), "pahocompat.Tune") {
		t.Fatalf("Connect: %v", tok.Error())
	}
}
