//go:build ouzel_static

package capi

// `go build -tags ouzel_static`: libouzel.a (the engine and the C API) is linked into the program;
// Abseil, BoringSSL and the C++ runtime stay the system's shared libraries (ouzel-static.pc).

// #cgo pkg-config: ouzel-static
import "C"

// LinkInfo says how this build links libouzel.
const LinkInfo = "static libouzel.a (pkg-config ouzel-static)"
