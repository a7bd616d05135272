package capi

/*
#cgo noescape goz_poll
#cgo nocallback goz_poll
#cgo noescape goz_event_props
#cgo nocallback goz_event_props
#cgo noescape goz_release
#cgo nocallback goz_release
#cgo nocallback goz_events_clone
#include "shim.h"
*/
import "C"

import (
	"unsafe"
)

// Batch is an event array for Poll (C memory: the library writes its pointers into it) and the
// Go-side scratch space where the poll encodes the events' properties in the same crossing.
type Batch struct {
	ev      *C.ouzel_event
	cap     int
	scratch []byte
	off     []C.size_t
	len     []C.size_t
	ids     []uint64 // RouteBatch's ids, event after event
	idCount []C.size_t
	idOff   []int
}

const eventSize = unsafe.Sizeof(C.ouzel_event{})

// NewBatch allocates room for `capacity` events and `scratch` bytes of encoded properties.
func NewBatch(capacity, scratch int) *Batch {
	ev := C.goz_events_new(C.size_t(capacity))
	if ev == nil {
		panic("ouzel: out of memory allocating an event batch")
	}
	return &Batch{
		ev: ev, cap: capacity, scratch: make([]byte, scratch),
		off: make([]C.size_t, capacity), len: make([]C.size_t, capacity),
		ids: make([]uint64, 4*capacity), idCount: make([]C.size_t, capacity),
		idOff: make([]int, capacity),
	}
}

// Free releases the array (its events must have been released first).
func (b *Batch) Free() {
	C.goz_events_free(b.ev)
	b.ev = nil
}

// Cap is how many events one Poll may return into this batch.
func (b *Batch) Cap() int { return b.cap }

func (b *Batch) at(i int) *C.ouzel_event {
	return (*C.ouzel_event)(unsafe.Add(unsafe.Pointer(b.ev), uintptr(i)*eventSize))
}

// Poll is ouzel_client_poll_events into b, which must hold no unreleased events. It returns how
// many events arrived (0 after the timeout or InterruptPoll).
func (c Client) Poll(b *Batch, timeoutMs int) (int, error) {
	e := newErr()
	n := C.goz_poll(c.p, b.ev, C.size_t(b.cap), C.int32_t(timeoutMs),
		(*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b.scratch))), C.size_t(len(b.scratch)),
		&b.off[0], &b.len[0], &e)
	if n < 0 {
		return 0, fail(n, &e)
	}
	return int(n), nil
}

