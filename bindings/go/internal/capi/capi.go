// Package capi is the Go binding's mechanical layer over Ouzel's C ABI (capi/include): the
// library's constants, and one Go function per C helper in shim.h, each a single cgo crossing
// that also captures the thread-local error text. It knows nothing of Go idioms (contexts,
// channels, handlers); package ouzel builds those on top. C never calls Go and keeps no Go
// pointer: buffers passed in are borrowed for the call only.
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
#cgo noescape goz_stat
#cgo nocallback goz_stat
#cgo noescape goz_persistence_report
#cgo nocallback goz_persistence_report
#cgo noescape goz_poll
#cgo nocallback goz_poll
#cgo noescape goz_event_props
#cgo nocallback goz_event_props
#cgo noescape goz_release
#cgo nocallback goz_release
#cgo nocallback goz_events_clone
#cgo nocallback ouzel_client_free
#cgo nocallback ouzel_client_interrupt_poll
#cgo nocallback ouzel_client_is_connected
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Error is a failed C call: the OUZEL_E* code and the library's detail.
type Error struct {
	Code    int    // OUZEL_E*, negative
	Message string // ouzel_last_error_message(), or ouzel_strerror(Code) when that was empty
	Index   int    // for option lists: the entry that failed; else -1
}

func (e *Error) Error() string { return e.Message }

func fail(rc C.int, e *C.goz_err) error {
	return &Error{Code: int(rc), Message: C.GoString(&e.msg[0]), Index: int(e.index)}
}

func newErr() C.goz_err { return C.goz_err{index: -1} }

// Strerror is ouzel_strerror.
func Strerror(code int) string { return C.GoString(C.ouzel_strerror(C.int(code))) }

// Version is ouzel_version(): MAJOR*10000 + MINOR*100 + PATCH of the library linked.
func Version() int { return int(C.ouzel_version()) }

// VersionString is ouzel_version_string().
func VersionString() string { return C.GoString(C.ouzel_version_string()) }

// HeaderVersion is OUZEL_VERSION_NUMBER of the headers this package was compiled against.
const HeaderVersion = C.OUZEL_VERSION_NUMBER

// CheckVersion fails when the library's major version differs from the headers' or its minor
// version is older (a function this package calls could be missing).
func CheckVersion() error {
	lib := Version()
	if lib/10000 != HeaderVersion/10000 || lib < HeaderVersion {
		return fmt.Errorf("ouzel: libouzel %s is not compatible with the Go binding's headers %d.%d.%d",
			VersionString(), HeaderVersion/10000, HeaderVersion/100%100, HeaderVersion%100)
	}
	return nil
}

// ptr returns the address of b's first byte, or nil for an empty slice.
func ptr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
}
