package scenarios

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

func TestS03_PublishSubscribeEveryQoS(t *testing.T) {
	s := scenario(t, "S03")
	const n = 100
	for _, qos := range []ouzel.QoS{ouzel.QoS0, ouzel.QoS1, ouzel.QoS2} {
		topic := s.unique(fmt.Sprintf("qos%d", qos))
		sub := s.connected(ouzel.Options{})
		in := s.inbox(sub, topic, qos, n)
		pub := s.connected(ouzel.Options{})
		payload := func(i int) []byte {
			if i == 0 {
				return []byte{}
			}
			return []byte{byte(i), 0, 0xff, 0, byte(qos)}
		}
		for i := 0; i < n; i++ {
			_, err := pub.Publish(s.ctx(), topic, payload(i), qos)
			s.check(err, fmt.Sprintf("QoS %d publish %d", qos, i))
		}
		for i := 0; i < n; i++ {
			m := s.next(in, fmt.Sprintf("QoS %d message %d", qos, i))
			if m.QoS != qos || !bytes.Equal(m.Payload, payload(i)) {
				s.Fatalf("QoS %d message %d: QoS %d payload %x, want %x", qos, i, m.QoS, m.Payload, payload(i))
			}
		}
	}
}

func TestS04_RetainedMessage(t *testing.T) {
	s := scenario(t, "S04")
	topic := s.unique("retained")
	pub := s.connected(ouzel.Options{})
	_, err := pub.Publish(s.ctx(), topic, []byte("kept"), ouzel.QoS1, ouzel.Retain)
	s.check(err, "retained publish")
	later := s.connected(ouzel.Options{})
	m := s.next(s.inbox(later, topic, ouzel.QoS1, 4), "retained message")
	if !m.Retain || string(m.Payload) != "kept" {
		s.Fatalf("got %q retain %v, want \"kept\" with the retain flag", m.Payload, m.Retain)
	}
	_, err = pub.Publish(s.ctx(), topic, nil, ouzel.QoS1, ouzel.Retain)
	s.check(err, "empty retained publish")
	last := s.connected(ouzel.Options{})
	s.quiet(s.inbox(last, topic, ouzel.QoS1, 4), 500*time.Millisecond, "the retained message was cleared")
}

func TestS06_Unsubscribe(t *testing.T) {
	s := scenario(t, "S06")
	topic := s.unique("t")
	c := s.connected(ouzel.Options{})
	in := s.inbox(c, topic, ouzel.QoS1, 8)
	pub := s.connected(ouzel.Options{})
	_, err := pub.Publish(s.ctx(), topic, []byte("before"), ouzel.QoS1)
	s.check(err, "publish")
	s.next(in, "message before unsubscribing")
	_, err = c.Unsubscribe(s.ctx(), []string{topic})
	s.check(err, "Unsubscribe")
	_, err = pub.Publish(s.ctx(), topic, []byte("after"), ouzel.QoS1)
	s.check(err, "publish")
	s.quiet(in, 500*time.Millisecond, "unsubscribed")
}

func TestS07_PublishWhileOffline(t *testing.T) {
	s := scenario(t, "S07")
	topic := s.unique("t")
	sub := s.connected(ouzel.Options{})
	in := s.inbox(sub, topic, ouzel.QoS1, 16)
	offline := s.client(ouzel.Options{})
	var pending []*ouzel.Pending
	for i := 0; i < 10; i++ {
		p, err := offline.PublishAsync(topic, []byte{byte(i)}, ouzel.QoS1)
		s.check(err, "publish before connecting")
		pending = append(pending, p)
	}
	_, err := offline.Connect(s.ctx())
	s.check(err, "Connect")
	for i, p := range pending {
		_, err := p.Wait(s.ctx())
		s.check(err, fmt.Sprintf("message %d", i))
	}
	for i := 0; i < 10; i++ {
		if m := s.next(in, fmt.Sprintf("message %d", i)); m.Payload[0] != byte(i) {
			s.Fatalf("message %d arrived as %d", i, m.Payload[0])
		}
	}
}

