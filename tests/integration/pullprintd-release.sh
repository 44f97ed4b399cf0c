#!/bin/bash
# Integration: release at the printer, end to end with real components. pullprintd (auth = pam,
# under pam_wrapper: passwords through pam_matrix, cards through the build's pam_pullprint.so)
# holds alice's PDF; the terminal client `pullprint release --card` reads a card number and PIN
# from stdin; pullprintd's delivery worker runs the build's pullprint wrapper backend, which runs
# CUPS's real ipp backend to a real IPP Everywhere printer (ippeveprinter). Checks:
#  1. the printer received exactly the document, the ledger captured exactly the price on that
#     printer, once; the terminal showed the price and the outcome;
#  2. a printer that is off: the release is refused with the reason, the job stays held, nothing
#     is charged;
#  3. bob cannot release alice's job (and learns nothing about it); operator carol can, and it
#     is logged with both names;
#  4. wrong PINs lock the card (card-max-failures), after which even the right PIN is refused;
#  5. two printers, one slow (its jobs take until the test lets them finish): a job released to
#     the fast printer prints while the slow one is still busy;
#  6. SIGKILL of pullprintd while a job is in flight, restart: the job is under review (not
#     lost, not charged), an admin captures it once, `pullprint ledger check` passes.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"

pp_require_ipp_printer

pp_test_site
pp_test_home
mkdir -p "$base/pam.d" "$base/serverbin/backend"

# Printers: Lab_A (fast), Lab_Slow (each job waits for a file the test creates), Lab_Off.
pp_start_ipp_printer "$base"
slow_port=$(pp_free_port)
mkdir -p "$base/slow-out"
cat >"$base/slow-print" <<SH
#!/bin/sh
# ippeveprinter's print command for Lab_Slow: the job stays processing until the test says go.
touch "$base/slow-started"
while [ ! -e "$base/slow-go" ]; do sleep 0.1; done
SH
chmod +x "$base/slow-print"
ippeveprinter -p "$slow_port" -f application/pdf -d "$base/slow-out" -k -c "$base/slow-print" \
  "SlowPrinter$slow_port" >"$base/slow.log" 2>&1 &
slow_pid=$!
pp_on_exit "kill $slow_pid 2>/dev/null; wait $slow_pid 2>/dev/null"
pp_wait_for 15 "the slow printer" ipptool -q "ipp://127.0.0.1:$slow_port/ipp/print" \
  get-printer-attributes.test
off_port=$(pp_free_port)

pp_config_top "operators = carol" "card-max-failures = 3" \
  "backend = $PULLPRINT_BUILD_DIR/backend/pullprint"
pp_lab_a_library_printer
cat >>"$PP_CONFIG" <<CONF
[printer Lab_Slow]
price-profile = default
device-uri = ipp://127.0.0.1:$slow_port/ipp/print
[printer Lab_Off]
price-profile = default
device-uri = ipp://127.0.0.1:$off_port/ipp/print
CONF

# PAM: passwords (pam_matrix) and cards (the build's pam_pullprint.so on this configuration).
pp_use_pam "$base" alice:secret bob:hunter2 carol:opensesame

