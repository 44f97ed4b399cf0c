#!/bin/bash
# Integration: `pullprint jobs`, `pullprint cancel` and `pullprint status` against a running
# pullprintd (vendor operations PullPrint-Get-Held-Jobs / PullPrint-Cancel-Held-Job). Users see
# only their own held jobs with the reserved price; nobody but the owner (or an admin) cancels a
# job; a cancel voids the reservation and deletes the document; malformed vendor requests get
# client errors; a server that is down gives a clear error.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

support="$PULLPRINT_SOURCE_DIR/tests/integration/support"
pullprint="$PULLPRINT_BUILD_DIR/pappl-server/pullprint"
pp_test_site
# as USER ARGS...: the client as USER (libcups's cupsUser() honours CUPS_USER), server from the
# config key `server`.
as() { CUPS_USER=$1 "$pullprint" -c "$PP_CONFIG" -o "server=$PP_URI" "${@:2}"; }
store_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }

pp_sample_pdf "$base/sample.pdf"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -r20 -dFirstPage=2 -dLastPage=2 \
  -sOutputFile="$base/red.jpg" "$base/sample.pdf"

for user in alice bob; do
  pp account create "$user" >/dev/null
  pp topup "$user" 5.00 --key "test-topup-$user" >/dev/null
done
pp_start_pullprintd "$state" "$base/pullprintd.log" -o admins=root,carol

# 1. alice holds a PDF (4 pages, 1 colour, EUR 0.80) and a JPEG (EUR 0.50), bob a PDF.
for submission in "alice sample.pdf" "alice red.jpg" "bob sample.pdf"; do
  read -r user file <<<"$submission"
  out=$(pp_submit "$user" "$base/$file")
  pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of $user's $file"
done

# 2. alice's `jobs --json`: only her jobs, pages and prices as reserved in the ledger.
jobs=$(as alice jobs --json)
pp_assert_eq "alice alice" "$(jq -r '.[].owner' <<<"$jobs" | xargs)" "owners alice sees"
pp_assert_eq "held held" "$(jq -r '.[].state' <<<"$jobs" | xargs)" "states alice sees"
pdf_job=$(jq -r '.[] | select(.format == "application/pdf") | .id' <<<"$jobs")
pp_assert_eq "4 1 80 EUR" \
  "$(jq -r ".[] | select(.id == $pdf_job) | \"\\(.pages) \\(.color_pages) \\(.price) \\(.currency)\"" <<<"$jobs")" \
  "alice's PDF job: pages, colour pages, price"
pp_assert_eq "$(reserved alice)" "$(jq '[.[].price] | add' <<<"$jobs")" \
  "sum of alice's prices = her ledger reservation"
pp_assert_eq "Waiting for release: 4 pages (1 colour), EUR 0.80" \
  "$(jq -r ".[] | select(.id == $pdf_job) | .message" <<<"$jobs")" "message of alice's PDF job"
[[ "$(jq -r '.[0].expires_at' <<<"$jobs")" == 20*Z ]] || pp_fail "no expiry time: $jobs"
pp_pass "expiry time $(jq -r '.[0].expires_at' <<<"$jobs")"
table=$(CUPS_USER=alice "$pullprint" -c "$PP_CONFIG" jobs --server "$PP_URI")
grep -q "EUR 0.80" <<<"$table" || pp_fail "table without the price: $table"
pp_pass "jobs table (--server) shows the price"
pp_assert_eq "bob" "$(as bob jobs --json | jq -r '.[].owner' | xargs)" "owners bob sees"

# 3. bob cannot cancel alice's job, and learns nothing: same answer as for a job that does not exist.
if out=$(as bob cancel "$pdf_job" 2>&1); then pp_fail "bob cancelled alice's job: $out"; fi
pp_assert_eq "pullprint: cannot cancel job $pdf_job: job $pdf_job is not a held job of bob." \
  "$out" "bob's cancel refused"
