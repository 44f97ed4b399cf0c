#!/bin/bash
# Integration: copies / pages / method splits, whose payers' parts are sub-jobs of their own,
# end to end with real components: pullprintd (auth = trusted), the `pullprint` CLI as the users
# (CUPS_USER), the release terminal sending through the build's wrapper backend and CUPS's ipp
# backend to a real IPP Everywhere printer (ippeveprinter). Checks:
#  1. copies: bob approves his 2 copies and releases his own part at the terminal (which shows
#     him his part only): the printer is asked for 2 copies, bob is charged his share once, the
#     job stays held for alice's part;
#     carol (no part) sees nothing; alice releases hers: the job is printed at the parts' sum;
#  2. pages: the owner releases both parts at once; the printer receives a 1-page and a 3-page
#     document (just each payer's pages), each payer charged their share;
#  3. pages, a payer declines: only the owner's pages print, the payer is charged nothing, and
#     the declined part's options are deleted;
#  4. method, a payer who cannot afford their part: a clear refusal, the share stays pending;
#     a part the printer cannot do (two-sided on a simplex printer) refused before any data goes
#     out; then method with all approving: each part reaches the printer with its payer's colour
#     mode and media;
#  5. a restart while a part is pending: the request survives, the payer approves and releases
#     it from the web page, which lists it as his part of alice's job;
#  6. method, deadline made short by configuration: dave never answers, his part expires (the
#     test polls for it), alice's mono part prints as monochrome; `pullprint ledger check` passes.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/splits.sh"
source "$(dirname "$0")/support/web.sh"

pp_require_ipp_printer
command -v qpdf >/dev/null || pp_skip "qpdf is not installed"

pp_test_site
pp_test_home
pp_start_ipp_printer "$base" -s 10,10  # a colour printer, one-sided only
pp_lab_a_printer

pp_sample_pdf "$base/sample.pdf"
pp_assert_eq 4 "$(qpdf --show-npages "$base/sample.pdf")" "pages of the sample"
pp_funded_accounts 50.00 alice bob dave
pp account create carol >/dev/null  # no money

