//go:build !ouzel_static

package capi

// The default: the shared libouzel found by pkg-config (scripts/install puts ouzel.pc in
// PREFIX/lib/pkgconfig; set PKG_CONFIG_PATH for a prefix other than /usr/local or /usr).

// #cgo pkg-config: ouzel
import "C"

// LinkInfo says how this build links libouzel.
const LinkInfo = "shared libouzel (pkg-config ouzel)"
