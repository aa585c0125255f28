#!/bin/sh
# Installs git-credential-artifacts for the current user and runs `configure`.
# Two routes (README "Install"):
#   single executable  a release archive's binary (npm run release), or the one `node install/sea.mjs` built
#                      (sea/); no Node needed
#   npm package        `npm install -g` of a tarball (npm pack) into the same prefix
# Idempotent: running it again replaces the files and leaves an unchanged gitconfig alone.
set -eu

usage() {
  cat <<'EOF'
Usage: install/install.sh [--sea DIR | --npm TARBALL] [--prefix DIR] [--no-configure] [-- CONFIGURE-ARGS...]

Installs git-credential-artifacts, git-remote-artifacts and artifacts-emulator into
PREFIX/bin (default ~/.local/bin), then runs `git-credential-artifacts configure`.

  --sea DIR        install the single executable from DIR (default: the folder above install/
                   in an extracted release archive, else ./sea next to install/ in a checkout;
                   build it with `npm run release` or `node install/sea.mjs`)
  --npm TARBALL    install the npm package (a .tgz from `npm pack`, or a package directory)
                   with `npm install -g --prefix PREFIX`
  --prefix DIR     install under DIR: DIR/bin and DIR/lib (default ~/.local)
  --no-configure   only install; run `git-credential-artifacts configure` yourself
  -- ARGS          passed to configure, e.g. -- --account 0123456789abcdef0123456789abcdef
  -h, --help       show this help

Undo with install/uninstall.sh (same --prefix).
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
prefix="${HOME}/.local"
route=""
source_path=""
configure=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sea) route=sea; source_path="${2:?--sea needs a directory}"; shift 2 ;;
    --npm) route=npm; source_path="${2:?--npm needs a tarball or directory}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --no-configure) configure=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) echo "install.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Without --sea or --npm: the single executable of a source checkout (sea/ beside install/), or of an extracted
# release archive (npm run release), where install/ sits beside the executable and its keyring.node.
if [ -z "$route" ]; then
  top=$(cd "$here/.." && pwd)
  if [ -x "$top/sea/git-credential-artifacts" ]; then
    route=sea; source_path="$top/sea"
  elif [ -x "$top/git-credential-artifacts" ] && [ -f "$top/keyring.node" ]; then
    route=sea; source_path="$top"
  else
    echo "install.sh: no single executable in $top (a release archive) nor in $top/sea (a checkout);" \
      "build it with \`node install/sea.mjs\`, or pass --sea DIR or --npm TARBALL (from \`npm pack\`)" >&2
    exit 2
  fi
fi

bin="$prefix/bin"
lib="$prefix/lib/git-credential-artifacts"
tools="git-credential-artifacts git-remote-artifacts artifacts-emulator"
mkdir -p "$bin"
# A first install that cannot be configured is rolled back (below); an update is not.
fresh=1
[ -e "$bin/git-credential-artifacts" ] && fresh=0

case "$route" in
  sea)
    [ -x "$source_path/git-credential-artifacts" ] || { echo "install.sh: $source_path/git-credential-artifacts is missing or not executable" >&2; exit 2; }
    [ -f "$source_path/keyring.node" ] || { echo "install.sh: $source_path/keyring.node is missing (rebuild with \`node install/sea.mjs\`)" >&2; exit 2; }
    # The binary and its addon live together in lib/ (the addon is found beside the binary);
    # bin/ gets one symlink per tool name, which is how the binary knows which tool to be.
    mkdir -p "$lib"
    cp "$source_path/git-credential-artifacts" "$lib/git-credential-artifacts.new"
    mv -f "$lib/git-credential-artifacts.new" "$lib/git-credential-artifacts"
    cp "$source_path/keyring.node" "$lib/keyring.node"
    for t in $tools; do ln -sfn "$lib/git-credential-artifacts" "$bin/$t"; done
    echo "installed the single executable in $lib, linked from $bin"
    ;;
  npm)
    command -v npm >/dev/null 2>&1 || { echo "install.sh: npm not found; use the single executable (--sea) instead" >&2; exit 2; }
    case "$source_path" in /*) ;; *) source_path="$PWD/$source_path" ;; esac
    npm install -g --prefix "$prefix" --no-audit --no-fund "$source_path" >&2
    # git starts git-remote-artifacts by name on every push and fetch through it; with
    # `#!/usr/bin/env node` that is two execs (env, then node). Name the Node that npm ran on,
    # as configure names it in the credential helper command (absolute, whatever PATH git has).
    node_bin=$(command -v node || true)
    case "$node_bin" in
      /*[!A-Za-z0-9_./-]*) ;;   # a character a #! line cannot carry: keep env
      /*) for t in $tools; do
           f="$prefix/lib/node_modules/git-credential-artifacts/dist/$t.cjs"
           if [ -f "$f" ]; then sed "1s|^#!/usr/bin/env node\$|#!$node_bin|" "$f" > "$f.new" && chmod 755 "$f.new" && mv -f "$f.new" "$f"; fi
         done ;;
    esac
    echo "installed the npm package under $prefix (executables in $bin)"
    ;;
esac

case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "note: $bin is not on your PATH; add it (e.g. in ~/.profile: export PATH=\"$bin:\$PATH\") so git finds git-remote-artifacts" >&2 ;;
esac

if [ "$configure" = 1 ]; then
  status=0
  "$bin/git-credential-artifacts" configure "$@" || status=$?
  if [ "$status" != 0 ]; then
    if [ "$fresh" = 1 ]; then
      sh "$here/uninstall.sh" --prefix "$prefix" --keep-config >/dev/null
      echo "install.sh: configure failed (above), so this install was rolled back: nothing is installed and your gitconfig is unchanged" >&2
      echo "install.sh: hint: fix the arguments after -- and run install.sh again (or pass --no-configure and run configure yourself)" >&2
    else
      echo "install.sh: the tools in $bin were updated, but configure failed (above): git is not set up by this run" >&2
      echo "install.sh: hint: finish with: $bin/git-credential-artifacts configure <fixed arguments>" >&2
    fi
    exit "$status"
  fi
fi
