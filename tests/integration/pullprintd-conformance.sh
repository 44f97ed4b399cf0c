#!/bin/bash
# Integration: ipptool's IPP/1.1, IPP/2.0 and IPP Everywhere conformance tests against pullprintd
# (every test job is held and priced like any job). Failures are allowed only where PAPPL 1.3.1
# or pullprint's design cannot pass; they are listed in EXPECTED_FAILURES with the reason, and
# any other failure fails this test.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/pullprintd-samples.sh"

# Keyed "FILE:TEST NAME" (ipp-1.1.test is included by the other two and reports under their name).
declare -A EXPECTED_FAILURES=(
  # PAPPL 1.3.1 does not implement overrides (PWG 5100.6 page overrides).
  ["ipp-everywhere.test:PWG 5100.14 section 5.1/5.2 - Required Operations and Attributes"]="overrides-supported missing (PAPPL)"
)
# Removed from the copies of the .test files (not failures: pullprint's design). PAPPL never holds
# a job (job-hold-until is dropped; the job is held in pullprint's store instead) and Release-Job
# is refused with HTTP 403, after which ipptool would abandon the rest of the file.
REMOVED_TESTS=("Print-Job with job-hold-until" "Release-Job")

base=$(pp_make_base)
mkdir -p "$base/state" "$base/ipptool"
export PP_CONFIG="$base/pullprint.conf"
# Every conformance job must be affordable: a generous starting balance for the test user.
printf 'initial-balance = 100000000\n' >"$PP_CONFIG"
pp_make_ipptool_samples "$base/ipptool"
pp_drop_ipptool_tests "$base/ipptool/ipp-1.1.test" "${REMOVED_TESTS[@]}"
pp_start_pullprintd "$base/state" "$base/pullprintd.log"
# PAPPL 1.3.1 counts printer-up-time in whole seconds since the printer was made, and RFC 8011
# wants it above 0: the first file must not start in the server's first second.
up_time() {
  ipptool -T 5 -c "$PP_URI" /dev/stdin <<'TEST' 2>/dev/null | tail -n 1
{
  OPERATION Get-Printer-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR keyword requested-attributes printer-up-time
  DISPLAY printer-up-time
}
TEST
}
pp_wait_for 10 "printer-up-time above 0" eval '(( $(up_time) > 0 ))'

failures=()
cd "$base/ipptool"
for test in ipp-1.1.test ipp-2.0.test ipp-everywhere.test; do
  ipptool -I -t -T 30 -f document-a4.pdf "$PP_URI" "$test" >"$base/$test.out" 2>&1 || true
  # ipptool prints no Summary line for files that INCLUDE others: count the results.
  echo "$test: $(grep -c '\[PASS\]$' "$base/$test.out") passed," \
    "$(grep -c '\[FAIL\]$' "$base/$test.out") failed, $(grep -c '\[SKIP\]$' "$base/$test.out") skipped"
  grep -q "^ipptool: " "$base/$test.out" && failures+=("$test: $(grep -m1 '^ipptool: ' "$base/$test.out")")
  while IFS= read -r name; do
    if [[ -n "${EXPECTED_FAILURES[$test:$name]:-}" ]]; then
      echo "  expected failure: $name (${EXPECTED_FAILURES[$test:$name]})"
    else
      # The check that failed, as ipptool reports it under the test's name.
      failures+=("$test: $name: $(grep -A12 -F "$name" "$base/$test.out" |
        grep -E '^ +(EXPECTED|GOT|Bad|Missing|Unexpected)' | awk '!seen[$0]++' | head -n 3 |
        tr -s ' ' | tr '\n' ';')")
    fi
  done < <(sed -n 's/^    \(.*[^ ]\) *\[FAIL\]$/\1/p' "$base/$test.out")
done
if ((${#failures[@]} > 0)); then
  printf '  unexpected failure: %s\n' "${failures[@]}" >&2
  pp_fail "${#failures[@]} unexpected conformance failures (outputs in $base)"
fi
pp_pass "conformance: no unexpected failures"
