#!/usr/bin/python3
"""check-skips.py JUNIT_XML: fails when a test did not run, unless it said why in words that
mark a reason this machine cannot change.

A skipped test is a hidden failure: a test that skips because a package is missing has never
run on CI, so a fix that breaks it lands unseen. CTest counts skips as passes, so this reads
ctest's JUnit report (--output-junit) after the run. A test may skip only by printing
"SKIP (this machine cannot change that): REASON" (pp_skip_unchangeable in
tests/integration/support/common.sh), e.g. not being root or having no namespaces, which no
package installs; .ci/install-deps must install everything else a test needs.
"""
import sys
import xml.etree.ElementTree as ElementTree

MARK = "SKIP (this machine cannot change that):"


def skip_reason(output):
    """The test's own SKIP line(s), or a note that it gave none."""
    lines = [line for line in output.splitlines() if "SKIP" in line.upper()]
    return " | ".join(lines[-3:]) if lines else "(no reason printed)"


def main(path):
    try:
        cases = ElementTree.parse(path).getroot().iter("testcase")
    except (OSError, ElementTree.ParseError) as error:
        print(f"check-skips: cannot read ctest's report {path}: {error}", file=sys.stderr)
        return 2
    hidden, allowed, ran = [], [], 0
    for case in cases:
        if case.get("status") != "notrun":
            ran += 1
            continue
        output = case.findtext("system-out") or ""
        entry = f"{case.get('name')}: {skip_reason(output)}"
        (allowed if MARK in output else hidden).append(entry)
    for entry in allowed:
        print(f"check-skips: skipped for a reason this machine cannot change: {entry}")
    if hidden:
        print(f"check-skips: {len(hidden)} test(s) did not run; install what they need "
              "(.ci/install-deps) or fix them:", file=sys.stderr)
        for entry in hidden:
            print(f"  {entry}", file=sys.stderr)
        return 1
    print(f"check-skips: {ran} tests ran, {len(allowed)} skipped for reasons this machine "
          "cannot change")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check-skips.py JUNIT_XML", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
