package capi

/*
#cgo noescape goz_client_new
#cgo nocallback goz_client_new
#cgo noescape goz_client_set_options
#cgo nocallback goz_client_set_options
#cgo noescape goz_connect
#cgo nocallback goz_connect
#cgo noescape goz_reconnect
#cgo nocallback goz_reconnect
#cgo noescape goz_disconnect
#cgo nocallback goz_disconnect
#cgo noescape goz_publish
#cgo nocallback goz_publish
#cgo noescape goz_subscribe
#cgo nocallback goz_subscribe
#cgo noescape goz_unsubscribe
#cgo nocallback goz_unsubscribe
#cgo noescape goz_ack
#cgo nocallback goz_ack
#cgo noescape goz_delivery_status
#cgo nocallback goz_delivery_status
#cgo noescape goz_auth
#cgo nocallback goz_auth
#cgo noescape goz_stats
#cgo nocallback goz_stats
#cgo noescape goz_persistence_report
#cgo nocallback goz_persistence_report
#cgo nocallback ouzel_client_free
#cgo nocallback ouzel_client_interrupt_poll
#cgo nocallback ouzel_client_is_connected
#cgo nocallback ouzel_client_state
#cgo nocallback ouzel_client_event_fd
#include "shim.h"
*/
import "C"

import (
	"unsafe"
)

// Client is an ouzel_client created with the event queue and its loop thread running. The zero
// value is not a client. Methods must not be called after Free (package ouzel guarantees it).
type Client struct{ p *C.ouzel_client }

// NewClient is ouzel_options_new + the encoded options + ouzel_client_new +
// ouzel_client_loop_start, in one crossing.
func NewClient(opts []byte) (Client, error) {
	e := newErr()
	var p *C.ouzel_client
	if rc := C.goz_client_new(&p, ptr(opts), C.size_t(len(opts)), &e); rc < 0 {
		return Client{}, fail(rc, &e)
	}
	return Client{p}, nil
}

// Free is ouzel_client_free: stops the loop thread, closes without DISCONNECT, frees. Blocks
// until a poll in progress has returned.
func (c Client) Free() { C.ouzel_client_free(c.p) }

