#!/bin/bash
# Integration: the console's jobs (/pullprint/admin/jobs) and review queue (/pullprint/admin/review)
# against a real pullprintd under PAM (pam_wrapper) with real IPP printers (ippeveprinter): Lab_A
# prints at once, Lab_Slow keeps each job until the test lets it go (so that a pullprintd killed
# in flight leaves a delivery under review, as pullprintd-release.sh makes one).
#
# Who: dana is a site-wide admin; carol an operator with operator-may = release, cancel, review
# (no charge); erin an operator of [admin-scope physics] (users = bob, printers = Phys_1); alice
# and bob are users.
#  1. alice gets 403 on both pages;
#  2. carol cancels one of alice's held jobs (voided, alice's available money back), releases
#     another to Lab_A (it prints: the printer receives it, alice is charged), is refused
#     "charge" (403, nothing changed); each change is in the audit log with carol's name;
#  3. dana charges a held job of alice's to the shared account physics (alice's money free
#     again, physics holds the price);
#  4. erin sees bob's job and none of alice's, may not release to Lab_A nor touch alice's job;
#  5. two deliveries under review: carol captures one (alice charged once), erin does not see
#     them;
#  6. in headless chromium (Selenium): carol signs in through the form, filters alice's jobs,
#     cancels one, releases one to Lab_A, voids the other review; screenshots
#     console-jobs-*.png in $PP_SCREENSHOT_DIR (else build/screenshots);
#  7. the ledger checks clean.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_test_site
pp_require_ipp_printer
shots=${PP_SCREENSHOT_DIR:-$PULLPRINT_BUILD_DIR/screenshots}
mkdir -p "$shots"
rm -f "$shots"/FAILED-{desk_signs_in,filters_alices_jobs,cancels_one,releases_one,voids_a_review}.png

pp_start_ipp_printer "$base/printer"
slow_port=$(pp_free_port)
mkdir -p "$base/slow-out"
cat >"$base/slow-print" <<SH
#!/bin/sh
# ippeveprinter's print command for Lab_Slow: the job stays processing until the test says go.
touch "$base/slow-started"
while [ ! -e "$base/slow-go" ]; do sleep 0.1; done
rm -f "$base/slow-started"
SH
chmod +x "$base/slow-print"
ippeveprinter -p "$slow_port" -f application/pdf -d "$base/slow-out" -k -c "$base/slow-print" \
  "SlowPrinter$slow_port" >"$base/slow.log" 2>&1 &
slow_pid=$!
pp_on_exit "touch $base/slow-go; kill $slow_pid 2>/dev/null; wait $slow_pid 2>/dev/null"
pp_wait_for 15 "the slow printer" ipptool -q "ipp://127.0.0.1:$slow_port/ipp/print" \
  get-printer-attributes.test

pp_lab_a_printer
pp_config_top "admins = dana" "operators = carol" "operator-may = release, cancel, review"
cat >>"$PP_CONFIG" <<CONF
[printer Lab_Slow]
price-profile = default
device-uri = ipp://127.0.0.1:$slow_port/ipp/print
[printer Phys_1]
price-profile = default
device-uri = $PP_PRINTER_URI
[admin-scope physics]
operators = erin
users = bob
printers = Phys_1
CONF
pp_use_pam "$base" alice:secret bob:hunter2 carol:pw-carol dana:pw-dana erin:pw-erin
pp_funded_accounts 20.00 alice bob
pp account create physics --shared >/dev/null
pp topup physics 10.00 --key topup-physics >/dev/null
pp_sample_pdf "$base/sample.pdf"
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
site="http://127.0.0.1:$PP_PORT"

