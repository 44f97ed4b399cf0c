#!/bin/bash
# debian-package.sh: the Debian packages, end to end, as README's Packaging section does it:
#  1. copy the source tree to a temporary directory (the work tree's tracked and new files, or
#     HEAD with PULLPRINT_PACKAGE_SOURCE=head), without build directories;
#  2. dpkg-buildpackage -us -uc -b (2 jobs, no -dbgsym packages) WITH the unit tests: the build
#     runs dh_auto_test, i.e. debian/rules' `ctest -L unit` (the integration tests need daemons
#     and root, which a package build does not have); the log must show them run and passed;
#  3. lintian --pedantic on the .changes: any error or warning that is not overridden fails;
#  4. apt-get install ./*.deb; systemd-analyze verify on the installed unit (no output allowed:
#     unknown or misspelt directives, a missing ExecStart binary or man page are warnings) and
#     its offline security review (exposure at most 2.0, today's); then the autopkgtest smoke
#     test (debian/tests/smoke);
#  5. apt-get purge, and nothing may be left: no package, no /etc/pullprint, no
#     /var/lib/pullprint, no unit, filter or PAM module; packages the install pulled in are
#     purged too. The system user pullprint stays, as Debian policy wants (README.Debian).
# The packages are purged by the exit trap whatever happens, so an installed
# /usr/lib/cups/filter/pullprint-cost or /etc/pullprint/pullprint.conf never outlives the test.
# Needs root, dpkg-buildpackage and lintian (exit 77 = skipped without them). Registered in
# CTest with label "package", RUN_SERIAL (it installs into the system).
# Environment: PULLPRINT_SOURCE_DIR (default: this checkout), PULLPRINT_PACKAGE_SOURCE
# (worktree | head | any commit), PULLPRINT_PACKAGE_NOCHECK=1 builds with the nocheck profile
# (no tests: quicker, for trying packaging changes), PP_KEEP=1 keeps the temporary directory.
set -euo pipefail

