package scenarios

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

func TestS01_ConnectMQTT311CleanDisconnect(t *testing.T) {
	s := scenario(t, "S01")
	var calls, afterClose atomic.Int32
	var closed atomic.Bool
	count := func() {
		calls.Add(1)
		if closed.Load() {
			afterClose.Add(1)
		}
	}
	topic := s.unique("t")
	c := s.client(ouzel.Options{Version: ouzel.MQTT311,
		OnConnect:        func(*ouzel.Client, *ouzel.ConnAck) { count() },
		OnConnectionLost: func(*ouzel.Client, error) { count() },
		OnMessage:        func(*ouzel.Message) { count() }})
	if _, err := c.Connect(s.ctx()); err != nil {
		s.Fatalf("CONNACK not accepted: %v", err)
	}
	_, err := c.Subscribe(s.ctx(), topic, ouzel.QoS0)
	s.check(err, "Subscribe")
	s.check(c.Disconnect(s.ctx()), "Disconnect")
	if c.IsConnected() {
		s.Fatalf("still connected after Disconnect returned")
	}
	c.Close()
	closed.Store(true)
	select {
	case <-c.Done():
	case <-time.After(timeout()):
		s.Fatalf("the client was not freed within %v of Close", timeout())
	}
	other := s.connected(ouzel.Options{})
	_, err = other.Publish(s.ctx(), topic, []byte("late"), ouzel.QoS1)
	s.check(err, "Publish from another client")
	time.Sleep(300 * time.Millisecond)
	if n := afterClose.Load(); n != 0 {
		s.Fatalf("%d callbacks after Close", n)
	}
	if calls.Load() != 1 {
		s.Fatalf("%d callbacks in all, want 1 (OnConnect)", calls.Load())
	}
}

func TestS02_MQTT5EmptyClientIDIsAssigned(t *testing.T) {
	s := scenario(t, "S02")
	c := s.client(ouzel.Options{Version: ouzel.MQTT5})
	ack, err := c.Connect(s.ctx())
	s.check(err, "Connect")
	if ack.AssignedClientID() == "" {
		s.Fatalf("the CONNACK carried no Assigned Client Identifier: %+v", ack.Properties)
	}
}

func TestS17_UseAfterClose(t *testing.T) {
	s := scenario(t, "S17")
	c := s.connected(ouzel.Options{})
	c.Close()
	done := make(chan error, 1)
	go func() {
		_, err := c.Publish(s.ctx(), s.unique("t"), []byte("x"), ouzel.QoS1)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ouzel.ErrClosed) || !strings.Contains(err.Error(), "closed") {
			s.Fatalf("publish on a closed client: %v, want ErrClosed", err)
		}
	case <-time.After(timeout()):
		s.Fatalf("publish on a closed client did not return within %v", timeout())
	}
}

func TestS18_BadCredentials(t *testing.T) {
	s := scenario(t, "S18")
	uri := s.uri("AUTH")
	c := s.client(ouzel.Options{Servers: []string{uri}, Username: env("AUTH_USER", ""),
		Password: []byte(env("AUTH_PASSWORD", "") + "-wrong"), NoReconnect: true})
	_, err := c.Connect(s.ctx())
	var oe *ouzel.Error
	if !errors.Is(err, ouzel.ErrRefused) || !errors.As(err, &oe) || !oe.HasReasonCode {
		s.Fatalf("connect with a wrong password: %v, want ErrRefused with the CONNACK code", err)
	}
	if oe.ReasonCode != 4 && oe.ReasonCode != 5 {
		s.Fatalf("reason code %v, want 4 (bad user name or password) or 5 (not authorized)", oe.ReasonCode)
	}
	good := s.client(ouzel.Options{Servers: []string{uri}, Username: env("AUTH_USER", ""),
		Password: []byte(env("AUTH_PASSWORD", ""))})
	_, err = good.Connect(s.ctx())
	s.check(err, "connect with the right password")
}
