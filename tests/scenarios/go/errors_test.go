package scenarios

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

func TestS09_TLSWithClientCertificate(t *testing.T) {
	s := scenario(t, "S09")
	uri := fmt.Sprintf("mqtts://%s:%s", env("HOST", "127.0.0.1"), s.port("TLS"))
	tls := func(ca string) *ouzel.TLSOptions {
		return &ouzel.TLSOptions{CAFile: ca, CertFile: env("CLIENT_CERT", ""), KeyFile: env("CLIENT_KEY", "")}
	}
	topic := s.unique("tls")
	c := s.connected(ouzel.Options{Servers: []string{uri}, TLS: tls(env("CA", ""))})
	in := s.inbox(c, topic, ouzel.QoS1, 1)
	_, err := c.Publish(s.ctx(), topic, []byte("secure"), ouzel.QoS1)
	s.check(err, "publish over TLS")
	s.next(in, "message over TLS")

	wrong := s.client(ouzel.Options{Servers: []string{uri}, TLS: tls(env("OTHER_CA", "")), NoReconnect: true})
	_, err = wrong.Connect(s.ctx())
	if !errors.Is(err, ouzel.ErrTLS) {
		s.Fatalf("trusting another CA: %v, want ErrTLS", err)
	}
	if !strings.Contains(err.Error(), "certificate") {
		s.Fatalf("the TLS error does not name the cause: %v", err)
	}
}

func TestS15_InvalidTopic(t *testing.T) {
	s := scenario(t, "S15")
	c := s.connected(ouzel.Options{})
	before, err := c.Stats()
	s.check(err, "Stats")
	_, err = c.Publish(s.ctx(), "a/+/b", []byte("x"), ouzel.QoS1)
	if !errors.Is(err, ouzel.ErrInvalid) {
		s.Fatalf("publish to a/+/b: %v, want ErrInvalid", err)
	}
	after, err := c.Stats()
	s.check(err, "Stats")
	if after.BytesSent != before.BytesSent || after.MessagesSent != before.MessagesSent {
		s.Fatalf("something was sent: %d bytes before, %d after", before.BytesSent, after.BytesSent)
	}
}

func TestS16_MessageTooLarge(t *testing.T) {
	s := scenario(t, "S16")
	limit, err := strconv.Atoi(env("MAX_PACKET_SIZE", ""))
	if err != nil {
		s.Skipf("OUZEL_SCEN_MAX_PACKET_SIZE is not set: run through tests/scenarios/driver.py")
	}
	// MQTT 5: the server states its Maximum Packet Size in CONNACK.
	c := s.connected(ouzel.Options{Servers: []string{s.uri("LIMIT")}, Version: ouzel.MQTT5})
	before, err := c.Stats()
	s.check(err, "Stats")
	_, err = c.Publish(s.ctx(), s.unique("big"), make([]byte, limit+1), ouzel.QoS1)
	if !errors.Is(err, ouzel.ErrTooLarge) {
		s.Fatalf("a payload over %d bytes: %v, want ErrTooLarge", limit, err)
	}
	after, err := c.Stats()
	s.check(err, "Stats")
	if after.BytesSent != before.BytesSent {
		s.Fatalf("%d bytes were sent", after.BytesSent-before.BytesSent)
	}
	_, err = c.Publish(s.ctx(), s.unique("small"), make([]byte, 10), ouzel.QoS1)
	s.check(err, "a small message after the refusal")
}
