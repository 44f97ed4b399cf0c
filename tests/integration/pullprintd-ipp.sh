#!/bin/bash
# Integration: pullprintd starts, answers IPP on a loopback port as an IPP Everywhere queue,
# refuses documents in formats it does not take at submission (client-error-document-format-not-
# supported, no job made: PAPPL 1.3.1 alone accepts them and aborts the job later), refuses
# PAPPL's hold/release operations to every client, and stops at once on SIGTERM.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

support="$PULLPRINT_SOURCE_DIR/tests/integration/support"
base=$(pp_make_base)
pp_start_plain_pullprintd

# 1. The queue: IPP Everywhere formats, the account attribute, one queue at /ipp/print.
attrs=$(ipptool -tv "$PP_URI" get-printer-attributes.test)
formats=$(pp_ipp_value document-format-supported <<<"$attrs")
for format in application/pdf application/postscript image/jpeg image/png image/pwg-raster image/urf; do
  [[ ",$formats," == *",$format,"* ]] || pp_fail "document-format-supported lacks $format: $formats"
done
pp_pass "document formats: $formats"
pp_assert_eq true "$(pp_ipp_value job-account-id-supported <<<"$attrs")" "job-account-id-supported"
pp_assert_eq "pullprint Pull Print Queue" "$(pp_ipp_value printer-make-and-model <<<"$attrs")" \
  "printer-make-and-model"
pp_assert_eq idle "$(pp_ipp_value printer-state <<<"$attrs")" "printer-state"

# 2. Formats the queue does not take are refused at submission, by Print-Job and Send-Document,
#    whether named (text/plain) or sent as application/octet-stream that PAPPL's auto-typing
#    cannot recognise (plain and gzip-compressed); no PAPPL job is made (Send-Document's is
#    cancelled); Validate-Job answers the same.
pappl_jobs() {  # how many jobs PAPPL has for alice, in any state
  ipptool -t -d owner=alice "$PP_URI" "$support/pullprintd-get-jobs.test" | grep -c "job-id (integer)" || true
}
refused() {  # FILE [-d gzip=1]: ipptool's filetype comes from FILE's name
  local out
  out=$(ipptool -t -T 10 -d owner=alice "${@:2}" -f "$1" "$PP_URI" "$support/pullprintd-format-refused.test") ||
    { echo "$out" >&2; pp_fail "$(basename "$1") was not refused cleanly"; }
  echo "$out" | sed -n 's/^ *status-message (textWithoutLanguage) = //p'
}
printf 'plain text, not a document the queue takes\n' >"$base/notes.txt"
cp "$base/notes.txt" "$base/notes.bin"  # unknown extension: ipptool sends application/octet-stream
jobs_before=$(pappl_jobs)
message=$(refused "$base/notes.txt")
pp_assert_eq "The queue does not take text/plain documents; it takes image/pwg-raster, image/urf, application/pdf, application/postscript, image/jpeg, image/png." \
  "$message" "text/plain refused, with the formats the queue takes"
refused "$base/notes.bin" >/dev/null
refused "$base/notes.bin" -d gzip=1 >/dev/null
pp_pass "text/plain and unrecognisable application/octet-stream (also gzip) refused at submission"
# Each refused run leaves only its cancelled Create-Job (1 per run), no job of a refused Print-Job.
pp_assert_eq $((jobs_before + 3)) "$(pappl_jobs)" "PAPPL jobs after three refused runs"
for format in text/plain image/gif; do
  ipptool -t -T 10 -d owner=alice -d "format=$format" -d refused=1 "$PP_URI" \
    "$support/pullprintd-validate-job.test" >/dev/null || pp_fail "Validate-Job of $format not refused"
done
for format in application/postscript application/pdf application/octet-stream; do
  ipptool -t -T 10 -d owner=alice -d "format=$format" "$PP_URI" \
    "$support/pullprintd-validate-job.test" >/dev/null || pp_fail "Validate-Job of $format refused"
done
pp_pass "Validate-Job refuses text/plain and image/gif, accepts PostScript, PDF, octet-stream"

# 3. Hold/release operations are refused (403) for everybody, also Release-Job of a job
#    without a document, which crashes a plain PAPPL 1.3.1 server.
job=$(ipptool -t -T 10 -d owner=alice "$PP_URI" "$support/pullprintd-create-job.test" |
  pp_ipp_value job-id)
[[ -n "$job" ]] || pp_fail "Create-Job failed"
pp_on_exit "pp_ipp_op Cancel-Job alice $job >/dev/null"  # a held job delays PAPPL's shutdown
for op in Release-Job Hold-Job; do pp_assert_refused "$op" alice "$job"; done
for op in Release-Job Hold-Job; do pp_assert_refused "$op" root "$job"; done
for op in Hold-New-Jobs Release-Held-New-Jobs; do pp_assert_refused "$op" alice 0; done
kill -0 "$PP_PULLPRINTD_PID" || pp_fail "pullprintd died"
# Another user may neither see nor cancel alice's job; alice may cancel it.
pp_assert_refused Get-Job-Attributes bob "$job"
pp_assert_refused Cancel-Job bob "$job"
pp_assert_eq canceled "$(pp_ipp_op Cancel-Job alice "$job" >/dev/null
  pp_ipp_op Get-Job-Attributes alice "$job" | pp_ipp_value job-state)" "state of the empty job"

# Restart-Job (a reprint) is not implemented by PAPPL; it must not succeed either.
grep -q "server-error-operation-not-supported" <<<"$(pp_ipp_op Restart-Job alice "$job")" ||
  pp_fail "Restart-Job was not refused"
pp_pass "Restart-Job not supported"

# 4. SIGTERM stops the server at once (PAPPL 1.3.1 waits ~60 s when it holds jobs itself).
seconds=$(pp_stop_pullprintd "$PP_PULLPRINTD_PID")
((seconds <= 5)) || pp_fail "pullprintd took ${seconds}s to stop"
pp_pass "stopped in ${seconds}s"
