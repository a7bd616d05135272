#!/usr/bin/env bash
# Bazel test wrapper: runs cli_test.py with the `ouzel` binary and the broker fixture Bazel built.
#   run_cli_test.sh <cli_test.py> <ouzel> <run_broker> [unittest args...]
set -euo pipefail
test_py="$1"
ouzel="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
run_broker="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
shift 3
export PYTHONDONTWRITEBYTECODE=1
exec python3 "$test_py" "$ouzel" "$run_broker" "$@"
