package scenarios

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

func TestS12_MQTT5UserProperties(t *testing.T) {
	s := scenario(t, "S12")
	topic := s.unique("t")
	sub := s.connected(ouzel.Options{Version: ouzel.MQTT5})
	in := s.inbox(sub, topic, ouzel.QoS1, 1)
	pub := s.connected(ouzel.Options{Version: ouzel.MQTT5})
	sent := ouzel.Properties{ouzel.User("k", "1"), ouzel.User("a", "2"), ouzel.User("k", "3"), ouzel.User("k", "1")}
	_, err := pub.Publish(s.ctx(), topic, []byte("p"), ouzel.QoS1, ouzel.WithProperties(sent))
	s.check(err, "publish")
	got := s.next(in, "message").Properties.Users()
	if len(got) != len(sent) {
		s.Fatalf("%d user properties arrived, %d sent", len(got), len(sent))
	}
	for i := range sent {
		if got[i].Key != sent[i].Key || !bytes.Equal(got[i].Bytes, sent[i].Bytes) {
			s.Fatalf("user property %d: %s=%s, sent %s=%s", i, got[i].Key, got[i].Bytes, sent[i].Key, sent[i].Bytes)
		}
	}
}

func TestS13_RequestResponse(t *testing.T) {
	s := scenario(t, "S13")
	requests, replies := s.unique("req"), s.unique("reply")
	responder := s.connected(ouzel.Options{Version: ouzel.MQTT5})
	_, err := responder.Subscribe(s.ctx(), requests, ouzel.QoS1, ouzel.WithHandler(func(m *ouzel.Message) {
		props := ouzel.Properties{ouzel.BinaryProperty(ouzel.CorrelationData, m.Properties.Bytes(ouzel.CorrelationData))}
		responder.Publish(s.ctx(), m.Properties.String(ouzel.ResponseTopic),
			append([]byte("re: "), m.Payload...), ouzel.QoS1, ouzel.WithProperties(props))
	}))
	s.check(err, "responder's Subscribe")
	requester := s.connected(ouzel.Options{Version: ouzel.MQTT5})
	in := s.inbox(requester, replies, ouzel.QoS1, 4)
	for i := 0; i < 3; i++ {
		corr := []byte{0, byte(i), 0xfe}
		_, err := requester.Publish(s.ctx(), requests, []byte(fmt.Sprint(i)), ouzel.QoS1,
			ouzel.WithProperties(ouzel.Properties{ouzel.StringProperty(ouzel.ResponseTopic, replies),
				ouzel.BinaryProperty(ouzel.CorrelationData, corr)}))
		s.check(err, "request")
		m := s.next(in, "response")
		if string(m.Payload) != fmt.Sprintf("re: %d", i) || !bytes.Equal(m.Properties.Bytes(ouzel.CorrelationData), corr) {
			s.Fatalf("response %q with correlation %x, want %q with %x", m.Payload,
				m.Properties.Bytes(ouzel.CorrelationData), fmt.Sprintf("re: %d", i), corr)
		}
	}
}

func TestS14_AutomaticTopicAlias(t *testing.T) {
	s := scenario(t, "S14")
	topic := s.unique("alias/with/a/long/enough/topic/name")
	sub := s.connected(ouzel.Options{Version: ouzel.MQTT5})
	in := s.inbox(sub, topic, ouzel.QoS1, 100)
	pub := s.connected(ouzel.Options{Version: ouzel.MQTT5, AutoTopicAlias: true})
	for i := 0; i < 100; i++ {
		_, err := pub.Publish(s.ctx(), topic, []byte{byte(i), 0, byte(i)}, ouzel.QoS1)
		s.check(err, fmt.Sprintf("publish %d", i))
	}
	for i := 0; i < 100; i++ {
		m := s.next(in, fmt.Sprintf("message %d", i))
		if m.Topic != topic || !bytes.Equal(m.Payload, []byte{byte(i), 0, byte(i)}) {
			s.Fatalf("message %d: %q %x", i, m.Topic, m.Payload)
		}
	}
}
