#!/usr/bin/env bash
# The windows-x64 single executable under Wine (run by test:windows after the unit suite):
#   1. --sea-check answers win32-x64 with the keychain addon loaded;
#   2. two credential `get`s against a loopback emulator (the Linux one, dist/artifacts-emulator.cjs)
#      mint once, and the token is cached under %LOCALAPPDATA%\git-credential-artifacts;
#   3. `configure` writes a helper line that names the .exe.
# The runtime and addon are the ones package-lock.json pins (install/release/runtimes.mjs).
# Each Windows process gets its stdin/stdout/stderr from files: Wine cannot hand it Unix pipes.
set -euo pipefail
source "$(dirname "$0")/wine-env.sh"
wine_setup
cd "$REPO"
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

WORK=$(mktemp -d)
EMU_PID=""
cleanup() { [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

read -r BUN_EXE KEYRING_NODE < <(node --input-type=module -e "
  import { targetParts } from './install/release/runtimes.mjs';
  const p = await targetParts(process.cwd(), 'windows-x64'); console.log(p.bun, p.keyringNode);")
[ -f dist/artifacts-emulator.cjs ] || npm run build >/dev/null
OUT="$CACHE/sea-windows-x64"
node install/sea.mjs --target bun-windows-x64 --runtime "$BUN_EXE" --keyring "$KEYRING_NODE" --out "$OUT" >&2
EXE="$OUT/git-credential-artifacts.exe"
[ -f "$EXE" ] || fail "no $EXE"

win() { # win <stdin file> <name> args…: runs the exe under Wine, output in $WORK/<name>.out/.err
  local input=$1 name=$2; shift 2
  "$WINE" "$EXE" "$@" <"$input" >"$WORK/$name.out" 2>"$WORK/$name.err"
}

: >"$WORK/empty"
win "$WORK/empty" sea-check --sea-check || fail "--sea-check exited $?: $(cat "$WORK/sea-check.err")"
grep -q 'win32-x64' "$WORK/sea-check.out" || fail "--sea-check: $(cat "$WORK/sea-check.out")"
grep -qi 'keyring' "$WORK/sea-check.out" || fail "--sea-check names no keychain addon: $(cat "$WORK/sea-check.out")"
echo "smoke: --sea-check: $(head -c 300 "$WORK/sea-check.out" | tr '\n' ' ')"

# The emulator on loopback, a random port.
API_TOKEN="smoke-api-$RANDOM$RANDOM"
ARTIFACTS_EMULATOR_API_TOKEN=$API_TOKEN ARTIFACTS_EMULATOR_JWT=a.b.c \
  node dist/artifacts-emulator.cjs --host 127.0.0.1 --port 0 --data "$WORK/emu" >"$WORK/emu.out" 2>"$WORK/emu.err" &
EMU_PID=$!
for _ in $(seq 100); do grep -q 'listening on' "$WORK/emu.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'listening on http://[^ ]*' "$WORK/emu.out" | head -1 | cut -d' ' -f3)
[ -n "$URL" ] || fail "emulator did not start: $(cat "$WORK/emu.err")"
API="$URL/client/v4"
ACCOUNT=smoke-account
node -e "fetch(process.argv[1], { method: 'POST', headers: { authorization: 'Bearer $API_TOKEN', 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'r' }) }).then(async (r) => { if (!r.ok) { console.error(r.status, await r.text()); process.exit(1); } })" \
  "$API/accounts/$ACCOUNT/artifacts/namespaces/ns/repos" || fail "cannot create the repo"

TOKENS="$WINEPREFIX/drive_c/users/${USER:-$(id -un)}/AppData/Local/git-credential-artifacts/tokens"   # Wine's %LOCALAPPDATA%
rm -rf "$(dirname "$TOKENS")"
host=${URL#http://}
printf 'protocol=http\nhost=%s\npath=git/ns/r.git\n\n' "$host" >"$WORK/request"
# ARTIFACTS_API_TOKEN for any API (main since issue 21 H1); CLOUDFLARE_API_TOKEN before it.
export ARTIFACTS_API_TOKEN=$API_TOKEN CLOUDFLARE_API_TOKEN=$API_TOKEN
unset ARTIFACTS_CACHE_DIR XDG_RUNTIME_DIR
for n in 1 2; do
  started=$(date +%s%N)
  win "$WORK/request" "get$n" --git-url "$URL" --api-url "$API" --account "$ACCOUNT" get || fail "get $n exited $?: $(cat "$WORK/get$n.err")"
  grep -q '^password=.' "$WORK/get$n.out" || fail "get $n answered no password: $(cat "$WORK/get$n.err")"
  echo "smoke: get $n answered in $(( ($(date +%s%N) - started) / 1000000 )) ms (Wine start-up included)"
done
mints=$(node -e "fetch(process.argv[1], { headers: { authorization: 'Bearer $API_TOKEN' } }).then((r) => r.json())
  .then((b) => console.log(b.result.filter((e) => e.kind === 'mint' && e.status === 201).length))" "$URL/__emulator/log")
[ "$mints" = 1 ] || fail "two gets minted $mints times (want 1)"
ls "$TOKENS"/*.json >/dev/null 2>&1 || fail "no cache entry under %LOCALAPPDATA%: $TOKENS"
echo "smoke: two gets, one mint, cached in $TOKENS"

# configure: the helper line names the .exe (Git for Windows runs `!` helpers through its sh).
GITCONFIG="$WORK/gitconfig"
GIT_CONFIG_GLOBAL=$("$WINE" winepath -w "$GITCONFIG" 2>/dev/null) win "$WORK/empty" configure configure --git-url "$URL" --api-url "$API" --account "$ACCOUNT" \
  || fail "configure exited $?: $(cat "$WORK/configure.err")"
grep -q 'git-credential-artifacts\.exe' "$GITCONFIG" || fail "the helper line names no .exe: $(cat "$GITCONFIG" 2>/dev/null)"
echo "smoke: configure wrote: $(grep -i helper "$GITCONFIG" | head -2 | tr -s '\t ' ' ')"
echo "smoke: ok"
