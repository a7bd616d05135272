package ouzel_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

// TestMain lets the test binary act as a helper process (a client that is then SIGKILLed).
func TestMain(m *testing.M) {
	if os.Getenv("OUZEL_GO_HELPER") == "durable-publisher" {
		os.Exit(durablePublisher())
	}
	os.Exit(m.Run())
}

// durablePublisher queues OUZEL_N QoS 1 messages offline in a persistence directory, says
// "ready", and waits to be killed.
func durablePublisher() int {
	n, _ := strconv.Atoi(os.Getenv("OUZEL_N"))
	c, err := ouzel.NewClient(ouzel.Options{
		Servers: []string{os.Getenv("OUZEL_URI")}, ClientID: os.Getenv("OUZEL_ID"), KeepSession: true,
		Persistence: &ouzel.PersistenceOptions{Dir: os.Getenv("OUZEL_DIR")},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; i < n; i++ {
		// Not connected: queued, and (WaitFor Queued) durably stored when Publish returns.
		if _, err := c.Publish(context.Background(), os.Getenv("OUZEL_TOPIC"), []byte(strconv.Itoa(i)),
			ouzel.QoS1, ouzel.WaitFor(ouzel.Queued)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	fmt.Println("ready")
	time.Sleep(time.Minute)
	return 2
}

func TestPersistence_MessagesQueuedByAKilledProcess_AreDeliveredByItsSuccessor(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	dir, id, topic := t.TempDir(), clientID(t), "go/durable/"+clientID(t)
	const n = 50
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "OUZEL_GO_HELPER=durable-publisher", "OUZEL_N="+strconv.Itoa(n),
		"OUZEL_URI="+b.URI(), "OUZEL_ID="+id, "OUZEL_DIR="+dir, "OUZEL_TOPIC="+topic)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- line
	}()
	select {
	case line := <-ready:
		if line != "ready\n" {
			t.Fatalf("helper said %q", line)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("helper not ready within 20s")
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()

	sub := connected(t, b, ouzel.Options{})
	got := make(chan *ouzel.Message, n)
	if _, err := sub.Subscribe(ctx(t), topic, ouzel.QoS1, ouzel.WithChannel(got)); err != nil {
		t.Fatal(err)
	}
	successor := newClient(t, b, ouzel.Options{ClientID: id, KeepSession: true,
		Persistence: &ouzel.PersistenceOptions{Dir: dir}})
	rep, err := successor.PersistenceReport()
	if err != nil || !rep.Enabled || rep.Outgoing != n {
		t.Fatalf("report %+v, %v: want %d outgoing messages restored", rep, err, n)
	}
	if _, err := successor.Connect(ctx(t)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if m := recv(t, got); string(m.Payload) != strconv.Itoa(i) {
			t.Fatalf("message %d: %q", i, m.Payload)
		}
	}
}
