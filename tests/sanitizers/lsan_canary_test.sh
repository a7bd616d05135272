#!/usr/bin/env bash
# LeakSanitizer is live: under --config=asan a program that leaks must fail with LSan's report
# (so the ASan pass of CI really checks the C++ tests for leaks: LSan needs ptrace-like access
# that some sandboxes deny, and it would then stay silent). Without ASan it only runs the program.
set -uo pipefail
out="$("$1" 2>&1)"
status=$?
echo "$out"
if grep -q "built without AddressSanitizer" <<<"$out"; then
  echo "not an ASan build: nothing to check"
  exit 0
fi
if [ "$status" -eq 0 ] || ! grep -q "ERROR: LeakSanitizer: detected memory leaks" <<<"$out" \
    || ! grep -q "4242 byte(s) leaked" <<<"$out"; then
  echo "FAIL: the deliberate 4242-byte leak was not reported (exit $status); LeakSanitizer is off" >&2
  exit 1
fi
echo "LeakSanitizer reported the deliberate leak"
