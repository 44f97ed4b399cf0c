#!/bin/bash
# Integration: rights per group and printer through the CUPS door (lib/rights, asked by the
# pullprint-cost filter at submission and by pullprintd's release of a CUPS-door job). A private
# cupsd has queue Lab_Q (pullprint:ipp://... to ippeveprinter, the filter as *cupsPreFilter); two
# release printers print from it:
#   Lab_Q   allowed-users = @staff
#   Lab_Q2  in the Library, colour for @staff only (color-fallback = mono, which the CUPS door
#           cannot do: it refuses instead)
# The site takes jobs from @students and @staff (local groups); alice is a student, carol staff.
# Checks:
#  1. dave's job is refused by the filter (not in allowed-users), nothing reserved;
#  2. alice's colour job is refused by the filter (no colour right on the queue's printers);
#  3. alice's grey job is held; her release at Lab_Q is refused with the reason and Lab_Q2
#     named, the job stays held and reserved; at Lab_Q2 it prints and is captured once;
#  4. carol's colour job goes through (Lab_Q admits @staff); the ledger check passes.
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
pp_test_home
# The filter runs as lp under a root cupsd: it must reach the ledger.
chmod 0755 "$base"
chmod 0777 "$state"
pp_start_ipp_printer "$base"
pp_config_top "allowed-users = @students, @staff"
cat >>"$PP_CONFIG" <<CONF
[printer Lab_Q]
cups-queue = Lab_Q
allowed-users = @staff
[printer Lab_Q2]
cups-queue = Lab_Q
location = Library
color-users = @staff
color-fallback = mono
CONF

pp_funded_accounts 5.00 alice carol dave
pp group add students >/dev/null
pp group add staff >/dev/null
pp group member add students alice >/dev/null
pp group member add staff carol >/dev/null
chmod 0666 "$state"/ledger.sqlite* 2>/dev/null || true

pp_start_cupsd "$base/cups"
cp "$PP_CONFIG" "$base/cups/pullprint.conf"
chmod 0644 "$base/cups/pullprint.conf"
install -m 0700 "$PULLPRINT_BUILD_DIR/backend/pullprint" "$base/cups/bin/backend/pullprint"
lpadmin -p Lab_Q -E -P "$PULLPRINT_SOURCE_DIR/tests/integration/support/pullprint-test.ppd" \
  -v "pullprint:$PP_PRINTER_URI" -o printer-error-policy=abort-job -o page-logging-default=off
pp_wait_for 10 "queue Lab_Q" lpstat -p Lab_Q

pp_sample_pdf "$base/colour.pdf"  # 4 pages, 1 in colour
printf '%%!PS\n0 setgray 72 72 200 200 rectfill showpage\n0.5 setgray 72 72 100 100 rectfill showpage\n' \
  >"$base/grey.ps"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$base/grey.pdf" "$base/grey.ps"

submit() {  # USER FILE: lp to Lab_Q; prints the CUPS job id
  lp -d Lab_Q -U "$1" "$2" | sed -n 's/^request id is Lab_Q-\([0-9]*\).*/\1/p'
}
reservations() { sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM reservations WHERE job_ref LIKE 'cups/%'"; }
refused_by_filter() {  # USER FILE REASON
  local job
  job=$(submit "$1" "$2")
  [[ -n $job ]] || pp_fail "lp did not return a job id"
  local state
  state=$(pp_wait_job "$job")
  [[ $state != completed ]] || pp_fail "$1's job $job was printed"
  grep -qF "job refused: $3" "$PP_CUPS_LOGS/error_log" ||
    { tail -n 20 "$PP_CUPS_LOGS/error_log" >&2; pp_fail "no \"job refused: $3\" in error_log"; }
  cancel "Lab_Q-$job" 2>/dev/null || true
  cupsenable Lab_Q 2>/dev/null || true
  pp_pass "$1's job refused by the filter ($state): $3"
}

# --- 1. and 2. refused by the filter.
refused_by_filter dave "$base/grey.pdf" "dave may not print here (not in allowed-users)"
refused_by_filter alice "$base/colour.pdf" "alice may not print colour on Lab_Q2"
pp_assert_eq 0 "$(reservations)" "reservations of refused jobs"

# --- 3. alice's grey job: held; refused at Lab_Q with Lab_Q2 named; printed at Lab_Q2.
cups_job=$(submit alice "$base/grey.pdf")
delivery_state() { sqlite3 "$state/ledger.sqlite" "SELECT state FROM deliveries WHERE cups_job_id = $cups_job"; }
delivery_is() { [[ $(delivery_state) == "$1" ]]; }
pp_wait_for 30 "the backend to hold CUPS job $cups_job" delivery_is held
price=$(reserved alice)
[[ $price -gt 0 ]] || pp_fail "nothing reserved on alice"

pp_start_pullprintd "$state" "$base/pullprintd.log"
terminal() { "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" release \
  --server "$PP_URI" "$@"; }
out=$(CUPS_USER=alice terminal --printer Lab_Q 2>&1 <<<"all") || true
echo "$out"
grep -qF "alice may not print on Lab_Q; try Lab_Q2 (Library)" <<<"$out" ||
  { echo "$out" >&2; pp_fail "alice's release at Lab_Q was not refused with the reason"; }
pp_assert_eq held "$(delivery_state)" "alice's CUPS job after the refusal"
pp_assert_eq "$price" "$(reserved alice)" "reserved on alice after the refusal"
pp_assert_eq 0 "$(find "$PP_PRINTER_OUT" -type f | wc -l)" "documents at the printer"
pp_pass "release at Lab_Q refused: alice may not print there; Lab_Q2 named"

out=$(CUPS_USER=alice terminal --printer Lab_Q2 2>&1 <<<"all") ||
  { echo "$out" >&2; pp_fail "alice's release at Lab_Q2 failed"; }
grep -q "Released in CUPS queue Lab_Q" <<<"$out" || { echo "$out" >&2; pp_fail "not released"; }
pp_wait_for 60 "CUPS job $cups_job to print" delivery_is printed
pp_assert_eq 1 "$(pp history alice --json | jq '[.[] | select(.kind == "capture")] | length')" \
  "captures on alice"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the print"
pp_pass "released at Lab_Q2: printed, captured once ($price cents)"

# --- 4. carol (@staff) prints colour through the queue.
cups_job=$(submit carol "$base/colour.pdf")
pp_wait_for 30 "the backend to hold carol's CUPS job $cups_job" delivery_is held
pp_assert_eq 80 "$(reserved carol)" "reserved on carol (colour price)"
pp ledger check >/dev/null || pp_fail "ledger check fails"
pp_pass "carol's colour job held for release; ledger check passes"
