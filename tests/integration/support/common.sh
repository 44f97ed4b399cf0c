# common.sh: helpers for integration tests (sourced). Daemons bind to 127.0.0.1 on free ports and
# are stopped by the test that started them (trap cleanup EXIT).
set -euo pipefail

: "${PULLPRINT_BUILD_DIR:?set by CTest}"
: "${PULLPRINT_SOURCE_DIR:?set by CTest}"

PP_CLEANUPS=()

# Registers a command to run when the test exits, in reverse order.
pp_on_exit() { PP_CLEANUPS+=("$*"); }

pp_run_cleanups() {
  local i
  for ((i = ${#PP_CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${PP_CLEANUPS[i]}" || true; done
}
trap pp_run_cleanups EXIT

# Prints a message and fails the test.
pp_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

pp_pass() { echo "ok: $*"; }

# Marks the test skipped (SKIP_RETURN_CODE 77 in CMakeLists.txt) with the reason. CI fails on
# such a skip (tests/check-skips.py): whatever is missing, .ci/install-deps must install it.
pp_skip() {
  echo "SKIP: $*"
  exit 77
}

# Skips for a reason no package can change on this machine (not root, no namespaces): the one
# kind of skip CI accepts. Say in the test why the machine cannot change it.
pp_skip_unchangeable() {
  echo "SKIP (this machine cannot change that): $*"
  exit 77
}

# A private directory under /tmp with a SHORT path (cupsd's socket path limit), removed at exit.
# Every base lives in one directory per test run, made here and not in pp_make_base: callers use
# base=$(pp_make_base), and a clean-up registered inside that subshell would be lost.
PP_TEST_TMP=$(mktemp -d /tmp/pp.XXXXXX)
chmod 0755 "$PP_TEST_TMP"
if [[ -n "${PP_KEEP:-}" ]]; then
  echo "kept: $PP_TEST_TMP" >&2
else
  pp_on_exit "rm -rf '$PP_TEST_TMP'"  # registered first, so it runs after the daemons stopped
fi

pp_make_base() {
  local base
  base=$(mktemp -d "$PP_TEST_TMP/b.XXXX")
  chmod 0755 "$base"
  echo "$base"
}

# Prints a TCP port on 127.0.0.1 that nothing listens on.
pp_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  pp_fail "no free port found"
}

# pp_wait_for TIMEOUT_SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds.
pp_wait_for() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || pp_fail "timed out after ${timeout}s waiting for $what"
    sleep 0.1
  done
}

# pp_assert_eq EXPECTED ACTUAL WHAT
pp_assert_eq() {
  [[ "$1" == "$2" ]] || pp_fail "$3: expected '$1', got '$2'"
  pp_pass "$3 = $2"
}

# Reads one field of a JSON document on stdin with a jq filter.
pp_json() { jq -r "$1"; }
