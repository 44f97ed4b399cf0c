#!/bin/bash
# Integration: a split asked for with `lp -o pullprint-split=...` on a lab machine's CUPS, through
# a private cupsd to pullprintd (auth = trusted). What this shows about CUPS 2.4:
#  1. a driverless queue (`lpadmin -m everywhere`) DROPS the option: its ipp backend converts
#     only the options it knows (_cupsConvertOptions). printer-mandatory-job-attributes would make
#     it forward a vendor attribute, but cupsd then refuses every job without it, so pullprintd
#     does not advertise it. The job arrives held without a split; `pullprint split JOB SPEC`
#     splits it afterwards (checked here).
#  2. a queue without a PPD (`lpadmin -v URI`, no -m: "raw", the ipp backend then encodes every
#     option) forwards it intact as one nameWithoutLanguage value: the split is made at
#     submission with exactly the request written.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/cupsd.sh"
source "$(dirname "$0")/support/pullprintd.sh"

pp_test_site pp-state
pp_sample_pdf "$base/sample.pdf"
pp_funded_accounts 5.00 alice bob
pp_start_pullprintd "$state" "$base/pullprintd.log"
pp_start_cupsd "$base/cups"
spec="ratio:alice=1/3,bob=2/3;deadline=12h"

submit() {  # QUEUE: lp as alice with the split; waits for the CUPS job
  local job
  job=$(lp -d "$1" -U alice -o "pullprint-split=$spec" "$base/sample.pdf" |
    sed -n "s/^request id is $1-\([0-9]*\).*/\1/p")
  [[ -n "$job" ]] || pp_fail "lp did not return a job id"
  pp_wait_job "$job" >/dev/null
}
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT coalesce(max(id), 0) FROM held_jobs"; }
split_of() {  # JOB: the stored request of its split, "" without one
  local uuid
  uuid=$(sqlite3 "$state/jobs.sqlite" "SELECT uuid FROM held_jobs WHERE id = $1")
  sqlite3 "$state/ledger.sqlite" "SELECT request FROM splits WHERE job_ref = 'pullprintd/$uuid'"
}

# 1. driverless: dropped; split afterwards with the CLI.
lpadmin -p Lab -E -v "$PP_URI" -m everywhere -o printer-error-policy=abort-job
pp_wait_for 60 "the driverless PPD of Lab" test -s "$base/cups/conf/ppd/Lab.ppd"
pp_wait_for 15 "queue Lab accepting jobs" bash -c 'lpstat -a Lab | grep -q "accepting requests"'
submit Lab
job=$(newest_job)
pp_assert_eq "" "$(split_of "$job")" "split of the job from the driverless queue (dropped by CUPS)"
CUPS_USER=alice pp split "$job" "$spec" --server "$PP_URI"
pp_assert_eq "ratio:alice=1/3,bob=2/3;deadline=12h" "$(split_of "$job")" "split made with pullprint split"

# 2. a queue without a PPD: forwarded intact.
lpadmin -p LabRaw -E -v "$PP_URI" 2>/dev/null
pp_wait_for 15 "queue LabRaw accepting jobs" bash -c 'lpstat -a LabRaw | grep -q "accepting requests"'
submit LabRaw
job=$(newest_job)
pp_assert_eq "ratio:alice=1/3,bob=2/3;deadline=12h" "$(split_of "$job")" "split from lp through the raw queue"
grep -q "Held as pullprint job $job for alice: .*(split: waiting for approvals)" "$base/pullprintd.log" ||
  pp_fail "pullprintd did not log the split job"
pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "lp -o pullprint-split arrives intact through a queue without a PPD"
