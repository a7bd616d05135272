// Benchmarks of the Go binding next to the C API it wraps and to paho.mqtt.golang, in one run
// on one Mosquitto: publish throughput and CPU per message at QoS 0 and 1, and the QoS 1 round
// trip. Run with scripts/bench-go (or go test -bench . ./bench). msg/s and cpu-ns/msg are
// reported per benchmark; CPU is the whole process's (the library's thread included).
package bench

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/cbench"
	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

const payloadSize = 64

var (
	brokerOnce sync.Once
	theBroker  *testbroker.Broker
	brokerErr  error
	brokerDir  string
	seq        atomic.Int64
)

func TestMain(m *testing.M) {
	code := m.Run()
	if theBroker != nil {
		theBroker.Stop()
		os.RemoveAll(brokerDir)
	}
	os.Exit(code)
}

// broker is one Mosquitto for every benchmark (TCP_NODELAY on its side too, so round trips are
// not Nagle's).
func broker(b *testing.B) *testbroker.Broker {
	brokerOnce.Do(func() {
		if !testbroker.Available() {
			brokerErr = fmt.Errorf("mosquitto not installed")
			return
		}
		brokerDir, brokerErr = os.MkdirTemp("", "ouzel-go-bench-")
		if brokerErr == nil {
			theBroker, brokerErr = testbroker.Start(brokerDir, testbroker.Config{
				Extra: []string{"set_tcp_nodelay true", "max_queued_messages 0", "max_inflight_messages 20"}})
		}
	})
	if brokerErr != nil {
		b.Skip(brokerErr)
	}
	return theBroker
}

func id(kind string) string { return fmt.Sprintf("bench-%s-%d-%d", kind, os.Getpid(), seq.Add(1)) }

// measure runs fn (which publishes b.N messages and returns once all are done) and reports
// msg/s and the process's CPU per message.
func measure(b *testing.B, fn func() error) {
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	b.ResetTimer()
	if err := fn(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	elapsed := time.Since(start)
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msg/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/msg")
}

func ouzelClient(b *testing.B) *ouzel.Client {
	c, err := ouzel.NewClient(ouzel.Options{Servers: []string{broker(b).URI()}, ClientID: id("go")})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		b.Fatal(err)
	}
	return c
}

func closeOuzel(c *ouzel.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.Disconnect(ctx)
	c.Close()
}

// window is how many QoS 1 messages a throughput loop leaves unconfirmed: each queued QoS 1/2
// message holds one of the 65,535 packet identifiers.
const window = 10000

// goPublishAll: messages queued with WaitFor(Queued), every window-th and the last (QoS 0: a
// QoS 1 sentinel) waited for, as the C loop does.
func goPublishAll(b *testing.B, qos ouzel.QoS) {
	c := ouzelClient(b)
	defer closeOuzel(c)
	payload := make([]byte, payloadSize)
	ctx := context.Background()
	measure(b, func() error {
		for i := 0; i < b.N-1; i++ {
			wait := ouzel.Queued
			if qos > 0 && i%window == window-1 {
				wait = ouzel.Acknowledged
			}
			if _, err := c.Publish(ctx, "bench/go/ouzel", payload, qos, ouzel.WaitFor(wait)); err != nil {
				return err
			}
		}
		_, err := c.Publish(ctx, "bench/go/ouzel", payload, max(qos, ouzel.QoS1))
		return err
	})
}

func BenchmarkPublishQoS0_C(b *testing.B) {
	uri := broker(b).URI()
	measure(b, func() error { return cbench.Publish(uri, id("c"), 0, b.N, payloadSize, false, false) })
}

func BenchmarkPublishQoS0_CEventQueue(b *testing.B) {
	uri := broker(b).URI()
	measure(b, func() error { return cbench.Publish(uri, id("c"), 0, b.N, payloadSize, false, true) })
}

func BenchmarkPublishQoS0_Go(b *testing.B) { goPublishAll(b, ouzel.QoS0) }

func BenchmarkPublishQoS0_Paho(b *testing.B) { pahoPublishAll(b, 0) }

