#!/bin/bash
# Integration: `pullprint balance` and `pullprint history` through pullprintd (vendor operation
# PullPrint-Get-Account), for users who cannot open the ledger file.
#  1. Through the server a user gets exactly what a direct read of the ledger shows (JSON and
#     text, journal entries with reservation, key, actor, UTF-8 note and millisecond times), from
#     a client whose configuration points at no ledger at all.
#  2. A user is refused another user's account, with the same answer whether it exists or not;
#     an admin (config admins) reads anybody's, and that is logged.
#  3. Malformed requests get client errors, and the server keeps answering.
#  4. As nobody, who cannot open the ledger file, `pullprint balance` / `history` (no --server)
#     ask pullprintd and get the user's own account; `--ledger` is refused with a clear error
#     (needs root for setpriv: otherwise the test ends as skipped, unchangeably, after step 5).
#  5. With auth = pam (pam_wrapper) the authenticated user's account is answered, whatever
#     requesting-user-name claims; another user's is refused; no credentials get HTTP 401.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

support="$PULLPRINT_SOURCE_DIR/tests/integration/support"
pullprint="$PULLPRINT_BUILD_DIR/pappl-server/pullprint"
pp_test_site
# srv USER ARGS...: the client as USER (CUPS_USER) through pullprintd, with a configuration whose
# state directory holds no ledger: every answer must come from the server.
srv() {
  CUPS_USER=$1 "$pullprint" -c "$PP_CONFIG" -o "state-dir=$base/no-ledger-here" "${@:2}" \
    --server "$PP_URI"
}
# same EXPECTED ACTUAL WHAT: pp_assert_eq for long documents (not repeated in the output).
same() {
  [[ "$1" == "$2" ]] || pp_fail "$3: expected '$1', got '$2'"
  pp_pass "$3"
}
# fails EXPECTED-MESSAGE WHAT COMMAND...: COMMAND exits 1 with exactly that message.
fails() {
  local expected=$1 what=$2 out code=0
  shift 2
  out=$("$@" 2>&1) || code=$?
  pp_assert_eq "1: $expected" "$code: $out" "$what"
}

pp account create alice --display-name "Alice Ångström" >/dev/null
pp topup alice 5.00 --key topup-alice >/dev/null
pp adjust alice -0.25 --note "Papierstau – Erstattung zurückgenommen" --key adjust-alice >/dev/null
pp_funded_accounts 3.00 bob
pp_sample_pdf "$base/sample.pdf"
pp_start_pullprintd "$state" "$base/pullprintd.log" -o admins=root,carol
out=$(pp_submit alice "$base/sample.pdf")
pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of alice's job"
pp_assert_eq 80 "$(reserved alice)" "alice's reservation"

# 1. alice's balance and journal through the server = the direct read (root, ledger readable).
same "$(pp balance alice --json | jq -S .)" "$(srv alice balance --json | jq -S .)" \
  "alice's balance --json through pullprintd"
pp_assert_eq "alice Alice Ångström 475 80 395" \
  "$(srv alice balance --json | jq -r '"\(.name) \(.display_name) \(.balance) \(.reserved) \(.available)"')" \
  "alice's balance values"
same "$(pp balance alice)" "$(srv alice balance)" "alice's balance text"
direct=$(pp history alice --json | jq -S .)
pp_assert_eq "reserve adjustment top-up" "$(jq -r '[.[].kind] | join(" ")' <<<"$direct")" \
  "kinds of alice's journal"
same "$direct" "$(srv alice history --json | jq -S .)" "alice's history --json through pullprintd"
same "$(pp history alice --limit 2)" "$(srv alice history --limit 2)" \
  "alice's history text, --limit 2"
pp_assert_eq 2 "$(srv alice history --limit 2 --json | jq length)" "entries with --limit 2"
fails "pullprint: cannot read your account: Bad limit: expected 1..1000." "--limit 1001" \
  srv alice history --limit 1001

# 2. Others' accounts: refused for bob (an existing and a missing one alike), read by the admin.
refusal="Only admins may read another user's account."
fails "pullprint: cannot read account alice: $refusal" "bob's balance of alice" \
  srv bob balance alice
fails "pullprint: cannot read account alice: $refusal" "bob's history of alice" \
  srv bob history alice
fails "pullprint: cannot read account nosuch: $refusal" "bob's balance of a missing account" \
  srv bob balance nosuch
grep -q "bob may not read account alice: refused." "$base/pullprintd.log" ||
  pp_fail "bob's refusal is not logged"
