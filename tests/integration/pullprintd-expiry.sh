#!/bin/bash
# Integration: held jobs expire by themselves. pullprintd with job-lifetime=2 (seconds, read by
# hold_job in lib/holding) and expire-interval=1 (the server's expiry timer): a held, reserved job
# becomes `expired` in the store without anybody acting, its reservation is voided (alice's
# reserved amount back to 0, a `void` entry in her history), its spool file is deleted and the
# ledger stays consistent. After a restart with a long job-lifetime, a job submitted afterwards
# stays held and reserved although the timer keeps running (proved by the timer removing an old
# orphan file from the spool meanwhile).
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

pp_test_site
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
job_document() { sqlite3 "$state/jobs.sqlite" "SELECT document_file FROM held_jobs WHERE id = $1"; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs"; }
is_expired() { [[ "$(job_state "$1")" == expired ]]; }
voids() { pp history "$1" --json | jq '[.[] | select(.kind == "void")] | length'; }

pp_sample_pdf "$base/sample.pdf"

pp account create alice >/dev/null
pp topup alice 5.00 --key test-topup-alice >/dev/null

# 1. A job with a 2-second lifetime: held and reserved at first.
pp_start_pullprintd "$state" "$base/pullprintd.log" -o job-lifetime=2 -o expire-interval=1
out=$(pp_submit alice "$base/sample.pdf")
pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of the short-lived job"
short=$(newest_job)
[[ "$short" =~ ^[0-9]+$ ]] || pp_fail "no job in the store"
document=$(job_document "$short")
[[ -n "$document" && -f "$state/spool/$document" ]] || pp_fail "spool file of job $short missing"
pp_pass "job $short held with spool file $document"
# The timer may already have expired it (2 s is short), so only its reservation is checked as
# it was made: the reserve entry exists.
pp_assert_eq 1 "$(pp history alice --json | jq '[.[] | select(.kind == "reserve")] | length')" \
  "reserve entries of alice"

# 2. It expires by itself: store state, reservation voided, document deleted, ledger consistent.
pp_wait_for 20 "job $short to expire" is_expired "$short"
pp_pass "job $short expired by itself"
pp_assert_eq 0 "$(reserved alice)" "alice's reservation after the expiry"
pp_assert_eq 1 "$(voids alice)" "void entries of alice after the expiry"
pp_assert_eq 500 "$(pp account show alice --json | pp_json .available)" "alice's available funds after the expiry"
[[ ! -e "$state/spool/$document" ]] || pp_fail "spool file $document still exists"
pp_assert_eq "" "$(job_document "$short")" "document of the expired job in the store"
pp ledger check >/dev/null || pp_fail "ledger check failed after the expiry"
pp_pass "ledger check after the expiry"
grep -q "Expired 1 held job" "$base/pullprintd.log" || pp_fail "the server did not log the expiry"
pp_pass "the server logged the expiry"

# 3. Restart with the default-like long lifetime; a job submitted now stays held while the timer
#    keeps running every second.
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null
pp_start_pullprintd "$state" "$base/pullprintd.log" -o job-lifetime=86400 -o expire-interval=1
out=$(pp_submit alice "$base/sample.pdf")
pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of the long-lived job"
long=$(newest_job)
((long > short)) || pp_fail "no new job in the store"
long_document=$(job_document "$long")
# Evidence that the timer ran after this job was stored: its reconciliation removes spool files
# that no job names once they are an hour old.
touch -d '2 hours ago' "$state/spool/stray-orphan"
pp_wait_for 20 "the expiry timer to remove an old orphan spool file" \
  test ! -e "$state/spool/stray-orphan"
pp_pass "the expiry timer ran after job $long was stored"
pp_assert_eq held "$(job_state "$long")" "store state of the long-lived job"
[[ -n "$long_document" && -f "$state/spool/$long_document" ]] ||
  pp_fail "spool file of job $long was deleted"
pp_pass "job $long keeps its spool file"
pp_assert_eq 80 "$(reserved alice)" "alice's reservation for the long-lived job"
pp_assert_eq 1 "$(voids alice)" "void entries of alice (only the expired job)"
pp_assert_eq expired "$(job_state "$short")" "store state of the expired job after the restart"
pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "ledger check"
