#!/bin/bash
# reports-bench.sh BUILD_DIR: how fast the console's reports (lib/reports/) answer on a big site.
#
# A state directory is seeded by bench/seed-account-store.cpp (pullprint-seed-accounts, as for
# web-pages-bench.sh) with PP_BENCH_ENTRIES journal entries (default 1,000,000: about 470,000
# prints, each a reserve and a capture, and top-ups) over PP_BENCH_USERS users (default 10,000);
# then SQL gives every printed job its delivery row with pages (1..20, every 4th in colour, every
# 3rd two-sided) on one of 20 printers, and puts every user in one or two of 50 groups; one job in
# 100 gets a refund entry of half its price (key refund-request:<ref>; not hashed into the chain:
# a report does not read it, and this ledger is not `ledger check`ed). The seeder's entries are one second
# apart from 2025-01-01, so a one-year range (2025-01-01..2025-12-31) covers them all: every
# capture and refund of the journal is read and counted.
#
# Measured: `pullprint report --by BY --from 2025-01-01 --to 2025-12-31 --csv` (a whole process:
# the configuration, the ledger file opened, the report counted and printed), for each `by`,
# PP_BENCH_RUNS times (default 5), the median and the worst; the reference, in the same
# invocation: the same on a near-empty site (1,000 entries). Prints a table with both and the
# ratio big/reference; exits 1 when a report on the big site takes 2 s or more (the target) or
# when a report's net differs from the journal's captures minus refunds.
#
#   bench/reports-bench.sh build
#   PP_BENCH_ENTRIES=100000 bench/reports-bench.sh build      # quick
set -euo pipefail
build=$(realpath "${1:?usage: reports-bench.sh BUILD_DIR}")
entries=${PP_BENCH_ENTRIES:-1000000}
users=${PP_BENCH_USERS:-10000}
runs=${PP_BENCH_RUNS:-5}
source_dir=$(realpath "$(dirname "$0")/..")
export PULLPRINT_BUILD_DIR=$build PULLPRINT_SOURCE_DIR=$source_dir
source "$source_dir/tests/integration/support/common.sh"
source "$source_dir/tests/integration/support/pullprintd.sh"
cmake --build "$build" --target pullprint pullprint-seed-accounts -j2 >/dev/null

base=$(pp_make_base)
export HOME="$base/home"
mkdir -p "$HOME"

# seed NAME ENTRIES USERS: a site in base/NAME with its delivery rows, groups and refunds.
seed() {
  local name=$1 site_entries=$2 site_users=$3 dir="$base/$1"
  mkdir -p "$dir"
  pp_test_config "$dir" "$dir/state"
  "$build/bench/pullprint-seed-accounts" "$dir/state" "$site_entries" 0 "$site_users" >/dev/null
  sqlite3 "$dir/state/ledger.sqlite" <<'SQL'
BEGIN;
INSERT INTO deliveries (job_ref, reservation_id, owner, title, printer, amount, currency,
                        released_by, state, attempts, created_at, updated_at, pages, color_pages,
                        sheets, duplex)
SELECT r.job_ref, r.id, a.name, 'doc', 'Printer_' || (r.id % 20), r.captured_amount, 'EUR',
       a.name, 'printed', 1, r.created_at, r.closed_at, 1 + r.id % 20,
       CASE WHEN r.id % 4 = 0 THEN 1 + r.id % 20 ELSE 0 END,
       CASE WHEN r.id % 3 = 0 THEN (2 + r.id % 20) / 2 ELSE 1 + r.id % 20 END,
       CASE WHEN r.id % 3 = 0 THEN 1 ELSE 0 END
  FROM reservations r JOIN accounts a ON a.id = r.account_id WHERE r.state = 'captured';
INSERT INTO groups (name, created_at)
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49)
  SELECT 'group-' || i, 0 FROM n;
