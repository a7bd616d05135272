#!/usr/bin/env bash
# pkgconfig_test.sh OUZEL_PC LIBOUZEL_SO VERSION_H
#
# 1. pkg-config accepts the generated ouzel.pc; --modversion is the version in the headers;
#    --cflags --libs give the /usr/local layout and -louzel.
# 2. A throwaway install (PREFIX/include with the public headers, PREFIX/lib with libouzel.so and
#    its SONAME link): a C program compiled and linked with nothing but
#    `pkg-config --define-variable=prefix=PREFIX --cflags --libs ouzel` runs and reports the same
#    version.
set -euo pipefail

pc="$1"
so="$2"
version_h="$3"
fail() {
  echo "pkgconfig_test: FAIL: $*" >&2
  exit 1
}

command -v pkg-config >/dev/null || fail "pkg-config is not installed (scripts/setup installs it)"
command -v cc >/dev/null || fail "no C compiler (cc)"

tmp="$(mktemp -d "${TEST_TMPDIR:-/tmp}/pc.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pkgconfig"
cp "$pc" "$tmp/pkgconfig/ouzel.pc"
export PKG_CONFIG_PATH="$tmp/pkgconfig"
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR

part() { sed -n "s/^#define OUZEL_VERSION_$1 \([0-9][0-9]*\)$/\1/p" "$version_h"; }
header_version="$(part MAJOR).$(part MINOR).$(part PATCH)"

pkg-config --validate ouzel || fail "pkg-config --validate rejects ouzel.pc"
modversion="$(pkg-config --modversion ouzel)"
[ "$modversion" = "$header_version" ] ||
  fail "--modversion says '$modversion', version.h says '$header_version'"
# Word-split and re-joined: pkgconf ends its output with a space.
# shellcheck disable=SC2046,SC2116
flags="$(echo $(pkg-config --cflags --libs ouzel))"
[ "$flags" = "-I/usr/local/include -L/usr/local/lib -louzel" ] ||
  fail "--cflags --libs gave '$flags'"
echo "pkg-config --cflags --libs ouzel: $flags (version $modversion)"

# The throwaway install.
prefix="$tmp/prefix"
mkdir -p "$prefix/include" "$prefix/lib"
cp -r "$(dirname "$(dirname "$version_h")")"/. "$prefix/include/"
cp "$so" "$prefix/lib/libouzel.so.0"
ln -s libouzel.so.0 "$prefix/lib/libouzel.so"

cat >"$tmp/app.c" <<'C'
#include <stdio.h>
#include <string.h>

#include <ouzel.h>

int main(void) {
  ouzel_options* opts = NULL;
  int rc = ouzel_options_new(&opts);
  ouzel_options_free(opts);
  if (rc != OUZEL_OK || ouzel_version() != OUZEL_VERSION_NUMBER) return 1;
  printf("%s\n", ouzel_version_string());
  return 0;
}
C
# Under --config=asan / tsan the library is instrumented, and a program loading it must be too.
sanitize=()
needed="$(readelf -d "$so" 2>/dev/null || true)"
if grep -q 'libasan' <<<"$needed"; then sanitize=(-fsanitize=address,undefined); fi
if grep -q 'libtsan' <<<"$needed"; then sanitize=(-fsanitize=thread); fi
# shellcheck disable=SC2046  # the flags are meant to split
cc -std=c99 -Wall -Wextra -Werror -pedantic "${sanitize[@]}" -o "$tmp/app" "$tmp/app.c" \
  $(pkg-config --define-variable=prefix="$prefix" --cflags --libs ouzel) ||
  fail "could not build a program with pkg-config's flags"
ran="$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/app")" || fail "the program failed"
[ "$ran" = "$modversion" ] || fail "the library reports '$ran', ouzel.pc says '$modversion'"
echo "a program built with pkg-config's flags runs against libouzel.so $ran"
echo "pkgconfig_test: OK"
