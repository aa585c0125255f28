#!/usr/bin/env bash
# Builds the ProcessPrng stand-in (processprng-shim.c) as bcryptprimitives.dll with MinGW:
#   bash test/windows/build-shim.sh <out.dll>
# Needs x86_64-w64-mingw32-gcc (Debian: gcc-mingw-w64-x86-64).
set -euo pipefail
out="${1:?usage: build-shim.sh <out.dll>}"
here="$(cd "$(dirname "$0")" && pwd)"
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$out.tmp" "$here/processprng-shim.c"
mv "$out.tmp" "$out"
