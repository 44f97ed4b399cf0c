#!/bin/bash
# Integration: pam_pullprint.so (the build's, named by absolute path in a private service file)
# driven by pamtester under pam_wrapper, against a ledger whose cards were set up with the
# `pullprint card` CLI. No root PAM configuration is touched: libpam_wrapper.so is preloaded
# into pamtester only and reads the service from PAM_WRAPPER_SERVICE_DIR.
#
# Checks: a card with PIN is accepted with the right PIN (pamtester answers the "PIN: " prompt
# from stdin) and refused with a wrong one; card-max-failures wrong PINs lock it (then even the
# right PIN is refused); a card without PIN is accepted without a prompt; unknown and blocked
# cards are refused; the account stage refuses nothing valid. pamtester does not print the
# mapped PAM_USER, so the owner is checked in the audit table card_attempts, which also must
# hold every attempt and never a PIN.
source "$(dirname "$0")/support/common.sh"

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
pam_wrapper="/usr/lib/$multiarch/libpam_wrapper.so"
if [[ ! -f "$pam_wrapper" ]] || ! command -v pamtester >/dev/null; then
  echo "skipped: libpam-wrapper or pamtester is not installed (.ci/install-deps installs them)"
  exit 77
fi

pullprint="$PULLPRINT_BUILD_DIR/pappl-server/pullprint"
module="$PULLPRINT_BUILD_DIR/pam/pam_pullprint.so"
[[ -f "$module" ]] || pp_fail "$module was not built"
base=$(pp_make_base)
state="$base/state"
mkdir -p "$state" "$base/pam.d"
config="$base/pullprint.conf"
cat >"$config" <<CONF
state-dir = $state
currency = EUR
card-max-failures = 3
card-lock-seconds = 3600
[price default]
mono-impression = 10
color-impression = 50
CONF
pp() { "$pullprint" -c "$config" "$@"; }
for type in auth account; do
  echo "$type required $module config=$config"
done >"$base/pam.d/pullprint-card"

# pam_card CARD [PIN]: runs authenticate + acct_mgmt for CARD; the PIN (if any) on stdin.
pam_card() {
  printf '%s\n' "${2:-}" | LD_PRELOAD="$pam_wrapper" PAM_WRAPPER=1 \
    PAM_WRAPPER_SERVICE_DIR="$base/pam.d" pamtester pullprint-card "$1" authenticate acct_mgmt \
    >"$base/out" 2>&1
}
last_attempt() { sqlite3 "$state/ledger.sqlite" \
  "SELECT outcome || ' ' || user FROM card_attempts WHERE card = '$1' ORDER BY id DESC LIMIT 1"; }

pp card add 04A1B2C3 alice >/dev/null
printf '4711\n' | pp card pin 04A1B2C3 >/dev/null
pp card add 5550001 bob >/dev/null
pp card add 777 carol >/dev/null
pp card block 777 >/dev/null
[[ $(pp card list alice --json | jq -r '.[0].pin') == true ]] || pp_fail "alice's card has no PIN"

pam_card 04A1B2C3 4711 || pp_fail "card with the right PIN refused: $(cat "$base/out")"
[[ $(last_attempt 04A1B2C3) == "accepted alice" ]] || pp_fail "not mapped to alice: $(last_attempt 04A1B2C3)"
pp_pass "card + right PIN accepted as alice"

! pam_card 04A1B2C3 1234 || pp_fail "wrong PIN accepted"
[[ $(last_attempt 04A1B2C3) == "wrong-pin alice" ]] || pp_fail "wrong PIN not logged"
pp_pass "wrong PIN refused"

pam_card 5550001 || pp_fail "card without PIN refused: $(cat "$base/out")"
[[ $(last_attempt 5550001) == "accepted bob" ]] || pp_fail "not mapped to bob"
pp_pass "card without PIN accepted as bob"

! pam_card 99999999 0000 || pp_fail "unknown card accepted"
[[ $(last_attempt 99999999) == "unknown-card " ]] || pp_fail "unknown card not logged"
pp_pass "unknown card refused and logged"

! pam_card 777 || pp_fail "blocked card accepted"
[[ $(last_attempt 777) == "blocked carol" ]] || pp_fail "blocked card not logged"
pp_pass "blocked card refused"

# Two more wrong PINs make three: the card locks, and then the right PIN is refused too.
! pam_card 04A1B2C3 0000 || pp_fail "wrong PIN accepted"
! pam_card 04A1B2C3 0001 || pp_fail "wrong PIN accepted"
! pam_card 04A1B2C3 4711 || pp_fail "locked card accepted with the right PIN"
[[ $(last_attempt 04A1B2C3) == "locked alice" ]] || pp_fail "lock not logged: $(last_attempt 04A1B2C3)"
grep -qi "maximum number of retries" "$base/out" || pp_fail "locked card not reported as PAM_MAXTRIES: $(cat "$base/out")"
pp card list alice --json | jq -e '.[0].locked_until != null' >/dev/null || pp_fail "not locked"
pp_pass "locked after 3 wrong PINs"

# The admin unblocks: the lock ends.
pp card unblock 04A1B2C3 >/dev/null
pam_card 04A1B2C3 4711 || pp_fail "unblocked card refused: $(cat "$base/out")"
pp_pass "unblock ends the lock"

# Every attempt is in the log, no PIN is anywhere in the database.
[[ $(sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM card_attempts") == 9 ]] ||
  pp_fail "attempts logged: $(sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM card_attempts")"
for file in "$state"/ledger.sqlite*; do
  ! grep -q 4711 "$file" || pp_fail "the PIN is in $file"
done
pp card remove 5550001 >/dev/null
! pam_card 5550001 || pp_fail "removed card accepted"
pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "audit log complete, no PIN stored, ledger check ok"

# A config= that does not exist refuses every card (never falls back to another ledger).
echo "auth required $module config=$base/missing.conf" >"$base/pam.d/pullprint-card"
! pam_card 04A1B2C3 4711 || pp_fail "accepted with a missing config file"
pp_pass "missing config= file refuses"
