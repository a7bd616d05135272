#!/usr/bin/env bash
# tests/install/install_test.sh: scripts/install into a temporary prefix, then, with nothing but what
# it installed:
#   1. pkg-config ouzel: a C program builds, runs and finds libouzel.so.0 (by its SONAME);
#   2. ouzel-static.pc: the same program links libouzel.a and needs no libouzel.so at run time;
#   3. pkg-config --static ouzel: libouzel.a alone plus Libs.private link a program (-l:libouzel.a);
#   4. CMake (when installed): find_package(ouzel CONFIG) with ouzel::ouzel and ouzel::ouzel_static;
#   5. bin/ouzel runs from the tree and loads the installed libouzel.so.0 (its run path is ../lib).
# A second install over the first must succeed (files are replaced). Prints "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."

passed=0
failed=0
ok() { echo "PASS install: $1"; passed=$((passed + 1)); }
bad() { echo "FAIL install: $1" >&2; failed=$((failed + 1)); }

tmp="$(mktemp -d /tmp/ouzel-install-test.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

if ! scripts/install --prefix "$prefix" "$@" >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log" >&2
  bad "scripts/install --prefix failed"
  echo "tests: $passed passed, $failed failed"
  exit 1
fi
ok "scripts/install --prefix $prefix"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR

cat >"$tmp/app.c" <<'C'
#include <stdio.h>

#include <ouzel.h>

int main(void) {
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  int rc = ouzel_options_new(&opts);
  if (rc == OUZEL_OK) rc = ouzel_client_new(&client, opts);
  ouzel_client_free(client);
  ouzel_options_free(opts);
  if (rc != OUZEL_OK || ouzel_version() != OUZEL_VERSION_NUMBER) return 1;
  printf("%s\n", ouzel_version_string());
  return 0;
}
C
version="$(pkg-config --modversion ouzel)"

# 1. Shared, through pkg-config. The program finds the library by its SONAME alone.
# shellcheck disable=SC2046
if cc -std=c99 -Wall -Wextra -Werror -pedantic -o "$tmp/app_shared" "$tmp/app.c" \
  $(pkg-config --cflags --libs ouzel) &&
  [ "$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/app_shared")" = "$version" ] &&
  readelf -d "$tmp/app_shared" | grep -q 'NEEDED.*\[libouzel\.so\.0\]'; then
  ok "a C program links libouzel.so through pkg-config ouzel and runs ($version)"
else
  bad "pkg-config ouzel: the shared build or run failed"
fi

# 2. Static, through ouzel-static.pc: no libouzel.so needed at run time.
# shellcheck disable=SC2046
if cc -std=c99 -Wall -Wextra -Werror -pedantic -o "$tmp/app_static" "$tmp/app.c" \
  $(pkg-config --cflags --libs ouzel-static) &&
  ! readelf -d "$tmp/app_static" | grep -q 'libouzel' &&
  [ "$(env -u LD_LIBRARY_PATH "$tmp/app_static")" = "$version" ]; then
  ok "a C program links libouzel.a through ouzel-static.pc and runs without libouzel.so"
else
  bad "ouzel-static.pc: the static build or run failed"
fi

# 3. libouzel.a alone plus ouzel.pc's Libs.private: the archive holds the whole engine and C API.
# shellcheck disable=SC2046
if cc -std=c99 -o "$tmp/app_private" "$tmp/app.c" $(pkg-config --cflags ouzel) \
  "$prefix/lib/libouzel.a" $(pkg-config --libs --static ouzel | sed 's/-louzel / /') &&
  [ "$("$tmp/app_private")" = "$version" ]; then
  ok "libouzel.a with Libs.private alone links a program"
else
  bad "libouzel.a + Libs.private did not link or run"
fi
# The archive really is the engine: it defines the C API and no ouzel_ symbol is left undefined.
nm -u "$prefix/lib/libouzel.a" 2>/dev/null | awk '/ ouzel_/ {print $2}' | sort -u >"$tmp/used"
nm --defined-only "$prefix/lib/libouzel.a" 2>/dev/null | awk '/ T ouzel_/ {print $3}' | sort -u >"$tmp/defined"
undefined="$(comm -23 "$tmp/used" "$tmp/defined" | tr '\n' ' ')"
if [ -z "$undefined" ] && grep -qx 'ouzel_client_new' "$tmp/defined"; then
  ok "libouzel.a defines every ouzel_ symbol it uses"
else
  bad "libouzel.a leaves undefined: $undefined"
fi

# 4. CMake.
if command -v cmake >/dev/null; then
  mkdir -p "$tmp/cmake"
  cp "$tmp/app.c" "$tmp/cmake/app.c"
  cat >"$tmp/cmake/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.13)
project(ouzel_install_test C CXX)
find_package(ouzel 0.1 CONFIG REQUIRED)
add_executable(app_shared app.c)
target_link_libraries(app_shared PRIVATE ouzel::ouzel)
add_executable(app_static app.c)
target_link_libraries(app_static PRIVATE ouzel::ouzel_static)
CM
  if cmake -S "$tmp/cmake" -B "$tmp/cmake/build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake.log" 2>&1 &&
    cmake --build "$tmp/cmake/build" >>"$tmp/cmake.log" 2>&1 &&
    [ "$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/cmake/build/app_shared")" = "$version" ] &&
    [ "$("$tmp/cmake/build/app_static")" = "$version" ]; then
    ok "find_package(ouzel CONFIG): ouzel::ouzel and ouzel::ouzel_static build and run"
  else
    cat "$tmp/cmake.log" >&2
    bad "the CMake package did not build or run a program"
  fi
else
  echo "SKIP install: cmake is not installed"
fi

# 5. The command: it runs with nothing set and loads the library next to it, not Bazel's.
if [ "$(env -u LD_LIBRARY_PATH "$prefix/bin/ouzel" --version)" = "ouzel $version (libouzel $version)" ] &&
  [ "$(readelf -d "$prefix/bin/ouzel" | sed -n 's/.*R\(UN\)\{0,1\}PATH.*\[\(.*\)\]/\2/p')" = '$ORIGIN/../lib' ] &&
  [ "$(realpath "$(env -u LD_LIBRARY_PATH ldd "$prefix/bin/ouzel" | awk '/libouzel.so.0/ {print $3}')")" = \
    "$prefix/lib/libouzel.so.0" ]; then
  ok "bin/ouzel runs and loads $prefix/lib/libouzel.so.0"
else
  readelf -d "$prefix/bin/ouzel" | grep -i path >&2
  bad "bin/ouzel did not run from the installed tree"
fi

# A second install over the first replaces the files.
if scripts/install --prefix "$prefix" "$@" >"$tmp/install2.log" 2>&1 &&
  [ "$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/app_shared")" = "$version" ]; then
  ok "installing again over an installed tree"
else
  cat "$tmp/install2.log" >&2
  bad "a second scripts/install over the first failed"
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
