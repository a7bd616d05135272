package ouzel_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

// echoOnce subscribes sub to a fresh topic, publishes one QoS 1 message with pub and returns
// what sub received.
func echoOnce(t *testing.T, sub, pub *ouzel.Client) *ouzel.Message {
	t.Helper()
	topic := "go/echo/" + clientID(t)
	ch := make(chan *ouzel.Message, 1)
	if _, err := sub.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithChannel(ch)); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Publish(ctx(t), topic, []byte("hello"), ouzel.QoS1); err != nil {
		t.Fatal(err)
	}
	m := recv(t, ch)
	if string(m.Payload) != "hello" {
		t.Fatalf("payload %q", m.Payload)
	}
	return m
}

func TestTLS_ClientCertificate_ConnectsAndWrongCAIsRefusedWithTheCause(t *testing.T) {
	b := startBroker(t, testbroker.Config{TLS: true, ClientCA: true})
	good := ouzel.Options{Servers: []string{b.TLSURI()}, TLS: &ouzel.TLSOptions{
		CAFile: b.Certs.CAFile, CertFile: b.Certs.ClientCert, KeyFile: b.Certs.ClientKey}}
	c := connected(t, b, good)
	echoOnce(t, c, c)

	bad := good
	bad.TLS = &ouzel.TLSOptions{CAFile: b.Certs.OtherCAFile, CertFile: b.Certs.ClientCert, KeyFile: b.Certs.ClientKey}
	bad.NoReconnect = true
	wrong := newClient(t, b, bad)
	_, err := wrong.Connect(ctx(t))
	if !errors.Is(err, ouzel.ErrTLS) {
		t.Fatalf("connect trusting another CA: %v, want ErrTLS", err)
	}
	if !strings.Contains(strings.ToLower(err.Error()), "certificate") {
		t.Fatalf("the error does not name the cause: %v", err)
	}
	t.Log(err)
}

func TestTLS_MissingCAFile_FailsNewClientNamingTheField(t *testing.T) {
	_, err := ouzel.NewClient(ouzel.Options{Servers: []string{"mqtts://127.0.0.1:1"},
		TLS: &ouzel.TLSOptions{CAFile: "/nonexistent/ca.pem"}})
	if !errors.Is(err, ouzel.ErrInvalid) || !strings.Contains(err.Error(), "TLS.CAFile") {
		t.Fatalf("err = %v, want ErrInvalid naming TLS.CAFile", err)
	}
}

func TestWebSocket_PlainAndTLS_PublishSubscribe(t *testing.T) {
	b := startBroker(t, testbroker.Config{WebSocket: true, TLS: true})
	ws := connected(t, b, ouzel.Options{Servers: []string{b.WSURI()}})
	echoOnce(t, ws, ws)
	wss := connected(t, b, ouzel.Options{Servers: []string{b.WSSURI()},
		TLS: &ouzel.TLSOptions{CAFile: b.Certs.CAFile}})
	echoOnce(t, wss, ws)
}

func TestProxy_HTTPConnectAndSOCKS5_PublishSubscribeThroughThem(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	for _, kind := range []string{"http", "socks5"} {
		if !testbroker.ProxyAvailable(kind) {
			t.Skipf("%s proxy not installed (scripts/setup installs tinyproxy and dante-server)", kind)
		}
		p, err := testbroker.StartProxy(t.TempDir(), kind)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Stop)
		c := connected(t, b, ouzel.Options{Proxy: &ouzel.ProxyOptions{URI: p.URI()}})
		echoOnce(t, c, c)
		// The traffic really goes through it: with the proxy gone, connecting fails.
		p.Stop()
		gone := newClient(t, b, ouzel.Options{Proxy: &ouzel.ProxyOptions{URI: p.URI()}, NoReconnect: true})
		if _, err := gone.Connect(ctx(t)); err == nil {
			t.Fatalf("%s: connected without the proxy", kind)
		}
	}
}
