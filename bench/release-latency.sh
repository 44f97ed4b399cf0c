#!/bin/bash
# release-latency.sh BUILD_DIR [JOBS USERS]: how long a user at a release terminal waits, from
# the moment they authenticate to the first byte of each of their jobs at the printer.
#
# Setup (all real, on 127.0.0.1): pullprintd with auth = pam (pam_wrapper + pam_matrix, so every
# release checks a password through PAM), JOBS held jobs (default 50) from USERS users (default
# 20), one release printer whose device URI is socket://127.0.0.1:PORT; the "printer" is a TCP
# sink that writes down when the first byte of each connection arrives. Each user in turn runs
# the terminal client `pullprint release --user U --all`, which logs in, lists, releases and
# follows; the latency of a job is first byte at the printer minus the moment the terminal
# started for that user (a user's later jobs include the sending of the earlier ones, as at a
# real printer).
#
# Reference, in the same invocation: CUPS's socket backend run directly on the same document
# (no pullprint at all), start to first byte. The table gives median and p99 of both and their
# ratio. Prints the table; exits 1 when a job was not printed.
set -euo pipefail
build=$(realpath "${1:?usage: release-latency.sh BUILD_DIR [JOBS USERS]}")
jobs=${2:-50}
users=${3:-20}
source_dir=$(realpath "$(dirname "$0")/..")
export PULLPRINT_BUILD_DIR=$build PULLPRINT_SOURCE_DIR=$source_dir
source "$source_dir/tests/integration/support/common.sh"
source "$source_dir/tests/integration/support/pullprintd.sh"
command -v python3 >/dev/null || { apt-get install -y --no-install-recommends python3-minimal >/dev/null; }

base=$(pp_make_base)
state="$base/state"
pp_test_config "$base" "$state"
export HOME="$base/home"
mkdir -p "$HOME" "$base/pam.d"

# The printer: a TCP sink; one line "CONNECTION FIRST_BYTE_TIME BYTES" per job (connections
# without data, pullprintd's state probes of a socket:// printer, are not jobs).
sink_port=$(pp_free_port)
cat >"$base/sink.py" <<'PY'
import socket, sys, threading, time
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(64)
lock = threading.Lock()
count = 0
def serve(conn, number):
    first, total = None, 0
    while True:
        data = conn.recv(65536)
        if not data:
            break
        if first is None:
            first = time.time()
        total += len(data)
    conn.close()
    if first is None:  # a connection without data: a state probe, not a job
        return
    with lock, open(sys.argv[2], "a") as log:
        log.write(f"{number} {first:.6f} {total}\n")
while True:
    conn, _ = server.accept()
    count += 1
    threading.Thread(target=serve, args=(conn, count), daemon=True).start()
PY
: >"$base/arrivals"
python3 "$base/sink.py" "$sink_port" "$base/arrivals" &
sink_pid=$!
pp_on_exit "kill $sink_pid"
pp_wait_for 10 "the sink" bash -c "exec 3<>/dev/tcp/127.0.0.1/$sink_port"
arrivals() { wc -l <"$base/arrivals"; }

pp_config_top "backend = $build/backend/pullprint"
printf '[printer Bench]\ndevice-uri = socket://127.0.0.1:%s\n' "$sink_port" >>"$PP_CONFIG"

users_passwords=()
for ((u = 1; u <= users; u++)); do users_passwords+=("$(printf 'user%02d:pw%02d' "$u" "$u")"); done
pp_use_pam "$base" "${users_passwords[@]}"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$base/sample.pdf" \
  "$source_dir/share/samples/sample.ps"
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam -o log-level=warn

# JOBS jobs, round robin over the users; everybody can pay.
for ((u = 1; u <= users; u++)); do
  user=$(printf 'user%02d' "$u")
  pp account create "$user" >/dev/null
  pp topup "$user" 100.00 --key "topup-$user" >/dev/null
done
for ((j = 0; j < jobs; j++)); do
  u=$((j % users + 1))
  user=$(printf 'user%02d' "$u")
  PP_URI="ipp://$user:$(printf 'pw%02d' "$u")@127.0.0.1:$PP_PORT/ipp/print" \
    pp_submit "$user" "$base/sample.pdf" >/dev/null
done
held=$(sqlite3 "$state/jobs.sqlite" "SELECT count(*) FROM held_jobs WHERE state = 'held'")
[[ $held == "$jobs" ]] || pp_fail "$held of $jobs jobs held"

# Release, one user after another; latency per job = first byte - terminal start.
: >"$base/latencies"
for ((u = 1; u <= users; u++)); do
  user=$(printf 'user%02d' "$u")
  before=$(arrivals)
  expected=$(sqlite3 "$state/jobs.sqlite" "SELECT count(*) FROM held_jobs WHERE owner = '$user' AND state = 'held'")
  start=$(date +%s.%N)
  printf 'pw%02d\n' "$u" | "$build/pappl-server/pullprint" -c "$PP_CONFIG" release \
    --server "$PP_URI" --printer Bench --user "$user" --all --wait 60 >/dev/null
  pp_wait_for 30 "$user's jobs at the printer" test "$(arrivals)" -ge $((before + expected))
  tail -n "$expected" "$base/arrivals" | awk -v start="$start" '{ printf "%.6f\n", $2 - start }' \
    >>"$base/latencies"
done
printed=$(sqlite3 "$state/jobs.sqlite" "SELECT count(*) FROM held_jobs WHERE state = 'printed'")
[[ $printed == "$jobs" ]] || pp_fail "$printed of $jobs jobs printed"

# Reference: CUPS's socket backend alone, start to first byte, as many times.
: >"$base/reference"
for ((j = 0; j < jobs; j++)); do
  before=$(arrivals)
  start=$(date +%s.%N)
  DEVICE_URI="socket://127.0.0.1:$sink_port" /usr/lib/cups/backend/socket 1 bench bench 1 "" \
    <"$base/sample.pdf" >/dev/null 2>&1 4<>/dev/null 3>/dev/null
  pp_wait_for 10 "the reference job" test "$(arrivals)" -ge $((before + 1))
  tail -n 1 "$base/arrivals" | awk -v start="$start" '{ printf "%.6f\n", $2 - start }' >>"$base/reference"
done

# median and p99 (nearest rank) in milliseconds of a file of seconds.
stat_ms() {
  sort -g "$1" | awk -v q="$2" '{ v[NR] = $1 } END { i = int(q * NR + 0.999999); if (i < 1) i = 1;
    printf "%.1f", v[i] * 1000 }'
}
p50=$(stat_ms "$base/latencies" 0.5)
p99=$(stat_ms "$base/latencies" 0.99)
r50=$(stat_ms "$base/reference" 0.5)
r99=$(stat_ms "$base/reference" 0.99)
echo
echo "Release latency: authentication at the terminal to first byte at the printer"
echo "($jobs held jobs from $users users, auth = pam, one socket:// printer, $(nproc) cores)"
echo
printf '| %-44s | %10s | %10s |\n' "run" "median ms" "p99 ms"
printf '|%s|%s|%s|\n' "----------------------------------------------" "------------" "------------"
printf '| %-44s | %10s | %10s |\n' "pullprint release (terminal, PAM, backend)" "$p50" "$p99"
printf '| %-44s | %10s | %10s |\n' "reference: CUPS socket backend alone" "$r50" "$r99"
printf '| %-44s | %10s | %10s |\n' "ratio" "$(awk -v a="$p50" -v b="$r50" 'BEGIN { printf "%.1fx", a / b }')" \
  "$(awk -v a="$p99" -v b="$r99" 'BEGIN { printf "%.1fx", a / b }')"
