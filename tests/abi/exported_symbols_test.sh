#!/usr/bin/env bash
# The symbols libouzel.so exports are exactly the checked-in list (curl's symbols test): an
# accidental export, a removed function, or a leaked C++ symbol fails here. When you add a public
# function, add it to exported_symbols.txt in the same change (and append it to ouzel_api).
set -euo pipefail
lib="$1"
expected="$2"
actual="$(mktemp)"
trap 'rm -f "$actual"' EXIT
nm -D --defined-only "$lib" | awk '$3 != "OUZEL_1" {sub(/@.*/, "", $3); print $3}' | sort > "$actual"
if ! diff -u "$expected" "$actual"; then
  echo "libouzel.so exports differ from $expected (- expected, + actual)" >&2
  exit 1
fi
# Everything exported must be versioned OUZEL_1 and named ouzel_*.
if nm -D --defined-only "$lib" | awk '{print $3}' | grep -v -E '^(ouzel_[a-z0-9_]+@@OUZEL_1|OUZEL_1)$'; then
  echo "unexpected exported symbols above" >&2
  exit 1
fi
# Every function declared in the public headers is exported, and the dlopen table lists each one.
include_dir="$(dirname "$(find . -path '*capi/include/ouzel.h' | head -n 1)")"
declared="$(grep -h -o 'OUZEL_EXTERN[^(]*\bouzel_[a-z0-9_]*' "$include_dir"/ouzel/*.h \
  "$include_dir"/ouzel/sys/*.h \
  | grep -o 'ouzel_[a-z0-9_]*$' | sort)"
if ! diff -u <(echo "$declared") "$expected"; then
  echo "declared functions (-) differ from the exported list (+)" >&2
  exit 1
fi
in_table="$(sed -n '/^typedef struct ouzel_api {/,/^} ouzel_api;/p' "$include_dir"/ouzel/api.h \
  | grep -o '(\*[a-z0-9_]*)' | tr -d '(*)' | sed 's/^/ouzel_/' | sort)"
if ! diff -u <(grep -v '^ouzel_get_api$' "$expected") <(echo "$in_table"); then
  echo "ouzel_api (+) does not list every exported function (-)" >&2
  exit 1
fi
echo "$(wc -l < "$expected") exported symbols match; the dlopen table covers all of them"
