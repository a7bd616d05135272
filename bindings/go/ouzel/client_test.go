package ouzel_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
	"github.com/ouzel-mqtt/ouzel/bindings/go/testbroker"
)

func TestPublishSubscribe_EveryQoS_BothVersions_ArriveInOrderByteIdentical(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	for _, v := range []ouzel.ProtocolVersion{ouzel.MQTT311, ouzel.MQTT5} {
		for _, qos := range []ouzel.QoS{ouzel.QoS0, ouzel.QoS1, ouzel.QoS2} {
			sub := connected(t, b, ouzel.Options{Version: v})
			ch := make(chan *ouzel.Message, 200)
			topic := "go/pubsub/" + clientID(t)
			if _, err := sub.Subscribe(ctx(t), topic, qos, ouzel.WithChannel(ch)); err != nil {
				t.Fatal(err)
			}
			pub := connected(t, b, ouzel.Options{Version: v})
			const n = 100
			for i := 0; i < n; i++ {
				payload := []byte{byte(i), 0, 0xff, byte(i >> 8)}
				if i == 0 {
					payload = []byte{}
				}
				d, err := pub.Publish(ctx(t), topic, payload, qos)
				if err != nil {
					t.Fatalf("v%d qos %d publish %d: %v", v, qos, i, err)
				}
				if d.State != ouzel.Acknowledged {
					t.Fatalf("publish %d state %v", i, d.State)
				}
			}
			for i := 0; i < n; i++ {
				m := recv(t, ch)
				want := []byte{byte(i), 0, 0xff, byte(i >> 8)}
				if i == 0 {
					want = []byte{}
				}
				if m.Topic != topic || m.QoS != qos || !bytes.Equal(m.Payload, want) {
					t.Fatalf("v%d qos %d message %d: topic %q qos %d payload %x", v, qos, i, m.Topic, m.QoS, m.Payload)
				}
			}
		}
	}
}

func TestPublish_InvalidTopic_IsErrInvalidWithTheRule(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	c := connected(t, b, ouzel.Options{})
	_, err := c.Publish(ctx(t), "a/+/b", []byte("x"), ouzel.QoS1)
	if !errors.Is(err, ouzel.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	var oe *ouzel.Error
	if !errors.As(err, &oe) || oe.Op != "publish" || oe.Message == "" {
		t.Fatalf("err = %#v", err)
	}
	t.Log(err)
}

func TestState_FollowsConnectAndDisconnect(t *testing.T) {
	b := startBroker(t, testbroker.Config{})
	c := newClient(t, b, ouzel.Options{})
	if s := c.State(); s != ouzel.Disconnected {
		t.Fatalf("before Connect: %v", s)
	}
	if _, err := c.Connect(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if s := c.State(); s != ouzel.Connected {
		t.Fatalf("after Connect: %v", s)
	}
	if err := c.Disconnect(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if s := c.State(); s != ouzel.Disconnected {
		t.Fatalf("after Disconnect: %v", s)
	}
}
