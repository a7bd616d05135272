package ouzel

import (
	"fmt"
	"sync/atomic"

	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// QoS is an MQTT quality of service level. As a PublishOption it sets the message's QoS.
type QoS byte

// The three levels.
const (
	QoS0 QoS = 0 // at most once
	QoS1 QoS = 1 // at least once
	QoS2 QoS = 2 // exactly once
)

// ReasonCode is an MQTT reason code (MQTT 5), or a CONNACK return code / SUBACK granted QoS in
// MQTT 3.1.1.
type ReasonCode byte

// String is the code in hex (names by packet come with the library's protocol tables).
func (r ReasonCode) String() string { return fmt.Sprintf("0x%02X", byte(r)) }

// IsError reports whether the code reports a failure (0x80 and above).
func (r ReasonCode) IsError() bool { return r >= 0x80 }

// Message is a received message. Everything in it is the application's: it may be kept, and its
// Payload changed, after the handler returns.
type Message struct {
	Topic      string
	Payload    []byte // never nil (empty for an empty payload)
	QoS        QoS
	Retain     bool
	Duplicate  bool
	PacketID   uint16 // 0 for QoS 0
	Properties Properties

	client   *client
	withheld atomic.Bool
}

// Ack acknowledges a QoS 1/2 message when the client was created with ManualAck, or one whose
// acknowledgement WithholdAck kept back (otherwise the binding acknowledges after the handler
// returns and Ack does nothing). Acknowledgements may be given in any order and from any
// goroutine; the library sends them in arrival order.
func (m *Message) Ack() error {
	if m.client == nil || m.QoS == QoS0 || (!m.client.opts.ManualAck && !m.withheld.Load()) {
		return nil
	}
	return m.client.ack(int32(m.PacketID))
}

// WithholdAck, called by a handler, keeps back the acknowledgement of this QoS 1/2 message
// (the handler failed): it holds one slot of the server's send window until Ack or the end of
// the connection, and a kept session gets it again (DUP set) on the next connection. Later
// messages' acknowledgements wait behind it (MQTT sends them in order). Without ManualAck only.
func (m *Message) WithholdAck() {
	if m.client != nil && !m.client.opts.ManualAck && m.QoS != QoS0 {
		m.withheld.Store(true)
	}
}

// DeliveryState is where an outgoing message is.
type DeliveryState int

// Delivery states (capi/include/ouzel/client.h).
const (
	Queued       DeliveryState = capi.DeliveryQueued       // accepted, waiting for the connection or the in-flight window
	InFlight     DeliveryState = capi.DeliveryInflight     // sent, waiting for its acknowledgement
	Acknowledged DeliveryState = capi.DeliveryAcknowledged // QoS 0: written; QoS 1: PUBACK; QoS 2: PUBCOMP
	Expired      DeliveryState = capi.DeliveryExpired      // its Message Expiry Interval passed
	Dropped      DeliveryState = capi.DeliveryDropped      // given up (see DropReason)
)

func (s DeliveryState) String() string {
	switch s {
	case Queued:
		return "queued"
	case InFlight:
		return "in flight"
	case Acknowledged:
		return "acknowledged"
	case Expired:
		return "expired"
	case Dropped:
		return "dropped"
	}
	return fmt.Sprintf("DeliveryState(%d)", int(s))
}

// Final reports whether no further state can follow.
func (s DeliveryState) Final() bool { return s >= Acknowledged }

// DropReason says why a message was dropped.
type DropReason int

// Drop reasons.
const (
	NotDropped         DropReason = capi.DropNone
	DropQueueFull      DropReason = capi.DropQueueFull
	DropSessionLost    DropReason = capi.DropSessionLost
	DropTooLarge       DropReason = capi.DropTooLarge
	DropRejected       DropReason = capi.DropRejected // the server refused it (Delivery.ReasonCode)
	DropConnectionLost DropReason = capi.DropConnectionLost
	DropCancelled      DropReason = capi.DropCancelled // the client was closed
)

func (d DropReason) String() string {
	switch d {
	case NotDropped:
		return "not dropped"
	case DropQueueFull:
		return "queue full"
	case DropSessionLost:
		return "session lost"
	case DropTooLarge:
		return "too large"
	case DropRejected:
		return "rejected by the server"
	case DropConnectionLost:
		return "connection lost"
	case DropCancelled:
		return "cancelled"
	}
	return fmt.Sprintf("DropReason(%d)", int(d))
}

// Delivery is what Publish knows about a message: its token (for DeliveryStatus), packet
// identifier, and the state reached.
type Delivery struct {
	Token      uint64
	PacketID   uint16
	QoS        QoS
	State      DeliveryState
	DropReason DropReason
	ReasonCode ReasonCode // PUBACK / PUBREC / PUBCOMP reason code (MQTT 5), else 0
	Properties Properties // PUBACK / PUBCOMP properties (MQTT 5)
}
