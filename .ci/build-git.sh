#!/usr/bin/env bash
# Builds one git from Debian's source package into a cache outside the clone, so the
# end-to-end suite can run against newer credential protocols (capability[], authtype,
# wwwauth[], password_expiry_utc, proactiveAuth) as well as the system git 2.39:
#   GIT_VERSION=2.55.0 DEB_VERSION=1:2.55.0-1 bash .ci/build-git.sh              # sid
#   GIT_VERSION=2.47.3 DEB_VERSION=1:2.47.3-0+deb13u1 bash .ci/build-git.sh      # trixie
# trixie's binary package needs a newer libc than Debian 12 has, hence a build from source.
# Prints the bin directory of the built git on its last line. A kept machine reuses the cache;
# concurrent runs wait for each other (flock), so one version is never built twice at once.
set -euo pipefail

GIT_VERSION="${GIT_VERSION:-2.55.0}"
DEB_VERSION="${DEB_VERSION:-1:${GIT_VERSION}-1}"
SUDO="${SUDO-}"
[ "$(id -u)" = 0 ] || SUDO="${SUDO:-sudo}"
CACHE="${ARTIFACTS_CI_CACHE:-$HOME/.cache/git-credential-artifacts-ci}"
PREFIX="$CACHE/git-$GIT_VERSION"

if [ -x "$PREFIX/libexec/git-core/git-remote-http" ] && "$PREFIX/bin/git" --version | grep -q "git version $GIT_VERSION"; then
  echo "$PREFIX/bin"
  exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/build.lock"
flock 9   # two CI runs on one machine must not build into the same prefix at once
# Another run may have finished this version while we waited for the lock.
if [ -x "$PREFIX/libexec/git-core/git-remote-http" ] && "$PREFIX/bin/git" --version | grep -q "git version $GIT_VERSION"; then
  echo "$PREFIX/bin"
  exit 0
fi

echo "building git $GIT_VERSION into $PREFIX (about 3 minutes)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2   # a fresh machine has no package lists yet
$SUDO apt-get install -y -qq --no-install-recommends \
  ca-certificates libcurl4-gnutls-dev libpcre2-dev zlib1g-dev libexpat1-dev libssl-dev make gcc dpkg-dev xz-utils >&2

# A private apt sources list with deb-src lines: the system's config stays untouched.
ALT="$CACHE/apt-alt"
mkdir -p "$ALT/lists/partial" "$ALT/cache/archives/partial"
MIRROR=$(apt-get indextargets --format '$(REPO_URI)' | grep -v -- -security | head -1)
printf 'deb-src %s sid main\ndeb-src %s trixie main\n' "$MIRROR" "$MIRROR" > "$ALT/sources.list"
APT=(-o "Dir::Etc::SourceList=$ALT/sources.list" -o Dir::Etc::SourceParts=/nonexistent
     -o "Dir::State::Lists=$ALT/lists" -o "Dir::Cache=$ALT/cache")
apt-get "${APT[@]}" update -qq >&2   # private lists under $CACHE: no root needed

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
apt-get "${APT[@]}" source --download-only "git=$DEB_VERSION" >&2
tar xf "git_${GIT_VERSION}.orig.tar.xz"
cd "git-$GIT_VERSION"
# NO_RUST: keep the build independent of whether cargo happens to be installed.
# git compiles its prefix in (exec path), so install in place; the version check above
# only accepts a finished install because `install` writes bin/git near its end.
rm -rf "$PREFIX"
make -j"$(nproc)" prefix="$PREFIX" NO_TCLTK=1 NO_GETTEXT=1 NO_RUST=1 all install >&2 </dev/null
"$PREFIX/bin/git" --version >&2
echo "$PREFIX/bin"