func TestS10_WebSocket(t *testing.T) {
	s := scenario(t, "S10")
	ws := fmt.Sprintf("ws://%s:%s/mqtt", env("HOST", "127.0.0.1"), s.port("WS"))
	topic := s.unique("ws")
	c := s.connected(ouzel.Options{Servers: []string{ws}})
	in := s.inbox(c, topic, ouzel.QoS1, 4)
	_, err := c.Publish(s.ctx(), topic, []byte("over websocket"), ouzel.QoS1)
	s.check(err, "publish over ws://")
	if m := s.next(in, "message over ws://"); string(m.Payload) != "over websocket" {
		s.Fatalf("got %q", m.Payload)
	}
}

func TestS19_ConcurrentPublishers(t *testing.T) {
	s := scenario(t, "S19")
	const goroutines, each = 4, 1000
	topic := s.unique("t")
	sub := s.connected(ouzel.Options{})
	in := s.inbox(sub, topic, ouzel.QoS1, goroutines*each)
	pub := s.connected(ouzel.Options{})
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := pub.Publish(s.ctx(), topic, binary.BigEndian.AppendUint32(nil, uint32(g<<16|i)), ouzel.QoS1); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		s.Fatalf("a publisher failed: %v", err)
	}
	seen := map[uint32]bool{}
	for len(seen) < goroutines*each {
		seen[binary.BigEndian.Uint32(s.next(in, fmt.Sprintf("message %d", len(seen))).Payload)] = true
	}
}

func TestS20_ReentrantCallback(t *testing.T) {
	s := scenario(t, "S20")
	ping, pong := s.unique("ping"), s.unique("pong")
	echo := s.connected(ouzel.Options{})
	handlerErr := make(chan error, 10)
	_, err := echo.Subscribe(s.ctx(), ping, ouzel.QoS1, ouzel.WithHandler(func(m *ouzel.Message) {
		_, err := echo.Publish(s.ctx(), pong, m.Payload, ouzel.QoS1) // waits for PUBACK, inside the handler
		if err != nil {
			handlerErr <- err
		}
	}))
	s.check(err, "Subscribe")
	c := s.connected(ouzel.Options{})
	in := s.inbox(c, pong, ouzel.QoS1, 8)
	for i := 0; i < 5; i++ {
		_, err := c.Publish(s.ctx(), ping, []byte{byte(i)}, ouzel.QoS1)
		s.check(err, "ping")
		select {
		case m := <-in:
			if m.Payload[0] != byte(i) {
				s.Fatalf("echo %d came back as %d", i, m.Payload[0])
			}
		case err := <-handlerErr:
			s.Fatalf("publishing inside the handler: %v", err)
		case <-time.After(timeout()):
			s.Fatalf("no echo %d within %v", i, timeout())
		}
	}
}

func TestS22_SharedSubscription(t *testing.T) {
	s := scenario(t, "S22")
	topic := s.unique("t")
	const n = 100
	a, b := s.connected(ouzel.Options{}), s.connected(ouzel.Options{})
	ina := s.inbox(a, "$share/g/"+topic, ouzel.QoS1, n)
	inb := s.inbox(b, "$share/g/"+topic, ouzel.QoS1, n)
	pub := s.connected(ouzel.Options{})
	for i := 0; i < n; i++ {
		_, err := pub.Publish(s.ctx(), topic, []byte{byte(i)}, ouzel.QoS1)
		s.check(err, "publish")
	}
	seen := map[byte]int{}
	for got := 0; got < n; got++ {
		select {
		case m := <-ina:
			seen[m.Payload[0]]++
		case m := <-inb:
			seen[m.Payload[0]]++
		case <-time.After(timeout()):
			s.Fatalf("%d of %d messages arrived", got, n)
		}
	}
	s.quiet(ina, 200*time.Millisecond, "every message was delivered once")
	s.quiet(inb, 100*time.Millisecond, "every message was delivered once")
	for i := 0; i < n; i++ {
		if seen[byte(i)] != 1 {
			s.Fatalf("message %d delivered %d times", i, seen[byte(i)])
		}
	}
}