as() { echo "ipp://$1@127.0.0.1:$PP_PORT/ipp/print"; }
submit() { PP_URI=$(as "$1") pp_submit "${1%%:*}" "$base/sample.pdf" >/dev/null; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = '$1'"; }
job_field() { sqlite3 "$state/jobs.sqlite" "SELECT $2 FROM held_jobs WHERE id = $1"; }
job_is() { [[ $(job_field "$1" state) == "$2" ]]; }
job_left() { [[ $(job_field "$1" state) != "$2" ]]; }
job_ref() { echo "pullprintd/$(job_field "$1" uuid)"; }
available() { pp account show "$1" --json | jq '.balance - .reserved'; }
captured() { pp history "$1" --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0'; }
audited() { sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM console_audit WHERE $1"; }
has() { grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; pp_fail "$3"; }; }
lacks() { ! grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; pp_fail "$3"; }; }
# page USER:PASSWORD PATH [curl args]: the page (HTTP Basic); status in $base/status.
page() {
  local credentials=$1 path=$2
  shift 2
  curl -sS -u "$credentials" -o "$base/body" -w '%{http_code}' "$@" "$site$path" >"$base/status"
  cat "$base/body"
}
# csrf USER:PASSWORD PATH: the CSRF field of the page's first form ("" without a form).
csrf() {
  { page "$1" "$2" | grep -o 'name="session" value="[^"]*"' || true; } | head -n 1 |
    sed 's/.*value="//; s/"$//'
}
# post USER:PASSWORD PATH FIELD=VALUE...: a console form as that user, with the CSRF field of
# the page's first form (of the jobs page when PATH shows none: the key is the client's).
post() {
  local credentials=$1 path=$2 key
  shift 2
  key=$(csrf "$credentials" "$path")
  [[ -n $key ]] || key=$(csrf "$credentials" /pullprint/admin/jobs)
  [[ -n $key ]] || pp_fail "no form for $credentials on $path nor on the jobs page"
  local args=(--data-urlencode "session=$key")
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  page "$credentials" "$path" "${args[@]}"
}

for _ in 1 2 3 4 5 6 7; do submit alice:secret; done
first=$(sqlite3 "$state/jobs.sqlite" "SELECT min(id) FROM held_jobs WHERE owner = 'alice'")
cancel_job=$first release_job=$((first + 1)) charge_job=$((first + 2))
review_capture=$((first + 3)) review_void=$((first + 4))
browser_cancel=$((first + 5)) browser_release=$((first + 6))
submit bob:hunter2
bob_job=$(newest_job bob)
estimate=$(job_field "$cancel_job" price_minor)
[[ $estimate -gt 0 ]] || pp_fail "alice's job holds no estimate"

# --- 1. a user is refused both pages.
for path in /pullprint/admin/jobs /pullprint/admin/review; do
  page alice:secret "$path" >/dev/null
  pp_assert_eq 403 "$(cat "$base/status")" "alice's status on $path"
done
pp_pass "alice gets 403 on the jobs and review pages"

# --- 2. carol, the print desk: cancel, release, no charge.
out=$(page carol:pw-carol /pullprint/admin/jobs)
pp_assert_eq 200 "$(cat "$base/status")" "carol's status on the jobs page"
has "$out" "<tr><td>$cancel_job</td><td>alice</td><td>alice</td>" "alice's job on carol's page"
has "$out" "id=\"cancel-$cancel_job\"" "a Cancel button for alice's job"
has "$out" "id=\"release-$cancel_job\"" "a Release button for alice's job"
lacks "$out" "id=\"charge-$cancel_job\"" "carol (no charge in operator-may) is offered Charge"
before=$(available alice)
out=$(post carol:pw-carol /pullprint/admin/jobs job="$cancel_job" do=cancel)
has "$out" "cancelled; its reservation is voided" "carol's cancel outcome"
pp_assert_eq cancelled "$(job_field "$cancel_job" state)" "the state of the cancelled job"
pp_assert_eq $((before + estimate)) "$(available alice)" "alice's available money after the cancel"
pp_assert_eq 1 "$(audited "actor = 'carol' AND action = 'cancel'")" "carol's cancel in the audit log"
pp_pass "carol cancelled alice's job $cancel_job: voided, $estimate cents free again, audited"

printed_before=$(pp_printer_jobs | wc -l)
captured_before=$(captured alice)
out=$(post carol:pw-carol /pullprint/admin/jobs job="$release_job" do=release printer=Lab_A)
has "$out" "Sending to Lab_A" "carol's release outcome"
pp_wait_for 60 "job $release_job printed" job_is "$release_job" printed
pp_assert_eq carol "$(job_field "$release_job" released_by)" "who released job $release_job"
[[ $(pp_printer_jobs | wc -l) -gt $printed_before ]] || pp_fail "Lab_A received nothing"
[[ $(captured alice) -gt $captured_before ]] || pp_fail "alice was not charged for the release"
grep -q "Operator carol released job $release_job of alice to Lab_A" "$base/pullprintd.log" ||
  pp_fail "the release is not logged with both names"
pp_assert_eq 1 "$(audited "actor = 'carol' AND action = 'release'")" "carol's release in the audit log"
pp_pass "carol released alice's job $release_job to Lab_A: printed, charged to alice, logged"

before=$(available alice)
post carol:pw-carol /pullprint/admin/jobs job="$charge_job" do=charge account=physics >/dev/null
pp_assert_eq 403 "$(cat "$base/status")" "carol's status when she charges a job elsewhere"
pp_assert_eq alice "$(job_field "$charge_job" payer)" "the payer after carol's refused charge"
pp_assert_eq "$before" "$(available alice)" "alice's available money after the refused charge"
pp_pass "carol may not charge a job to another account (403, nothing changed)"

# --- 3. dana, an admin, charges a job to the shared account physics.
physics_before=$(available physics)
out=$(page dana:pw-dana /pullprint/admin/jobs)
has "$out" "id=\"charge-$charge_job\"" "a Charge button for dana"
out=$(post dana:pw-dana /pullprint/admin/jobs job="$charge_job" do=charge account=physics)
has "$out" "is charged to physics" "dana's charge outcome"
pp_assert_eq physics "$(job_field "$charge_job" payer)" "the payer after dana's charge"
pp_assert_eq $((before + estimate)) "$(available alice)" "alice's available money after the charge"
pp_assert_eq $((physics_before - estimate)) "$(available physics)" "physics' available money"
post dana:pw-dana /pullprint/admin/jobs job="$charge_job" do=charge account=physics >/dev/null
pp_assert_eq $((physics_before - estimate)) "$(available physics)" "physics after a second click"
pp_assert_eq 1 "$(audited "actor = 'dana' AND action = 'charge'")" "dana's charge in the audit log"
pp ledger check >/dev/null || pp_fail "ledger check after the charge"
pp_pass "dana charged job $charge_job to physics: alice free, physics holds $estimate, once"

# --- 4. erin, physics' operator: bob's job only, Phys_1 only.
out=$(page erin:pw-erin /pullprint/admin/jobs)
pp_assert_eq 200 "$(cat "$base/status")" "erin's status on the jobs page"
has "$out" "<tr><td>$bob_job</td><td>bob</td>" "bob's job on erin's page"
lacks "$out" "<td>alice</td>" "erin sees alice's jobs"
has "$out" '<option value="Phys_1">' "Phys_1 offered to erin"
lacks "$out" '<option value="Lab_A">' "Lab_A offered to erin"
post erin:pw-erin /pullprint/admin/jobs job="$bob_job" do=release printer=Lab_A >/dev/null
pp_assert_eq 403 "$(cat "$base/status")" "erin releasing to Lab_A"
post erin:pw-erin /pullprint/admin/jobs job="$browser_cancel" do=cancel >/dev/null
pp_assert_eq 403 "$(cat "$base/status")" "erin cancelling alice's job"
pp_assert_eq held "$(job_field "$bob_job" state)" "bob's job after erin's refused release"
pp_assert_eq held "$(job_field "$browser_cancel" state)" "alice's job after erin's refused cancel"
pp_pass "erin sees bob's job only and may not release to Lab_A nor cancel alice's job"

# --- 5. deliveries under review: pullprintd killed while Lab_Slow has the job.
under_review() {
  local job=$1
  rm -f "$base/slow-go"
  out=$(post dana:pw-dana /pullprint/admin/jobs job="$job" do=release printer=Lab_Slow)
  has "$out" "Sending to Lab_Slow" "the release of job $job to Lab_Slow"
  pp_wait_for 30 "Lab_Slow to start job $job" test -e "$base/slow-started"
  kill -KILL "$PP_PULLPRINTD_PID"
  wait "$PP_PULLPRINTD_PID" 2>/dev/null || true
  pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
  site="http://127.0.0.1:$PP_PORT"
  pp_wait_for 30 "job $job settled after the restart" job_left "$job" releasing
  pp_assert_eq failed "$(job_field "$job" state)" "job $job killed in flight"
  touch "$base/slow-go"  # Lab_Slow lets the job go only now (as pullprintd-release.sh)
  pp_wait_for 30 "Lab_Slow to finish job $job" test ! -e "$base/slow-started"
}
under_review "$review_capture"
under_review "$review_void"
capture_ref=$(job_ref "$review_capture")
void_ref=$(job_ref "$review_void")
out=$(page carol:pw-carol /pullprint/admin/review)
has "$out" "Deliveries under review (2)" "carol's review queue"
has "$out" "<code>$capture_ref</code>" "the first delivery under review"
out=$(page erin:pw-erin /pullprint/admin/review)
has "$out" "Deliveries under review (0)" "erin's review queue (alice is not hers)"
post erin:pw-erin /pullprint/admin/review ref="$capture_ref" decision=capture >/dev/null
pp_assert_eq 403 "$(cat "$base/status")" "erin deciding alice's review"
captured_before=$(captured alice)
out=$(post carol:pw-carol /pullprint/admin/review ref="$capture_ref" decision=capture)
has "$out" "captured" "carol's capture outcome"
has "$out" "Deliveries under review (1)" "the queue after the capture"
post carol:pw-carol /pullprint/admin/review ref="$capture_ref" decision=capture >/dev/null
pp_assert_eq $((captured_before + estimate)) "$(captured alice)" "alice's captures after the review"
pp_assert_eq 1 "$(audited "actor = 'carol' AND action = 'review'")" "carol's review in the audit log"
pp_pass "carol captured the delivery under review once; erin neither sees nor decides it"

# --- 6. the browser: carol at the desk.
jq -n --arg site "$site" --arg shots "$shots" --arg cancel "$browser_cancel" \
  --arg release "$browser_release" --arg void_ref "$void_ref" '{
  site: $site, screenshots: $shots, passwords: {carol: "pw-carol"},
  cancel_job: ($cancel | tonumber), release_job: ($release | tonumber), void_ref: $void_ref
}' >"$base/plan.json"
timeout 300 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/console_jobs_journey.py" \
  "$base/plan.json" || pp_fail "the console jobs journey failed (screenshots in $shots)"
pp_assert_eq cancelled "$(job_field "$browser_cancel" state)" "the job carol cancelled in the browser"
pp_wait_for 60 "job $browser_release printed" job_is "$browser_release" printed
pp_assert_eq voided "$(sqlite3 "$state/ledger.sqlite" "SELECT state FROM deliveries WHERE job_ref = '$void_ref'")" \
  "the delivery carol voided in the browser"
for shot in jobs jobs-filtered jobs-cancelled jobs-released review review-voided; do
  [[ $(stat -c %s "$shots/console-jobs-$shot.png") -gt 10000 ]] ||
    pp_fail "the screenshot console-jobs-$shot.png is missing or (nearly) empty"
done
pp_pass "in chromium carol filtered alice's jobs, cancelled one, released one, voided a review"

# --- 7. the books.
pp ledger check >/dev/null || pp_fail "ledger check"
pp_pass "the ledger checks clean"
