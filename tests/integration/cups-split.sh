#!/bin/bash
# Integration: a split job through the CUPS door (issue 13 §5). A private cupsd has a queue Lab_Q
# whose device URI is pullprint:ipp://... (an ippeveprinter) with the pullprint-cost filter as
# *cupsPreFilter; pullprintd runs the split timer and the release terminal of Lab_Q.
#  1. `lp -o pullprint-split=ratio:alice=50,bob=50`: the filter files the split (alice's own
#     share approved and reserved, bob's pending), the backend holds the job; alice cannot
#     release it while bob's share is pending; bob approves by share id; alice releases it: it
#     prints once, both shares are captured once at the printer's price, the ledger check passes.
#  2. the same with on-decline=cancel, declined by bob: the CUPS job is cancelled in cupsd,
#     nothing is captured, nothing reaches the printer.
#  3. the same with a 1 h deadline, nobody answering: `pullprint split-timers run --at` two hours
#     on (the timer's clock; nobody sleeps) expires bob's share, which cancels the split and the
#     job.
#  4. a copies split is refused by the filter (one CUPS job prints once): the job does not print.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/cupsd.sh"
source "$(dirname "$0")/support/pullprintd.sh"

for program in cupsd lpadmin lp sqlite3 jq; do
  command -v "$program" >/dev/null || pp_skip "$program is not installed"
done
pp_require_ipp_printer

pp_test_site
# The filter runs as lp under a root cupsd: it must reach the ledger.
chmod 0755 "$base"
chmod 0777 "$state"
pp_start_ipp_printer "$base"
cat >>"$PP_CONFIG" <<CONF
[printer Lab_Q]
cups-queue = Lab_Q
CONF

pp_start_cupsd "$base/cups"
cp "$PP_CONFIG" "$base/cups/pullprint.conf"
chmod 0644 "$base/cups/pullprint.conf"
install -m 0700 "$PULLPRINT_BUILD_DIR/backend/pullprint" "$base/cups/bin/backend/pullprint"
lpadmin -p Lab_Q -E -P "$PULLPRINT_SOURCE_DIR/tests/integration/support/pullprint-test.ppd" \
  -v "pullprint:$PP_PRINTER_URI" -o printer-error-policy=abort-job -o page-logging-default=off
pp_wait_for 10 "queue Lab_Q" lpstat -p Lab_Q

pp_sample_pdf "$base/sample.pdf"
pp_funded_accounts 5.00 alice bob
chmod 0666 "$state"/ledger.sqlite* 2>/dev/null || true
pp_start_pullprintd "$state" "$base/pullprintd.log" -o expire-interval=1

