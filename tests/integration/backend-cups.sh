#!/bin/bash
# Integration: the CUPS door end to end. A private cupsd has queue Lab whose device URI is
# pullprint:ipp://127.0.0.1:PORT/ipp/print (a real IPP printer, ippeveprinter) and pullprint-cost
# as its *cupsPreFilter. alice prints a PDF with lp: the filter reserves its price and the
# backend holds the job (cupsd: pending-held, "Held for release"); nothing reaches the printer.
# The release as pullprintd or a release terminal does it (`pullprint deliveries release`:
# DeliveryLog::release, then IPP Release-Job to cupsd) prints it: the job completes, the printer
# receives the document, the reservation is captured once, `pullprint ledger check` passes.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/cupsd.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
pp_require_ipp_printer
command -v cupsd >/dev/null || pp_skip "cupsd is not installed"

support="$PULLPRINT_SOURCE_DIR/tests/integration/support"

pp_test_site pp-state
# The filter runs as lp: the ledger directory is shared with it (group lp in production).
chown lp:lp "$base/pp-state"
chmod 0770 "$base/pp-state"
pp_sample_pdf "$base/sample.pdf"
pp account create alice >/dev/null
pp topup alice 5.00 --key test-topup-alice >/dev/null

pp_start_ipp_printer "$base"
pp_start_cupsd "$base"
# When the test fails, cupsd's words about the jobs (filters, backend, exit statuses) are the
# first thing to read.
passed=false
pp_on_exit '$passed || { echo "--- cupsd error_log (jobs):"; grep -E "^[EWI] .*\[Job |\[Job [0-9]+\] (PID|Backend|.*pullprint)" "$base/log/error_log" | tail -n 60; }'
# ... and who may open the ledger's files (the filter and the backend run as lp and root).
pp_on_exit '$passed || { echo "--- the state directory:"; ls -la "$base/pp-state"; }'
# The wrapper as installed: root-owned 0700, so that cupsd runs it as root.
install -m 0700 "$PULLPRINT_BUILD_DIR/backend/pullprint" "$base/bin/backend/pullprint"
# `lpadmin -m everywhere` refuses non-ipp URIs; a PPD queue takes the wrapped URI directly.
lpadmin -p Lab -E -P "$support/pullprint-test.ppd" -v "pullprint:$PP_PRINTER_URI" \
  -o printer-error-policy=abort-job -o page-logging-default=off
pp_wait_for 10 "queue Lab" lpstat -p Lab
pp_assert_eq "device for Lab: pullprint:$PP_PRINTER_URI" "$(lpstat -v Lab)" "device URI of Lab"

# job_attr JOB ATTRIBUTE: one attribute of a CUPS job (ipptool -c: the value on the last line).
job_attr() {
  ipptool -c "ipp://$CUPS_SERVER/jobs/$1" /dev/stdin <<TEST 2>/dev/null | tail -n 1
{
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri job-uri \$uri
  ATTR name requesting-user-name root
  ATTR keyword requested-attributes $2
  DISPLAY $2
}
TEST
}
job_is() { [[ "$(job_attr "$1" job-state)" == "$2" ]]; }
row() { pp deliveries --json | jq -r --arg ref "$1" ".[] | select(.job_ref == \$ref) | $2"; }
captures() { pp history alice --json | jq '[.[] | select(.kind == "capture")] | length'; }

# 1. alice prints: reserved by the filter, held by the backend, nothing at the printer.
job=$(lp -d Lab -U alice -t report "$base/sample.pdf" | sed -n 's/^request id is Lab-\([0-9]*\).*/\1/p')
[[ -n "$job" ]] || pp_fail "lp did not return a job id"
pp_wait_for 60 "job $job to be held by the backend" job_is "$job" pending-held
message=$(job_attr "$job" job-printer-state-message)
echo "job-printer-state-message: $message"
[[ "$message" == *"Held for release"* ]] || grep -q "Held for release" "$PP_CUPS_LOGS/error_log" ||
  pp_fail "neither the job nor the error_log says 'Held for release'"