pp_pass "bob's refusal logged"
same "$(pp balance alice --json | jq -S .)" "$(srv carol balance alice --json | jq -S .)" \
  "the admin carol's balance of alice"
same "$direct" "$(srv carol history alice --json | jq -S .)" "the admin carol's history of alice"
grep -q "Admin carol read account alice." "$base/pullprintd.log" ||
  pp_fail "the admin's read is not logged"
pp_pass "the admin's read logged"
fails "pullprint: cannot read your account: No account carol." "carol's own missing account" \
  srv carol balance
fails "pullprint: cannot read account nosuch: No account nosuch." "the admin: a missing account" \
  srv carol balance nosuch

# 3. Malformed requests.
ipptool -t -T 10 -d owner=bob "$PP_URI" "$support/pullprintd-account-bad.test" >"$base/bad.out" 2>&1 ||
  { cat "$base/bad.out" >&2; pp_fail "malformed Get-Account requests"; }
pp_pass "malformed Get-Account requests: $(grep -c PASS "$base/bad.out") checks passed"

# 4. nobody, who may not open the ledger: balance and history go to pullprintd on their own
#    (the config key server, no --server); --ledger is refused.
# nobody runs a copy of the client: the build tree may sit where nobody cannot go (a clone in
# /root, 0700), as a lab machine has its own installed copy.
install -m 0755 "$pullprint" "$base/pullprint-client"
nobody() {
  setpriv --reuid=nobody --regid=nogroup --clear-groups -- env CUPS_USER="$1" \
    "$base/pullprint-client" -c "$PP_CONFIG" -o "server=$PP_URI" "${@:2}"
}
as_nobody() {
  chmod 0700 "$state"
  chmod 0644 "$PP_CONFIG"
  if setpriv --reuid=nobody --regid=nogroup --clear-groups -- test -r "$state/ledger.sqlite"; then
    pp_fail "nobody can read the ledger"
  fi
  pp_pass "nobody cannot read the ledger file"
  same "$(pp balance alice --json | jq -S .)" "$(nobody alice balance --json | jq -S .)" \
    "balance of alice as nobody, without --server"
  same "$direct" "$(nobody alice history --json | jq -S .)" \
    "history of alice as nobody, without --server"
  fails "pullprint: cannot read account alice: $refusal" "nobody as bob: alice's balance" \
    nobody bob balance alice
  local denied="pullprint: cannot open the ledger $state/ledger.sqlite: Permission denied"
  denied+=" (without --ledger, pullprint asks pullprintd)"
  fails "$denied" "balance --ledger as nobody" nobody alice balance --ledger
  fails "$denied" "history --ledger as nobody" nobody alice history --ledger
}
skipped=""
if ((EUID == 0)); then
  as_nobody
else
  skipped="step 4 runs the client as nobody (setpriv), which only root may"
fi
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null

# 5. auth = pam: the authenticated user counts, not requesting-user-name.
pp_use_pam "$base" alice:secret bob:hunter2
pp_start_pullprintd "$state" "$base/pullprintd-pam.log" -o auth=pam
account_as() { # CREDENTIALS CLAIMED [ipptool -d ...]: Get-Account over ipp://CREDENTIALS@...
  ipptool -t -T 10 -d "owner=$2" "${@:3}" "ipp://${1:+$1@}127.0.0.1:$PP_PORT/ipp/print" \
    "$support/pullprintd-account.test" 2>&1 || true
}
out=$(account_as "" alice)
grep -q "client-error-not-authenticated" <<<"$out" || { echo "$out" >&2; pp_fail "no 401"; }
pp_pass "Get-Account without credentials refused (401)"
out=$(account_as alice:secret bob)
pp_assert_eq "alice 475" \
  "$(pp_ipp_value pullprint-account <<<"$out") $(pp_ipp_value pullprint-balance <<<"$out")" \
  "alice (claiming bob) gets her own account"
out=$(account_as alice:secret alice -d account=bob)
grep -q "got client-error-not-authorized" <<<"$out" || { echo "$out" >&2; pp_fail "alice read bob's"; }
pp_pass "alice:secret asking for bob's account refused"
out=$(account_as bob:hunter2 alice -d account=alice)
grep -q "got client-error-not-authorized" <<<"$out" || { echo "$out" >&2; pp_fail "bob read alice's"; }
pp_pass "bob:hunter2 (claiming alice) asking for alice's account refused"

pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "ledger check"
[[ -z $skipped ]] || pp_skip_unchangeable "$skipped"