out=$(as bob cancel 99999 2>&1) && pp_fail "cancel of a missing job succeeded"
pp_assert_eq "pullprint: cannot cancel job 99999: job 99999 is not a held job of bob." \
  "$out" "cancel of a missing job"
pp_assert_eq held "$(store_state "$pdf_job")" "alice's job after bob's cancel"
pp_assert_eq 130 "$(reserved alice)" "alice's reservation after bob's cancel"

# 4. alice cancels hers: reservation voided, document deleted, no longer listed.
document=$(sqlite3 "$state/jobs.sqlite" "SELECT document_file FROM held_jobs WHERE id = $pdf_job")
[[ "$document" == /* ]] || document="$state/spool/$document"
[[ -f "$document" ]] || pp_fail "document $document missing before the cancel"
uuid=$(jq -r ".[] | select(.id == $pdf_job) | .uuid" <<<"$jobs")
pp_assert_eq "cancelled job $pdf_job; its reservation is voided" "$(as alice cancel "$pdf_job")" \
  "alice's cancel"
pp_assert_eq 50 "$(reserved alice)" "alice's reservation after her cancel"
pp_assert_eq "void 80" \
  "$(pp history alice --json | jq -r ".[] | select(.key == \"void:pullprintd/$uuid\") | \"\\(.kind) \\(.amount)\"")" \
  "void entry of the cancelled job"
[[ ! -e "$document" ]] || pp_fail "document $document still there after the cancel"
pp_pass "document deleted"
pp_assert_eq cancelled "$(store_state "$pdf_job")" "store state after the cancel"
pp_assert_eq 1 "$(as alice jobs --json | jq length)" "alice's held jobs after the cancel"
as alice jobs --json | jq -e ".[] | select(.id == $pdf_job)" >/dev/null &&
  pp_fail "cancelled job still listed"
pp_pass "cancelled job not listed"

# 5. An admin (config admins) lists everybody's jobs; a non-admin may not.
pp_assert_eq "alice bob" "$(as carol jobs --all --json | jq -r '.[].owner' | sort | xargs)" \
  "owners the admin sees"
out=$(as bob jobs --all 2>&1) && pp_fail "bob listed everybody's jobs: $out"
pp_assert_eq "pullprint: cannot list held jobs: Only admins may list everybody's held jobs." \
  "$out" "non-admin --all refused"

# 6. status: the queue, my held jobs, my balance.
status=$(as alice status --json)
pp_assert_eq "PullPrint idle true 1 50 500 450" \
  "$(jq -r '"\(.queue.name) \(.queue.state) \(.queue.accepting_jobs) \(.held_jobs) \(.held_price) \(.balance) \(.available)"' <<<"$status")" \
  "alice's status"
text=$(as alice status)
grep -q "^queue: *PullPrint, idle, accepting jobs" <<<"$text" || pp_fail "status text: $text"
grep -q "^held jobs: 1 (EUR 0.50)" <<<"$text" || pp_fail "status text: $text"
grep -q "^balance: *EUR 5.00 (EUR 4.50 available)" <<<"$text" || pp_fail "status text: $text"
pp_pass "status text"

# 7. Malformed vendor requests get client errors, and the server keeps answering.
ipptool -t -T 10 -d owner=bob "$PP_URI" "$support/pullprintd-vendor.test" >"$base/vendor.out" 2>&1 ||
  { cat "$base/vendor.out" >&2; pp_fail "malformed vendor requests"; }
pp_pass "malformed vendor requests: $(grep -c PASS "$base/vendor.out") checks passed"
kill -0 "$PP_PULLPRINTD_PID" || pp_fail "pullprintd died"

# 8. Server down: a clear error and exit 1.
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null
set +e
out=$(as alice jobs 2>&1)
code=$?
set -e
pp_assert_eq 1 "$code" "exit status with the server down"
pp_assert_eq "pullprint: cannot reach pullprintd at $PP_URI: Connection refused" "$out" \
  "message with the server down"
pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "ledger check"
