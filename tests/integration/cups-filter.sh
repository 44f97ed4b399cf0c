#!/bin/bash
# Integration: pullprint-cost as a pre-filter in a private cupsd. Prints with lp as several users
# and checks the reservations in the ledger, the refusals, job-account-id, and page_log.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/cupsd.sh"
source "$(dirname "$0")/support/pullprintd.sh"

support="$PULLPRINT_SOURCE_DIR/tests/integration/support"
cost="$PULLPRINT_BUILD_DIR/filters/pullprint-cost"

pp_test_site pp-state
mkdir -p "$base/out"
chmod 0777 "$base/out"
pp_config_top "child-cpu-seconds = 3"
# The filter runs as lp: the ledger directory is shared with it (group lp in production).
if [[ $(id -u) == 0 ]]; then chown lp:lp "$base/pp-state"; fi
chmod 0770 "$base/pp-state"

pp_sample_pdf "$base/sample.pdf"

pp_start_cupsd "$base"
lpadmin -p Lab -E -P "$support/pullprint-test.ppd" -v "file://$base/out/lab.pdf" \
  -o printer-error-policy=abort-job -o page-logging-default=off  # page counts come from pullprint
pp_wait_for 10 "queue Lab" lpstat -p Lab

pp account create alice >/dev/null
pp topup alice 5.00 --key test-topup-alice >/dev/null

# Submits a job and prints its id: submit USER FILE [lp options...]
submit() {
  local user=$1 file=$2
  shift 2
  lp -d Lab -U "$user" "$@" "$file" | sed -n 's/^request id is Lab-\([0-9]*\).*/\1/p'
}
# The price pullprint-cost computes standalone for the same options.
expected_price() {
  local file=$1
  shift
  "$cost" --json "$file" --printer Lab -c "$base/pullprint.conf" "$@" | pp_json .price.minor
}

# 1. A PDF job, 2 copies, duplex: priced once, reserved on alice, pages in page_log.
job=$(submit alice "$base/sample.pdf" -n 2 -o sides=two-sided-long-edge)
[[ -n "$job" ]] || pp_fail "lp did not return a job id"
pp_assert_eq completed "$(pp_wait_job "$job")" "state of alice's PDF job"
price=$(expected_price "$base/sample.pdf" -o copies=2 -o sides=two-sided-long-edge)
# 4 pages, page 2 colour, 2 copies: 6 grey x 10 + 2 colour x 50 = 160 cents.
pp_assert_eq 160 "$price" "standalone price of the sample"
pp_assert_eq "$price" "$(reserved alice)" "alice's reserved amount"
pp_assert_eq 1 "$(pp history alice --json | jq '[.[] | select(.kind == "reserve")] | length')" \
  "reserve entries of alice"
# cupsd 2.4 writes one "total" line per job; its impressions come from our PAGE: lines only
# (pdftopdf's own page logging is off on the queue).
impressions=$("$cost" --json "$base/sample.pdf" --printer Lab -c "$base/pullprint.conf" -o copies=2 \
  -o sides=two-sided-long-edge | pp_json '.impressions.mono + .impressions.color')
pp_assert_eq 8 "$impressions" "impressions of alice's job"
pp_assert_eq "total $impressions $impressions sample.pdf" \
  "$(grep "^Lab alice $job " "$PP_CUPS_LOGS/page_log" | cut -d' ' -f6-)" "page_log line of job $job"
head -c 5 "$base/out/lab.pdf" | grep -q '%PDF-' || pp_fail "the printer received no PDF"

# 2. A PostScript job passes the pre-filter twice (before pstopdf and before pdftopdf): one
#    reservation only, priced from the original PostScript.
job=$(submit alice "$PULLPRINT_SOURCE_DIR/share/samples/sample.ps")
pp_assert_eq completed "$(pp_wait_job "$job")" "state of alice's PostScript job"
ps_price=$(expected_price "$PULLPRINT_SOURCE_DIR/share/samples/sample.ps")
pp_assert_eq 80 "$ps_price" "standalone price of the PostScript sample"
pp_assert_eq $((price + ps_price)) "$(reserved alice)" "alice's reserved amount after PS job"
pp_assert_eq 2 "$(pp history alice --json | jq '[.[] | select(.kind == "reserve")] | length')" \
  "reserve entries of alice after PS job"

