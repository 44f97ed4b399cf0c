#!/bin/bash
# run-server-demo.sh BUILD_DIR [--check]: pullprintd on localhost with a throwaway SQLite ledger
# and one virtual pull-print queue, as README.md's first command runs it.
#
# Creates a demo account with credit, submits the sample document once so that a held, priced
# job is there to look at, prints the queue URL and what to try, then runs pullprintd in the
# foreground until Ctrl-C. With --check it stops after verifying that the held job exists (used
# by tests/integration/demo.sh so that README's first command cannot rot).
# Trusted identities and no TLS: a demo on 127.0.0.1 only, never a production setting.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
check=false
[[ "${2:-}" == --check ]] && check=true
here=$(cd "$(dirname "$0")/../.." && pwd)
pullprintd_bin="$build/pappl-server/pullprintd"
pullprint_bin="$build/pappl-server/pullprint"
for program in "$pullprintd_bin" "$pullprint_bin" "$build/filters/pullprint-cost" \
  "$build/backend/pullprint"; do
  [[ -x "$program" ]] || { echo "run-server-demo: $program is missing: build first" >&2; exit 1; }
done

state=$(mktemp -d /tmp/pullprint-server-demo.XXXXXX)
conf="$state/pullprint.conf"
# The shipped default configuration with the state directory moved to the throwaway one.
sed "s#^state-dir *=.*#state-dir = $state#" "$here/share/pullprint.conf" >"$conf"
grep -q "^state-dir = $state" "$conf" || echo "state-dir = $state" >>"$conf"
# The demo release printer: the wrapper backend's folder device writes released jobs into
# $state/released.
mkdir -p "$state/released"
{
  echo "backend = $build/backend/pullprint"
  cat "$conf"
  printf '\n[printer Demo_Folder]\nlocation = %s\ndevice-uri = file://%s\n' \
    "the folder $state/released" "$state/released"
} >"$conf.new"
mv "$conf.new" "$conf"
pullprint() { "$pullprint_bin" -c "$conf" "$@"; }

# Port 8631 when nothing listens there, else a free one.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=8631
until port_is_free "$port"; do port=$((20000 + RANDOM % 30000)); done
uri="ipp://127.0.0.1:$port/ipp/print"

pid=""
# Stops pullprintd (by its pid) and removes the throwaway state directory.
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$state"
}
trap cleanup EXIT
# A background job of a script ignores SIGINT: pass Ctrl-C on as SIGTERM.
trap 'echo; echo "Stopping pullprintd."; exit 0' INT TERM

pullprint account create demo >/dev/null
pullprint topup demo 5.00 --key demo-topup --note "welcome credit" >/dev/null
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$state/sample.pdf" \
  "$here/share/samples/sample.ps"

"$pullprintd_bin" -c "$conf" -o "listen=127.0.0.1:$port" -o auth=trusted -o tls=off \
  -o dnssd=off -o "analyzer=$build/filters/pullprint-cost" -o log-level=warn \
  2>"$state/pullprintd.log" &
pid=$!
deadline=$((SECONDS + 15))
until ipptool -T 2 "$uri" get-printer-attributes.test >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
    cat "$state/pullprintd.log" >&2
    echo "run-server-demo: pullprintd did not start" >&2
    exit 1
  fi
  sleep 0.1
done

# One job as user demo (ipptool takes $user from CUPS_USER); print-job.test waits for no state,
# so wait for the job to leave pending/processing (PAPPL prices it on its job thread).
CUPS_USER=demo ipptool -q -f "$state/sample.pdf" "$uri" print-job.test
held_count() { sqlite3 "$state/jobs.sqlite" "SELECT count(*) FROM held_jobs WHERE state = 'held'"; }
deadline=$((SECONDS + 30))
until [[ $(held_count 2>/dev/null || echo 0) -ge 1 ]]; do
  if ((SECONDS >= deadline)); then
    cat "$state/pullprintd.log" >&2
    echo "run-server-demo: the sample job was not held" >&2
    exit 1
  fi
  sleep 0.2
done
message=$(CUPS_USER=demo ipptool -t -d "owner=demo" "$uri" /dev/stdin <<'TEST' |
{
  OPERATION Get-Jobs
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR name requesting-user-name $owner
  ATTR keyword which-jobs completed
  ATTR keyword requested-attributes job-state-message
  DISPLAY job-state-message
}
TEST
  sed -n 's/^ *job-state-message ([^)]*) = //p' | tail -n 1)

cat <<EOF

pullprintd is running: one pull-print queue, every job held and priced.
  Queue (IPP Everywhere): $uri
  Ledger and held store:  $state  (SQLite; removed when the demo stops)
  The demo submitted share/samples/sample.ps as user 'demo':
    $message

Try, in another terminal:
  # give alice some credit (a user's first job otherwise opens an empty account and is refused)
  $pullprint_bin -o state-dir=$state account create alice
  $pullprint_bin -o state-dir=$state topup alice 2.00 --key try-1
  # print a PDF, JPEG or PWG raster file as alice (trusted mode takes the name as sent)
  CUPS_USER=alice ipptool -tv -f FILE.pdf $uri print-job.test
  # or add it to your CUPS as a driverless queue
  lpadmin -p PullPrint -E -v $uri -m everywhere && lp -d PullPrint -U alice FILE.pdf
  # each user sees only their own jobs, with the price in job-state-message
  CUPS_USER=demo ipptool -tv $uri get-jobs.test
  # the ledger: the job's price is RESERVED on the payer
  $pullprint_bin -o state-dir=$state account show demo
  $pullprint_bin -o state-dir=$state history demo
  sqlite3 $state/jobs.sqlite 'SELECT id, owner, pages, price_minor, state FROM held_jobs'

  # the release printers, their state and price
  $pullprint_bin -c $conf printers
  # release demo's job at the demo printer (a terminal would read a card; here the login user)
  CUPS_USER=demo $pullprint_bin -c $conf release --server $uri --printer Demo_Folder --all
  ls -l $state/released        # the released document; the reservation is now a capture:
  $pullprint_bin -c $conf history demo

Press Ctrl-C to stop pullprintd.
EOF

if $check; then
  [[ "$message" == "Waiting for release: "* ]] || { echo "run-server-demo: unexpected message '$message'" >&2; exit 1; }
  reserved=$(pullprint account show demo --json | jq -r .reserved)
  [[ "$reserved" -gt 0 ]] || { echo "run-server-demo: nothing reserved on demo" >&2; exit 1; }
  echo "check: held job present, $reserved reserved on demo"
  CUPS_USER=demo pullprint release --server "$uri" --printer Demo_Folder --all
  released=$(find "$state/released" -type f | wc -l)
  [[ $released == 1 ]] || { echo "run-server-demo: $released files released into the folder" >&2; exit 1; }
  captured=$(pullprint history demo --json | jq '[.[] | select(.kind == "capture")] | length')
  [[ $captured == 1 ]] || { echo "run-server-demo: $captured captures on demo" >&2; exit 1; }
  echo "check: released into $state/released and captured once"
  exit 0
fi
wait "$pid"
