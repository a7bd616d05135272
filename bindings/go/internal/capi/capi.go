// Package capi is the Go binding's mechanical layer over Ouzel's C ABI (capi/include): the
// library's constants, and one Go function per C helper in shim.h, each a single cgo crossing
// that also captures the thread-local error text. It knows nothing of Go idioms (contexts,
// channels, handlers); package ouzel builds those on top. C never calls Go and keeps no Go
// pointer: buffers passed in are borrowed for the call only.
package capi

// #include "shim.h"
import "C"

import (
	"bytes"
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

// fail builds the Error from e. The text is copied in Go (C.GoString would make every caller's
// goz_err escape to the heap, costing an allocation on every call, failing or not).
func fail(rc C.int, e *C.goz_err) error {
	msg := unsafe.Slice((*byte)(unsafe.Pointer(&e.msg[0])), len(e.msg))
	if n := bytes.IndexByte(msg, 0); n >= 0 {
		msg = msg[:n]
	}
	return &Error{Code: int(rc), Message: string(msg), Index: int(e.index)}
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
