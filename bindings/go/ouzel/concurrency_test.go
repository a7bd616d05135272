package ouzel_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

func TestConcurrency_16GoroutinesPublishing_AllAcknowledgedAndReceived(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	const goroutines, each = 16, 300
	topic := "go/16/" + clientID(t)
	sub := connected(t, b, ouzel.Options{})
	got := make(chan *ouzel.Message, goroutines*each)
	if _, err := sub.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithChannel(got)); err != nil {
		t.Fatal(err)
	}
	pub := connected(t, b, ouzel.Options{})
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				p := binary.BigEndian.AppendUint32(nil, uint32(g<<16|i))
				if _, err := pub.Publish(ctx(t), topic, p, ouzel.QoS1); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	next := make([]int, goroutines) // per publisher, messages arrive in its order
	for n := 0; n < goroutines*each; n++ {
		v := binary.BigEndian.Uint32(recv(t, got).Payload)
		g, i := int(v>>16), int(v&0xffff)
		if i != next[g] {
			t.Fatalf("publisher %d: message %d arrived, expected %d", g, i, next[g])
		}
		next[g]++
	}
}

// A handler that publishes and waits for the acknowledgement (paho.mqtt.golang deadlocks here)
// works: acknowledgements are completed by the poller, not by the dispatcher the handler blocks.
func TestReentrancy_HandlerPublishesAndWaits_EchoWorks(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	base := "go/reentrant/" + clientID(t)
	echo := connected(t, b, ouzel.Options{})
	var handlerErr atomic.Value
	_, err := echo.Subscribe(ctx(t), base+"/ping", ouzel.QoS1, ouzel.WithHandler(func(m *ouzel.Message) {
		// The same client, from inside its own handler, waiting for PUBACK.
		if _, err := echo.Publish(context.Background(), base+"/pong", m.Payload, ouzel.QoS1); err != nil {
			handlerErr.Store(err)
		}
		// And a subscribe that waits for its SUBACK.
		if _, err := echo.Subscribe(context.Background(), base+"/other", ouzel.QoS0); err != nil {
			handlerErr.Store(err)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	client := connected(t, b, ouzel.Options{})
	pongs := make(chan *ouzel.Message, 100)
	if _, err := client.Subscribe(ctx(t), base+"/pong", ouzel.QoS1, ouzel.WithChannel(pongs)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if _, err := client.Publish(ctx(t), base+"/ping", []byte{byte(i)}, ouzel.QoS1); err != nil {
			t.Fatal(err)
		}
		if m := recv(t, pongs); m.Payload[0] != byte(i) {
			t.Fatalf("pong %d: %v", i, m.Payload)
		}
	}
	if err, _ := handlerErr.Load().(error); err != nil {
		t.Fatal(err)
	}
}

func TestClose_IdempotentNeverBlocks_EvenInsideAHandler_CallsAfterFailWithErrClosed(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	c := connected(t, b, ouzel.Options{})
	topic := "go/close/" + clientID(t)
	closedInHandler := make(chan struct{})
	var after atomic.Int32
	if _, err := c.Subscribe(ctx(t), topic, ouzel.QoS0, ouzel.WithHandler(func(*ouzel.Message) {
		if after.Add(1) > 1 {
			return // no handler runs after Close returned in the first one
		}
		c.Close()
		c.Close()
		close(closedInHandler)
	})); err != nil {
		t.Fatal(err)
	}
	other := connected(t, b, ouzel.Options{})
	for i := 0; i < 20; i++ {
		if _, err := other.Publish(ctx(t), topic, []byte("x"), ouzel.QoS0); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-closedInHandler:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler never ran")
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the client was not freed within 10s of Close")
	}
	if _, err := c.Publish(ctx(t), topic, []byte("x"), ouzel.QoS1); !errors.Is(err, ouzel.ErrClosed) {
		t.Fatalf("publish after close: %v, want ErrClosed", err)
	}
	if _, err := c.Subscribe(ctx(t), topic, ouzel.QoS1); !errors.Is(err, ouzel.ErrClosed) {
		t.Fatalf("subscribe after close: %v, want ErrClosed", err)
	}
	if _, ok := <-c.Messages(); ok {
		t.Fatal("Messages() of a closed client is not closed")
	}
	if n := after.Load(); n != 1 {
		t.Fatalf("handler ran %d times; none may run after Close", n)
	}
}

func TestClose_WhilePublishersAndWaitersAreActive_EveryCallReturns(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	c := connected(t, b, ouzel.Options{})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				_, err := c.Publish(context.Background(), "go/closing", []byte("x"), ouzel.QoS1)
				if errors.Is(err, ouzel.ErrClosed) {
					return
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	c.Close()
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("Close took %v", d)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("publishers still blocked 10s after Close")
	}
}

// GOGC=1 stress: the collector runs all the time while messages, properties and tokens cross
// the boundary, so a Go value C kept, or a missing KeepAlive, shows up as corruption or a crash.
func TestStress_GCEverywhere_MessagesAndPropertiesStayIntact(t *testing.T) {
	old := debug.SetGCPercent(1)
	defer debug.SetGCPercent(old)
	b := startBroker(t, testbroker.Config{})
	topic := "go/gc/" + clientID(t)
	sub := connected(t, b, ouzel.Options{Version: ouzel.MQTT5})
	got := make(chan *ouzel.Message, 64)
	if _, err := sub.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithChannel(got)); err != nil {
		t.Fatal(err)
	}
	pub := connected(t, b, ouzel.Options{Version: ouzel.MQTT5})
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	defer close(stop)
	for i := 0; i < 300; i++ {
		payload := make([]byte, 100+i)
		for k := range payload {
			payload[k] = byte(i + k)
		}
		props := ouzel.Properties{ouzel.User("k", fmt.Sprintf("%x", payload[:10])), ouzel.StringProperty(ouzel.ContentType, "bin")}
		if _, err := pub.Publish(ctx(t), topic, payload, ouzel.QoS1, ouzel.WithProperties(props)); err != nil {
			t.Fatal(err)
		}
		payload = nil
		runtime.GC()
		m := recv(t, got)
		if len(m.Payload) != 100+i {
			t.Fatalf("message %d: %d bytes", i, len(m.Payload))
		}
		for k, v := range m.Payload {
			if v != byte(i+k) {
				t.Fatalf("message %d byte %d: %d", i, k, v)
			}
		}
		if v, _ := m.Properties.UserValue("k"); v != fmt.Sprintf("%x", m.Payload[:10]) || m.Properties.String(ouzel.ContentType) != "bin" {
			t.Fatalf("message %d properties %+v", i, m.Properties)
		}
	}
}

// A slow handler: with MaxPendingMessages 10 the client stops reading when 10 messages wait, the
// broker holds the rest, and all of them arrive in order; never more than the bound (plus what
// one read brings) is received but unhandled.
func TestFlowControl_SlowHandler_ThrottlesTheBrokerWithoutLoss(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	const bound, n = 10, 300
	topic := "go/slow/" + clientID(t)
	var handled atomic.Int64
	var maxBacklog atomic.Int64
	var sub *ouzel.Client
	sub = connected(t, b, ouzel.Options{MaxPendingMessages: bound})
	order := make(chan int, n)
	if _, err := sub.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithHandler(func(m *ouzel.Message) {
		time.Sleep(2 * time.Millisecond)
		s, err := sub.Stats()
		if err == nil {
			if backlog := s.MessagesReceived - handled.Load(); backlog > maxBacklog.Load() {
				maxBacklog.Store(backlog)
			}
		}
		handled.Add(1)
		order <- int(binary.BigEndian.Uint32(m.Payload))
	})); err != nil {
		t.Fatal(err)
	}
	pub := connected(t, b, ouzel.Options{MaxInflight: 100})
	var pending []*ouzel.Pending
	for i := 0; i < n; i++ {
		p, err := pub.PublishAsync(topic, binary.BigEndian.AppendUint32(nil, uint32(i)), ouzel.QoS1)
		if err != nil {
			t.Fatal(err)
		}
		pending = append(pending, p)
	}
	for i := 0; i < n; i++ {
		select {
		case v := <-order:
			if v != i {
				t.Fatalf("message %d arrived as number %d", v, i)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("only %d of %d messages within 15s", i, n)
		}
	}
	for _, p := range pending {
		if _, err := p.Wait(ctx(t)); err != nil {
			t.Fatal(err)
		}
	}
	// The broker's in-flight window (20 for QoS 1) may add its messages to the read that reached
	// the bound; without back-pressure the backlog would approach n.
	if m := maxBacklog.Load(); m > bound+20 {
		t.Fatalf("up to %d messages were received but unhandled; the bound is %d", m, bound)
	}
	t.Logf("largest backlog of received, unhandled messages: %d (bound %d)", maxBacklog.Load(), bound)
}
