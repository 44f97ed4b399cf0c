#!/bin/bash
# Integration: the pullprint admin CLI on a throwaway ledger: accounts, top-ups (idempotent with
# --key), history, JSON output, -o overrides, and `ledger check` failing on a tampered ledger.
source "$(dirname "$0")/support/common.sh"

pullprint="$PULLPRINT_BUILD_DIR/pappl-server/pullprint"
base=$(pp_make_base)
printf 'state-dir = %s/nowhere\ncurrency = EUR\n' "$base" >"$base/pullprint.conf"
# -o overrides the file's state-dir.
pp() { "$pullprint" -c "$base/pullprint.conf" -o "state-dir=$base/state" "$@"; }
mkdir -p "$base/state"

pp account create alice --display-name "Alice Liddell" >/dev/null
pp account create physics --shared --credit-limit 20.00 >/dev/null
pp topup alice 12.50 --key desk-1 --note "cash" >/dev/null
pp topup alice 12.50 --key desk-1 --note "cash" >/dev/null  # a retry: applied once
pp adjust alice -0.50 --note "goodwill correction" >/dev/null
[[ ! -e "$base/nowhere" ]] || pp_fail "-o state-dir did not override the file"

pp_assert_eq 1200 "$(pp balance alice --json | pp_json .balance)" "alice's balance in cents"
pp_assert_eq "Alice Liddell" "$(pp account show alice --json | pp_json .display_name)" "display name"
pp_assert_eq 2000 "$(pp account show physics --json | pp_json .credit_limit)" "physics credit limit"
pp_assert_eq shared "$(pp account show physics --json | pp_json .type)" "physics type"
pp_assert_eq "alice physics" "$(pp account list --json | jq -r '[.[].name] | join(" ")')" \
  "account list"
pp_assert_eq "adjustment top-up" "$(pp history alice --json | jq -r '[.[].kind] | join(" ")')" \
  "alice's history, newest first"
pp balance alice | grep -q "balance EUR 12.00" || pp_fail "human balance line"

# Errors: clear message, non-zero exit, nothing changed.
if pp topup nobody 1.00 2>"$base/err"; then pp_fail "top-up of an unknown account succeeded"; fi
grep -q "nobody" "$base/err" || pp_fail "error does not name the unknown account"
if pp topup alice 1.005 2>"$base/err"; then pp_fail "a fraction of a cent was accepted"; fi
if pp account create alice 2>/dev/null; then pp_fail "duplicate account accepted"; fi
if pp topup alice 3.00 --key desk-1 2>"$base/err"; then pp_fail "reused key with a new amount"; fi
pp_assert_eq 1200 "$(pp balance alice --json | pp_json .balance)" "balance after refused commands"

pp ledger check >/dev/null || pp_fail "ledger check fails on a sound ledger"
pp_assert_eq true "$(pp ledger check --json | pp_json .ok)" "ledger check --json"

# Tamper with the cached balance behind the ledger's back: check must notice and exit 1.
sqlite3 "$base/state/ledger.sqlite" "UPDATE accounts SET balance = balance + 100 WHERE name = 'alice'"
if pp ledger check >"$base/out"; then pp_fail "ledger check passed a tampered ledger"; fi
grep -q "VIOLATION" "$base/out" || pp_fail "ledger check printed no violation"
pp_pass "ledger check detects tampering"

# Exit statuses as pullprint(1) and pullprintd(8) give them: 2 for a usage error (not CLI11's
# own 106, 108, ...), 0 for --help.
status_of() { local status=0; "$@" >/dev/null 2>&1 || status=$?; echo "$status"; }
pp_assert_eq 2 "$(status_of pp balance --no-such-option)" "exit status of an unknown option"
pp_assert_eq 2 "$(status_of pp balance --ledger --server ipp://127.0.0.1:1/ipp/print)" \
  "exit status of two options that exclude each other"
pp_assert_eq 2 "$(status_of pp)" "exit status without a command"
pp_assert_eq 0 "$(status_of pp --help)" "exit status of --help"
pp_assert_eq 2 "$(status_of "$PULLPRINT_BUILD_DIR/pappl-server/pullprintd" --no-such-option)" \
  "pullprintd's exit status of an unknown option"