# 3. bob has no money (initial-balance 0): stopped with a clear reason, nothing reserved, and
#    nothing lost: after a top-up the same job is restarted and goes through.
job=$(submit bob "$base/sample.pdf")
pp_assert_eq processing-stopped "$(pp_wait_job "$job")" "state of bob's job"
grep -q "job refused: account bob has EUR 0.00 available, the job costs EUR 0.80" \
  "$PP_CUPS_LOGS/error_log" || pp_fail "no refusal message for bob in error_log"
pp_assert_eq 0 "$(reserved bob)" "bob's reserved amount"
pp topup bob 1.00 --key test-topup-bob >/dev/null
lp -i "$job" -H restart
pp_assert_eq completed "$(pp_wait_job "$job")" "state of bob's job after a top-up"
pp_assert_eq 80 "$(reserved bob)" "bob's reserved amount after the restart"

# 4. job-account-id: alice may charge physics, carol may not.
pp account create physics --shared >/dev/null
pp topup physics 10.00 --key test-topup-physics >/dev/null
pp account member add physics alice >/dev/null
job=$(submit alice "$base/sample.pdf" -o job-account-id=physics)
pp_assert_eq completed "$(pp_wait_job "$job")" "state of alice's job on physics"
pp_assert_eq 80 "$(reserved physics)" "physics reserved amount"
pp_assert_eq $((price + ps_price)) "$(reserved alice)" "alice unchanged by the physics job"
job=$(submit carol "$base/sample.pdf" -o job-account-id=physics)
pp_assert_eq processing-stopped "$(pp_wait_job "$job")" "state of carol's job on physics"
grep -q "user carol may not charge account physics" "$PP_CUPS_LOGS/error_log" ||
  pp_fail "no permission message for carol"
pp_assert_eq 80 "$(reserved physics)" "physics reserved amount after carol"

# 5. A malformed PDF: aborted with a clear message, nothing reserved.
printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' \
  >"$base/broken.pdf"
job=$(submit alice "$base/broken.pdf")
pp_assert_eq processing-stopped "$(pp_wait_job "$job")" "state of the malformed job"
grep -q "cannot price the document" "$PP_CUPS_LOGS/error_log" ||
  pp_fail "no analysis error in error_log"
pp_assert_eq $((price + ps_price)) "$(reserved alice)" "alice unchanged by the malformed job"

# 6. A hostile PostScript job (an endless loop) is stopped by the CPU limit of its Ghostscript
#    child, with a clear message and nothing reserved.
printf '%%!PS\n{} loop\n' >"$base/hostile.ps"
job=$(submit alice "$base/hostile.ps")
pp_assert_eq processing-stopped "$(pp_wait_job "$job")" "state of the hostile job"
grep -q "cannot price the document: .*CPU time limit" "$PP_CUPS_LOGS/error_log" ||
  pp_fail "no CPU-limit message for the hostile job"
pp_assert_eq $((price + ps_price)) "$(reserved alice)" "alice unchanged by the hostile job"

# 7. Images: a colour JPEG and a grey PWG raster document, each priced from its own format.
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -r20 -dFirstPage=2 -dLastPage=2 \
  -sOutputFile="$base/red.jpg" "$base/sample.pdf"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pwgraster -r30 -dLastPage=1 \
  -sOutputFile="$base/grey.pwg" "$base/sample.pdf" 2>/dev/null
before=$(reserved alice)
for image in red.jpg:50 grey.pwg:10; do
  job=$(submit alice "$base/${image%%:*}")
  pp_assert_eq completed "$(pp_wait_job "$job")" "state of the ${image%%:*} job"
  pp_assert_eq $((before + ${image##*:})) "$(reserved alice)" "alice reserved after ${image%%:*}"
  before=$(reserved alice)
done

pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "ledger check"
