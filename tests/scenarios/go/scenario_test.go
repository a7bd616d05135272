// The Go column of the scenario suite (../README.md): each TestSNN_ runs one scenario through
// the binding's public API (package ouzel) against the driver's brokers, and the test framework
// writes its real outcome as a result line when the test ends.
package scenarios

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

// TestMain also lets the test binary be the child process that S05 and S21 kill.
func TestMain(m *testing.M) {
	if role := os.Getenv("OUZEL_SCEN_GO_CHILD"); role != "" {
		os.Exit(child(role))
	}
	os.Exit(m.Run())
}

// S is one scenario: a testing.T whose failures and skips keep their message for the result.
type S struct {
	*testing.T
	id     string
	detail string
}

var resultsMu sync.Mutex

// scenario starts scenario id; its result line is written when the test ends.
func scenario(t *testing.T, id string) *S {
	s := &S{T: t, id: id}
	start := time.Now()
	t.Cleanup(func() { s.record(time.Since(start)) })
	return s
}

func (s *S) Fatalf(format string, args ...any) {
	s.Helper()
	if s.detail == "" {
		s.detail = fmt.Sprintf(format, args...)
	}
	s.T.Fatalf(format, args...)
}

func (s *S) Skipf(format string, args ...any) {
	s.Helper()
	s.detail = fmt.Sprintf(format, args...)
	s.T.Skipf(format, args...)
}

func (s *S) check(err error, what string) {
	s.Helper()
	if err != nil {
		s.Fatalf("%s: %v", what, err)
	}
}

func (s *S) record(d time.Duration) {
	result := "pass"
	switch {
	case s.Failed():
		result = "fail"
		if s.detail == "" {
			s.detail = "the test failed (see the go test log)"
		}
	case s.Skipped():
		result = "skip"
	}
	line, _ := json.Marshal(map[string]any{"lang": env("LANG", "go"), "id": s.id, "result": result,
		"ms": d.Milliseconds(), "detail": strings.ReplaceAll(s.detail, "\n", " ")})
	path := os.Getenv("OUZEL_SCEN_RESULTS")
	if path == "" {
		return // run by hand: go test's own output is the result
	}
	resultsMu.Lock()
	defer resultsMu.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		s.Logf("cannot write the result: %v", err)
		return
	}
	defer f.Close()
	f.Write(append(line, '\n'))
}

// env reads OUZEL_SCEN_<name>.
func env(name, def string) string {
	if v := os.Getenv("OUZEL_SCEN_" + name); v != "" {
		return v
	}
	return def
}

func (s *S) port(name string) string {
	p := env(name+"_PORT", "")
	if p == "" {
		s.Skipf("OUZEL_SCEN_%s_PORT is not set: run through tests/scenarios/driver.py", name)
	}
	return p
}

// uri of a listener: "mqtt://HOST:PORT" for name "" (the default broker), "RESTART", ...
func (s *S) uri(name string) string {
	key := name
	if key == "" {
		key = "PORT"
	} else {
		key += "_PORT"
	}
	p := env(key, "")
	if p == "" {
		s.Skipf("OUZEL_SCEN_%s is not set: run through tests/scenarios/driver.py", key)
	}
	return "mqtt://" + env("HOST", "127.0.0.1") + ":" + p
}

// timeout is the bound for any single wait.
func timeout() time.Duration {
	n, err := strconv.Atoi(env("TIMEOUT", "20"))
	if err != nil || n <= 0 {
		n = 20
	}
	return time.Duration(n) * time.Second
}

func (s *S) ctx() context.Context {
	c, cancel := context.WithTimeout(context.Background(), timeout())
	s.Cleanup(cancel)
	return c
}

var seq atomic.Int64

// unique names a client or topic after the scenario.
func (s *S) unique(what string) string {
	return fmt.Sprintf("go-%s-%s-%d-%d", strings.ToLower(s.id), what, os.Getpid(), seq.Add(1))
}

