#!/bin/bash
# Integration: "My jobs", pullprintd's user web page (/pullprint/jobs), end to end. pullprintd
# (auth = pam under pam_wrapper, as pullprintd-release.sh) holds alice's PDF; a browser's view is
# played by curl (HTTP Basic, a cookie jar); the release printer is a real IPP Everywhere printer
# (ippeveprinter) reached through the build's pullprint wrapper backend. Checks:
#  1. no credentials: 303 to the sign-in form; a wrong Basic password: 401; alice sees her job, its title HTML-escaped, its pages and estimate;
#  2. a POST without the form's session key is refused (400) and changes nothing;
#  3. a release to a printer that is off is refused with the reason, the job stays held;
#  4. bob does not see alice's job; his forged POSTs (release, cancel) naming alice's job
#     change nothing;
#  5. alice releases it with the form's session key: the page shows "Sending to Lab_A: EUR ...",
#     the printer receives exactly the document, the ledger captures once at Lab_A's price, the
#     page then lists it as printed;
#  6. alice cancels a second job from the page: cancelled, reservation voided;
#  7. headless chromium (support/browser.py; the test fails without it) renders the job's title
#     exactly as the job has it;
#  8. auth = trusted: the local host only, the Basic user name as sent.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_lab_a_site
mkdir -p "$base/pam.d"
off_port=$(pp_free_port)
cat >>"$PP_CONFIG" <<CONF
[printer Lab_Off]
price-profile = default
device-uri = ipp://127.0.0.1:$off_port/ipp/print
CONF

# PAM: passwords through pam_matrix.
pp_use_pam "$base" alice:secret bob:hunter2

