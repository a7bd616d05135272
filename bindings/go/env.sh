# Sourced by the scripts that build the Go binding against an installed libouzel:
#   . bindings/go/env.sh PREFIX
# Points pkg-config (cgo) and the dynamic loader at PREFIX, and names the installed library's
# content in CGO_CPPFLAGS: Go's build cache keys cgo packages by their flags, not by the headers
# and archive pkg-config points to, so a rebuilt library must change the flags to be picked up.
ouzel_go_prefix="$1"
export PKG_CONFIG_PATH="$ouzel_go_prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$ouzel_go_prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
ouzel_go_stamp="$(cat "$ouzel_go_prefix"/include/ouzel.h "$ouzel_go_prefix"/include/ouzel/*.h \
  "$ouzel_go_prefix"/lib/libouzel.a | sha256sum | cut -c1-16)"
export CGO_CPPFLAGS="${CGO_CPPFLAGS:-} -DOUZEL_GO_LIBRARY_STAMP=$ouzel_go_stamp"
unset ouzel_go_prefix ouzel_go_stamp
