// Package testbroker starts a real Mosquitto for tests (the binding's own, its examples', and an
// application's): free loopback ports, a generated configuration in a fresh directory, listeners
// as asked (plain, WebSocket, TLS with certificates generated at start, wss), an optional
// password file. Every wait is bounded; Stop kills the broker (register it with t.Cleanup).
package testbroker

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Config chooses the listeners and settings of a broker.
type Config struct {
	WebSocket bool              // a ws:// listener (and wss:// with TLS)
	TLS       bool              // an mqtts:// listener with certificates from NewCerts
	ClientCA  bool              // TLS listeners require a client certificate
	Users     map[string]string // a password file; anonymous access off
	Persist   bool              // mosquitto persistence (kept across Restart)
	Extra     []string          // more configuration lines
}

// Broker is a running Mosquitto.
type Broker struct {
	cfg                            Config
	Dir                            string
	Certs                          *Certs
	Port, WSPort, TLSPort, WSSPort int
	cmd                            *exec.Cmd
}

// Path of the mosquitto binary ($OUZEL_MOSQUITTO or /usr/sbin/mosquitto).
func Path() string {
	if p := os.Getenv("OUZEL_MOSQUITTO"); p != "" {
		return p
	}
	return "/usr/sbin/mosquitto"
}

// Available reports whether mosquitto can be run here.
func Available() bool {
	_, err := os.Stat(Path())
	return err == nil
}

// Start starts a broker; dir is a fresh directory the caller removes (t.TempDir()).
func Start(dir string, cfg Config) (*Broker, error) {
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	b := &Broker{cfg: cfg, Dir: dir}
	if cfg.TLS {
		c, err := NewCerts(filepath.Join(dir, "certs"))
		if err != nil {
			return nil, err
		}
		b.Certs = c
	}
	var last error
	for attempt := 0; attempt < 5; attempt++ {
		b.pickPorts()
		if err := b.start(); err != nil {
			last = err
			continue
		}
		return b, nil
	}
	return nil, last
}

func (b *Broker) pickPorts() {
	b.Port = FreePort()
	if b.cfg.WebSocket {
		b.WSPort = FreePort()
	}
	if b.cfg.TLS {
		b.TLSPort = FreePort()
	}
	if b.cfg.TLS && b.cfg.WebSocket {
		b.WSSPort = FreePort()
	}
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (b *Broker) config() (string, error) {
	var l []string
	add := func(s ...string) { l = append(l, s...) }
	add(fmt.Sprintf("listener %d 127.0.0.1", b.Port), "socket_domain ipv4")
	tls := func() {
		add("cafile "+b.Certs.CAFile, "certfile "+b.Certs.ServerCert, "keyfile "+b.Certs.ServerKey)
		if b.cfg.ClientCA {
			add("require_certificate true")
		}
	}
	if b.WSPort != 0 {
		add(fmt.Sprintf("listener %d 127.0.0.1", b.WSPort), "protocol websockets", "socket_domain ipv4")
	}
	if b.TLSPort != 0 {
		add(fmt.Sprintf("listener %d 127.0.0.1", b.TLSPort), "socket_domain ipv4")
		tls()
	}
	if b.WSSPort != 0 {
		add(fmt.Sprintf("listener %d 127.0.0.1", b.WSSPort), "protocol websockets", "socket_domain ipv4")
		tls()
	}
	if len(b.cfg.Users) > 0 {
		pw := filepath.Join(b.Dir, "passwd")
		if err := os.WriteFile(pw, nil, 0o644); err != nil {
			return "", err
		}
		for u, p := range b.cfg.Users {
			out, err := exec.Command("mosquitto_passwd", "-b", pw, u, p).CombinedOutput()
			if err != nil {
				return "", fmt.Errorf("mosquitto_passwd: %v: %s", err, out)
			}
		}
		_ = os.Chmod(pw, 0o644)
		add("password_file "+pw, "allow_anonymous false")
	} else {
		add("allow_anonymous true")
	}
	if b.cfg.Persist {
		add("persistence true", "persistence_location "+b.Dir+"/", "autosave_interval 0")
	}
	if os.Geteuid() == 0 {
		add("user root")
	}
	add("log_dest file "+filepath.Join(b.Dir, "mosquitto.log"), "log_type error", "log_type warning",
		"log_type notice", "log_type information")
	add(b.cfg.Extra...)
	return strings.Join(l, "\n") + "\n", nil
}

func (b *Broker) start() error {
	conf, err := b.config()
	if err != nil {
		return err
	}
	path := filepath.Join(b.Dir, "mosquitto.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return err
	}
	cmd := exec.Command(Path(), "-c", path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	b.cmd = cmd
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("mosquitto exited at start:\n%s", b.Log())
		default:
		}
		if b.listening() {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.kill(syscall.SIGKILL)
	return fmt.Errorf("mosquitto did not listen within 10s:\n%s", b.Log())
}

func (b *Broker) listening() bool {
	for _, p := range []int{b.Port, b.WSPort, b.TLSPort, b.WSSPort} {
		if p == 0 {
			continue
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", p), time.Second)
		if err != nil {
			return false
		}
		c.Close()
	}
	return true
}

func (b *Broker) kill(sig syscall.Signal) {
	if b.cmd == nil || b.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-b.cmd.Process.Pid, sig)
	done := make(chan struct{})
	go func() {
		for {
			if err := syscall.Kill(b.cmd.Process.Pid, 0); err != nil {
				close(done)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	b.cmd = nil
}

// Stop kills the broker (SIGKILL: no will suppression, no saved state).
func (b *Broker) Stop() { b.kill(syscall.SIGKILL) }

// Terminate stops it with SIGTERM (it saves its persistence file).
func (b *Broker) Terminate() { b.kill(syscall.SIGTERM) }

// Restart stops the broker (SIGTERM) and starts it again on the same ports, retrying while a
// port is still held; bounded by 20s.
func (b *Broker) Restart() error {
	b.Terminate()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := b.start()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Log is the broker's log so far.
func (b *Broker) Log() string {
	data, _ := os.ReadFile(filepath.Join(b.Dir, "mosquitto.log"))
	return string(data)
}

// URI of the plain listener.
func (b *Broker) URI() string { return fmt.Sprintf("mqtt://127.0.0.1:%d", b.Port) }

// WSURI of the WebSocket listener.
func (b *Broker) WSURI() string { return fmt.Sprintf("ws://127.0.0.1:%d/mqtt", b.WSPort) }

// TLSURI of the TLS listener.
func (b *Broker) TLSURI() string { return fmt.Sprintf("mqtts://127.0.0.1:%d", b.TLSPort) }

// WSSURI of the WebSocket-over-TLS listener.
func (b *Broker) WSSURI() string { return fmt.Sprintf("wss://127.0.0.1:%d/mqtt", b.WSSPort) }
