#!/bin/bash
# Integration: a built pullprintd started as pappl-server/README shows (no `analyzer` key) runs
# the analyser built beside it: a job is held and priced, not "Refused: cannot run
# /usr/lib/cups/filter/pullprint-cost". An analyser that is not there stops pullprintd at
# start-up with the key to set, instead of refusing every job later; so does a web-upload-max
# that is not a size, instead of a 500 at every upload.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

pp_test_site
pp_sample_pdf "$base/sample.pdf"
pp account create alice >/dev/null
pp topup alice 5.00 --key test-topup-alice >/dev/null

# 1. No analyzer key: the one built beside pullprintd prices the job.
pp_start_pullprintd "$state" "$base/pullprintd.log"
grep -qF "pullprintd: document analyser: $(realpath "$PULLPRINT_BUILD_DIR")/filters/pullprint-cost" \
  "$base/pullprintd.log" || { cat "$base/pullprintd.log" >&2; pp_fail "start-up does not name the analyser it found"; }
out=$(pp_submit alice "$base/sample.pdf")
pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of a job on a built server"
pp_assert_eq "Waiting for release: 4 pages (1 colour), EUR 0.80" \
  "$(pp_ipp_value job-state-message <<<"$out")" "message of a job on a built server"
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null

# refused_at_start NAME KEY=VALUE: pullprintd with that override must not start (nor hang): sets
# status (its exit status) and message (what it said, also in base/NAME.log).
refused_at_start() {
  status=0
  timeout 20 "$PP_PULLPRINTD" -c "$PP_CONFIG" -o "listen=127.0.0.1:$(pp_free_port)" -o auth=trusted \
    -o tls=off -o dnssd=off -o "$2" >"$base/$1.log" 2>&1 || status=$?
  ((status != 0 && status != 124)) || pp_fail "pullprintd with $2: exit status $status"
  message=$(cat "$base/$1.log")
  echo "$message"
}

# 2. A configured analyser that is missing: pullprintd does not start, and says what to set.
refused_at_start missing "analyzer=$base/no-such-analyser"
[[ "$message" == *"no document analyser: $base/no-such-analyser is not an executable file"* ]] ||
  pp_fail "the start-up failure does not name the missing analyser"
[[ "$message" == *"set \`analyzer = PATH\`"* ]] || pp_fail "the start-up failure does not name the key"
pp_pass "a missing analyser stops pullprintd at start-up (exit $status), naming the key"

# 3. A web-upload-max that is not a size: pullprintd does not start, and names the key.
refused_at_start upload-max "web-upload-max=lots"
[[ "$message" == *'config key web-upload-max: expected a size such as 50M, not "lots"'* ]] ||
  pp_fail "the start-up failure does not name web-upload-max and its value"
pp_pass "a bad web-upload-max stops pullprintd at start-up (exit $status), naming the key"
