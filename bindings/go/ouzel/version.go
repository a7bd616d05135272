package ouzel

import "github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"

// LinkInfo says how this program links libouzel: the shared library (pkg-config ouzel, the
// default) or libouzel.a (go build -tags ouzel_static).
const LinkInfo = capi.LinkInfo

// LibraryVersion is the version of the libouzel the program runs with ("0.1.0").
func LibraryVersion() string { return capi.VersionString() }
