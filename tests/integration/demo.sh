#!/bin/bash
# Integration: README's first command ends in share/demo/run-server-demo.sh; its --check mode
# starts pullprintd, submits the sample, verifies the held, priced, reserved job and stops, so
# that the README's main command cannot rot. Also checks that the README still runs it.
source "$(dirname "$0")/support/common.sh"

readme_command=$(grep -m1 '^bash .ci/install-deps' "$PULLPRINT_SOURCE_DIR/README.md")
[[ "$readme_command" == *"bash share/demo/run-server-demo.sh build" ]] ||
  pp_fail "README's first command does not run the server demo: $readme_command"
pp_pass "README's first command runs share/demo/run-server-demo.sh"

out=$(timeout 120 bash "$PULLPRINT_SOURCE_DIR/share/demo/run-server-demo.sh" "$PULLPRINT_BUILD_DIR" --check 2>&1) ||
  { echo "$out" >&2; pp_fail "run-server-demo.sh --check failed"; }
grep -q "Queue (IPP Everywhere): ipp://127.0.0.1:[0-9]*/ipp/print" <<<"$out" ||
  { echo "$out" >&2; pp_fail "the demo does not print the queue URL"; }
grep -q "Waiting for release: 4 pages (1 colour), EUR" <<<"$out" ||
  { echo "$out" >&2; pp_fail "the demo's job is not held with its price"; }
grep -q "^check: released into .* and captured once" <<<"$out" ||
  { echo "$out" >&2; pp_fail "the demo's release to its folder printer failed"; }
pp_pass "demo: $(grep '^check:' <<<"$out" | tr '\n' ' ')"
state=$(sed -n 's/^ *Ledger and held store: *\([^ ]*\).*/\1/p' <<<"$out")
[[ -n "$state" && ! -e "$state" ]] || pp_fail "the demo left its state directory '$state'"
pp_pass "demo removed its state directory"
