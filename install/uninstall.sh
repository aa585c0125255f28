#!/bin/sh
# Undoes install/install.sh: `git-credential-artifacts unconfigure` (removes exactly the
# gitconfig blocks configure added), then the files of either install route; with --logout
# (or yes at its question on a terminal) `logout --all` first, else it says what stays.
# Idempotent: what is already gone is skipped.
set -eu

usage() {
  cat <<'EOF'
Usage: install/uninstall.sh [--prefix DIR] [--keep-config] [--logout | --keep-logins]

Runs `git-credential-artifacts unconfigure` (every endpoint it configured), then removes
what install.sh installed under PREFIX (default ~/.local): the single executable in
PREFIX/lib/git-credential-artifacts and its links in PREFIX/bin, or the npm package.

  --prefix DIR     the prefix given to install.sh (default ~/.local)
  --keep-config    leave the gitconfig alone; only remove the files
  --logout         first run `git-credential-artifacts logout --all`: revoke the cached repo
                   tokens and remove the API tokens `login` stored (asked on a terminal)
  --keep-logins    do not ask; leave them, and say where they are
  -h, --help       show this help

Without --logout, what `login` stored stays: the API tokens in the OS keychain (service
git-credential-artifacts) or in a private file, and the cached repo tokens (they expire by
themselves, at most an hour). uninstall.sh says where, and how to remove them.
EOF
}

# Where the tools keep what outlives them (src/paths.ts; Linux and macOS, which this script serves).
config_dir() {
  if [ "$(uname -s)" = Darwin ]; then echo "$HOME/Library/Application Support/git-credential-artifacts"
  else case "${XDG_CONFIG_HOME:-}" in /*) echo "$XDG_CONFIG_HOME/git-credential-artifacts" ;; *) echo "$HOME/.config/git-credential-artifacts" ;; esac; fi
}
cache_dir() {
  if [ -n "${ARTIFACTS_CACHE_DIR:-}" ]; then echo "$ARTIFACTS_CACHE_DIR"; return; fi
  if [ "$(uname -s)" = Darwin ]; then echo "$HOME/Library/Caches/git-credential-artifacts/tokens"; return; fi
  case "${XDG_RUNTIME_DIR:-}" in /*) if [ -d "$XDG_RUNTIME_DIR" ]; then echo "$XDG_RUNTIME_DIR/git-credential-artifacts"; return; fi ;; esac
  case "${XDG_STATE_HOME:-}" in /*) echo "$XDG_STATE_HOME/git-credential-artifacts/tokens" ;; *) echo "$HOME/.local/state/git-credential-artifacts/tokens" ;; esac
}

# What stays after the files are gone, said plainly with how to remove it (issue 21).
say_what_stays() {
  cfg="$(config_dir)"; cache="$(cache_dir)"
  if [ -f "$cfg/logins.json" ]; then
    echo "uninstall.sh: kept: the API tokens \`login\` stored (in the OS keychain, service git-credential-artifacts, or in $cfg/api-tokens.json), listed in $cfg/logins.json" >&2
    echo "uninstall.sh: hint: to remove them, run this again with --logout, or delete the keychain entries of service git-credential-artifacts and then rm -r \"$cfg\"" >&2
  fi
  if [ -d "$cache" ] && [ -n "$(find "$cache" -maxdepth 1 -name '*.json' 2>/dev/null | head -n 1)" ]; then
    echo "uninstall.sh: kept: cached repo tokens in $cache (valid until they expire, at most an hour)" >&2
    echo "uninstall.sh: hint: to remove them, run this again with --logout (revokes them), or rm -r \"$cache\" (they stay valid until they expire)" >&2
  fi
}

prefix="${HOME}/.local"
unconfigure=1
logout=ask
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --keep-config) unconfigure=0; shift ;;
    --logout) logout=yes; shift ;;
    --keep-logins) logout=no; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

bin="$prefix/bin"
lib="$prefix/lib/git-credential-artifacts"
tools="git-credential-artifacts git-remote-artifacts artifacts-emulator"

# Logging out needs the tools, so it comes first; asked only of a person at a terminal.
if [ "$logout" = ask ] && [ -t 0 ] && [ -t 2 ] && [ -f "$(config_dir)/logins.json" ] && [ -x "$bin/git-credential-artifacts" ]; then
  printf 'uninstall.sh: log out first (revoke cached repo tokens, remove the API tokens login stored)? [y/N] ' >&2
  read -r answer || answer=
  case "$answer" in y|Y|yes|YES) logout=yes ;; *) logout=no ;; esac
fi
if [ "$logout" = yes ]; then
  if [ ! -x "$bin/git-credential-artifacts" ]; then
    echo "uninstall.sh: $bin/git-credential-artifacts not found, so cannot log out; run \`git-credential-artifacts logout --all\` where it is installed" >&2
  elif [ -f "$(config_dir)/logins.json" ]; then
    # A logout that fails leaves the files installed: nothing would be left to finish it with.
    "$bin/git-credential-artifacts" logout --all || { echo "uninstall.sh: logout failed (above), so nothing was removed; fix it and run this again, or pass --keep-logins to leave the logins" >&2; exit 1; }
  fi
fi

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
say_what_stays