// Release is ouzel_client_release_events for events [from, from+count) of b.
func (c Client) Release(b *Batch, from, count int) error {
	if count == 0 {
		return nil
	}
	e := newErr()
	if rc := C.goz_release(c.p, b.at(from), C.size_t(count), &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// Event types (OUZEL_EVENT_*).
const (
	EventConnected       = C.OUZEL_EVENT_CONNECTED
	EventConnectFailed   = C.OUZEL_EVENT_CONNECT_FAILED
	EventDisconnected    = C.OUZEL_EVENT_DISCONNECTED
	EventMessage         = C.OUZEL_EVENT_MESSAGE
	EventPublishDone     = C.OUZEL_EVENT_PUBLISH_DONE
	EventSubscribeDone   = C.OUZEL_EVENT_SUBSCRIBE_DONE
	EventUnsubscribeDone = C.OUZEL_EVENT_UNSUBSCRIBE_DONE
	EventAuth            = C.OUZEL_EVENT_AUTH
	EventLog             = C.OUZEL_EVENT_LOG
)

// Event is a polled ouzel_event copied into Go memory: nothing in it points into C.
type Event struct {
	Type           int32
	Error          int32
	ReasonCode     int32
	SessionPresent bool
	ByServer       bool
	Mid            int32
	QoS            int32
	Retain         bool
	Dup            bool
	State          int32
	DropReason     int32
	Level          int32
	Token          uint64
	Topic          string
	Payload        []byte
	Props          []byte // encoded property list (see shim.h), nil when none
	ReasonCodes    []byte
	Text           string
}

// Type is the type of event i, read without copying anything else.
func (b *Batch) Type(i int) int32 { return int32(b.at(i)._type) }

// Token and State of a PUBLISH_DONE event i, read without copying anything else.
func (b *Batch) Token(i int) uint64 { return uint64(b.at(i).token) }

// Decode copies event i into out. Properties that did not fit the scratch space cost one more
// crossing.
func (b *Batch) Decode(i int, out *Event) {
	ev := b.at(i)
	*out = Event{
		Type: int32(ev._type), Error: int32(ev.error), ReasonCode: int32(ev.reason_code),
		SessionPresent: ev.session_present != 0, ByServer: ev.by_server != 0,
		Mid: int32(ev.mid), QoS: int32(ev.qos), Retain: ev.retain != 0, Dup: ev.dup != 0,
		State: int32(ev.state), DropReason: int32(ev.drop_reason), Level: int32(ev.level),
		Token: uint64(ev.token),
	}
	if ev.topic_len > 0 {
		out.Topic = C.GoStringN(ev.topic, C.int(ev.topic_len))
	}
	if ev._type == C.OUZEL_EVENT_MESSAGE {
		// Never nil for a message, so an empty payload reads as []byte{}.
		out.Payload = C.GoBytes(ev.payload, C.int(ev.payload_len))
	}
	if ev.reason_code_count > 0 {
		out.ReasonCodes = C.GoBytes(unsafe.Pointer(ev.reason_codes), C.int(ev.reason_code_count))
	}
	if ev.text_len > 0 {
		out.Text = C.GoStringN(ev.text, C.int(ev.text_len))
	}
	if n := int(b.len[i]); n > 0 {
		out.Props = make([]byte, n)
		if off := b.off[i]; off != ^C.size_t(0) {
			copy(out.Props, b.scratch[off:int(off)+n])
		} else {
			got := C.goz_event_props(ev, (*C.uint8_t)(unsafe.Pointer(&out.Props[0])), C.size_t(n))
			out.Props = out.Props[:got]
		}
	}
}

// SetAckOnRelease sets event i's ack_on_release (MESSAGE events): false withholds the
// acknowledgement when the event is released.
func (b *Batch) SetAckOnRelease(i int, ack bool) {
	v := C.int32_t(0)
	if ack {
		v = 1
	}
	b.at(i).ack_on_release = v
}

// Held is a copy of a polled batch's first n events, in its own C array of exactly n, for the
// dispatcher to release later; the Batch can poll again at once.
type Held struct {
	ev *C.ouzel_event
	n  int
}

// Hold copies b's first n events (which then must be released through the Held, not b).
func (b *Batch) Hold(n int) *Held {
	ev := C.goz_events_clone(b.ev, C.size_t(n))
	if ev == nil {
		panic("ouzel: out of memory holding an event batch")
	}
	return &Held{ev: ev, n: n}
}

func (h *Held) at(i int) *C.ouzel_event {
	return (*C.ouzel_event)(unsafe.Add(unsafe.Pointer(h.ev), uintptr(i)*eventSize))
}

// SetAckOnRelease is Batch.SetAckOnRelease for held events.
func (h *Held) SetAckOnRelease(i int, ack bool) {
	v := C.int32_t(0)
	if ack {
		v = 1
	}
	h.at(i).ack_on_release = v
}

// ReleaseHeld is ouzel_client_release_events for held events [from, from+count).
func (c Client) ReleaseHeld(h *Held, from, count int) error {
	if count == 0 {
		return nil
	}
	e := newErr()
	if rc := C.goz_release(c.p, h.at(from), C.size_t(count), &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// Free frees the copy's array; its events must have been released (or the client freed).
func (h *Held) Free() {
	C.goz_events_free(h.ev)
	h.ev = nil
}

// Topic of event i (a MESSAGE), copied.
func (b *Batch) Topic(i int) string {
	ev := b.at(i)
	return C.GoStringN(ev.topic, C.int(ev.topic_len))
}