func BenchmarkPublishQoS1_C(b *testing.B) {
	uri := broker(b).URI()
	measure(b, func() error { return cbench.Publish(uri, id("c"), 1, b.N, payloadSize, false, false) })
}

func BenchmarkPublishQoS1_CEventQueue(b *testing.B) {
	uri := broker(b).URI()
	measure(b, func() error { return cbench.Publish(uri, id("c"), 1, b.N, payloadSize, false, true) })
}

func BenchmarkPublishQoS1_Go(b *testing.B) { goPublishAll(b, ouzel.QoS1) }

// Every message tracked to its acknowledgement (a Pending each), the way a Go program that wants
// every outcome publishes.
func BenchmarkPublishQoS1_GoAsyncEach(b *testing.B) {
	c := ouzelClient(b)
	defer closeOuzel(c)
	payload := make([]byte, payloadSize)
	measure(b, func() error {
		pending := make([]*ouzel.Pending, 0, window)
		for i := 0; i < b.N; i++ {
			p, err := c.PublishAsync("bench/go/ouzel", payload, ouzel.QoS1)
			if err != nil {
				return err
			}
			pending = append(pending, p)
			if len(pending) == window || i == b.N-1 {
				for _, p := range pending {
					if _, err := p.Wait(context.Background()); err != nil {
						return err
					}
				}
				pending = pending[:0]
			}
		}
		return nil
	})
}

func BenchmarkPublishQoS1_Paho(b *testing.B) { pahoPublishAll(b, 1) }

func BenchmarkRoundTripQoS1_C(b *testing.B) {
	uri := broker(b).URI()
	measure(b, func() error { return cbench.Publish(uri, id("c"), 1, b.N, payloadSize, true, false) })
}

func BenchmarkRoundTripQoS1_CEventQueue(b *testing.B) {
	uri := broker(b).URI()
	measure(b, func() error { return cbench.Publish(uri, id("c"), 1, b.N, payloadSize, true, true) })
}

func BenchmarkRoundTripQoS1_Go(b *testing.B) {
	c := ouzelClient(b)
	defer closeOuzel(c)
	payload := make([]byte, payloadSize)
	ctx := context.Background()
	measure(b, func() error {
		for i := 0; i < b.N; i++ {
			if _, err := c.Publish(ctx, "bench/go/ouzel", payload, ouzel.QoS1); err != nil {
				return err
			}
		}
		return nil
	})
}

func BenchmarkRoundTripQoS1_Paho(b *testing.B) {
	c := pahoClient(b)
	defer c.Disconnect(100)
	payload := make([]byte, payloadSize)
	measure(b, func() error {
		for i := 0; i < b.N; i++ {
			t := c.Publish("bench/go/paho", 1, false, payload)
			if !t.WaitTimeout(30*time.Second) || t.Error() != nil {
				return fmt.Errorf("paho publish: %v", t.Error())
			}
		}
		return nil
	})
}

func pahoClient(b *testing.B) paho.Client {
	o := paho.NewClientOptions().AddBroker(fmt.Sprintf("tcp://127.0.0.1:%d", broker(b).Port)).SetClientID(id("paho"))
	c := paho.NewClient(o)
	if t := c.Connect(); !t.WaitTimeout(20*time.Second) || t.Error() != nil {
		b.Fatalf("paho connect: %v", t.Error())
	}
	return c
}

// pahoPublishAll: paho's tokens for every message, the last one waited for (paho completes
// tokens in order for one connection).
func pahoPublishAll(b *testing.B, qos byte) {
	c := pahoClient(b)
	defer c.Disconnect(100)
	payload := make([]byte, payloadSize)
	measure(b, func() error {
		var t paho.Token
		for i := 0; i < b.N; i++ {
			t = c.Publish("bench/go/paho", qos, false, payload)
			if qos > 0 && i%window == window-1 {
				if !t.WaitTimeout(60*time.Second) || t.Error() != nil {
					return fmt.Errorf("paho publish: %v", t.Error())
				}
			}
		}
		if qos == 0 {
			t = c.Publish("bench/go/paho", 1, false, payload)
		}
		if !t.WaitTimeout(60*time.Second) || t.Error() != nil {
			return fmt.Errorf("paho publish: %v", t.Error())
		}
		return nil
	})
}