# The job title is the file name: make it one that must be escaped.
pp_escaped_title_doc
pp_funded_accounts 5.00 alice bob

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
page=$(pp_web_page)
as() { echo "ipp://$1@127.0.0.1:$PP_PORT/ipp/print"; }
submit() { PP_URI=$(as "$1") pp_submit "${1%%:*}" "$2" >/dev/null; }
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
job_is() { [[ $(job_state "$1") == "$2" ]]; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = '$1'"; }
captured() {  # the sum of the user's captures, in cents (positive)
  pp history "$1" --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0'
}

# --- 1. the page: the sign-in form without credentials; alice sees her job, escaped, with its price.
submit alice:secret "$doc"
job=$(newest_job alice)
pp_assert_eq held "$(job_state "$job")" "state of alice's job"
pp_assert_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' "$page")" "HTTP status without credentials"
pp_assert_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' -u alice:wrong "$page")" \
  "HTTP status with a wrong password"
out=$(web alice:secret)
pp_assert_eq 200 "$(status)" "HTTP status of alice's page"
estimate=$(sqlite3 "$state/jobs.sqlite" "SELECT price_minor FROM held_jobs WHERE id = $job")
pages=$(sqlite3 "$state/jobs.sqlite" "SELECT pages FROM held_jobs WHERE id = $job")
grep -qF "name=\"job-$job\"" <<<"$out" || { echo "$out" >&2; pp_fail "no checkbox for job $job"; }
grep -qF "$escaped_title" <<<"$out" || { echo "$out" >&2; pp_fail "the job title is not on the page"; }
grep -qF "<b>" <<<"$out" && pp_fail "the job title reached the page unescaped"
grep -qF "<td>$(money "$estimate")</td>" <<<"$out" || pp_fail "the estimate $(money "$estimate") is not shown"
grep -qF "<td>$pages</td>" <<<"$out" || pp_fail "the page count is not shown"
grep -qF '<option value="Lab_A" selected>Lab_A (Library)</option>' <<<"$out" ||
  pp_fail "the printer select does not offer Lab_A"
pp_pass "alice's page lists job $job: $pages pages, $(money "$estimate"), title escaped"
# Prices on the chosen printer (Lab_A: 7 cents a grey and 40 a colour impression; Lab_Off: the
# default 10 and 50, the estimate), with a hint when another printer is cheaper.
colour=$(sqlite3 "$state/jobs.sqlite" "SELECT color_pages FROM held_jobs WHERE id = $job")
impressions=$(sqlite3 "$state/jobs.sqlite" "SELECT impressions FROM held_jobs WHERE id = $job")
on_a=$(((impressions - colour) * 7 + colour * 40))
[[ $estimate -ne $on_a ]] || pp_fail "test needs Lab_A to differ from the estimate"
grep -qF "<th>On Lab_A</th>" <<<"$out" || pp_fail "no price column for Lab_A"
grep -qF "<td>$(money $on_a)</td>" <<<"$out" || pp_fail "the price on Lab_A $(money $on_a) is not shown"
out=$(web alice:secret -G -d printer=Lab_Off)
grep -qF '<option value="Lab_Off" selected>' <<<"$out" || pp_fail "?printer=Lab_Off is not preselected"
grep -qF "costs $(money $on_a) on Lab_A instead of $(money "$estimate") on Lab_Off" <<<"$out" ||
  { echo "$out" >&2; pp_fail "no hint that Lab_A is cheaper"; }
pp_pass "prices on Lab_A ($(money $on_a)) and Lab_Off, with the hint"

# --- 2. a POST without the session key is refused.
web alice:secret -d action=release -d printer=Lab_A -d "job-$job=1" >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of a POST without the session key"
grep -q "Invalid form submission" "$base/body" || pp_fail "no reason for the refused form"
web alice:secret -d session=0123456789abcdef -d action=release -d printer=Lab_A -d "job-$job=1" >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of a POST with a wrong session key"
pp_assert_eq held "$(job_state "$job")" "alice's job after the refused forms"

# --- 3. a printer that is off: refused with the reason, the job stays held.
key=$(session alice:secret)
[[ -n $key ]] || pp_fail "no session key on alice's page"
out=$(web alice:secret -d "session=$key" -d action=release -d printer=Lab_Off -d "job-$job=1")
grep -q "Printer Lab_Off is not available" <<<"$out" || { echo "$out" >&2; pp_fail "no reason for Lab_Off"; }
pp_assert_eq held "$(job_state "$job")" "alice's job after the release to Lab_Off"
pp_assert_eq "$estimate" "$(reserved alice)" "alice's reservation after the release to Lab_Off"
pp_pass "printer off: refused with the reason, job held"
out=$(web alice:secret -d "session=$key" -d action=release -d 'printer=<Nope>' -d "job-$job=1")
pp_assert_eq 400 "$(status)" "HTTP status of a release to an unknown printer"
grep -qF "No release printer &lt;Nope&gt;." <<<"$out" || { echo "$out" >&2; pp_fail "unknown printer not named"; }
pp_assert_eq held "$(job_state "$job")" "alice's job after the release to an unknown printer"

# --- 4. bob sees nothing of alice's and cannot release or cancel her job.
out=$(web bob:hunter2)
pp_assert_eq 200 "$(status)" "HTTP status of bob's page"
grep -qF "$escaped_title" <<<"$out" && pp_fail "bob sees alice's job"
grep -qF "job-$job" <<<"$out" && pp_fail "bob's page names alice's job"
grep -q "You have no held jobs" <<<"$out" || pp_fail "bob's page does not say he has no jobs"
bob_key=$(session bob:hunter2)
[[ -n $bob_key ]] || bob_key=$key  # no form without jobs: the key is the site's anyway
out=$(web bob:hunter2 -d "session=$bob_key" -d action=release -d printer=Lab_A -d "job-$job=1")
grep -qF "No held job $job of yours" <<<"$out" || { echo "$out" >&2; pp_fail "bob's forged release not refused"; }
out=$(web bob:hunter2 -d "session=$bob_key" -d "cancel=$job")
grep -qF "No held job $job of yours" <<<"$out" || { echo "$out" >&2; pp_fail "bob's forged cancel not refused"; }
# A release claims the job (held -> releasing) before the page answers, so no wait is needed.
pp_assert_eq held "$(job_state "$job")" "alice's job after bob's forged forms"
pp_assert_eq 0 "$(pp_printer_jobs | grep -c . || true)" "documents the printer received"
pp_pass "bob can neither see, release nor cancel alice's job"

# --- 5. alice releases it: sent, printed, exactly the document, captured once.
out=$(web alice:secret -d "session=$key" -d action=release -d printer=Lab_A -d "job-$job=1")
pp_assert_eq 200 "$(status)" "HTTP status of the release"
grep -qF "Sending to Lab_A: $(money $on_a)" <<<"$out" || { echo "$out" >&2; pp_fail "the page does not show the outcome"; }
grep -qF "$escaped_title" <<<"$out" || pp_fail "the outcome does not name the job"
grep -qF 'href="/pullprint/jobs"' <<<"$out" || pp_fail "no link back"
pp_wait_for 60 "job $job to print" job_is "$job" printed
files=$(pp_printer_jobs)
pp_assert_eq 1 "$(grep -c . <<<"$files")" "documents the printer received"
cmp "$doc" "$files" || pp_fail "the printer received something else than the document"
pp_assert_eq $on_a "$(captured alice)" "captured on alice (Lab_A's price)"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the print"
out=$(web alice:secret)
grep -q "<td>printed</td>" <<<"$out" || { echo "$out" >&2; pp_fail "the page does not list the job as printed"; }
# The same form again (a reload): nothing more is printed or charged.
web alice:secret -d "session=$key" -d action=release -d printer=Lab_A -d "job-$job=1" >/dev/null
# The claim is made before the page answers: a printed job stays printed, nothing is queued.
pp_assert_eq printed "$(job_state "$job")" "alice's job after the same form again"
pp_assert_eq 1 "$(pp_printer_jobs | grep -c .)" "documents the printer received after a resubmission"
pp_assert_eq $on_a "$(captured alice)" "captured on alice after a resubmission"
pp_pass "released from the web page: printed once, captured once ($(money $on_a))"

# --- 6. alice cancels a job from the page.
submit alice:secret "$doc"
second=$(newest_job alice)
key=$(session alice:secret)
out=$(web alice:secret -d "session=$key" -d "cancel=$second")
grep -qF "Cancelled job $second" <<<"$out" || { echo "$out" >&2; pp_fail "the cancel failed"; }
pp_assert_eq cancelled "$(job_state "$second")" "state of the cancelled job"
pp_assert_eq 0 "$(reserved alice)" "reserved on alice after the cancel"

# --- 7. a real browser: chromium shows the title exactly as the job has it (the rendered text,
# whatever the escaping: --dump-dom would serialise ' as ' and > as &gt;, not as the page does).
submit alice:secret "$doc"
third=$(newest_job alice)
stored=$(sqlite3 "$state/jobs.sqlite" "SELECT title FROM held_jobs WHERE id = $third")
[[ $stored == *"$title" ]] || pp_fail "job $third's title '$stored' does not end in $title"
label="label[for=\"job-$third\"]"
rendered=$(browser "$page" --user alice:secret --text "$label")
pp_assert_eq "$stored" "$(jq -r --arg s "$label" '.text[$s] | join("|")' <<<"$rendered")" \
  "job $third's title as headless chromium renders it"
[[ $(jq -r .title <<<"$rendered") == "My jobs - "* ]] || pp_fail "chromium's page title: $rendered"

# --- 8. auth = trusted: the local host only, the Basic user name as sent (no password check).
trusted_state="$base/trusted-state"
PP_PULLPRINTD="$PULLPRINT_BUILD_DIR/pappl-server/pullprintd" PP_CONFIG=/dev/null \
  pp_start_pullprintd "$trusted_state" "$base/trusted.log" -o auth=trusted
trusted_page=$(pp_web_page)
pp_assert_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' "$trusted_page")" \
  "trusted mode: HTTP status without a user name"
out=$(curl -sS -u dave: "$trusted_page")
grep -q "Signed in as dave" <<<"$out" || { echo "$out" >&2; pp_fail "trusted mode: dave's page"; }
pp_pass "trusted mode: the local host's user name is taken as sent"
