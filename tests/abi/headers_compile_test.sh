#!/usr/bin/env bash
# Every public header compiles on its own, first in a translation unit, as C99 and as C++17, with
# every warning an error (libgit2's headertest). A header that forgot an include, used a C++-only
# construct, or relied on a compiler extension fails here.
set -euo pipefail
include_dir="$(dirname "$(find . -path '*capi/include/ouzel.h' | head -n 1)")"
count=0
for header in "$include_dir"/ouzel.h "$include_dir"/ouzel/*.h "$include_dir"/ouzel/sys/*.h; do
  rel="${header#"$include_dir"/}"
  printf '#include "%s"\n' "$rel" > tu.c
  cc -std=c99 -Wall -Wextra -Werror -pedantic -fsyntax-only -I"$include_dir" tu.c
  cp tu.c tu.cc
  c++ -std=c++17 -Wall -Wextra -Werror -pedantic -fsyntax-only -I"$include_dir" tu.cc
  count=$((count + 1))
done
rm -f tu.c tu.cc
if [ "$count" -lt 2 ]; then
  echo "found only $count headers under $include_dir" >&2
  exit 1
fi
echo "$count headers compile alone as C99 and C++17"
