#!/bin/bash
# Integration: rights per group and printer through pullprintd (lib/rights), with local groups
# made by `pullprint group`. The queue takes jobs from @students and @staff only; release printers
# (all the same real IPP Everywhere colour printer, ippeveprinter, through the wrapper backend):
#   Lab_A      colour for @staff only, color-fallback = mono (others print grey at the grey price)
#   Lab_Mono   colour for @staff only, no fallback (refused)
#   Lab_Small  at most 3 pages per job
#   Lab_Staff  allowed-users = @staff
# alice is a student, carol staff, dave neither; erin is an operator through @desk.
# Checks:
#  1. `pullprint group` add/member/list/show (--json, members with their join time);
#  2. dave's job is refused at submission with the reason, nothing held or reserved;
#  3. alice at Lab_Staff, Lab_Mono, Lab_Small (terminal) and at Lab_Staff (web page): refused
#     with the reason and a printer named (Lab_A), the job stays held, nothing charged;
#  4. alice's colour job at Lab_A prints grey: print-color-mode=monochrome at the printer,
#     captured at the grey price; carol's prints in colour at the colour price;
#  5. @staff may charge the shared account physics (job-account-id), alice may not;
#  6. operators = @desk: erin (in the local group desk) releases alice's job, logged;
#     admins = @printadmins: frank reads alice's account through pullprintd, carol may not;
#  7. a user who leaves the group loses the right at once; the ledger check passes;
#  8. a mistyped right stops pullprintd at start-up with the key named.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

pp_require_ipp_printer

pp_test_site
pp_test_home
pp_start_ipp_printer "$base" -s 10,10  # a colour printer
pp_config_top "allowed-users = @students, @staff" "operators = @desk" "admins = root, @printadmins" \
  "backend = $PULLPRINT_BUILD_DIR/backend/pullprint"
cat >>"$PP_CONFIG" <<CONF
[printer Lab_A]
price-profile = default
device-uri = $PP_PRINTER_URI
color-users = @staff
color-fallback = mono
[printer Lab_Mono]
price-profile = default
device-uri = $PP_PRINTER_URI
color-users = @staff
[printer Lab_Small]
price-profile = default
device-uri = $PP_PRINTER_URI
max-pages = 3
[printer Lab_Staff]
price-profile = default
location = Staff room
device-uri = $PP_PRINTER_URI
allowed-users = @staff
CONF

pp_sample_pdf "$base/sample.pdf"  # 4 pages, 1 in colour: 3 x 10 + 50 = 80 cents, grey 40
pp_funded_accounts 5.00 alice carol dave

# --- 1. local groups.
pp group add students --description "Students of the faculty" >/dev/null
pp group add staff >/dev/null
pp group add desk >/dev/null
pp group member add students alice bob >/dev/null
pp group member add staff carol >/dev/null
pp group member add desk erin >/dev/null
pp group add printadmins >/dev/null
pp group member add printadmins frank >/dev/null
pp group add students >/dev/null 2>&1 && pp_fail "a second group students was created"
pp_assert_eq 2 "$(pp group list --json | jq '.[] | select(.name == "students") | .members')" \
  "members of students in group list"
show=$(pp group show students --json)
pp_assert_eq "alice,bob" "$(jq -r '[.members[].user] | join(",")' <<<"$show")" "students"
pp_assert_eq "Students of the faculty" "$(jq -r .description <<<"$show")" "description"
[[ $(jq -r '.members[0].since' <<<"$show") =~ ^20[0-9-]+T[0-9:]+Z$ ]] ||
  pp_fail "no join time in group show: $show"
pp group member remove students bob >/dev/null
pp_assert_eq "alice" "$(pp group show students --json | jq -r '[.members[].user] | join(",")')" \
  "students after removing bob"
pp group show students | grep -q "alice  since 20" || pp_fail "group show (text) lists no join time"
pp group add temp >/dev/null
pp group remove temp >/dev/null
pp group show temp >/dev/null 2>&1 && pp_fail "a removed group is still shown"
pp_pass "group add/member/list/show/remove"