INSERT INTO group_members (group_id, user, since)
  SELECT (SELECT id FROM groups WHERE name = 'group-' || (a.id % 50)), a.name, 0 FROM accounts a;
INSERT INTO group_members (group_id, user, since)
  SELECT (SELECT id FROM groups WHERE name = 'group-' || ((a.id * 7 + 3) % 50)), a.name, 0
    FROM accounts a WHERE a.id % 2 = 0 AND (a.id * 7 + 3) % 50 <> a.id % 50;
INSERT INTO journal (id, account_id, kind, amount, reservation_id, idempotency_key, actor,
                     created_at, hash)
SELECT (SELECT max(id) FROM journal) + row_number() OVER (ORDER BY r.id), r.account_id, 'refund',
       max(1, r.captured_amount / 2), r.id, 'refund-request:' || r.job_ref, 'bench',
       r.closed_at, zeroblob(32)
  FROM reservations r WHERE r.state = 'captured' AND r.id % 100 = 0 AND r.captured_amount > 0;
COMMIT;
SQL
}

# measure NAME: each `by`, $runs times; "NAME BY MEDIAN WORST NET ROWS" lines in base/NAME.txt.
measure() {
  local name=$1 dir="$base/$1" by i start end times net journal_net rows
  pp_test_config "$dir" "$dir/state" 2>/dev/null || true
  journal_net=$(sqlite3 "$dir/state/ledger.sqlite" "SELECT -coalesce(sum(amount), 0) FROM journal
    WHERE kind IN ('capture', 'refund')")
  : >"$base/$name.txt"
  for by in user group account printer; do
    times=()
    for ((i = 0; i < runs; i++)); do
      start=$(date +%s%N)
      pp report --by "$by" --from 2025-01-01 --to 2025-12-31 --csv >"$dir/report-$by.csv"
      end=$(date +%s%N)
      times+=($(((end - start) / 1000000)))
    done
    net=$(grep ",Total," "$dir/report-$by.csv" | cut -d, -f12 | tr -d '\r' | awk '{ printf "%d", $1 * 100 + 0.5 }')
    [[ $net == "$journal_net" ]] || pp_fail "$name by $by: net $net, the journal says $journal_net"
    rows=$(($(wc -l <"$dir/report-$by.csv") - 2))
    read -r median worst < <(printf '%s\n' "${times[@]}" | sort -n |
      awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)], t[NR] }')
    echo "$by $median $worst $net $rows" >>"$base/$name.txt"
  done
}

seed reference 1000 10
seed big "$entries" "$users"
captures=$(sqlite3 "$base/big/state/ledger.sqlite" "SELECT count(*) FROM journal WHERE kind = 'capture'")
refunds=$(sqlite3 "$base/big/state/ledger.sqlite" "SELECT count(*) FROM journal WHERE kind = 'refund'")
total=$(sqlite3 "$base/big/state/ledger.sqlite" "SELECT count(*) FROM journal")
measure reference
measure big

echo
echo "Reports over one year on a site with $total journal entries ($captures captures, $refunds"
echo "refunds, $users users, 50 groups, 20 printers) vs a near-empty one (1,000 entries), $runs"
echo "runs each of \`pullprint report --csv\` (a whole process), milliseconds:"
printf '%-8s %8s %8s %9s %9s %8s %7s\n' by "ref p50" "ref max" "big p50" "big max" "p50 x" rows
failed=0
while read -r by median worst _net rows; do
  read -r _ rmedian rworst _ _ < <(grep "^$by " "$base/reference.txt")
  printf '%-8s %8s %8s %9s %9s %8.1f %7s\n' "$by" "$rmedian" "$rworst" "$median" "$worst" \
    "$(echo "$median / ($rmedian + 0.001)" | bc -l)" "$rows"
  ((worst < 2000)) || { echo "  $by: $worst ms is over the 2 s target"; failed=1; }
done <"$base/big.txt"
exit $failed
