#!/usr/bin/env bash
# Bazel test wrapper: runs the binding's pytest suite against the libouzel.so Bazel just built
# (any configuration: fastbuild, opt, --config=asan) and a real Mosquitto.
#   run_pytest.sh <path of libouzel.so in the runfiles> [pytest args...]
set -euo pipefail

lib="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
export OUZEL_LIBRARY="$lib"
export PYTHONDONTWRITEBYTECODE=1

# Debian's python3 with python3-pytest (scripts/setup); any python3 with pytest otherwise.
py=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c "import pytest" 2>/dev/null; then py="$candidate"; break; fi
done
if [ -z "$py" ]; then
  echo "run_pytest.sh: no python3 with pytest (scripts/setup installs python3-pytest)" >&2
  exit 1
fi

# A sanitizer build of libouzel.so needs its runtime loaded first, before Python's own
# libraries. Python itself leaks by design at exit, so leak checking is off for this process
# (the engine's own leaks are what the C++ suites check under --config=asan).
needed="$(readelf -d "$lib" 2>/dev/null || true)"
if grep -q 'libasan' <<<"$needed"; then
  preload="$(gcc -print-file-name=libasan.so)"
  if grep -q 'libubsan' <<<"$needed"; then preload="$preload:$(gcc -print-file-name=libubsan.so)"; fi
  export LD_PRELOAD="$preload"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0:abort_on_error=1"
elif grep -q 'libtsan' <<<"$needed"; then
  export LD_PRELOAD="$(gcc -print-file-name=libtsan.so)"
  export TSAN_OPTIONS="${TSAN_OPTIONS:-}:halt_on_error=1:report_signal_unsafe=0"
fi

cd "$(dirname "$0")"
exec "$py" -m pytest -q -p no:cacheprovider "$@"
