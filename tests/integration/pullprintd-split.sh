#!/bin/bash
# Integration: a job's cost split among payers (ratio mode), end to end with real components:
# pullprintd (auth = trusted: requesting-user-name as sent), ipptool and the `pullprint` CLI as
# the users (CUPS_USER), the terminal client releasing through the build's wrapper backend and
# CUPS's ipp backend to a real IPP Everywhere printer (ippeveprinter). Checks:
#  1. a split asked for at submission (job attribute pullprint-split through ipptool): the
#     owner's own share is approved at once, the job's own reservation voided; bob sees his
#     request in `pullprint approvals`, carol does not and cannot approve it; the release waits
#     for bob ("waiting for approvals"); bob approves; alice releases: printed once, both shares
#     captured, their sum is the price, `pullprint ledger check` (with check_splits) passes;
#  2. a split asked for after submission (`pullprint split`), bob declines: alice covers it;
#  3. a deadline made short by configuration (split-deadline = 2 s): bob's share expires (the
#     test polls for the state, it does not sleep for the deadline), alice covers it;
#  4. a payer who cannot afford their share: a clear refusal, the share stays pending;
#  5. bad requests refuse the job at submission and leave nothing behind;
#  6. a restart of pullprintd while an approval is pending: the request survives.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/splits.sh"

pp_require_ipp_printer

pp_test_site
pp_test_home
pp_start_ipp_printer "$base"
pp_lab_a_printer
pp_config_top "notify-command = $base/notify" "notify-domain = example.org"
# The notification command: sendmail-compatible (the message on stdin, the address last).
mkdir -p "$base/mail"
cat >"$base/notify" <<SH
#!/bin/sh
cat >>"$base/mail/\$1"
SH
chmod +x "$base/notify"

pp_sample_pdf "$base/sample.pdf"
pp_funded_accounts 20.00 alice bob
pp account create carol >/dev/null  # no money

pp_start_pullprintd "$state" "$base/pullprintd.log"
SPLIT_TEST="$PULLPRINT_SOURCE_DIR/tests/integration/support/pullprintd-split-submit.test"
submit_split() {  # OWNER SPEC: prints ipptool's output
  ipptool -t -T 30 -d "owner=$1" -d "split=$2" -f "$base/sample.pdf" "$PP_URI" "$SPLIT_TEST" || true
}

# --- 1. at submission, through ipptool; bob approves; alice releases.
out=$(submit_split alice "ratio:alice=50,bob=50")
grep -q "split: waiting for approvals" <<<"$out" || { echo "$out" >&2; pp_fail "the split job was not held"; }
job=$(newest_job alice)
price=$(price_of "$job")
pp_assert_eq held "$(job_state "$job")" "state of alice's split job"
pp_assert_eq approved "$(share_state "$job" alice)" "alice's own share"
pp_assert_eq pending "$(share_state "$job" bob)" "bob's share"
pp_assert_eq $((price / 2)) "$(reserved alice)" "reserved on alice (her share only)"
pp_assert_eq 0 "$(reserved bob)" "reserved on bob before he approves"
grep -q "Notify bob: share .*alice asks bob to pay" "$base/pullprintd.log" || pp_fail "bob was not notified in the log"
grep -q "^To: bob@example.org" "$base/mail/bob@example.org" || pp_fail "bob got no mail"
out=$(as alice jobs --json)
jq -e ".[] | select(.id == $job) | .message | test(\"split: 1 of 2 approved, 1 pending\")" <<<"$out" >/dev/null ||
  { echo "$out" >&2; pp_fail "the owner does not see the progress"; }
pp_pass "alice sees: $(jq -r ".[] | select(.id == $job) | .message" <<<"$out")"
out=$(as bob approvals)
echo "$out"
grep -qE "^ +$job +alice .*50%" <<<"$out" || pp_fail "bob does not see alice's request"
[[ $(as carol approvals) == "no pending approvals" ]] || pp_fail "carol sees someone else's request"
out=$(as carol approve "$job" 2>&1) && { echo "$out" >&2; pp_fail "carol approved bob's share"; }
pp_assert_eq pending "$(share_state "$job" bob)" "bob's share after carol's attempt"
pp_pass "carol cannot approve: $out"
out=$(terminal --user alice --job "$job" 2>&1) || true  # the terminal reports per job
grep -q "waiting for approvals: 1 of 2 approved, 1 pending" <<<"$out" || { echo "$out" >&2; pp_fail "no reason"; }
pp_assert_eq held "$(job_state "$job")" "job after the early release"
pp_pass "the release waits for approvals"
out=$(as bob approve "$job")
echo "$out"
pp_assert_eq approved "$(share_state "$job" bob)" "bob's share after he approved"
pp_assert_eq $((price - price / 2)) "$(reserved bob)" "reserved on bob"
out=$(terminal --user alice --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "alice's release failed"; }
echo "$out"
pp_assert_eq printed "$(job_state "$job")" "job after the release"
pp_assert_eq 1 "$(pp_printer_jobs | grep -c .)" "documents the printer received"
pp_assert_eq printed "$(share_state "$job" alice)" "alice's share"
pp_assert_eq printed "$(share_state "$job" bob)" "bob's share"
alice_paid=$(captured alice)
bob_paid=$(captured bob)
pp_assert_eq "$price" $((alice_paid + bob_paid)) "alice's + bob's captures (the price)"
pp_assert_eq $((price / 2)) "$alice_paid" "alice's capture"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the print"
pp_assert_eq 0 "$(reserved bob)" "reserved on bob after the print"
pp ledger check || pp_fail "ledger check fails after the split print"
pp_pass "split at submission: printed once, captured alice $alice_paid + bob $bob_paid = $price"

