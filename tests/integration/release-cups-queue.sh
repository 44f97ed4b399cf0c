#!/bin/bash
# Integration: the CUPS door, released at the terminal. A private cupsd has a queue Lab_Q whose
# device URI is pullprint:ipp://... (a real IPP printer, ippeveprinter) with the pullprint-cost
# filter as *cupsPreFilter. alice prints to it with `lp`: the filter prices and reserves, the
# wrapper backend holds the job (exit status 3: cupsd shows it held) and records it. At the
# terminal of release printer Lab_Q (cups-queue = Lab_Q), `pullprint release` lists it with its
# price; bob cannot release it; alice releases it: pullprintd authorises it in the delivery log
# and asks cupsd to release it; the backend runs again, prints, captures once. pullprintd's own
# jobs, and a payer's part of a split job, go through the same queue.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/cupsd.sh"
source "$(dirname "$0")/support/pullprintd.sh"

for program in cupsd lpadmin lp; do
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

# 1. lp to the CUPS queue: priced, reserved, held by the backend.
cups_job=$(lp -d Lab_Q -U alice "$base/sample.pdf" | sed -n 's/^request id is Lab_Q-\([0-9]*\).*/\1/p')
[[ -n $cups_job ]] || pp_fail "lp did not return a job id"
delivery_state() { sqlite3 "$state/ledger.sqlite" "SELECT state FROM deliveries WHERE cups_job_id = $cups_job"; }
delivery_is() { [[ $(delivery_state) == "$1" ]]; }
pp_wait_for 30 "the backend to hold CUPS job $cups_job" delivery_is held
cups_job_is() { [[ $(pp_cups_job_state "$cups_job") == "$1" ]]; }
pp_wait_for 30 "cupsd to hold job $cups_job" cups_job_is pending-held
price=$(reserved alice)
[[ $price -gt 0 ]] || pp_fail "nothing reserved on alice"
pp_assert_eq 0 "$(find "$PP_PRINTER_OUT" -type f | wc -l)" "documents at the printer while held"
pp_pass "CUPS job $cups_job held by the backend (cupsd: pending-held), $price cents reserved"

# 2. The terminal of Lab_Q: bob sees nothing of alice's, alice releases hers.
pp_start_pullprintd "$state" "$base/pullprintd.log" -o expire-interval=1
terminal() { "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" release \
  --server "$PP_URI" --printer Lab_Q "$@"; }
out=$(CUPS_USER=bob terminal --all 2>&1) || true
grep -q "No held jobs" <<<"$out" || { echo "$out" >&2; pp_fail "bob sees alice's CUPS job"; }
pp_assert_eq held "$(delivery_state)" "alice's CUPS job after bob's try"
out=$(CUPS_USER=alice terminal 2>&1 <<<"all") || { echo "$out" >&2; pp_fail "alice's release failed"; }
echo "$out"
grep -q "cups-$cups_job" <<<"$out" || pp_fail "the terminal does not list CUPS job $cups_job"
grep -q "Released in CUPS queue Lab_Q" <<<"$out" || pp_fail "the terminal does not confirm"
pp_wait_for 60 "CUPS job $cups_job to print" delivery_is printed
pp_wait_for 30 "cupsd to complete job $cups_job" cups_job_is completed
pp_assert_eq 1 "$(find "$PP_PRINTER_OUT" -type f | wc -l)" "documents at the printer"
head -c 5 "$(find "$PP_PRINTER_OUT" -type f)" | grep -q '%PDF-' || pp_fail "the printer got no PDF"
captures=$(pp history alice --json | jq '[.[] | select(.kind == "capture")] | length')
pp_assert_eq 1 "$captures" "captures on alice"
pp_assert_eq "-$price" "$(pp history alice --json | jq '[.[] | select(.kind == "capture")][0].amount')" \
  "captured amount"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the print"
pp ledger check >/dev/null || pp_fail "ledger check fails"
pp_pass "released at the terminal: printed once, captured once ($price cents), ledger check passes"

# 3. pullprintd's own job released to Lab_Q, a printer reached through its CUPS queue (a printer
#    that needs a driver): pullprintd submits it to Lab_Q as alice with pullprint-job-ref; the
#    filter leaves the price alone (no second reservation), the backend trusts the reference
#    (the delivery log names this CUPS job), prints it and captures pullprintd's reservation.
pp_submit alice "$base/sample.pdf" >/dev/null
job=$(sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = 'alice'")
estimate=$(sqlite3 "$state/jobs.sqlite" "SELECT price_minor FROM held_jobs WHERE id = $job")
out=$(CUPS_USER=alice terminal --job "$job" 2>&1) || { echo "$out" >&2; pp_fail "release to Lab_Q failed"; }
echo "$out"
pp_assert_eq printed "$(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $job")" \
  "pullprintd job $job after its release to Lab_Q"