sql() { sqlite3 "$state/ledger.sqlite" "$1"; }
# lp_split SPEC: alice prints sample.pdf to Lab_Q split by SPEC; prints the CUPS job id.
lp_split() {
  lp -d Lab_Q -U alice -o "pullprint-split=$1" "$base/sample.pdf" |
    sed -n 's/^request id is Lab_Q-\([0-9]*\).*/\1/p'
}
delivery_state() { sql "SELECT state FROM deliveries WHERE cups_job_id = $1"; }
delivery_is() { [[ $(delivery_state "$1") == "$2" ]]; }
cups_job_is() { [[ $(pp_cups_job_state "$1") == "$2" ]]; }
job_ref_of() { sql "SELECT job_ref FROM deliveries WHERE cups_job_id = $1"; }
# share COLUMN CUPS-JOB PAYER: a column of PAYER's own share of the CUPS job's split.
share() {
  sql "SELECT sh.$1 FROM split_shares sh JOIN splits s ON s.id = sh.split_id
    WHERE s.job_ref = '$(job_ref_of "$2")' AND sh.payer = '$3' AND sh.cover_of = ''"
}
# captures USER: USER's captures of money (the split's zero carrier capture is not one).
captures() { pp history "$1" --json | jq '[.[] | select(.kind == "capture" and .amount != 0)] | length'; }
captured() { pp history "$1" --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0'; }
as() { CUPS_USER=$1 pp "${@:2}" --server "$PP_URI"; }
terminal() { CUPS_USER=$1 "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" release \
  --server "$PP_URI" --printer Lab_Q "${@:2}"; }
printed_documents() { find "$PP_PRINTER_OUT" -type f | wc -l; }

# --- 1. approved: held until bob approves and alice releases; each share captured once.
cups_job=$(lp_split "ratio:alice=50,bob=50")
[[ -n $cups_job ]] || pp_fail "lp did not return a job id"
pp_wait_for 30 "the backend to hold split CUPS job $cups_job" delivery_is "$cups_job" held
pp_wait_for 30 "cupsd to hold job $cups_job" cups_job_is "$cups_job" pending-held
job_ref=$(job_ref_of "$cups_job")
[[ $job_ref == cups/* ]] || pp_fail "CUPS job $cups_job has the reference $job_ref"
pp_assert_eq ratio "$(sql "SELECT mode FROM splits WHERE job_ref = '$job_ref'")" "the split the filter filed"
price=$(sql "SELECT price FROM splits WHERE job_ref = '$job_ref'")
[[ $price -gt 0 ]] || pp_fail "the split has no price"
alice_share=$(share amount "$cups_job" alice)
bob_share=$(share amount "$cups_job" bob)
pp_assert_eq "$price" "$((alice_share + bob_share))" "the shares' sum"
pp_assert_eq approved "$(share state "$cups_job" alice)" "alice's own share"
pp_assert_eq pending "$(share state "$cups_job" bob)" "bob's share"
pp_assert_eq "$alice_share" "$(reserved alice)" "reserved on alice (her share)"
pp_assert_eq 0 "$(reserved bob)" "reserved on bob before he approves"
pp_assert_eq "0 open" "$(sql "SELECT amount || ' ' || state FROM reservations WHERE job_ref = '$job_ref'")" \
  "the filter's carrier reservation"
pp_pass "split CUPS job $cups_job filed by the filter ($price cents: alice $alice_share, bob $bob_share) and held"

out=$(terminal alice <<<"all" 2>&1) || true
echo "$out"
grep -q "waiting for approvals: 1 of 2 approved, 1 pending" <<<"$out" ||
  { echo "$out" >&2; pp_fail "alice's early release was not refused with the split's progress"; }
pp_assert_eq held "$(delivery_state "$cups_job")" "the job after alice's early try"
# The admin's release command applies the same rule.
out=$(pp deliveries release "$job_ref" 2>&1) && { echo "$out" >&2; pp_fail "deliveries release released a pending split"; }
grep -q "waiting for approvals" <<<"$out" || { echo "$out" >&2; pp_fail "deliveries release does not say why"; }
pp_assert_eq held "$(delivery_state "$cups_job")" "the job after the admin's early try"
pp_assert_eq 0 "$(printed_documents)" "documents at the printer while the split is pending"

out=$(as bob approvals)
echo "$out"
share_id=$(share id "$cups_job" bob)
grep -q "s$share_id" <<<"$out" || pp_fail "bob's approvals do not list share $share_id"
out=$(as bob approve --share "$share_id")
echo "$out"
pp_assert_eq approved "$(share state "$cups_job" bob)" "bob's share after he approved"
pp_assert_eq "$bob_share" "$(reserved bob)" "reserved on bob once he approved"
pp_assert_eq held "$(delivery_state "$cups_job")" "the job after the approval (its owner releases it)"

out=$(terminal alice <<<"all" 2>&1) || { echo "$out" >&2; pp_fail "alice's release failed"; }
echo "$out"
grep -q "Released in CUPS queue Lab_Q: EUR $(printf '%d.%02d' $((price / 100)) $((price % 100)))" <<<"$out" ||
  pp_fail "the terminal does not confirm the split's price"
pp_wait_for 60 "CUPS job $cups_job to print" delivery_is "$cups_job" printed
pp_wait_for 30 "cupsd to complete job $cups_job" cups_job_is "$cups_job" completed
share_printed() { [[ $(share state "$cups_job" bob) == printed && $(share state "$cups_job" alice) == printed ]]; }
pp_wait_for 10 "both shares to be captured" share_printed
pp_assert_eq 1 "$(printed_documents)" "documents at the printer"
pp_assert_eq 1 "$(captures alice)" "captures on alice"
pp_assert_eq 1 "$(captures bob)" "captures on bob"
pp_assert_eq "$alice_share" "$(captured alice)" "captured from alice"
pp_assert_eq "$bob_share" "$(captured bob)" "captured from bob"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the print"
pp_assert_eq 0 "$(reserved bob)" "reserved on bob after the print"
# The timer (and a second run of it) finds nothing left to capture.
pp split-timers run >/dev/null
pp_assert_eq 1 "$(captures bob)" "captures on bob after the timer"
pp ledger check >/dev/null || pp_fail "ledger check fails"
pp_pass "approved split printed once after approval + release: alice $alice_share, bob $bob_share captured once, ledger check passes"

# --- 2. declined with on-decline=cancel: the CUPS job is cancelled, nothing captured.
cups_job=$(lp_split "ratio:alice=50,bob=50;on-decline=cancel")
[[ -n $cups_job ]] || pp_fail "lp did not return a job id"
pp_wait_for 30 "the backend to hold split CUPS job $cups_job" delivery_is "$cups_job" held
pp_assert_eq "$(share amount "$cups_job" alice)" "$(reserved alice)" "reserved on alice (her share)"
as bob decline --share "$(share id "$cups_job" bob)"
pp_assert_eq declined "$(share state "$cups_job" bob)" "bob's share"
pp_assert_eq cancelled "$(sql "SELECT state FROM splits WHERE job_ref = '$(job_ref_of "$cups_job")'")" \
  "the split after bob's decline"
pp_wait_for 30 "the declined job's delivery to be voided" delivery_is "$cups_job" voided
pp_wait_for 30 "cupsd to cancel job $cups_job" cups_job_is "$cups_job" canceled
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the decline"
pp_assert_eq 0 "$(reserved bob)" "reserved on bob after the decline"
pp_assert_eq 1 "$(captures alice)" "captures on alice after the decline"
pp_assert_eq 1 "$(captures bob)" "captures on bob after the decline"
pp_assert_eq 1 "$(printed_documents)" "documents at the printer after the decline"
out=$(terminal alice --all 2>&1) || true
grep -q "cups-$cups_job" <<<"$out" && { echo "$out" >&2; pp_fail "the terminal still offers the declined job"; }
pp ledger check >/dev/null || pp_fail "ledger check fails after the decline"
pp_pass "declined split: CUPS job $cups_job cancelled in cupsd, voided, nothing captured"

# --- 3. the deadline passes (the timer's clock moved two hours on): expired -> cancelled.
cups_job=$(lp_split "ratio:alice=50,bob=50;on-decline=cancel;deadline=1h")
[[ -n $cups_job ]] || pp_fail "lp did not return a job id"
pp_wait_for 30 "the backend to hold split CUPS job $cups_job" delivery_is "$cups_job" held
out=$(pp split-timers run --at "$(date -u -d '+30 minutes' +%Y-%m-%dT%H:%M:%SZ)")
pp_assert_eq pending "$(share state "$cups_job" bob)" "bob's share half an hour on"
pp_assert_eq held "$(delivery_state "$cups_job")" "the job half an hour on"
out=$(pp split-timers run --at "$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)")
echo "$out"
pp_assert_eq expired "$(share state "$cups_job" bob)" "bob's share two hours on"
pp_assert_eq voided "$(delivery_state "$cups_job")" "the job two hours on"
grep -q "cancelled CUPS job $(job_ref_of "$cups_job"): its split was cancelled" <<<"$out" ||
  pp_fail "the timer does not say it cancelled the job"
pp_wait_for 30 "cupsd to cancel job $cups_job" cups_job_is "$cups_job" canceled
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the deadline"
pp_assert_eq 1 "$(captures alice)" "captures on alice after the deadline"
pp_assert_eq 1 "$(printed_documents)" "documents at the printer after the deadline"
pp ledger check >/dev/null || pp_fail "ledger check fails after the deadline"
pp_pass "deadline passed (split-timers run --at): bob's share expired, CUPS job $cups_job cancelled, nothing captured"

# --- 4. a mode one CUPS job cannot print is refused by the filter.
cups_job=$(lp_split "copies:alice=1,bob=2")
[[ -n $cups_job ]] || pp_fail "lp did not return a job id"
state_now=$(pp_wait_job "$cups_job")
[[ $state_now == aborted || $state_now == canceled || $state_now == processing-stopped ]] ||
  pp_fail "the copies split job ended $state_now"
pp_assert_eq "" "$(delivery_state "$cups_job")" "a delivery row for the refused job"
pp_assert_eq 0 "$(sql "SELECT count(*) FROM splits WHERE mode = 'copies'")" "copies splits filed"
pp_assert_eq 1 "$(printed_documents)" "documents at the printer after the refusal"
grep -q "a copies split prints a part per payer" "$base/cups/log/error_log" 2>/dev/null ||
  echo "(the filter's refusal is not in cupsd's error_log at this log level)"
pp ledger check >/dev/null || pp_fail "ledger check fails after the refusal"
pp_pass "a copies split is refused by the CUPS door: CUPS job $cups_job $state_now, nothing filed"
