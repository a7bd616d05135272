package testbroker

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"testing"
)

func TestStart_AllListeners_AcceptAndRestartOnSamePorts(t *testing.T) {
	if !Available() {
		t.Skip("mosquitto not installed (scripts/setup installs it)")
	}
	b, err := Start(t.TempDir(), Config{WebSocket: true, TLS: true, Users: map[string]string{"u": "p"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	pool := x509.NewCertPool()
	pem, _ := os.ReadFile(b.Certs.CAFile)
	pool.AppendCertsFromPEM(pem)
	conn, err := tls.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", b.TLSPort), &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatalf("TLS listener with the generated CA: %v", err)
	}
	conn.Close()
	port := b.Port
	if err := b.Restart(); err != nil {
		t.Fatal(err)
	}
	if b.Port != port || !b.listening() {
		t.Fatalf("after Restart: port %d (was %d), listening %v", b.Port, port, b.listening())
	}
}
