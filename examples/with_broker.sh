#!/usr/bin/env bash
# with_broker.sh RUN_BROKER PROGRAM [ARGS...]
#
# Starts a real mosquitto on a free loopback port with RUN_BROKER (//tests/fixtures:run_broker),
# runs `PROGRAM mqtt://127.0.0.1:PORT ARGS...`, stops the broker and exits with PROGRAM's status.
# Used by the examples' and the benchmark's tests, scripts/quickstart and scripts/bench.
#
# Bounded: the broker must be ready within 30 s, and it stops by itself after
# OUZEL_BROKER_TIMEOUT seconds (default 900) should this script be killed without cleaning up.
set -uo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: with_broker.sh RUN_BROKER PROGRAM [ARGS...]" >&2
  exit 2
fi
run_broker="$1"
program="$2"
shift 2

dir="$(mktemp -d "${TMPDIR:-/tmp}/ouzel-broker.XXXXXX")"
# OUZEL_BROKER_CONFIG: one extra mosquitto configuration line (e.g. "set_tcp_nodelay true").
extra=()
if [ -n "${OUZEL_BROKER_CONFIG:-}" ]; then extra+=("--config=$OUZEL_BROKER_CONFIG"); fi
"$run_broker" --no-stdin --timeout="${OUZEL_BROKER_TIMEOUT:-900}" "${extra[@]}" >"$dir/out" 2>"$dir/err" &
broker_pid=$!

stop_broker() {
  if kill -0 "$broker_pid" 2>/dev/null; then
    kill -TERM "$broker_pid" 2>/dev/null
    wait "$broker_pid" 2>/dev/null
  fi
  rm -rf "$dir"
}
trap stop_broker EXIT
trap 'exit 130' INT TERM

# run_broker prints port=..., other key=value lines, then "ready".
for _ in $(seq 300); do
  if grep -qx ready "$dir/out" 2>/dev/null; then break; fi
  if ! kill -0 "$broker_pid" 2>/dev/null; then
    echo "with_broker.sh: the broker did not start:" >&2
    cat "$dir/err" >&2
    exit 1
  fi
  sleep 0.1
done
if ! grep -qx ready "$dir/out"; then
  echo "with_broker.sh: the broker was not ready after 30 s:" >&2
  cat "$dir/out" "$dir/err" >&2
  exit 1
fi
port="$(sed -n 's/^port=//p' "$dir/out")"
log="$(sed -n 's/^log=//p' "$dir/out")"

"$program" "mqtt://127.0.0.1:${port}" "$@"
status=$?
if [ "$status" -ne 0 ] && [ -n "$log" ] && [ -f "$log" ]; then
  echo "with_broker.sh: $(basename "$program") exited with status $status; the broker's log ends:" >&2
  tail -n 20 "$log" >&2
fi
exit "$status"