pp_start_pullprintd "$state" "$base/pullprintd.log"
COMPLETED_TEST="$PULLPRINT_SOURCE_DIR/tests/integration/support/printer-completed-jobs.test"
printed_count() { pp_printer_jobs | grep -c . || true; }
newest_document() { ls -t "$PP_PRINTER_OUT"/* | head -n 1; }
# printer_sent ATTRIBUTE [DEFAULT]: ATTRIBUTE of the job the printer completed last, as the
# client sent it (DEFAULT when it was not sent).
printer_sent() {
  local value
  value=$(ipptool -t -T 10 "$PP_PRINTER_URI" "$COMPLETED_TEST" | sed -n "s/^ *$1 ([^)]*) = //p" | head -n 1)
  echo "${value:-${2:-}}"
}
new_job() {  # OWNER: submits the sample, prints the new job's id
  pp_submit "$1" "$base/sample.pdf" >/dev/null
  newest_job "$1"
}

# --- 1. copies: bob releases his own part, then alice hers.
job=$(new_job alice)
out=$(as alice split "$job" "copies:alice=1,bob=2")
echo "$out"
alice_amount=$(share_amount "$job" alice)
bob_amount=$(share_amount "$job" bob)
pp_assert_eq $((2 * alice_amount)) "$bob_amount" "bob's 2 copies cost twice alice's 1"
out=$(as bob approvals)
echo "$out"
grep -qE "^ +$job +alice .*2 copies" <<<"$out" || pp_fail "bob does not see his request"
out=$(terminal --user carol 2>&1) || true
grep -q "No held jobs" <<<"$out" || { echo "$out" >&2; pp_fail "carol sees a job that is not hers"; }
out=$(terminal --user bob --job "$job" 2>&1) || true
grep -q "nothing of job $job is ready" <<<"$out" || { echo "$out" >&2; pp_fail "bob released before approving"; }
as bob approve "$job"
as alice jobs
pp_assert_eq "$bob_amount" "$(reserved bob)" "reserved on bob once he approved"
out=$(terminal --user bob --all 2>&1) || { echo "$out" >&2; pp_fail "bob's release of his part failed"; }
echo "$out"
grep -q "Sending bob's part (2 copies) to Lab_A" <<<"$out" || pp_fail "bob's terminal did not send his part"
grep -q "Printed your part (2 copies): EUR" <<<"$out" || pp_fail "bob's terminal did not follow his part"
grep -q "alice" <<<"$out" && pp_fail "bob's terminal shows alice's part"
pp_assert_eq 1 "$(printed_count)" "documents the printer received"
pp_assert_eq 2 "$(printer_sent copies 1)" "copies the printer was asked for"
pp_assert_eq held "$(job_state "$job")" "the job after bob's part (alice's is left)"
pp_assert_eq printed "$(share_state "$job" bob)" "bob's share"
pp_assert_eq approved "$(share_state "$job" alice)" "alice's share"
pp_assert_eq "$bob_amount" "$(captured bob)" "bob's captures"
pp_assert_eq 0 "$(reserved bob)" "reserved on bob after his part printed"
out=$(terminal --user bob --all 2>&1) || true
grep -q "No held jobs" <<<"$out" || { echo "$out" >&2; pp_fail "bob could release his part twice"; }
out=$(terminal --user alice --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "alice's release failed"; }
echo "$out"
pp_assert_eq printed "$(job_state "$job")" "the job after alice's part"
pp_assert_eq 2 "$(printed_count)" "documents the printer received"
pp_assert_eq $((alice_amount + bob_amount)) "$(final_price_of "$job")" "the job's final price"
pp_assert_eq "$alice_amount" "$(captured alice)" "alice's captures"
pp_assert_eq "$bob_amount" "$(captured bob)" "bob's captures (still once)"
for user in alice bob; do echo "--- ledger entries of $user"; pp history "$user"; done
pp ledger check || pp_fail "ledger check fails after the copies split"
pp_pass "copies: bob released his 2 copies himself, alice hers; each charged once"

# --- 2. pages: the owner releases both parts at once; each part is just its pages.
job=$(new_job alice)
as alice split "$job" "pages:alice=1,bob=2-4" >/dev/null
as bob approve "$job" >/dev/null
alice_before=$(captured alice)
bob_before=$(captured bob)
out=$(terminal --user alice --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "the pages release failed"; }
echo "$out"
pp_assert_eq printed "$(job_state "$job")" "the pages job"
pp_assert_eq 4 "$(printed_count)" "documents the printer received"
pages=$(for file in $(ls -t "$PP_PRINTER_OUT"/* | head -n 2); do qpdf --show-npages "$file"; done | sort | tr '\n' ' ')
pp_assert_eq "1 3 " "$pages" "pages of the two parts the printer received"
pp_assert_eq "$(share_amount "$job" alice)" $(($(captured alice) - alice_before)) "alice's page 1"
pp_assert_eq "$(share_amount "$job" bob)" $(($(captured bob) - bob_before)) "bob's pages 2-4"
ls "$state/spool" | grep -q "part-" && pp_fail "a part's extract was left in the spool"
pp_pass "pages: parts of 1 and 3 pages printed, each payer charged their pages"

# --- 3. a payer declines (pages): only the owner's pages print.
job=$(new_job alice)
as alice split "$job" "pages:alice=1-2,bob=3-4" >/dev/null
as bob decline "$job" >/dev/null
pp_assert_eq declined "$(share_state "$job" bob)" "bob's share"
pp_assert_eq "{}" "$(share_column "$job" bob options)" "the declined part's options (deleted)"
bob_before=$(captured bob)
out=$(terminal --user alice --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "release after decline failed"; }
pp_assert_eq printed "$(job_state "$job")" "the job after the decline"
pp_assert_eq 5 "$(printed_count)" "documents the printer received"
pp_assert_eq 2 "$(qpdf --show-npages "$(newest_document)")" "pages of alice's part"
pp_assert_eq "$(share_amount "$job" alice)" "$(final_price_of "$job")" "the job's final price"
pp_assert_eq "$bob_before" "$(captured bob)" "bob's captures (declined)"
pp_pass "bob declined: only alice's part printed"

# --- 4. a payer who cannot afford their part (method).
job=$(new_job alice)
as alice split "$job" "method:alice=mono,carol=color" >/dev/null
out=$(as carol approve "$job" 2>&1) && { echo "$out" >&2; pp_fail "carol approved without money"; }
grep -q "available" <<<"$out" || { echo "$out" >&2; pp_fail "no clear refusal"; }
pp_assert_eq pending "$(share_state "$job" carol)" "carol's share after the refusal"
pp_pass "carol cannot afford her part: $out"
as alice cancel "$job" >/dev/null

# --- 4a. method, a part the printer cannot do (ippeveprinter prints one-sided only): refused at
# the release, before any data goes out; the part stays approved, nothing charged.
job=$(new_job alice)
as alice split "$job" "method:alice=mono,bob=two-sided-long-edge" >/dev/null
as bob approve "$job" >/dev/null
printed_before=$(printed_count)
out=$(terminal --user bob --all 2>&1) || true
grep -q "Lab_A cannot print bob's part (sides=two-sided-long-edge); release it at another printer" <<<"$out" ||
  { echo "$out" >&2; pp_fail "no clear refusal of the two-sided part"; }
pp_assert_eq "$printed_before" "$(printed_count)" "documents the printer received"
pp_assert_eq held "$(job_state "$job")" "the job after the refusal"
pp_assert_eq approved "$(share_state "$job" bob)" "bob's share after the refusal"
pp_assert_eq "$(share_amount "$job" bob)" "$(reserved bob)" "bob's reservation (kept)"
as alice cancel "$job" >/dev/null
pp_assert_eq 0 "$(reserved bob)" "bob's reservation once alice cancelled"
pp_pass "a two-sided part at a simplex printer: refused before sending: $(grep -o 'Not released: .*' <<<"$out" | head -n 1)"

# --- 4b. method, all approve: each part prints with its payer's options.
job=$(new_job alice)
as alice split "$job" "method:alice=mono,bob=color+a4" >/dev/null
as bob approve "$job" >/dev/null
out=$(terminal --user bob --all 2>&1) || { echo "$out" >&2; pp_fail "bob's method part"; }
echo "$out"
pp_assert_eq color "$(printer_sent print-color-mode)" "colour mode of bob's part"
pp_assert_eq iso_a4_210x297mm "$(printer_sent media)" "media of bob's part"
out=$(terminal --user alice --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "alice's method part"; }
pp_assert_eq monochrome "$(printer_sent print-color-mode)" "colour mode of alice's part"
pp_assert_eq printed "$(job_state "$job")" "the method job"
pp_assert_eq $(($(share_amount "$job" alice) + $(share_amount "$job" bob))) "$(final_price_of "$job")" \
  "the method job's final price"
pp_pass "method: bob's part printed in colour on A4; alice's in mono"

# --- 5. a restart while bob's part is pending; 6. a short deadline by configuration.
pending_job=$(new_job alice)
as alice split "$pending_job" "copies:alice=1,bob=1" >/dev/null
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null
pp_start_pullprintd "$state" "$base/pullprintd.log" -o split-deadline=2 -o expire-interval=1
as bob approvals | grep -qE "^ +$pending_job +alice" || pp_fail "bob's request did not survive the restart"
as bob approve "$pending_job" >/dev/null
page=$(web bob:x)
grep -q "your part of alice's job" <<<"$page" || { echo "$page" >&2; pp_fail "bob's page does not list his part"; }
grep -q "name=\"cancel\" value=\"$pending_job\"" <<<"$page" && pp_fail "bob may cancel alice's job"
key=$(session bob:x)
out=$(web bob:x -d "session=$key" -d action=release -d printer=Lab_A -d "job-$pending_job=1")
grep -q "Sending bob&#39;s part (1 copy) to Lab_A" <<<"$out" || { echo "$out" >&2; pp_fail "bob's web release"; }
pp_wait_for 30 "bob's part to print" share_is "$pending_job" bob printed
pp_assert_eq held "$(job_state "$pending_job")" "the job after bob's part (alice's is left)"
pp_pass "a restart while bob's part was pending: approved, released from his web page, printed"

job=$(new_job alice)
as alice split "$job" "method:alice=mono,dave=color+two-sided-long-edge" >/dev/null
pp_wait_for 30 "dave's part to expire" share_is "$job" dave expired
pp_assert_eq 0 "$(reserved dave)" "reserved on dave"
printed_before=$(printed_count)
out=$(terminal --user alice --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "release after expiry failed"; }
pp_assert_eq printed "$(job_state "$job")" "the job after dave's part expired"
pp_assert_eq $((printed_before + 1)) "$(printed_count)" "documents the printer received"
pp_assert_eq monochrome "$(printer_sent print-color-mode)" "colour mode of alice's part"
pp_assert_eq 0 "$(captured dave)" "dave's captures"
pp ledger check || pp_fail "ledger check fails after the method split"
pp_pass "dave's method part expired: alice's mono part printed; ledger check passes"
