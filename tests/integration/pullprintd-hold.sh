#!/bin/bash
# Integration: documents submitted to pullprintd go into the held store, priced and reserved.
# PDF, JPEG and PWG raster as several users; refusals (funds, malformed PDF, foreign account)
# abort the IPP job with the reason and reserve nothing; other users cannot see the jobs; held
# jobs survive a restart; SIGTERM stops the server at once.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

support="$PULLPRINT_SOURCE_DIR/tests/integration/support"
cost="$PULLPRINT_BUILD_DIR/filters/pullprint-cost"
pp_test_site
held_jobs() { sqlite3 "$state/jobs.sqlite" "SELECT count(*) FROM held_jobs WHERE state = 'held'"; }

pp_sample_pdf "$base/sample.pdf"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -r20 -dFirstPage=2 -dLastPage=2 \
  -sOutputFile="$base/red.jpg" "$base/sample.pdf"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pwgraster -r30 -dLastPage=1 \
  -sOutputFile="$base/grey.pwg" "$base/sample.pdf" 2>/dev/null
printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' \
  >"$base/broken.pdf"

pp account create alice >/dev/null
pp topup alice 5.00 --key test-topup-alice >/dev/null
pp_start_pullprintd "$state" "$base/pullprintd.log"

# 1. alice's PDF, 2 copies: held with its price in job-state-message, reserved on alice.
out=$(pp_submit alice "$base/sample.pdf" -d copies=2)
pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of alice's PDF job"
price=$("$cost" --json "$base/sample.pdf" -c "$PP_CONFIG" -o copies=2 | pp_json .price.minor)
pp_assert_eq 160 "$price" "standalone price of the sample, 2 copies"
pp_assert_eq "Waiting for release: 4 pages (1 colour), EUR 1.60" \
  "$(pp_ipp_value job-state-message <<<"$out")" "message of alice's PDF job"
pp_assert_eq 160 "$(reserved alice)" "alice's reservation"
alice_job=$(pp_ipp_value job-id <<<"$out")

# 2. bob cannot afford it: aborted with the reason, nothing reserved.
out=$(pp_submit bob "$base/sample.pdf")
pp_assert_eq aborted "$(pp_ipp_value job-state <<<"$out")" "IPP state of bob's job"
pp_assert_eq "Refused: account bob has EUR 0.00 available, the job costs EUR 0.80 (account-limit-reached)" \
  "$(pp_ipp_value job-state-message <<<"$out")" "message of bob's job"
pp_assert_eq 0 "$(reserved bob)" "bob's reservation"

# 3. A malformed PDF: aborted with a clear message, nothing reserved.
out=$(pp_submit alice "$base/broken.pdf")
pp_assert_eq aborted "$(pp_ipp_value job-state <<<"$out")" "IPP state of the malformed PDF"
message=$(pp_ipp_value job-state-message <<<"$out")
[[ "$message" == Refused:* && ${#message} -gt 12 ]] || pp_fail "unclear message: '$message'"
pp_pass "malformed PDF refused: $message"
pp_assert_eq 160 "$(reserved alice)" "alice's reservation after the malformed PDF"

# 4. A colour JPEG (held as JPEG) and a grey PWG raster job (streamed, written back out).
out=$(pp_submit alice "$base/red.jpg")
pp_assert_eq "Waiting for release: 1 page (1 colour), EUR 0.50" \
  "$(pp_ipp_value job-state-message <<<"$out")" "message of the JPEG job"
out=$(pp_submit alice "$base/grey.pwg")
pp_assert_eq "Waiting for release: 1 page, EUR 0.10" \
  "$(pp_ipp_value job-state-message <<<"$out")" "message of the PWG raster job"
pp_assert_eq 220 "$(reserved alice)" "alice's reservation after the images"
pp_assert_eq "image/jpeg image/pwg-raster" \
  "$(sqlite3 "$state/jobs.sqlite" "SELECT format FROM held_jobs WHERE format != 'application/pdf' ORDER BY id" | xargs)" \
  "formats kept in the store"

# 5. job-account-id: alice may charge physics, carol may not.
pp account create physics --shared >/dev/null
pp topup physics 10.00 --key test-topup-physics >/dev/null
pp account member add physics alice >/dev/null
out=$(pp_submit alice "$base/sample.pdf" -d account=physics)
pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of alice's physics job"
pp_assert_eq 80 "$(reserved physics)" "physics reservation"
out=$(pp_submit carol "$base/sample.pdf" -d account=physics)
pp_assert_eq aborted "$(pp_ipp_value job-state <<<"$out")" "IPP state of carol's physics job"
pp_pass "carol refused: $(pp_ipp_value job-state-message <<<"$out")"
pp_assert_eq 80 "$(reserved physics)" "physics reservation after carol"

# 6. Others see nothing of alice's jobs: Get-Jobs lists only their own, the job is refused.
owners=$(ipptool -t -d owner=bob "$PP_URI" "$support/pullprintd-get-jobs.test" |
  sed -n 's/^ *job-originating-user-name ([^)]*) = //p' | sort -u | xargs)
pp_assert_eq bob "$owners" "owners of the jobs bob sees"
pp_assert_refused Get-Job-Attributes bob "$alice_job"
pp_assert_eq 4 "$(held_jobs)" "held jobs in the store"

# 7. A restart keeps the held jobs (they live in pullprint's store, not in PAPPL), and the
#    server stops at once although jobs are held.
seconds=$(pp_stop_pullprintd "$PP_PULLPRINTD_PID")
((seconds <= 5)) || pp_fail "pullprintd took ${seconds}s to stop with held jobs"
pp_pass "stopped in ${seconds}s with held jobs"
pp_start_pullprintd "$state" "$base/pullprintd.log"
pp_assert_eq 4 "$(held_jobs)" "held jobs after a restart"
pp_assert_eq 220 "$(reserved alice)" "alice's reservation after a restart"
out=$(pp_submit alice "$base/sample.pdf")
pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of a job after restart"
pp_assert_eq 5 "$(held_jobs)" "held jobs after a new job"

pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "ledger check"