pp_start_pullprintd "$state" "$base/pullprintd.log"
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT coalesce(max(id), 0) FROM held_jobs WHERE owner = '$1'"; }
captured() { pp history "$1" --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0'; }
terminal() { printf 'x\n' | "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" release \
  --server "$PP_URI" "$@"; }
COMPLETED_TEST="$PULLPRINT_SOURCE_DIR/tests/integration/support/printer-completed-jobs.test"
printer_sent() {  # ATTRIBUTE: as the client sent it for the job the printer completed last
  ipptool -t -T 10 "$PP_PRINTER_URI" "$COMPLETED_TEST" | sed -n "s/^ *$1 ([^)]*) = //p" | head -n 1
}
printed_count() { pp_printer_jobs | grep -c . || true; }

# --- 2. dave may not submit.
out=$(pp_submit dave "$base/sample.pdf")
grep -q "dave may not print here (not in allowed-users)" <<<"$out" ||
  { echo "$out" >&2; pp_fail "dave's job was not refused with the reason"; }
pp_assert_eq 0 "$(newest_job dave)" "held jobs of dave"
pp_assert_eq 0 "$(reserved dave)" "reserved on dave"
pp_pass "dave's job refused at submission: not in allowed-users"

# --- 3. alice's colour job: refused where her rights say no, with the reason and Lab_A named.
pp_submit alice "$base/sample.pdf" >/dev/null
job=$(newest_job alice)
pp_assert_eq held "$(job_state "$job")" "alice's job"
pp_assert_eq 80 "$(reserved alice)" "reserved on alice"
refused_at() {  # PRINTER EXPECTED-REASON
  local out
  out=$(terminal --printer "$1" --user alice --job "$job" 2>&1) || true
  grep -qF "$2" <<<"$out" || { echo "$out" >&2; pp_fail "release at $1: no \"$2\""; }
  pp_assert_eq held "$(job_state "$job")" "alice's job after the refusal at $1"
  pp_assert_eq 80 "$(reserved alice)" "reserved on alice after the refusal at $1"
  pp_pass "release at $1 refused: $2"
}
refused_at Lab_Staff "alice may not print on Lab_Staff; try Lab_A (in grey)"
refused_at Lab_Mono "alice may not print colour on Lab_Mono; try Lab_A (in grey)"
refused_at Lab_Small "this job prints 4 pages; Lab_Small takes at most 3 per job; try Lab_A (in grey)"
# The web page says the same (trusted mode: the Basic user name, from the local host).
key=$(session alice:x)
[[ -n $key ]] || pp_fail "no session key on alice's page"
out=$(web alice:x -d "session=$key" -d action=release -d printer=Lab_Staff -d "job-$job=1")
grep -qF "alice may not print on Lab_Staff; try Lab_A (in grey)" <<<"$out" ||
  { echo "$out" >&2; pp_fail "the web page does not say why Lab_Staff refused"; }
pp_assert_eq held "$(job_state "$job")" "alice's job after the refusal on the web page"
pp_pass "web release at Lab_Staff refused with the reason and Lab_A named"
pp_assert_eq 0 "$(printed_count)" "documents at the printer after the refusals"
pp_assert_eq 0 "$(captured alice)" "captured on alice after the refusals"

# --- 4. colour fallback: alice's job prints grey at the grey price; carol's in colour.
out=$(terminal --printer Lab_A --user alice --job "$job" 2>&1) ||
  { echo "$out" >&2; pp_fail "alice's release at Lab_A failed"; }
echo "$out"
grep -q "printed in grey: alice may not print colour on Lab_A" <<<"$out" ||
  pp_fail "the terminal does not say the job prints grey"
pp_assert_eq printed "$(job_state "$job")" "alice's job after Lab_A"
pp_assert_eq monochrome "$(printer_sent print-color-mode)" "print-color-mode at the printer"
pp_assert_eq 40 "$(captured alice)" "captured on alice (grey price)"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the print"
pp_pass "alice's colour job printed grey (print-color-mode=monochrome), 40 cents instead of 80"

pp_submit carol "$base/sample.pdf" >/dev/null
cjob=$(newest_job carol)
out=$(terminal --printer Lab_A --user carol --job "$cjob" 2>&1) ||
  { echo "$out" >&2; pp_fail "carol's release at Lab_A failed"; }
pp_assert_eq printed "$(job_state "$cjob")" "carol's job"
[[ $(printer_sent print-color-mode) != monochrome ]] || pp_fail "carol's job was sent grey"
pp_assert_eq 80 "$(captured carol)" "captured on carol (colour price)"
pp_pass "carol (@staff) printed in colour at the colour price"

# --- 5. @staff may charge the shared account physics.
pp account create physics --shared --unlimited >/dev/null
pp account member add physics @staff >/dev/null
pp account member add physics '@bad group' >/dev/null 2>&1 && pp_fail "a bad group entry was taken"
pp_submit carol "$base/sample.pdf" -d account=physics >/dev/null
pjob=$(newest_job carol)
pp_assert_eq physics "$(sqlite3 "$state/jobs.sqlite" "SELECT payer FROM held_jobs WHERE id = $pjob")" \
  "payer of carol's job-account-id job"
out=$(pp_submit alice "$base/sample.pdf" -d account=physics)
grep -q "alice may not charge account physics" <<<"$out" ||
  { echo "$out" >&2; pp_fail "alice charged physics"; }
pp_pass "@staff charges physics through job-account-id; alice may not"

# --- 6. operators = @desk: erin releases alice's job (under alice's rights: grey), logged.
pp_submit alice "$base/sample.pdf" >/dev/null
job=$(newest_job alice)
out=$(terminal --printer Lab_A --user erin --job "$job" 2>&1) ||
  { echo "$out" >&2; pp_fail "operator erin's release failed"; }
pp_assert_eq printed "$(job_state "$job")" "alice's job after erin's release"
grep -q "Operator erin released job $job of alice to Lab_A" "$base/pullprintd.log" ||
  pp_fail "erin's release is not logged"
pp_assert_eq monochrome "$(printer_sent print-color-mode)" "erin's release under alice's rights"
pp_pass "operator erin (@desk, a local group) released alice's job, logged"
balance_of_alice() {  # USER: alice's balance as USER sees it through pullprintd
  CUPS_USER=$1 pp -o "state-dir=$base/no-ledger-here" balance alice --json --server "$PP_URI"
}
pp_assert_eq alice "$(balance_of_alice frank | jq -r .name)" "the account admin frank reads"
out=$(balance_of_alice carol 2>&1) && pp_fail "carol read alice's account: $out"
grep -q "Only admins may read another user's account" <<<"$out" || pp_fail "carol: $out"
pp_pass "admin frank (@printadmins, a local group) reads alice's account; carol may not"

# --- 7. leaving the group takes the right away at once.
pp group member remove students alice >/dev/null
out=$(pp_submit alice "$base/sample.pdf")
grep -q "alice may not print here" <<<"$out" || { echo "$out" >&2; pp_fail "alice still submits"; }
pp group member add students alice >/dev/null
pp ledger check >/dev/null || pp_fail "ledger check fails"
pp_pass "alice out of @students cannot submit; ledger check passes"

# --- 8. a mistyped right stops pullprintd at start-up, naming the key.
code=0
out=$("$PP_PULLPRINTD" -c "$PP_CONFIG" -o "state-dir=$base/other-state" -o listen=127.0.0.1:1 \
  -o auth=trusted -o tls=off -o dnssd=off -o printer.Lab_A.color-fallback=grey 2>&1) || code=$?
pp_assert_eq 2 "$code" "pullprintd's exit status with color-fallback = grey"
grep -q "printer.Lab_A.color-fallback: expected refuse or mono" <<<"$out" ||
  { echo "$out" >&2; pp_fail "the bad key is not named"; }
pp_pass "a bad rights key stops pullprintd: $(tail -n 1 <<<"$out")"
