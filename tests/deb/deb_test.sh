#!/usr/bin/env bash
# tests/deb/deb_test.sh: builds the Debian packages (scripts/package-deb), installs them into the
# real system with `apt-get install ./...deb`, checks what a user gets, and purges them again:
#   1. the three packages install, and libouzel0 depends on android-libboringssl and Abseil;
#   2. /usr/bin/ouzel runs and loads /usr/lib/libouzel.so.0;
#   3. pkg-config and CMake find the library with no path set, and a C program links and runs;
#   4. ouzel pub / ouzel sub make a round trip through a real mosquitto;
#   5. after the purge none of their files is left.
# It changes the machine, so it runs only as root (CI's fresh machine) and only when no Ouzel
# package or /usr/local install is there already; otherwise it says why and skips
# (OUZEL_SKIP_DEB_TEST=1 skips it too). One runs at a time (a lock in /tmp).
# Prints "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."

passed=0
failed=0
ok() { echo "PASS deb: $1"; passed=$((passed + 1)); }
bad() { echo "FAIL deb: $1" >&2; failed=$((failed + 1)); }
skip() {
  echo "SKIP deb: $1"
  echo "tests: $passed passed, $failed failed"
  exit 0
}
packages=(libouzel0 libouzel-dev ouzel-tools)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

[ "${OUZEL_SKIP_DEB_TEST:-0}" = 1 ] && skip "OUZEL_SKIP_DEB_TEST=1"
[ "$(id -u)" -eq 0 ] || skip "installing packages needs root (CI runs this as root on a fresh machine)"
command -v apt-get >/dev/null || skip "no apt-get here"
# One such test at a time on a machine: two would install and purge under each other.
exec 9>/tmp/ouzel-deb-test.lock
flock -w 900 9 || skip "another deb test held its lock for 15 minutes"
for p in "${packages[@]}"; do
  installed "$p" && skip "$p is already installed; this test installs and purges its own"
done
[ -e /usr/local/lib/libouzel.so.0 ] &&
  skip "an Ouzel in /usr/local (scripts/install) would shadow the packages' library"