// SetOptions is ouzel_client_set_options with encoded options.
func (c Client) SetOptions(opts []byte, firstConnection bool) error {
	e := newErr()
	var flags C.uint32_t
	if firstConnection {
		flags = C.OUZEL_SET_OPTIONS_FIRST_CONNECTION
	}
	if rc := C.goz_client_set_options(c.p, ptr(opts), C.size_t(len(opts)), flags, &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// Connect is ouzel_client_connect.
func (c Client) Connect() error {
	e := newErr()
	if rc := C.goz_connect(c.p, &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// Reconnect is ouzel_client_reconnect.
func (c Client) Reconnect() error {
	e := newErr()
	if rc := C.goz_reconnect(c.p, &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// Disconnect is ouzel_client_disconnect with encoded properties.
func (c Client) Disconnect(reason int, props []byte) error {
	e := newErr()
	if rc := C.goz_disconnect(c.p, C.int32_t(reason), ptr(props), C.size_t(len(props)), &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// State is ouzel_client_state (OUZEL_STATE_*).
func (c Client) State() int { return int(C.ouzel_client_state(c.p)) }

// IsConnected is ouzel_client_is_connected.
func (c Client) IsConnected() bool { return C.ouzel_client_is_connected(c.p) != 0 }

// Publish is ouzel_client_publish. The topic and payload are read in place (the library copies
// them); props is an encoded property list or nil.
func (c Client) Publish(topic string, payload []byte, qos int, retain bool, props []byte) (token uint64, mid int32, err error) {
	e := newErr()
	var tok C.uint64_t
	var m C.int32_t
	r := C.int32_t(0)
	if retain {
		r = 1
	}
	rc := C.goz_publish(c.p, topic, unsafe.Pointer(unsafe.SliceData(payload)), C.size_t(len(payload)),
		C.int32_t(qos), r, ptr(props), C.size_t(len(props)), &tok, &m, &e)
	if rc < 0 {
		return uint64(tok), int32(m), fail(rc, &e)
	}
	return uint64(tok), int32(m), nil
}

// Subscribe is ouzel_client_subscribe with `count` encoded subscriptions.
func (c Client) Subscribe(subs []byte, count int, props []byte) (mid int32, err error) {
	e := newErr()
	var m C.int32_t
	rc := C.goz_subscribe(c.p, ptr(subs), C.size_t(len(subs)), C.size_t(count), ptr(props),
		C.size_t(len(props)), &m, &e)
	if rc < 0 {
		return 0, fail(rc, &e)
	}
	return int32(m), nil
}

// Unsubscribe is ouzel_client_unsubscribe with `count` encoded filters.
func (c Client) Unsubscribe(filters []byte, count int, props []byte) (mid int32, err error) {
	e := newErr()
	var m C.int32_t
	rc := C.goz_unsubscribe(c.p, ptr(filters), C.size_t(len(filters)), C.size_t(count), ptr(props),
		C.size_t(len(props)), &m, &e)
	if rc < 0 {
		return 0, fail(rc, &e)
	}
	return int32(m), nil
}

// Ack is ouzel_client_ack.
func (c Client) Ack(mid int32) error {
	e := newErr()
	if rc := C.goz_ack(c.p, C.int32_t(mid), &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// DeliveryStatus is ouzel_delivery_status.
type DeliveryStatus struct {
	State, DropReason, Mid, ReasonCode int32
}

// DeliveryStatus is ouzel_client_delivery_status.
func (c Client) DeliveryStatus(token uint64) (DeliveryStatus, error) {
	e := newErr()
	var s C.ouzel_delivery_status
	if rc := C.goz_delivery_status(c.p, C.uint64_t(token), &s, &e); rc < 0 {
		return DeliveryStatus{}, fail(rc, &e)
	}
	return DeliveryStatus{int32(s.state), int32(s.drop_reason), int32(s.mid), int32(s.reason_code)}, nil
}

// Auth is ouzel_client_auth_continue, or ouzel_client_reauthenticate when reauthenticate.
func (c Client) Auth(reauthenticate bool, props []byte) error {
	e := newErr()
	r := C.int32_t(0)
	if reauthenticate {
		r = 1
	}
	if rc := C.goz_auth(c.p, r, ptr(props), C.size_t(len(props)), &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// Stats is ouzel_client_stat for each of ids (StatMessagesSent, ...), in one crossing.
func (c Client) Stats(ids []int32) ([]int64, error) {
	e := newErr()
	out := make([]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	if rc := C.goz_stats(c.p, (*C.int32_t)(unsafe.Pointer(&ids[0])), (*C.int64_t)(unsafe.Pointer(&out[0])),
		C.size_t(len(ids)), &e); rc < 0 {
		return nil, fail(rc, &e)
	}
	return out, nil
}

// PersistenceReport is ouzel_persistence_report.
type PersistenceReport struct {
	Enabled, Created, Truncated                 bool
	Records, DiscardedBytes, Outgoing, Incoming uint64
	Summary                                     string
}

// PersistenceReport is ouzel_client_persistence_report.
func (c Client) PersistenceReport() (PersistenceReport, error) {
	e := newErr()
	var r C.ouzel_persistence_report
	var summary [1024]C.char
	if rc := C.goz_persistence_report(c.p, &r, &summary[0], C.size_t(len(summary)), &e); rc < 0 {
		return PersistenceReport{}, fail(rc, &e)
	}
	return PersistenceReport{
		Enabled: r.enabled != 0, Created: r.created != 0, Truncated: r.truncated != 0,
		Records: uint64(r.records), DiscardedBytes: uint64(r.discarded_bytes),
		Outgoing: uint64(r.outgoing), Incoming: uint64(r.incoming),
		Summary: C.GoString(&summary[0]),
	}, nil
}

// InterruptPoll is ouzel_client_interrupt_poll: a blocked Poll returns 0 at once.
func (c Client) InterruptPoll() { C.ouzel_client_interrupt_poll(c.p) }

// EventFD is ouzel_client_event_fd: readable while events wait (never read or close it).
func (c Client) EventFD() int { return int(C.ouzel_client_event_fd(c.p)) }
