package ouzel

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// Code is one of the C library's error codes (OUZEL_E*). The codes are also the sentinel
// errors: errors.Is(err, ouzel.ErrInvalid) is true for any error this package returns with that
// code.
type Code int

func (c Code) Error() string { return "ouzel: " + capi.Strerror(int(c)) }

// The library's error codes (capi/include/ouzel/errors.h).
const (
	ErrInvalid      Code = capi.Einval      // an argument is invalid (topic, QoS, option, ...)
	ErrNoMemory     Code = capi.Enomem      // out of memory
	ErrNotConnected Code = capi.Enotconn    // not connected, and the operation cannot be queued
	ErrQueueFull    Code = capi.Equeuefull  // the outgoing queue (or the session store) is full
	ErrTimeout      Code = capi.Etimedout   // a connection attempt timed out
	ErrClosed       Code = capi.Eclosed     // the client is closed
	ErrRefused      Code = capi.Erefused    // the server refused (CONNACK failure, bad credentials)
	ErrProtocol     Code = capi.Eprotocol   // the server broke the protocol
	ErrTLS          Code = capi.Etls        // TLS handshake or verification failed
	ErrTooLarge     Code = capi.Etoolarge   // over a size limit (the server's Maximum Packet Size, ...)
	ErrBusy         Code = capi.Ebusy       // not allowed now, or the store is in use elsewhere
	ErrIO           Code = capi.Eio         // the network failed
	ErrNotSupported Code = capi.Enotsup     // not supported by this build or by the server
	ErrNotFound     Code = capi.Enotfound   // no such message, packet id or host name
	ErrVersion      Code = capi.Eversion    // a library version this binding does not know
	ErrInternal     Code = capi.Einternal   // a bug in Ouzel; the message says where
	ErrStore        Code = capi.Estore      // the session store failed
	errWouldBlock   Code = capi.Ewouldblock // not surfaced: the binding never runs the loop itself
)

// Outcomes of a publish that did not reach the state asked for.
var (
	// ErrDropped: the message was dropped (Delivery.DropReason says why: rejected by the server,
	// session lost, queue full, client closed, ...).
	ErrDropped = errors.New("ouzel: message dropped")
	// ErrExpired: the message's Message Expiry Interval passed before it could be sent.
	ErrExpired = errors.New("ouzel: message expired")
)

// Error is what every failing method returns (as error; use errors.As to read it).
type Error struct {
	Op      string // "connect", "publish", "subscribe", ...
	Code    Code   // the library's code; 0 when the failure is an outcome or a reason code only
	Message string // the library's detail ("topic contains the wildcard '+' at byte 3 ...")
	// ReasonCode is the MQTT reason code the server sent (CONNACK, PUBACK/PUBREC, SUBACK,
	// DISCONNECT), valid when HasReasonCode.
	ReasonCode    ReasonCode
	HasReasonCode bool
	// Delivery is set for publishes that ended without reaching the state asked for.
	Delivery *Delivery
	// Err is a wrapped cause: the context's error when a wait was stopped by it.
	Err error

	packet, version int // of the reason code, for its name
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("ouzel: ")
	b.WriteString(e.Op)
	msg := e.Message
	if msg == "" && e.Code != 0 {
		msg = capi.Strerror(int(e.Code))
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.HasReasonCode && !strings.Contains(msg, fmt.Sprintf("0x%02X", byte(e.ReasonCode))) {
		fmt.Fprintf(&b, " (reason code 0x%02X", byte(e.ReasonCode))
		if e.packet != 0 {
			if name := capi.ReasonCodeName(e.version, e.packet, int(e.ReasonCode)); name != "" {
				b.WriteString(" ")
				b.WriteString(name)
			}
		}
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether target is this error's Code, or ErrDropped / ErrExpired for a delivery
// that ended that way.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Code:
		return e.Code != 0 && t == e.Code
	}
	if e.Delivery != nil {
		return (target == ErrDropped && e.Delivery.State == Dropped) ||
			(target == ErrExpired && e.Delivery.State == Expired)
	}
	return false
}

// Unwrap returns the wrapped cause (a context error), if any.
func (e *Error) Unwrap() error { return e.Err }

// wrap turns a C call's failure into an *Error for op.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *capi.Error
	if errors.As(err, &ce) {
		return &Error{Op: op, Code: Code(ce.Code), Message: ce.Message}
	}
	return &Error{Op: op, Err: err}
}

// closedError is the error of any call on a closed client.
func closedError(op string) error {
	return &Error{Op: op, Code: ErrClosed, Message: "the client is closed"}
}