tmp="$(mktemp -d /tmp/ouzel-deb-test.XXXXXX)"
broker_pid=
cleanup() {
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null
  local ours=()
  for p in "${packages[@]}"; do installed "$p" && ours+=("$p"); done
  if [ "${#ours[@]}" -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${ours[@]}" >/dev/null 2>&1
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if ! scripts/package-deb --out "$tmp/dist" "$@" >"$tmp/debs" 2>"$tmp/package.log"; then
  cat "$tmp/package.log" >&2
  bad "scripts/package-deb failed"
  echo "tests: $passed passed, $failed failed"
  exit 1
fi
mapfile -t debs <"$tmp/debs"
version="$(dpkg-deb -f "${debs[0]}" Version)"
upstream="${version%-*}"

# 1. apt installs the files and resolves their dependencies.
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" \
  >"$tmp/apt.log" 2>&1 && installed libouzel0 && installed libouzel-dev && installed ouzel-tools; then
  ok "apt-get install ./libouzel0 ./libouzel-dev ./ouzel-tools ($version)"
else
  cat "$tmp/apt.log" >&2
  bad "apt-get install of the packages failed"
  echo "tests: $passed passed, $failed failed"
  exit 1
fi
lib_depends="$(dpkg-query -W -f='${Depends}' libouzel0)"
if [[ "$lib_depends" == *android-libboringssl* && "$lib_depends" == *libabsl20220623* ]] &&
  [[ "$(dpkg-query -W -f='${Depends}' ouzel-tools)" == *"libouzel0 (>= $upstream)"* ]]; then
  ok "libouzel0 depends on BoringSSL and Abseil; ouzel-tools on libouzel0 (>= $upstream)"
else
  bad "dependencies: libouzel0: $lib_depends"
fi

# 2. The command, from the package, on the package's library.
lib="$(ldd /usr/bin/ouzel | awk '/libouzel.so.0/ {print $3}')"
if [ "$(env -u LD_LIBRARY_PATH ouzel --version)" = "ouzel $upstream (libouzel $upstream)" ] &&
  [ "$(realpath "$lib")" = /usr/lib/libouzel.so.0 ]; then
  ok "/usr/bin/ouzel runs on /usr/lib/libouzel.so.0"
else
  bad "/usr/bin/ouzel: $(ouzel --version 2>&1), library $lib"
fi

# 3. Building against the installed development package, with nothing set.
cat >"$tmp/app.c" <<'C'
#include <stdio.h>

#include <ouzel.h>

int main(void) {
  printf("%s\n", ouzel_version_string());
  return ouzel_version() == OUZEL_VERSION_NUMBER ? 0 : 1;
}
C
# shellcheck disable=SC2046
if [ "$(env -u PKG_CONFIG_PATH pkg-config --modversion ouzel)" = "$upstream" ] &&
  cc -std=c99 -Wall -Werror -o "$tmp/app" "$tmp/app.c" $(env -u PKG_CONFIG_PATH pkg-config --cflags --libs ouzel) &&
  [ "$(env -u LD_LIBRARY_PATH "$tmp/app")" = "$upstream" ]; then
  ok "pkg-config ouzel: a C program builds and runs"
else
  bad "pkg-config ouzel did not build a working program"
fi
if command -v cmake >/dev/null; then
  mkdir -p "$tmp/cmake"
  cp "$tmp/app.c" "$tmp/cmake/app.c"
  printf 'cmake_minimum_required(VERSION 3.13)\nproject(t C CXX)\nfind_package(ouzel %s CONFIG REQUIRED)\nadd_executable(app app.c)\ntarget_link_libraries(app PRIVATE ouzel::ouzel)\n' \
    "$upstream" >"$tmp/cmake/CMakeLists.txt"
  if cmake -S "$tmp/cmake" -B "$tmp/cmake/build" >"$tmp/cmake.log" 2>&1 &&
    cmake --build "$tmp/cmake/build" >>"$tmp/cmake.log" 2>&1 &&
    [ "$("$tmp/cmake/build/app")" = "$upstream" ]; then
    ok "find_package(ouzel CONFIG) finds the package with no prefix given"
  else
    cat "$tmp/cmake.log" >&2
    bad "CMake did not find or link the installed package"
  fi
fi

# 4. A round trip through a real broker on a free loopback port.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
/usr/sbin/mosquitto -p "$port" >"$tmp/mosquitto.log" 2>&1 &
broker_pid=$!
for _ in $(seq 50); do
  ouzel pub -h 127.0.0.1 -p "$port" -t probe -n --quiet && break
  sleep 0.1
done
timeout 20 ouzel sub -h 127.0.0.1 -p "$port" -t deb/test -q 1 -C 1 -W 15 -v >"$tmp/sub.out" 2>&1 &
sub_pid=$!
for _ in $(seq 100); do
  kill -0 "$sub_pid" 2>/dev/null || break
  ouzel pub -h 127.0.0.1 -p "$port" -t deb/test -q 1 -m "from the package" --quiet
  sleep 0.1
done
wait "$sub_pid"
sub_status=$?
if [ "$sub_status" -eq 0 ] && [ "$(cat "$tmp/sub.out")" = "deb/test from the package" ]; then
  ok "ouzel pub and ouzel sub from the package: a round trip through mosquitto"
else
  cat "$tmp/sub.out" "$tmp/mosquitto.log" >&2
  bad "round trip through mosquitto (sub exited $sub_status)"
fi
kill "$broker_pid" 2>/dev/null
wait "$broker_pid" 2>/dev/null
broker_pid=

# 5. Purging leaves nothing behind.
files="$(dpkg-query -L "${packages[@]}" 2>/dev/null | grep -E '^/usr/(bin|lib|include)/' | grep -i ouzel)"
if DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${packages[@]}" >"$tmp/purge.log" 2>&1; then
  left=""
  while read -r f; do [ -e "$f" ] && [ ! -d "$f" ] && left="$left $f"; done <<<"$files"
  if [ -z "$left" ] && ! installed libouzel0 && [ ! -e /usr/lib/libouzel.so.0 ]; then
    ok "apt-get purge removes every file"
  else
    bad "files left after purge:$left"
  fi
else
  cat "$tmp/purge.log" >&2
  bad "apt-get purge failed"
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