packages=(pullprint-server pullprint-client cups-pullprint libpam-pullprint pullprint-common)
src=${PULLPRINT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

skip() { echo "SKIP: $*"; exit 77; }
# Not Debian, not root: no package changes that (CI accepts only this kind of skip).
skip_unchangeable() { echo "SKIP (this machine cannot change that): $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $* ($((SECONDS - phase_start)) s)"; phase_start=$SECONDS; }

command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage not installed (dpkg-dev)"
command -v lintian >/dev/null || skip "lintian not installed"
command -v apt-get >/dev/null || skip_unchangeable "not a Debian system (no apt-get)"
[[ $(id -u) == 0 ]] || skip_unchangeable "installs packages: needs root"
for package in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "installed"; then
    skip "$package is installed on this system already; not touching it"
  fi
done

work=$(mktemp -d /tmp/pp-deb.XXXXXX)
installed=""
cleanup() {
  local status=$?
  if [[ -n $installed ]]; then
    echo "purging the packages" >&2
    apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${packages[@]}" >/dev/null 2>&1 || true
  fi
  if [[ -n ${PP_KEEP:-} ]]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
phase_start=$SECONDS
total_start=$SECONDS

# 1. The source tree, without build directories or other untracked clutter.
version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
tree=$work/pullprint-${version%-*}
mkdir -p "$tree"
source_rev=${PULLPRINT_PACKAGE_SOURCE:-worktree}
[[ $source_rev == head ]] && source_rev=HEAD
if [[ $source_rev != worktree ]]; then
  git -C "$src" archive --format=tar "$source_rev" | tar -C "$tree" -xf -
elif git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$src" ls-files -z --cached --others --exclude-standard |
    tar -C "$src" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$tree" -xf -
else
  tar -C "$src" --exclude='./build*' --exclude='./obj-*' --exclude=./bench/corpus \
    --exclude=./bench/results -cf - . | tar -C "$tree" -xf -
fi
[[ -x $tree/debian/rules ]] || fail "no debian/rules in the copied tree"
pass "source tree copied to $tree"

# 2. Build the binary packages. By default with the tests: dh_auto_test runs the unit tests
# (debian/rules), as a build daemon does; the nocheck profile drops them and their
# build dependencies (<!nocheck> in debian/control).
build_options="noddebs parallel=2"
profile=()
if [[ -n ${PULLPRINT_PACKAGE_NOCHECK:-} ]]; then
  build_options="nocheck $build_options"
  profile=(-Pnocheck)
fi
if ! (cd "$tree" && DEB_BUILD_OPTIONS="$build_options" \
  dpkg-buildpackage -us -uc -b -j2 "${profile[@]}" >"$work/build.log" 2>&1); then
  tail -n 60 "$work/build.log" >&2
  fail "dpkg-buildpackage failed (log: $work/build.log; PP_KEEP=1 keeps it)"
fi
tests_run=""
if [[ -z ${PULLPRINT_PACKAGE_NOCHECK:-} ]]; then
  # ctest's summary, e.g. "100% tests passed, 0 tests failed out of 519"; no test may be an
  # integration or package test (they must not run inside a package build).
  summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$work/build.log" || true)
  [[ -n $summary && $summary == "100% tests passed"* ]] ||
    fail "dh_auto_test did not run and pass the unit tests (log: $work/build.log): ${summary:-no ctest summary}"
  if grep -qE 'Test +#[0-9]+: integration\.' "$work/build.log"; then
    fail "dh_auto_test ran integration tests"
  fi
  tests_run="; dh_auto_test: ${summary##* out of } unit tests passed"
fi
changes=$(ls "$work"/pullprint_*.changes)
debs=("$work"/*.deb)
built=$(for deb in "${debs[@]}"; do dpkg-deb -f "$deb" Package; done | grep -v -- '-dbgsym$' | sort | xargs)
[[ $built == "$(printf '%s\n' "${packages[@]}" | sort | xargs)" ]] || fail "built packages: $built"
pass "dpkg-buildpackage: $built$tests_run"

# 3. Lintian: errors and warnings fail unless overridden (pedantic and info tags are shown).
if ! lintian --pedantic --display-experimental --fail-on error,warning \
  "$changes" 2>&1 | { grep -v "running with root privileges is not recommended" || true; } \
  >"$work/lintian.log"; then
  cat "$work/lintian.log" >&2
  fail "lintian reports errors or warnings"
fi
cat "$work/lintian.log"
pass "lintian --pedantic: no errors or warnings ($(grep -c . "$work/lintian.log" || true) other tags)"

# 4. Install (with what the packages pull in) and run the smoke test.
before=$(dpkg-query -W -f='${Package}\n' | sort)
installed=yes
apt-get install -y -q -o DPkg::Lock::Timeout=300 "${debs[@]}" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "apt-get install ./*.deb"; }
pulled=$(comm -13 <(echo "$before") <(dpkg-query -W -f='${Package}\n' | sort) |
  grep -vxF -f <(printf '%s\n' "${packages[@]}") || true)
pass "installed${pulled:+ (pulled in: $(xargs <<<"$pulled"))}"

# The installed unit, offline (systemd is not PID 1 here, so it cannot be started under its
# sandbox): verify must print nothing, and the security review must stay at today's exposure.
unit=/lib/systemd/system/pullprintd.service
if command -v systemd-analyze >/dev/null; then
  verify=$(systemd-analyze verify --man=yes "$unit" 2>&1) ||
    fail "systemd-analyze verify $unit: $verify"
  [[ -z $verify ]] || fail "systemd-analyze verify $unit warns: $verify"
  security=$(systemd-analyze security --offline=yes --threshold=20 --no-pager "$unit" 2>&1) ||
    { echo "$security" >&2; fail "systemd-analyze security: $unit is more exposed than 2.0"; }
  pass "systemd-analyze verify: no warnings; security --offline: $(grep -o 'exposure level for [^:]*: [0-9.]* [A-Z]*' <<<"$security")"
else
  echo "note: systemd-analyze not installed (package systemd): $unit not verified"
fi
"$tree/debian/tests/smoke" || fail "smoke test"
pass "smoke test (debian/tests/smoke)"

# 5. Purge: nothing of ours may remain.
apt-get purge -y -q -o DPkg::Lock::Timeout=300 "${packages[@]}" >"$work/purge.log" 2>&1 ||
  { cat "$work/purge.log" >&2; fail "apt-get purge"; }
if [[ -n $pulled ]]; then
  # shellcheck disable=SC2086
  apt-get purge -y -q -o DPkg::Lock::Timeout=300 $pulled >>"$work/purge.log" 2>&1 ||
    { cat "$work/purge.log" >&2; fail "apt-get purge of what the install pulled in"; }
fi
installed=""
left=$(dpkg -l "${packages[@]}" 2>/dev/null | awk '/^[a-z][a-z] /{print $1, $2}' | grep -v '^un ' || true)
[[ -z $left ]] || fail "packages left after purge: $left"
for path in /etc/pullprint /var/lib/pullprint /etc/pam.d/pullprint /etc/pam.d/pullprint-card \
  /lib/systemd/system/pullprintd.service /usr/sbin/pullprintd /usr/bin/pullprint \
  /usr/lib/cups/filter/pullprint-cost /usr/lib/cups/backend/pullprint \
  /usr/share/pam-configs/pullprint /usr/lib/sysusers.d/pullprint.conf \
  /usr/lib/tmpfiles.d/pullprint.conf /etc/systemd/system/multi-user.target.wants/pullprintd.service; do
  [[ ! -e $path && ! -L $path ]] || fail "$path is left after purge"
done
if ls /lib/*/security/pam_pullprint.so >/dev/null 2>&1; then fail "pam_pullprint.so is left"; fi
if grep -qs pam_pullprint /etc/pam.d/common-*; then fail "pam_pullprint left in /etc/pam.d/common-*"; fi
if dpkg-statoverride --list /usr/lib/cups/backend/pullprint >/dev/null; then
  fail "the backend's dpkg-statoverride is left"
fi
getent passwd pullprint >/dev/null && echo "note: system user pullprint kept (Debian policy)"
after=$(dpkg-query -W -f='${Package}\n' | sort)
[[ $after == "$before" ]] || fail "installed packages differ from before: $(diff <(echo "$before") <(echo "$after") | xargs)"
pass "purged: nothing left"
echo "debian-package: passed in $((SECONDS - total_start)) s"