// client creates a client (Servers defaulting to the default broker), closed when the test ends.
func (s *S) client(o ouzel.Options) *ouzel.Client {
	s.Helper()
	if o.Servers == nil {
		o.Servers = []string{s.uri("")}
	}
	if o.ClientID == "" && o.Version != ouzel.MQTT5 {
		o.ClientID = s.unique("c")
	}
	c, err := ouzel.NewClient(o)
	s.check(err, "NewClient")
	s.Cleanup(func() { c.Close() })
	return c
}

// connected is client + Connect.
func (s *S) connected(o ouzel.Options) *ouzel.Client {
	s.Helper()
	c := s.client(o)
	_, err := c.Connect(s.ctx())
	s.check(err, "Connect")
	return c
}

// inbox subscribes c to filter and returns the channel its messages arrive on.
func (s *S) inbox(c *ouzel.Client, filter string, qos ouzel.QoS, size int) chan *ouzel.Message {
	s.Helper()
	ch := make(chan *ouzel.Message, size)
	_, err := c.Subscribe(s.ctx(), filter, qos, ouzel.WithChannel(ch))
	s.check(err, "Subscribe "+filter)
	return ch
}

// next waits (bounded) for the next message.
func (s *S) next(ch <-chan *ouzel.Message, what string) *ouzel.Message {
	s.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(timeout()):
		s.Fatalf("no %s within %v", what, timeout())
		return nil
	}
}

// quiet fails if a message arrives on ch within d.
func (s *S) quiet(ch <-chan *ouzel.Message, d time.Duration, why string) {
	s.Helper()
	select {
	case m := <-ch:
		s.Fatalf("%s, yet a message arrived on %q: %q", why, m.Topic, m.Payload)
	case <-time.After(d):
	}
}

// startChild runs this test binary as child `role` with env, waits for its "ready" line and
// returns it for the caller to kill.
func (s *S) startChild(role string, env ...string) *exec.Cmd {
	s.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(append(os.Environ(), "OUZEL_SCEN_GO_CHILD="+role), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	s.check(err, "child stdout")
	s.check(cmd.Start(), "start the child")
	s.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- line
	}()
	select {
	case line := <-ready:
		if line != "ready\n" {
			s.Fatalf("the child said %q instead of ready", line)
		}
	case <-time.After(timeout()):
		s.Fatalf("the child was not ready within %v", timeout())
	}
	return cmd
}

// child is the process S05 and S21 kill: it connects with a will (S05) or queues QoS 1 messages
// in a persistence directory (S21), says "ready", and waits to be killed.
func child(role string) int {
	ctx, cancel := context.WithTimeout(context.Background(), timeout())
	defer cancel()
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "child:", err); return 1 }
	switch role {
	case "will":
		c, err := ouzel.NewClient(ouzel.Options{Servers: []string{os.Getenv("CHILD_URI")},
			ClientID: os.Getenv("CHILD_ID"), Will: &ouzel.Will{Topic: os.Getenv("CHILD_TOPIC"),
				Payload: []byte("gone"), QoS: ouzel.QoS1}})
		if err != nil {
			return fail(err)
		}
		if _, err := c.Connect(ctx); err != nil {
			return fail(err)
		}
	case "durable":
		n, _ := strconv.Atoi(os.Getenv("CHILD_N"))
		c, err := ouzel.NewClient(ouzel.Options{Servers: []string{os.Getenv("CHILD_URI")},
			ClientID: os.Getenv("CHILD_ID"), KeepSession: true,
			Persistence: &ouzel.PersistenceOptions{Dir: os.Getenv("CHILD_DIR")}})
		if err != nil {
			return fail(err)
		}
		for i := 0; i < n; i++ { // offline: durably queued when Publish returns
			if _, err := c.Publish(ctx, os.Getenv("CHILD_TOPIC"), []byte(strconv.Itoa(i)), ouzel.QoS1,
				ouzel.WaitFor(ouzel.Queued)); err != nil {
				return fail(err)
			}
		}
	default:
		return fail(fmt.Errorf("unknown role %q", role))
	}
	fmt.Println("ready")
	time.Sleep(timeout() * 3)
	return 2
}
