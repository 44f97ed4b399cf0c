#!/bin/bash
# web-pages-bench.sh BUILD_DIR: how fast the user's web pages answer on a big site.
#
# A state directory is seeded by bench/seed-account-store.cpp (pullprint-seed-accounts: SQL bulk
# load in one transaction per file, the journal's hash chain computed by the ledger's own chain
# function, then proved by `pullprint ledger check`) with PP_BENCH_ENTRIES journal entries
# (default 1,000,000) and PP_BENCH_HELD held jobs (default 100,000) over PP_BENCH_USERS users
# (default 10,000): alice has every 50th event (a long history), bob 5 held jobs and nothing
# else. A real pullprintd (auth = trusted on 127.0.0.1, so that the figures are the pages' own
# cost, not PAM's) serves it; one client (python3, one keep-alive connection, requests one after
# the other) asks PP_BENCH_REQUESTS times (default 500, after 20 unmeasured) for:
#
#   account        /pullprint/account as alice: balance, shared accounts, the newest 50 rows
#   history-deep   /pullprint/account?before=ID as alice, ID her median entry: 50 rows deep
#   account-few    /pullprint/account as bob (a user with a few entries)
#   my-jobs        /pullprint/jobs as bob (a user with a few held jobs, among 100,000 held)
#   release        /pullprint/release?printer=Lab_A as bob: the QR release page, his held jobs
#                  priced and checked for that printer (its GET never probes the printer)
#
# The reference, in the same invocation: the same pages on a near-empty site (1,000 entries, 10
# held jobs, 10 users). Prints a table of p50/p99 (ms) for both and the ratio big/reference;
# exits 1 when a page answers anything but 200 or the seeded ledger does not check.
#
#   bench/web-pages-bench.sh build                                        # full: a few minutes
#   PP_BENCH_ENTRIES=100000 PP_BENCH_HELD=10000 bench/web-pages-bench.sh build   # quick
set -euo pipefail
build=$(realpath "${1:?usage: web-pages-bench.sh BUILD_DIR}")
entries=${PP_BENCH_ENTRIES:-1000000}
held=${PP_BENCH_HELD:-100000}
users=${PP_BENCH_USERS:-10000}
requests=${PP_BENCH_REQUESTS:-500}
source_dir=$(realpath "$(dirname "$0")/..")
export PULLPRINT_BUILD_DIR=$build PULLPRINT_SOURCE_DIR=$source_dir
source "$source_dir/tests/integration/support/common.sh"
source "$source_dir/tests/integration/support/pullprintd.sh"
cmake --build "$build" --target pullprintd pullprint pullprint-seed-accounts -j2 >/dev/null

base=$(pp_make_base)
export HOME="$base/home"
mkdir -p "$HOME"

cat >"$base/load.py" <<'PY'
# load.py PORT NAME USER PATH REQUESTS: one keep-alive connection, REQUESTS GETs after 20
# unmeasured ones; prints "NAME p50 p99 mean bytes" (milliseconds).
import base64, http.client, statistics, sys, time
port, name, user, path, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
auth = {"Authorization": "Basic " + base64.b64encode((user + ":x").encode()).decode()}
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
times, size = [], 0
for i in range(20 + count):
    start = time.perf_counter()
    conn.request("GET", path, headers=auth)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        sys.exit(f"{name}: HTTP {response.status} for {path}")
    if i >= 20:
        times.append(elapsed)
        size = len(body)
times.sort()
p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
print(f"{name} {statistics.median(times):.2f} {p99:.2f} {statistics.mean(times):.2f} {size}")
PY

# run_site NAME ENTRIES HELD USERS: seeds base/NAME, checks its ledger, serves it, measures the
# pages; the results in base/NAME.txt.
run_site() {
  local name=$1 site_entries=$2 site_held=$3 site_users=$4
  local dir="$base/$name"
  mkdir -p "$dir"
  pp_test_config "$dir" "$dir/state"
  # A release printer for the QR release page (never reached: the page's GET does not probe).
  printf '[printer Lab_A]\nprice-profile = default\ndevice-uri = ipp://127.0.0.1:9/ipp/print\n' \
    >>"$PP_CONFIG"
  "$build/bench/pullprint-seed-accounts" "$dir/state" "$site_entries" "$site_held" "$site_users"
  local started=$SECONDS
  pp ledger check >"$dir/check.txt" || { cat "$dir/check.txt" >&2; pp_fail "$name: ledger check"; }
  echo "$name: ledger check clean ($((SECONDS - started)) s)"
  started=$SECONDS
  pp_start_pullprintd "$dir/state" "$dir/pullprintd.log"
  echo "$name: pullprintd up in $((SECONDS - started)) s"
  local deep
  deep=$(sqlite3 "$dir/state/ledger.sqlite" \
    "SELECT id FROM journal WHERE account_id = (SELECT id FROM accounts WHERE name = 'alice')
       AND kind NOT IN ('reserve', 'void') ORDER BY id LIMIT 1 OFFSET
       (SELECT count(*) / 2 FROM journal WHERE account_id = (SELECT id FROM accounts
        WHERE name = 'alice') AND kind NOT IN ('reserve', 'void'))")
  : >"$base/$name.txt"
  python3 "$base/load.py" "$PP_PORT" account alice /pullprint/account "$requests" >>"$base/$name.txt"
  python3 "$base/load.py" "$PP_PORT" history-deep alice "/pullprint/account?before=$deep" \
    "$requests" >>"$base/$name.txt"
  python3 "$base/load.py" "$PP_PORT" account-few bob /pullprint/account "$requests" >>"$base/$name.txt"
  python3 "$base/load.py" "$PP_PORT" my-jobs bob /pullprint/jobs "$requests" >>"$base/$name.txt"
  python3 "$base/load.py" "$PP_PORT" release bob "/pullprint/release?printer=Lab_A" "$requests" \
    >>"$base/$name.txt"
  pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null
  local alice_rows
  alice_rows=$(sqlite3 "$dir/state/ledger.sqlite" "SELECT count(*) FROM journal WHERE account_id =
    (SELECT id FROM accounts WHERE name = 'alice')")
  echo "$name: alice has $alice_rows journal entries; deep page before entry $deep"
}

run_site reference 1000 10 10
run_site big "$entries" "$held" "$users"

echo
echo "Pages on a site with $entries journal entries and $held held jobs ($users users) vs a"
echo "near-empty one (1000 entries, 10 held jobs), $requests requests each, one client:"
printf '%-14s %10s %10s %10s %10s %8s %8s %8s\n' page "ref p50" "ref p99" "big p50" "big p99" \
  "p50 x" "p99 x" "bytes"
failed=0
while read -r page p50 p99 _mean bytes; do
  read -r _ rp50 rp99 _ _ < <(grep "^$page " "$base/reference.txt")
  printf '%-14s %10s %10s %10s %10s %8.2f %8.2f %8s\n' "$page" "$rp50" "$rp99" "$p50" "$p99" \
    "$(echo "$p50 / $rp50" | bc -l)" "$(echo "$p99 / $rp99" | bc -l)" "$bytes"
  (($(echo "$p99 < 50" | bc -l))) || { echo "  $page: p99 $p99 ms is over the 50 ms target"; failed=1; }
done <"$base/big.txt"
exit $failed
