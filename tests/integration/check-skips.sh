#!/bin/bash
# tests/check-skips.py, which README's test command runs after ctest: a test that skipped fails
# the run, unless it printed a reason this machine cannot change; an unreadable report fails too.
source "$(dirname "$0")/support/common.sh"

check="$PULLPRINT_SOURCE_DIR/tests/check-skips.py"
base=$(pp_make_base)
report() {  # report FILE STATUS OUTPUT: a JUnit report with one test "t" in that state
  cat >"$1" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="x" tests="2"><testcase name="ran" status="run"><system-out>ok</system-out></testcase>
<testcase name="t" status="$2"><system-out>$3</system-out></testcase></testsuite>
XML
}
verdict() { status=0; python3 "$check" "$1" >"$base/out" 2>&1 || status=$?; echo "$status"; }

report "$base/ran.xml" run "ok: fine"
pp_assert_eq 0 "$(verdict "$base/ran.xml")" "a run where every test ran"

report "$base/hidden.xml" notrun "SKIP: curl is not installed"
pp_assert_eq 1 "$(verdict "$base/hidden.xml")" "a run where a test skipped for a missing package"
grep -q "t: SKIP: curl is not installed" "$base/out" || pp_fail "the skipped test and its reason are not named"

report "$base/allowed.xml" notrun "SKIP (this machine cannot change that): needs root"
pp_assert_eq 0 "$(verdict "$base/allowed.xml")" "a run where a test skipped for a reason the machine cannot change"
grep -q "1 skipped for reasons this machine cannot change" "$base/out" || pp_fail "the allowed skip is not counted"

echo "not xml" >"$base/broken.xml"
pp_assert_eq 2 "$(verdict "$base/broken.xml")" "an unreadable report"
pp_assert_eq 2 "$(verdict "$base/missing.xml")" "a missing report"
