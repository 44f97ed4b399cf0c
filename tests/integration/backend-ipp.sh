#!/bin/bash
# Integration: the pullprint backend run exactly as cupsd runs a backend (argv[0] = device URI,
# job-id user title copies options, the job on stdin, DEVICE_URI/PRINTER/CUPS_SERVERBIN...) in
# front of a real IPP Everywhere printer (ippeveprinter). The reservation is made by the real
# filter (pullprint-cost in filter mode), the release by `pullprint deliveries release`.
#  1. CUPS door: held first (status 3), printed after the release: the printer receives exactly
#     the document, the ledger captures the price once; a second run sends and charges nothing.
#  2. Printer down: nothing charged, the job stays released, the ipp backend's status passes.
#  3. A backend that fails after reading data: review, nothing captured; an admin voids it.
#  4. The wrapper SIGKILLed while sending; the rerun takes the attempt over: printed once,
#     charged once.
#  5. A CUPS job with a forged -o pullprint-job-ref= cannot print somebody else's released job.
#  6. The pullprintd door (PULLPRINT_DOOR=pullprintd) prints the job named by pullprint-job-ref.
#  7. A job with no reservation is refused (status 5).
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
pp_require_ipp_printer

cost="$PULLPRINT_BUILD_DIR/filters/pullprint-cost"
backend="$PULLPRINT_BUILD_DIR/backend/pullprint"

pp_test_site pp-state
mkdir -p "$base/bin/backend" "$base/tmp" "$base/marks"
chmod 1777 "$base/tmp"
chmod 0777 "$base/marks"