# --- 2. after submission with `pullprint split`; bob declines: alice covers.
pp_submit alice "$base/sample.pdf" >/dev/null
job=$(newest_job alice)
price=$(price_of "$job")
pp_assert_eq "$price" "$(reserved alice)" "alice's reservation before the split"
out=$(as alice split "$job" "ratio:alice=50,bob=50")
echo "$out"
out=$(as bob split "$job" "ratio:bob=100" 2>&1) && { echo "$out" >&2; pp_fail "bob split alice's job"; }
pp_assert_eq $((price / 2)) "$(reserved alice)" "alice's reservation after the split (her share)"
out=$(as bob decline "$job")
echo "$out"
pp_assert_eq declined "$(share_state "$job" bob)" "bob's share after he declined"
pp_assert_eq "$price" "$(reserved alice)" "alice's reservation (her share and bob's cover)"
before=$(captured alice)
bob_before=$(captured bob)
out=$(terminal --user alice --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "release after decline failed"; }
pp_assert_eq printed "$(job_state "$job")" "job after the release"
pp_assert_eq "$price" $(($(captured alice) - before)) "alice charged the whole price"
pp_assert_eq "$bob_before" "$(captured bob)" "bob's captures (declined)"
pp ledger check >/dev/null || pp_fail "ledger check fails after the decline"
pp_pass "bob declined: alice covered his share"

# --- 4. a payer who cannot afford their share: clear refusal, share stays pending.
out=$(submit_split alice "ratio:alice=50,carol=50")
job=$(newest_job alice)
out=$(as carol approve "$job" 2>&1) && { echo "$out" >&2; pp_fail "carol approved without money"; }
grep -q "available" <<<"$out" || { echo "$out" >&2; pp_fail "no clear refusal"; }
pp_assert_eq pending "$(share_state "$job" carol)" "carol's share after the refusal"
pp_pass "carol cannot afford: $out"
as alice cancel "$job" >/dev/null
pp_assert_eq 0 "$(reserved alice)" "alice's reservation once she cancelled the split job"

# --- 5. bad requests refuse the job at submission, leaving nothing behind.
before=$(newest_job alice)
reserved_before=$(reserved alice)
for spec in "ratio:alice=50,bob=40" "ratio:alice=50,nobody=50" "ratio:alice=50,alice=50"; do
  out=$(submit_split alice "$spec")
  grep -q "Refused: cannot split the job" <<<"$out" || { echo "$out" >&2; pp_fail "$spec was not refused"; }
  pp_pass "refused $spec: $(grep -o 'Refused: .*' <<<"$out")"
done
last=$(newest_job alice)
for ((id = before + 1; id <= last; id++)); do
  pp_assert_eq cancelled "$(job_state "$id")" "refused job $id"
done
pp_assert_eq "$reserved_before" "$(reserved alice)" "alice's reservations after the refusals"

# --- 6. a restart while an approval is pending: the request survives; bob approves after it.
out=$(submit_split alice "ratio:alice=30,bob=70")
pending_job=$(newest_job alice)
pp_assert_eq pending "$(share_state "$pending_job" bob)" "bob's share before the restart"

# --- 3. a short deadline by configuration: bob's share expires, alice covers.
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null
pp_start_pullprintd "$state" "$base/pullprintd.log" -o split-deadline=2 -o expire-interval=1
as bob approvals | grep -qE "^ +$pending_job +alice .*70%" || pp_fail "bob's request did not survive the restart"
as bob approve "$pending_job" >/dev/null
out=$(terminal --user alice --job "$pending_job" 2>&1) || { echo "$out" >&2; pp_fail "release after restart failed"; }
pp_assert_eq printed "$(job_state "$pending_job")" "job approved after the restart"
pp_assert_eq printed "$(share_state "$pending_job" bob)" "bob's share after the restart"
pp_pass "a restart while bob's approval was pending: approved and printed after it"
out=$(submit_split alice "ratio:alice=50,bob=50")
job=$(newest_job alice)
price=$(price_of "$job")
pp_wait_for 30 "bob's share to expire" share_is "$job" bob expired
pp_assert_eq "$price" "$(reserved alice)" "alice's reservation (her share and bob's cover)"
before=$(captured alice)
out=$(terminal --user alice --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "release after expiry failed"; }
pp_assert_eq printed "$(job_state "$job")" "job after the release"
pp_assert_eq "$price" $(($(captured alice) - before)) "alice charged the whole price"
pp ledger check || pp_fail "ledger check fails after the expiry"
pp_pass "bob's share expired: alice covered it; ledger check passes"
