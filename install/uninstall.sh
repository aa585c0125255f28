#!/bin/sh
# Undoes install/install.sh: `git-credential-artifacts unconfigure` (removes exactly the
# gitconfig blocks configure added), then the files of either install route.
# Idempotent: what is already gone is skipped.
set -eu

usage() {
  cat <<'EOF'
Usage: install/uninstall.sh [--prefix DIR] [--keep-config]

Runs `git-credential-artifacts unconfigure` (every endpoint it configured), then removes
what install.sh installed under PREFIX (default ~/.local): the single executable in
PREFIX/lib/git-credential-artifacts and its links in PREFIX/bin, or the npm package.

  --prefix DIR     the prefix given to install.sh (default ~/.local)
  --keep-config    leave the gitconfig alone; only remove the files
  -h, --help       show this help

Cached tokens expire by themselves (at most an hour); they live in
$XDG_RUNTIME_DIR/git-credential-artifacts (or ~/.local/state/git-credential-artifacts).
EOF
}

prefix="${HOME}/.local"
unconfigure=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --keep-config) unconfigure=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

bin="$prefix/bin"
lib="$prefix/lib/git-credential-artifacts"
tools="git-credential-artifacts git-remote-artifacts artifacts-emulator"

if [ "$unconfigure" = 1 ]; then
  if [ -x "$bin/git-credential-artifacts" ]; then
    "$bin/git-credential-artifacts" unconfigure
  else
    echo "uninstall.sh: $bin/git-credential-artifacts not found; gitconfig left as is (run \`git-credential-artifacts unconfigure\` if you installed it elsewhere)" >&2
  fi
fi

removed=0
# Single executable: the links we made (only those pointing into our lib dir), then lib.
for t in $tools; do
  link="$bin/$t"
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$lib/git-credential-artifacts" ]; then rm -f "$link"; removed=1; fi
done
if [ -d "$lib" ]; then rm -rf "$lib"; removed=1; fi

# npm package.
if [ -d "$prefix/lib/node_modules/git-credential-artifacts" ]; then
  npm uninstall -g --prefix "$prefix" --no-audit --no-fund git-credential-artifacts >&2
  removed=1
fi

if [ "$removed" = 1 ]; then echo "removed git-credential-artifacts from $prefix"; else echo "nothing to remove under $prefix"; fi