# ServerBin as cupsd has it: the real ipp backend, our wrapper (0700: runs as root) and fakes.
ln -s /usr/lib/cups/backend/ipp "$base/bin/backend/ipp"
install -m 0700 "$backend" "$base/bin/backend/pullprint"
# fail: reads part of the job, then fails (a printer that jams after taking data).
cat >"$base/bin/backend/fail" <<SCRIPT
#!/bin/sh
[ \$# -eq 0 ] && exit 0  # discovery: no devices
head -c 1000 >/dev/null
echo "\$DEVICE_URI" >"$base/marks/fail-device-uri"
echo "ERROR: paper jam" >&2
exit 1
SCRIPT
# stall: reads part of the job, says so, then hangs (a printer that stops mid-job).
cat >"$base/bin/backend/stall" <<SCRIPT
#!/bin/sh
[ \$# -eq 0 ] && exit 0  # discovery: no devices
head -c 100 >/dev/null
echo \$\$ >"$base/marks/stalled"
exec sleep 600
SCRIPT
# hang: never reads the job (a printer that does not answer), until it is terminated.
cat >"$base/bin/backend/hang" <<SCRIPT
#!/bin/sh
[ \$# -eq 0 ] && exit 0  # discovery: no devices
echo \$\$ >"$base/marks/hang-\$1"
exec sleep 600
SCRIPT
chmod 0755 "$base/bin/backend/fail" "$base/bin/backend/stall" "$base/bin/backend/hang"

pp_sample_pdf "$base/sample.pdf"
pp account create alice >/dev/null
pp topup alice 10.00 --key test-topup-alice >/dev/null

pp_start_ipp_printer "$base"
pp_pass "ippeveprinter at $PP_PRINTER_URI"

# The environment cupsd gives a backend (see the platform notes), for queue Lab.
export CUPS_SERVERBIN="$base/bin" PRINTER=Lab PULLPRINT_CONFIG="$base/pullprint.conf" \
  CONTENT_TYPE=application/pdf FINAL_CONTENT_TYPE=application/pdf TMPDIR="$base/tmp" \
  CUPS_MAX_MESSAGE=2047
unset PULLPRINT_DOOR

# reserve JOB-ID USER UUID: the filter prices and reserves the job, as cupsd runs it.
reserve() {
  "$cost" "$1" "$2" "job $1" 1 "job-uuid=urn:uuid:$3" "$base/sample.pdf" >/dev/null 2>"$base/filter-$1.log" ||
    pp_fail "the filter refused job $1: $(cat "$base/filter-$1.log")"
}
# run_backend DEVICE-URI JOB-ID USER OPTIONS: runs the backend as cupsd does, the job on stdin;
# prints its exit status; its stderr goes to $base/backend-JOB-ID.log.
run_backend() {
  local uri=$1 job=$2 user=$3 options=$4 status=0
  DEVICE_URI=$uri bash -c 'exec -a "$0" "$@"' "$uri" "$base/bin/backend/pullprint" "$job" "$user" \
    "job $job" 1 "$options" <"$base/sample.pdf" >>"$base/backend-$job.log" 2>&1 || status=$?
  echo "$status"
}
# held_and_released JOB-ID USER UUID [DEVICE-URI]: reserves the job, runs the backend once (the
# job is held) and releases it without resuming it, as a release at the terminal does; sets ref.
held_and_released() {
  reserve "$1" "$2" "$3"
  ref=cups/urn:uuid:$3
  run_backend "${4:-$uri}" "$1" "$2" "job-uuid=urn:uuid:$3" >/dev/null
  pp deliveries release "$ref" --no-resume >/dev/null
}
row() { pp deliveries --json | jq -r --arg ref "$1" ".[] | select(.job_ref == \$ref) | $2"; }
captures() { pp history alice --json | jq '[.[] | select(.kind == "capture")] | length'; }
captured_sum() { pp history alice --json | jq '[.[] | select(.kind == "capture") | .amount] | add // 0'; }
received() { pp_printer_jobs | wc -l; }
check_ledger() { pp ledger check >/dev/null || pp_fail "ledger check fails: $(pp ledger check)"; }
uri="pullprint:$PP_PRINTER_URI"

# 0. Discovery: the other backends' devices under pullprint:, never our own.
"$base/bin/backend/pullprint" >"$base/discovery.txt" 2>/dev/null || pp_fail "discovery failed"
grep -q '^network pullprint:ipp "Unknown" "Internet Printing Protocol (ipp) (pullprint)"$' \
  "$base/discovery.txt" || pp_fail "no pullprint:ipp line in: $(cat "$base/discovery.txt")"
if grep -q 'pullprint:pullprint' "$base/discovery.txt"; then pp_fail "the backend listed itself"; fi
pp_pass "discovery lists pullprint:ipp"

# 1. CUPS door: hold, release, print, charge once.
reserve 1 alice one
ref=cups/urn:uuid:one
pp_assert_eq 3 "$(run_backend "$uri" 1 alice "job-uuid=urn:uuid:one")" "status of the held job"
grep -q "^INFO: Held for release" "$base/backend-1.log" || pp_fail "no INFO line for the hold"
pp_assert_eq held "$(row $ref .state)" "delivery state after the first run"
pp_assert_eq 3 "$(run_backend "$uri" 1 alice "job-uuid=urn:uuid:one")" "status while still held"
pp_assert_eq 0 "$(received)" "jobs at the printer while held"
pp deliveries release $ref --no-resume >/dev/null
pp_assert_eq released "$(row $ref .state)" "delivery state after the release"
pp_assert_eq 0 "$(run_backend "$uri" 1 alice "job-uuid=urn:uuid:one")" "status of the released job"
printer_received_a_job() { test "$(received)" -ge 1; }  # re-evaluated on each try
pp_wait_for 20 "the job at the printer" printer_received_a_job
pp_assert_eq 1 "$(received)" "jobs at the printer"
pp_wait_for 10 "the whole document at the printer" cmp -s "$(pp_printer_jobs | head -n 1)" "$base/sample.pdf"
pp_pass "the printer received exactly the document"
pp_assert_eq printed "$(row $ref .state)" "delivery state after printing"
pp_assert_eq "$(stat -c %s "$base/sample.pdf")" "$(row $ref .bytes_sent)" "bytes sent"
pp_assert_eq 1 "$(captures)" "capture entries"
pp_assert_eq -80 "$(captured_sum)" "captured amount"
check_ledger
# Again (cupsd retrying, a duplicate release): nothing sent, nothing charged.
pp_assert_eq 0 "$(run_backend "$uri" 1 alice "job-uuid=urn:uuid:one")" "status of a second run"
grep -q "already printed and charged" "$base/backend-1.log" || pp_fail "no 'already printed' line"
pp_assert_eq 1 "$(received)" "jobs at the printer after a second run"
pp_assert_eq 1 "$(captures)" "capture entries after a second run"
check_ledger

# 2. Printer down (nothing listens; contimeout makes the ipp backend give up): nothing charged,
#    the job stays released and the ipp backend's status passes through.
held_and_released 2 alice two
down="pullprint:ipp://127.0.0.1:$(pp_free_port)/ipp/print?contimeout=1"
status=$(run_backend "$down" 2 alice "job-uuid=urn:uuid:two")
pp_assert_eq 1 "$status" "status with the printer down (CUPS_BACKEND_FAILED from ipp)"
pp_assert_eq released "$(row $ref .state)" "delivery state with the printer down"
pp_assert_eq 0 "$(row $ref .bytes_sent)" "bytes sent to a printer that is down"
pp_assert_eq 1 "$(captures)" "capture entries after the printer-down attempt"
pp_assert_eq 80 "$(pp account show alice --json | pp_json .reserved)" "alice's reserved amount (job 2)"
check_ledger
# The printer is back: the retry prints and charges.
pp_assert_eq 0 "$(run_backend "$uri" 2 alice "job-uuid=urn:uuid:two")" "status of the retry"
pp_assert_eq printed "$(row $ref .state)" "delivery state after the retry"
pp_assert_eq 2 "$(row $ref .attempts)" "attempts of job 2"
pp_assert_eq 2 "$(captures)" "capture entries after job 2"
check_ledger

# 3. A backend that fails after taking data: review, nothing captured, then an admin voids it.
jammed="pullprint:fail://operator:secret@jammed/q"
held_and_released 3 alice three "$jammed"
pp_assert_eq 5 "$(run_backend "$jammed" 3 alice "job-uuid=urn:uuid:three")" \
  "status of a job that failed after data was sent"
# Credentials reach the real backend in DEVICE_URI only, never the ledger.
pp_assert_eq "fail://operator:secret@jammed/q" "$(cat "$base/marks/fail-device-uri")" "DEVICE_URI of the real backend"
pp_assert_eq "fail://jammed/q" "$(row $ref .device_uri)" "device URI recorded for the job"
grep -q "^ERROR: paper jam" "$base/backend-3.log" || pp_fail "the real backend's stderr was not passed on"
grep -q "administrator must review" "$base/backend-3.log" || pp_fail "no review message"
pp_assert_eq review "$(row $ref .state)" "delivery state after the failure"
pp_assert_eq "paper jam" "$(row $ref .message | sed 's/.*: //')" "message of the review"
pp_assert_eq 2 "$(captures)" "capture entries after the failure"
pp_assert_eq 1 "$(pp deliveries --state review --json | jq length)" "jobs under review"
check_ledger
pp review $ref --void >/dev/null
pp_assert_eq voided "$(row $ref .state)" "delivery state after the admin's void"
pp_assert_eq 5 "$(run_backend "$uri" 3 alice "job-uuid=urn:uuid:three")" "status of a voided job"
check_ledger

# 4. The wrapper is killed (SIGKILL) while the real backend has read part of the job; the rerun
#    takes the dead attempt over and prints once, charges once.
held_and_released 4 alice four
DEVICE_URI=pullprint:stall://x bash -c 'exec -a "$0" "$@"' pullprint:stall://x \
  "$base/bin/backend/pullprint" 4 alice "job 4" 1 "job-uuid=urn:uuid:four" <"$base/sample.pdf" \
  >>"$base/backend-4.log" 2>&1 &
wrapper=$!
pp_wait_for 20 "the stalled backend" test -s "$base/marks/stalled"
stalled=$(cat "$base/marks/stalled")
pp_assert_eq in-flight "$(row $ref .state)" "delivery state while sending"
pp_assert_eq "$wrapper" "$(row $ref .pid)" "pid of the attempt in flight"
kill -KILL "$wrapper"
wait "$wrapper" 2>/dev/null || true
pp_wait_for 10 "the stalled backend to end with its parent" sh -c "! kill -0 $stalled"
pp_assert_eq in-flight "$(row $ref .state)" "delivery state after the kill"
before=$(received)
pp_assert_eq 0 "$(run_backend "$uri" 4 alice "job-uuid=urn:uuid:four")" "status of the rerun"
pp_assert_eq printed "$(row $ref .state)" "delivery state after the rerun"
pp_assert_eq 2 "$(row $ref .attempts)" "attempts of job 4"
pp_assert_eq $((before + 1)) "$(received)" "jobs at the printer after the rerun"
pp_assert_eq 3 "$(captures)" "capture entries after job 4"
pp_assert_eq 0 "$(run_backend "$uri" 4 alice "job-uuid=urn:uuid:four")" "status of a third run"
pp_assert_eq 3 "$(captures)" "capture entries after a third run"
check_ledger

# 5. mallory's CUPS job names alice's released job: the option is ignored, mallory's own job
#    has no reservation and is refused; alice's job is untouched.
held_and_released 5 alice five
before=$(received)
pp_assert_eq 5 "$(run_backend "$uri" 66 mallory "job-uuid=urn:uuid:mallory pullprint-job-ref=$ref")" \
  "status of the forged job"
grep -q "^WARNING: pullprint: ignoring pullprint-job-ref=$ref" "$base/backend-66.log" ||
  pp_fail "no warning about the forged job reference"
grep -q "^ERROR: pullprint: job cups/urn:uuid:mallory has no reservation" "$base/backend-66.log" ||
  pp_fail "the forged job was not refused as unaccounted"
pp_assert_eq released "$(row $ref .state)" "alice's job after the forgery"
pp_assert_eq "$before" "$(received)" "jobs at the printer after the forgery"
pp_assert_eq 3 "$(captures)" "capture entries after the forgery"

# 6. The pullprintd door: pullprintd runs the backend itself with PULLPRINT_DOOR=pullprintd and
#    names the job it released in pullprint-job-ref (here alice's job 5).
status=$(PULLPRINT_DOOR=pullprintd run_backend "$uri" 900 alice "pullprint-job-ref=$ref")
pp_assert_eq 0 "$status" "status of the pullprintd door"
pp_assert_eq printed "$(row $ref .state)" "job 5 through the pullprintd door"
pp_assert_eq $((before + 1)) "$(received)" "jobs at the printer after the pullprintd door"
pp_assert_eq 4 "$(captures)" "capture entries after the pullprintd door"

# 7. No reservation at all (a queue without the filter): refused, nothing printed.
pp_assert_eq 5 "$(run_backend "$uri" 7 alice "job-uuid=urn:uuid:seven")" "status of an unaccounted job"
pp_assert_eq $((before + 1)) "$(received)" "jobs at the printer after the unaccounted job"
pp_assert_eq 4 "$(captures)" "capture entries at the end"
pp_assert_eq "" "$(row cups/urn:uuid:seven .state)" "no delivery for the unaccounted job"
check_ledger

# 8. cupsd cancels a job with SIGTERM: forwarded to the real backend; nothing was sent, so the
#    reservation is voided. Under pullprintd (which cancels its jobs itself) a SIGTERM is its
#    shutdown: the job stays released.
# cancel_run JOB UUID [ENV...]: runs the backend on hang://, terminates it once the real backend
# runs, prints the wrapper's exit status.
cancel_run() {
  local job=$1 uuid=$2 status=0
  shift 2
  env "$@" DEVICE_URI=pullprint:hang://x bash -c 'exec -a "$0" "$@"' pullprint:hang://x \
    "$base/bin/backend/pullprint" "$job" alice "job $job" 1 "job-uuid=urn:uuid:$uuid pullprint-job-ref=cups/urn:uuid:$uuid" \
    <"$base/sample.pdf" >>"$base/backend-$job.log" 2>&1 &
  local wrapper=$!
  pp_wait_for 20 "the hanging backend of job $job" test -s "$base/marks/hang-$job"
  local hung
  hung=$(cat "$base/marks/hang-$job")
  kill -TERM "$wrapper"
  wait "$wrapper" || status=$?
  pp_wait_for 10 "the hanging backend to end" sh -c "! kill -0 $hung 2>/dev/null"
  echo "$status"
}
held_and_released 8 alice eight
pp_assert_eq 5 "$(cancel_run 8 eight)" "status of a job cancelled by cupsd"
pp_assert_eq voided "$(row $ref .state)" "delivery state after the cancel"
reservation=$(pp history alice --json | jq -r '[.[] | select(.kind == "void" and .key == "void:cups/urn:uuid:eight")] | length')
pp_assert_eq 1 "$reservation" "void entries of job 8 under its void key"
held_and_released 9 alice nine
cancel_run 9 nine PULLPRINT_DOOR=pullprintd >/dev/null
pp_assert_eq released "$(row $ref .state)" "delivery state after pullprintd's SIGTERM"
pp_assert_eq 4 "$(captures)" "capture entries after the cancels"
check_ledger
while read -r received_file; do
  cmp -s "$received_file" "$base/sample.pdf" || pp_fail "$received_file differs from the document"
done < <(pp_printer_jobs)
pp_pass "every job at the printer is exactly the document"
pp_pass "backend with a real IPP printer"
