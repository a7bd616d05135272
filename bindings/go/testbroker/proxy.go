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

// Proxy is a real proxy on a free loopback port: Debian's tinyproxy (HTTP CONNECT) or danted
// (SOCKS5 without authentication).
type Proxy struct {
	Kind string // "http" or "socks5"
	Port int
	cmd  *exec.Cmd
}

func proxyPath(kind string) string {
	if kind == "http" {
		return "/usr/bin/tinyproxy"
	}
	return "/usr/sbin/danted"
}

// ProxyAvailable reports whether the proxy of kind is installed (scripts/setup installs both).
func ProxyAvailable(kind string) bool {
	_, err := os.Stat(proxyPath(kind))
	return err == nil
}

// StartProxy starts a proxy of kind ("http", "socks5") with its files in dir.
func StartProxy(dir, kind string) (*Proxy, error) {
	p := &Proxy{Kind: kind, Port: FreePort()}
	me := "root"
	if os.Geteuid() != 0 {
		me = fmt.Sprint(os.Geteuid())
	}
	conf := filepath.Join(dir, kind+".conf")
	var lines, argv []string
	if kind == "http" {
		lines = []string{fmt.Sprintf("Port %d", p.Port), "Listen 127.0.0.1", "Timeout 600",
			"LogLevel Info", "MaxClients 64", "Allow 127.0.0.1"}
		argv = []string{proxyPath(kind), "-d", "-c", conf}
	} else {
		lines = []string{"logoutput: stderr", fmt.Sprintf("internal: 127.0.0.1 port = %d", p.Port),
			"external: 127.0.0.1", "socksmethod: none", "clientmethod: none",
			"user.privileged: " + me, "user.unprivileged: " + me, "timeout.negotiate: 10",
			"client pass { from: 127.0.0.1/32 to: 0.0.0.0/0 log: error }",
			"socks pass { from: 127.0.0.1/32 to: 0.0.0.0/0 log: error }"}
		argv = []string{proxyPath(kind), "-f", conf, "-N", "1"}
	}
	if err := os.WriteFile(conf, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(dir, kind+".log"))
	if err != nil {
		return nil, err
	}
	defer log.Close()
	p.cmd = exec.Command(argv[0], argv[1:]...)
	p.cmd.Stdout, p.cmd.Stderr = log, log
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", p.Port), time.Second); err == nil {
			c.Close()
			return p, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Stop()
	return nil, fmt.Errorf("%s proxy did not listen within 10s", kind)
}

// URI is the proxy as an Options.Proxy.URI (socks5h: the proxy resolves the broker's name).
func (p *Proxy) URI() string {
	if p.Kind == "http" {
		return fmt.Sprintf("http://127.0.0.1:%d", p.Port)
	}
	return fmt.Sprintf("socks5h://127.0.0.1:%d", p.Port)
}

// Stop kills the proxy.
func (p *Proxy) Stop() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		_ = p.cmd.Wait()
		p.cmd = nil
	}
}
