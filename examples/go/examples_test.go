// Each example runs against a real Mosquitto; paho-drop-in also runs with paho.mqtt.golang's
// import instead of pahocompat's, and both must print the same.
package examples_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

func broker(t *testing.T) *testbroker.Broker {
	if !testbroker.Available() {
		t.Skip("mosquitto not installed")
	}
	b, err := testbroker.Start(t.TempDir(), testbroker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	return b
}

// run builds the package in dir and runs it with args (bounded by the program's own waits and
// a 60 s kill).
func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "example")
	if out, err := exec.Command("go", "build", "-o", bin, dir).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", dir, err, out)
	}
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", dir, err, stdout.String(), stderr.String())
		}
	case <-timeAfter60s():
		cmd.Process.Kill()
		t.Fatalf("%s still running after 60s\n%s", dir, stdout.String())
	}
	return stdout.String()
}

func TestQuickstart(t *testing.T) {
	b := broker(t)
	out := run(t, "./quickstart", b.URI())
	for _, want := range []string{"connected to", "published to ouzel/quickstart/qos2: acknowledged",
		"received ouzel/quickstart/qos0 (QoS 0)", "received ouzel/quickstart/qos2 (QoS 2)", "disconnected"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestPahoDropIn_SameOutputAsPahoItself(t *testing.T) {
	b := broker(t)
	uri := fmt.Sprintf("tcp://127.0.0.1:%d", b.Port)
	ours := run(t, "./paho-drop-in", uri)

	// The same source with paho's import: a package inside this module, removed afterwards.
	src, err := os.ReadFile("paho-drop-in/main.go")
	if err != nil {
		t.Fatal(err)
	}
	const from = `mqtt "github.com/ouzel-mqtt/ouzel/bindings/go/pahocompat"`
	const to = `mqtt "github.com/eclipse/paho.mqtt.golang"`
	if !bytes.Contains(src, []byte(from)) {
		t.Fatalf("paho-drop-in/main.go no longer imports %s", from)
	}
	dir, err := os.MkdirTemp(".", "paho-twin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	twin := bytes.Replace(src, []byte(from), []byte(to), 1)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), twin, 0o644); err != nil {
		t.Fatal(err)
	}
	theirs := run(t, "./"+dir, uri)
	if ours != theirs {
		t.Fatalf("pahocompat printed:\n%s\npaho.mqtt.golang printed:\n%s", ours, theirs)
	}
	if !strings.Contains(ours, "MSG: this is msg #4!") || !strings.HasSuffix(ours, "done\n") {
		t.Fatalf("unexpected output:\n%s", ours)
	}
}

func timeAfter60s() <-chan time.Time { return time.After(60 * time.Second) }