pp_sample_pdf "$base/sample.pdf"
pp_funded_accounts 5.00 alice bob
pp card add 04A1B2C3 alice >/dev/null
printf '2468\n' | pp card pin 04A1B2C3 >/dev/null

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
as() { echo "ipp://$1@127.0.0.1:$PP_PORT/ipp/print"; }
submit() { PP_URI=$(as "$1") pp_submit "${1%%:*}" "$base/sample.pdf" >/dev/null; }
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
job_is() { [[ $(job_state "$1") == "$2" ]]; }
job_left() { [[ $(job_state "$1") != "$2" ]]; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = '$1'"; }
captured() {  # the sum of alice's captures, in cents (positive)
  pp history "$1" --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0'
}
terminal() { "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" release --server "$PP_URI" "$@"; }

# --- 1. card + PIN at Lab_A: printed, exactly the document, captured once at Lab_A's price.
submit alice:secret
job=$(newest_job alice)
pp_assert_eq held "$(job_state "$job")" "state of alice's job"
estimate=$(sqlite3 "$state/jobs.sqlite" "SELECT price_minor FROM held_jobs WHERE id = $job")
out=$(printf '04A1B2C3\n2468\n' | terminal --printer Lab_A --card --all 2>&1) ||
  { echo "$out" >&2; pp_fail "the terminal release failed"; }
echo "$out"
grep -q "Printed on Lab_A" <<<"$out" || pp_fail "the terminal did not report the print"
pp_assert_eq printed "$(job_state "$job")" "state after the release"
files=$(pp_printer_jobs)
pp_assert_eq 1 "$(grep -c . <<<"$files")" "documents the printer received"
cmp "$base/sample.pdf" "$files" || pp_fail "the printer received something else than the document"
pp_pass "the printer received exactly the document"
# Lab_A: 7 cents a grey and 40 a colour impression instead of the default 10 and 50.
colour=$(sqlite3 "$state/jobs.sqlite" "SELECT color_pages FROM held_jobs WHERE id = $job")
impressions=$(sqlite3 "$state/jobs.sqlite" "SELECT impressions FROM held_jobs WHERE id = $job")
on_a=$(((impressions - colour) * 7 + colour * 40))
pp_assert_eq $on_a "$(captured alice)" "captured on alice (Lab_A's price)"
pp_assert_eq $on_a "$(sqlite3 "$state/jobs.sqlite" "SELECT final_price_minor FROM held_jobs WHERE id = $job")" "final price"
[[ $estimate -ne $on_a ]] || pp_fail "test needs Lab_A to differ from the estimate"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the print"
[[ -z $(sqlite3 "$state/jobs.sqlite" "SELECT document_file FROM held_jobs WHERE id = $job") ]] ||
  pp_fail "the printed job's document was not deleted"
pp_pass "card + PIN release: printed and captured once at Lab_A's price ($on_a cents)"

# --- 2. a printer that is off: refused with the reason, still held, nothing charged.
submit alice:secret
job=$(newest_job alice)
out=$(printf '04A1B2C3\n2468\n' | terminal --printer Lab_Off --card --all 2>&1) &&
  { echo "$out" >&2; pp_fail "a release to a printer that is off succeeded"; }
grep -q "Lab_Off is not available" <<<"$out" || { echo "$out" >&2; pp_fail "no reason given"; }
pp_assert_eq held "$(job_state "$job")" "job after the refused release"
pp_assert_eq "$estimate" "$(reserved alice)" "alice's reservation after the refused release"
pp_assert_eq $on_a "$(captured alice)" "alice's captures after the refused release"
pp_pass "printer off: refused ($(grep -o 'not available.*' <<<"$out" | head -c 80)...), job held"

# --- 3. bob cannot release alice's job; operator carol can, and it is logged.
out=$(printf 'hunter2\n' | terminal --printer Lab_A --user bob --job "$job" --wait 5 2>&1) || true
grep -q "No held job $job of yours" <<<"$out" || { echo "$out" >&2; pp_fail "bob's release not refused"; }
pp_assert_eq held "$(job_state "$job")" "alice's job after bob's attempt"
pp_pass "bob cannot release alice's job"
out=$(printf 'opensesame\n' | terminal --printer Lab_A --user carol --job "$job" 2>&1) ||
  { echo "$out" >&2; pp_fail "operator carol's release failed"; }
pp_assert_eq printed "$(job_state "$job")" "alice's job after carol's release"
pp_assert_eq carol "$(sqlite3 "$state/jobs.sqlite" "SELECT released_by FROM held_jobs WHERE id = $job")" "released_by"
grep -q "Operator carol released job $job of alice to Lab_A" "$base/pullprintd.log" ||
  pp_fail "carol's release of alice's job is not logged"
pp_assert_eq $((2 * on_a)) "$(captured alice)" "alice's captures after carol's release"
pp_pass "operator carol released alice's job; logged"

# --- 4. wrong PINs lock the card.
submit alice:secret
job=$(newest_job alice)
for attempt in 1 2 3; do
  printf '04A1B2C3\n0000\n' | terminal --printer Lab_A --card --all >/dev/null 2>&1 &&
    pp_fail "wrong PIN accepted"
done
out=$(printf '04A1B2C3\n2468\n' | terminal --printer Lab_A --card --all 2>&1) &&
  { echo "$out" >&2; pp_fail "a locked card was accepted"; }
pp_assert_eq held "$(job_state "$job")" "job after the lockout"
[[ $(sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM card_attempts WHERE outcome = 'wrong-pin'") == 3 ]] ||
  pp_fail "the wrong PINs are not logged"
[[ $(sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM card_attempts WHERE outcome = 'locked'") -ge 1 ]] ||
  pp_fail "the locked attempt is not logged"
pp_pass "3 wrong PINs lock the card; the right PIN is then refused"

# --- 5. two printers, one slow: the fast one is not held up.
out_slow=$(printf 'secret\n' | terminal --printer Lab_Slow --user alice --job "$job" --wait 0 2>&1) || true
pp_wait_for 20 "the slow printer to start the job" test -e "$base/slow-started"
submit alice:secret
fast_job=$(newest_job alice)
out=$(printf 'secret\n' | terminal --printer Lab_A --user alice --job "$fast_job" 2>&1) ||
  { echo "$out" >&2; pp_fail "the release to Lab_A failed while Lab_Slow is busy"; }
pp_assert_eq printed "$(job_state "$fast_job")" "the fast printer's job"
pp_assert_eq releasing "$(job_state "$job")" "the slow printer's job while it is busy"
pp_pass "Lab_A printed job $fast_job while Lab_Slow was still busy with job $job"
touch "$base/slow-go"
pp_wait_for 30 "the slow job to print" job_is "$job" printed
pp_pass "Lab_Slow finished job $job"

# --- 6. SIGKILL in flight, restart: review, not lost, not charged; captured once by an admin.
rm -f "$base/slow-go" "$base/slow-started"
submit alice:secret
job=$(newest_job alice)
before=$(captured alice)
printf 'secret\n' | terminal --printer Lab_Slow --user alice --job "$job" --wait 0 >/dev/null 2>&1 || true
pp_wait_for 20 "the slow printer to start job $job" test -e "$base/slow-started"
kill -KILL "$PP_PULLPRINTD_PID"
wait "$PP_PULLPRINTD_PID" 2>/dev/null || true
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
pp_wait_for 20 "job $job to be settled after the restart" job_left "$job" releasing
pp_assert_eq failed "$(job_state "$job")" "job killed in flight (under review)"
pp_assert_eq "$before" "$(captured alice)" "alice's captures after the kill"
job_ref=pullprintd/$(sqlite3 "$state/jobs.sqlite" "SELECT uuid FROM held_jobs WHERE id = $job")
pp deliveries --state review | grep -q "$job_ref" || pp_fail "the killed job is not listed for review"
pp review "$job_ref" --capture >/dev/null
pp review "$job_ref" --capture >/dev/null 2>&1 || true  # a second decision changes nothing
after=$(captured alice)
[[ $after -gt $before ]] || pp_fail "the review did not capture"
pp_assert_eq $((after - before)) "$estimate" "captured once by the review"
pp ledger check >/dev/null || pp_fail "ledger check fails after the kill and the review"
touch "$base/slow-go"
pp_pass "killed in flight: under review, captured once by the admin, ledger check passes"
