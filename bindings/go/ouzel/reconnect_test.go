package ouzel_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

// The broker restarts mid-stream: the clients reconnect by themselves (OnConnectionLost, then
// OnConnect again), and every QoS 1 and QoS 2 message published across the outage is
// acknowledged and received (QoS 1 at least once, QoS 2 exactly once).
func TestReconnect_BrokerRestartMidStream_NothingLostQoS2ExactlyOnce(t *testing.T) {
	b := startBroker(t, testbroker.Config{Persist: true})
	var lost, connects atomic.Int32
	opts := func() ouzel.Options {
		return ouzel.Options{KeepSession: true, ReconnectMinDelay: 50 * time.Millisecond,
			ReconnectMaxDelay: 200 * time.Millisecond,
			OnConnectionLost:  func(*ouzel.Client, error) { lost.Add(1) },
			OnConnect:         func(*ouzel.Client, *ouzel.ConnAck) { connects.Add(1) }}
	}
	sub := connected(t, b, opts())
	topic := "go/restart/" + clientID(t)
	got := make(chan *ouzel.Message, 4096)
	if _, err := sub.Subscribe(ctx(t), topic+"/#", ouzel.QoS2, ouzel.WithChannel(got)); err != nil {
		t.Fatal(err)
	}
	pub := connected(t, b, opts())
	const n = 300
	var pending []*ouzel.Pending
	for i := 0; i < 2*n; i++ {
		q, sub := ouzel.QoS1, "q1"
		if i%2 == 1 {
			q, sub = ouzel.QoS2, "q2"
		}
		p, err := pub.PublishAsync(topic+"/"+sub, []byte{byte(i), byte(i >> 8)}, q)
		if err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
		pending = append(pending, p)
		if i == n {
			if err := b.Restart(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, p := range pending {
		if _, err := p.Wait(ctx(t)); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	seen := map[int]int{}
	deadline := time.After(15 * time.Second)
	for len(seen) < 2*n {
		select {
		case m := <-got:
			seen[int(m.Payload[0])|int(m.Payload[1])<<8]++
		case <-deadline:
			t.Fatalf("received %d distinct of %d", len(seen), 2*n)
		}
	}
	for i := 1; i < 2*n; i += 2 {
		if seen[i] != 1 {
			t.Fatalf("QoS 2 message %d received %d times", i, seen[i])
		}
	}
	if lost.Load() < 2 || connects.Load() < 4 {
		t.Fatalf("OnConnectionLost %d times, OnConnect %d times", lost.Load(), connects.Load())
	}
}
