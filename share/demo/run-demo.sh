#!/bin/bash
# run-demo.sh BUILD_DIR: a tour of what pullprint does today, on a throwaway ledger.
# Prices the sample document for two printers, reserves it on a demo user, shows the ledger.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/../.." && pwd)
state=$(mktemp -d /tmp/pullprint-demo.XXXXXX)
conf="$state/pullprint.conf"
# The shipped default configuration with the state directory moved to the throwaway one.
sed "s#^state-dir *=.*#state-dir = $state#" "$here/share/pullprint.conf" >"$conf"
grep -q "^state-dir = $state" "$conf" || echo "state-dir = $state" >>"$conf"
pullprint() { "$build/pappl-server/pullprint" -c "$conf" "$@"; }
cost() { "$build/filters/pullprint-cost" -c "$conf" "$@"; }

echo "== The sample document, priced for the default printer (2 copies, two-sided):"
cost --json "$here/share/samples/sample.ps" -o copies=2 -o sides=two-sided-long-edge
echo
echo "== The same job as a person sees it:"
cost "$here/share/samples/sample.ps" -o copies=2 -o sides=two-sided-long-edge

echo
echo "== A demo account, topped up, and the job passed through the CUPS filter as job 1 of 'Lab':"
pullprint account create demo
pullprint topup demo 5.00 --key demo-topup --note "welcome credit"
PRINTER=default PULLPRINT_CONFIG="$conf" "$build/filters/pullprint-cost" 1 demo sample 2 \
  "sides=two-sided-long-edge" "$here/share/samples/sample.ps" 2>&1 >/dev/null |
  grep -v '^DEBUG' || true
pullprint balance demo
pullprint history demo
pullprint ledger check
echo
echo "Ledger: $state/ledger.sqlite (remove it with: rm -r $state)"