pp_assert_eq 1 "$(pp deliveries --state held --json | jq length)" "held deliveries"
ref=$(pp deliveries --state held --json | jq -r '.[0].job_ref')
[[ "$ref" == cups/urn:uuid:* ]] || pp_fail "unexpected job reference $ref"
pp_assert_eq Lab "$(row "$ref" .cups_queue)" "queue of the held delivery"
pp_assert_eq "$job" "$(row "$ref" .cups_job_id)" "CUPS job id of the held delivery"
pp_assert_eq alice "$(row "$ref" .owner)" "owner of the held delivery"
pp_assert_eq 80 "$(pp account show alice --json | pp_json .reserved)" "alice's reserved amount"
pp_assert_eq 0 "$(pp_printer_jobs | wc -l)" "jobs at the printer while held"
pp ledger check >/dev/null || pp_fail "ledger check fails while held"

# 1b. Anybody on the server may resume a held CUPS job by naming its owner: Debian's cupsd
# policy authorises job operations by requesting-user-name (no AuthType on that <Limit>), and
# cups 2.4.2-3+deb12u10's PeerCred directive does not change that (checked under Debian's own
# cupsd.conf: on, root-only and off alike). So the gate is the backend: a resume that pullprint
# did not authorise runs the backend again, which finds the delivery still held and holds the
# job again. Nothing reaches the printer and nothing is charged.
held_runs() { grep -c "\[Job $job\] Held for release" "$PP_CUPS_LOGS/error_log" || true; }
runs_before=$(held_runs)
setpriv --reuid=nobody --regid=nogroup --clear-groups lp -h "$CUPS_SERVER" -U alice -i "$job" -H resume ||
  pp_fail "cupsd refused a resume by the owner's name (its policy changed: read this test's comment)"
pp_wait_for 60 "the backend to hold job $job again" eval '(( $(held_runs) > runs_before ))'
pp_wait_for 30 "job $job to be held again" job_is "$job" pending-held
pp_assert_eq held "$(row "$ref" .state)" "delivery state after a resume pullprint did not authorise"
pp_assert_eq 0 "$(pp_printer_jobs | wc -l)" "jobs at the printer after that resume"
pp_assert_eq 0 "$(captures)" "captures after that resume"

# 2. The release: the delivery row is released, then cupsd is asked to release the job.
pp deliveries release "$ref" --by terminal-1
pp_assert_eq completed "$(pp_wait_job "$job")" "state of the released job"
pp_assert_eq printed "$(row "$ref" .state)" "delivery state after the release"
pp_assert_eq terminal-1 "$(row "$ref" .released_by)" "released by"
pp_assert_eq 1 "$(captures)" "capture entries"
pp_assert_eq -80 "$(pp history alice --json | jq '[.[] | select(.kind == "capture") | .amount] | add')" \
  "captured amount"
pp_assert_eq 0 "$(pp account show alice --json | pp_json .reserved)" "alice's reserved after printing"
pp_assert_eq 420 "$(pp account show alice --json | pp_json .balance)" "alice's balance after printing"
printer_has_a_job() { test "$(pp_printer_jobs | wc -l)" -ge 1; }  # re-evaluated on each try
pp_wait_for 20 "the document at the printer" printer_has_a_job
pp_assert_eq 1 "$(pp_printer_jobs | wc -l)" "jobs at the printer"
pp_wait_for 10 "a whole PDF at the printer" grep -q '%%EOF' "$(pp_printer_jobs | head -n 1)"
head -c 5 "$(pp_printer_jobs | head -n 1)" | grep -q '%PDF-' || pp_fail "the printer received no PDF"
pp_pass "the printer received the document"

# 3. A second release of the printed job is refused; nothing is charged again.
if pp deliveries release "$ref" >"$base/second-release.log" 2>&1; then
  pp_fail "a printed job was released again"
fi
grep -q "is printed" "$base/second-release.log" || pp_fail "unexpected refusal: $(cat "$base/second-release.log")"
pp_assert_eq 1 "$(captures)" "capture entries after a second release"
pp ledger check >/dev/null || pp_fail "ledger check fails: $(pp ledger check)"
pp_pass "ledger check"
passed=true