pp_assert_eq 2 "$(find "$PP_PRINTER_OUT" -type f | wc -l)" "documents at the printer"
pp_assert_eq 2 "$(pp history alice --json | jq '[.[] | select(.kind == "capture")] | length')" \
  "captures on alice"
uuid=$(sqlite3 "$state/jobs.sqlite" "SELECT uuid FROM held_jobs WHERE id = $job")
pp_assert_eq "captured $estimate" \
  "$(sqlite3 "$state/ledger.sqlite" "SELECT state || ' ' || captured_amount FROM reservations WHERE job_ref = 'pullprintd/$uuid'")" \
  "pullprintd's reservation of job $job"
pp_assert_eq 1 "$(sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM reservations WHERE job_ref LIKE 'cups/%'")" \
  "reservations made by the filter (the CUPS-door job's only)"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice (no second reservation by the filter)"
pp ledger check >/dev/null || pp_fail "ledger check fails"
pp_pass "pullprintd's job printed through the CUPS queue: one reservation, captured once"

# 4. A CUPS-door job cancelled in CUPS while held: pullprintd's timer voids its reservation.
cups_job=$(lp -d Lab_Q -U alice "$base/sample.pdf" | sed -n 's/^request id is Lab_Q-\([0-9]*\).*/\1/p')
pp_wait_for 30 "the backend to hold CUPS job $cups_job" delivery_is held
[[ $(reserved alice) -gt 0 ]] || pp_fail "nothing reserved for CUPS job $cups_job"
cancel "Lab_Q-$cups_job"
pp_wait_for 30 "pullprintd to close cancelled CUPS job $cups_job" delivery_is voided
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the cancel"
pp_assert_eq 2 "$(pp history alice --json | jq '[.[] | select(.kind == "capture")] | length')" \
  "captures on alice after the cancel"
pp ledger check >/dev/null || pp_fail "ledger check fails after the sweep"
pp_pass "CUPS job cancelled while held: reservation voided by pullprintd, nothing charged"

# 5. A payer's part of a split job, released by the payer at Lab_Q: pullprintd submits just
#    bob's pages to the CUPS queue under the part's reference; the filter leaves the price
#    alone, the backend captures bob's share once.
pp_submit alice "$base/sample.pdf" >/dev/null
job=$(sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = 'alice'")
CUPS_USER=alice pp split "$job" "pages:alice=1,bob=2-4" --server "$PP_URI"
CUPS_USER=bob pp approve "$job" --server "$PP_URI"
uuid=$(sqlite3 "$state/jobs.sqlite" "SELECT uuid FROM held_jobs WHERE id = $job")
share=$(sqlite3 "$state/ledger.sqlite" "SELECT sh.amount FROM split_shares sh JOIN splits s ON s.id = sh.split_id
  WHERE s.job_ref = 'pullprintd/$uuid' AND sh.payer = 'bob'")
bob_reserved=$(reserved bob)
pp_assert_eq "$share" "$bob_reserved" "reserved on bob once he approved"
out=$(CUPS_USER=bob terminal --all 2>&1) || { echo "$out" >&2; pp_fail "bob's release of his part to Lab_Q failed"; }
echo "$out"
grep -q "Sending bob's part (pages 2-4) to Lab_Q" <<<"$out" || pp_fail "bob's terminal did not send his part"
pp_assert_eq 3 "$(find "$PP_PRINTER_OUT" -type f | wc -l)" "documents at the printer"
newest=$(ls -t "$PP_PRINTER_OUT"/* | head -n 1)
pp_assert_eq 3 "$(qpdf --show-npages "$newest")" "pages of bob's part at the printer"
pp_assert_eq 1 "$(pp history bob --json | jq '[.[] | select(.kind == "capture")] | length')" \
  "captures on bob"
pp_assert_eq "-$share" "$(pp history bob --json | jq '[.[] | select(.kind == "capture")][0].amount')" \
  "bob's captured amount (his share)"
pp_assert_eq 0 "$(reserved bob)" "reserved on bob after his part printed"
pp_assert_eq 2 "$(sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM reservations WHERE job_ref LIKE 'cups/%'")" \
  "reservations made by the filter (the CUPS-door jobs' only)"
pp_assert_eq held "$(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $job")" \
  "the split job after bob's part (alice's is left)"
pp ledger check >/dev/null || pp_fail "ledger check fails after bob's part"
pp_pass "bob's part of a split job printed through the CUPS queue: captured once at his share"
