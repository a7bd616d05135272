package ouzel_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

// startBroker starts a Mosquitto for one test and stops it when the test ends.
func startBroker(t testing.TB, cfg testbroker.Config) *testbroker.Broker {
	t.Helper()
	if !testbroker.Available() {
		t.Skip("mosquitto not installed (scripts/setup installs it)")
	}
	b, err := testbroker.Start(t.TempDir(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	return b
}

var ids atomic.Int64

// clientID is unique per call, readable in broker logs.
func clientID(t testing.TB) string {
	return fmt.Sprintf("go-%s-%d", t.Name(), ids.Add(1))
}

// newClient creates a client with opts (Servers defaulting to b's plain listener), closed when
// the test ends.
func newClient(t testing.TB, b *testbroker.Broker, opts ouzel.Options) *ouzel.Client {
	t.Helper()
	if opts.Servers == nil && b != nil {
		opts.Servers = []string{b.URI()}
	}
	if opts.ClientID == "" {
		opts.ClientID = clientID(t)
	}
	c, err := ouzel.NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// connected is newClient + Connect.
func connected(t testing.TB, b *testbroker.Broker, opts ouzel.Options) *ouzel.Client {
	t.Helper()
	c := newClient(t, b, opts)
	if _, err := c.Connect(ctx(t)); err != nil {
		t.Fatal(err)
	}
	return c
}

// ctx is bounded by 20 s so no test waits forever.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// recv waits (bounded) for the next message on ch.
func recv(t testing.TB, ch <-chan *ouzel.Message) *ouzel.Message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10s")
		return nil
	}
}
