#!/bin/bash
# directory-sync-bench.sh BUILD_DIR [USERS GROUPS]: how long a directory sync takes and how much
# memory it needs, on a generated directory (default 50,000 users in 200 `member` groups, one card
# each and a second for every 10th user) in a throwaway slapd on 127.0.0.1.
#
# Measured, each as its own process (wall time and peak resident memory from GNU time, i.e.
# getrusage's ru_maxrss of that process):
#   slapadd     loading the LDIF (once; not part of a sync, shown for what it costs a test)
#   reference   ldapsearch reading the same users and groups with paged results (500 per page)
#               into /dev/null: the raw LDAP read, the least any sync must do
#   first       `pullprint directory sync` into an empty ledger file
#   no-change   the same sync again (nothing to write)
# The table gives each time and memory and their ratio to the reference. Targets (issue 13):
# first < 60 s and < 200 MB, no-change < 15 s on the 2-core machine. Exits 1 when a target is
# missed or a sync fails. Not part of CI (loading 50,000 entries takes a while).
set -euo pipefail
build=$(realpath "${1:?usage: directory-sync-bench.sh BUILD_DIR [USERS GROUPS]}")
users=${2:-50000}
groups=${3:-200}
source_dir=$(realpath "$(dirname "$0")/..")
export PULLPRINT_BUILD_DIR=$build PULLPRINT_SOURCE_DIR=$source_dir
source "$source_dir/tests/integration/support/common.sh"
source "$source_dir/tests/integration/support/slapd.sh"
[[ -x /usr/bin/time ]] || pp_fail "GNU time is needed (.ci/install-deps installs it)"
pullprint="$build/pappl-server/pullprint"

base=$(pp_make_base)
port=$(pp_free_port)
uri="ldap://127.0.0.1:$port"
suffix=dc=bench,dc=test
pp_slapd_config "$base" "$suffix"
python3 "$source_dir/tests/integration/support/make-directory-ldif.py" "$suffix" u "$users" \
  "$groups" member --cards 10 >"$base/bench.ldif"

# measure NAME COMMAND...: runs COMMAND under GNU time; records "seconds kilobytes" for NAME.
declare -A seconds kilobytes
measure() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$base/time.$name" "$@" >"$base/out.$name" 2>"$base/err.$name" ||
    { cat "$base/err.$name" >&2; pp_fail "$name failed"; }
  read -r "seconds[$name]" "kilobytes[$name]" <"$base/time.$name"
}

measure slapadd slapadd -f "$base/slapd.conf" -q -b "$suffix" -l "$base/bench.ldif"
pp_slapd_start "$base" "$port"
printf 'secret\n' >"$base/reader.secret"
chmod 600 "$base/reader.secret"
cat >"$base/pullprint.conf" <<CONF
state-dir = $base/state
[directory bench]
uri = $uri
base = ou=people,$suffix
group-base = ou=groups,$suffix
bind-dn = cn=reader,$suffix
bind-password-file = $base/reader.secret
card-attribute = badgeNumber
card-format = hexadecimal
CONF
mkdir -p "$base/state"

reference() {
  local scope
  for scope in "ou=people,$suffix (objectClass=inetOrgPerson) entryUUID uid cn mail departmentNumber badgeNumber" \
    "ou=groups,$suffix (objectClass=groupOfNames) entryUUID cn member"; do
    # shellcheck disable=SC2086
    ldapsearch -LLL -x -H "$uri" -D "cn=reader,$suffix" -w secret -E pr=500/noprompt \
      -b $scope >/dev/null
  done
}
measure reference bash -c "$(declare -f reference); uri=$uri suffix=$suffix reference"
measure first "$pullprint" -c "$base/pullprint.conf" directory sync bench
measure no-change "$pullprint" -c "$base/pullprint.conf" directory sync bench
grep -q "changed bench: no change" "$base/out.no-change" || pp_fail "the second sync changed something"

people=$(sqlite3 "$base/state/ledger.sqlite" "SELECT count(*) FROM people")
members=$(sqlite3 "$base/state/ledger.sqlite" "SELECT count(*) FROM group_members")
cards=$(sqlite3 "$base/state/ledger.sqlite" "SELECT count(*) FROM cards")
echo "pullprint $(git -C "$source_dir" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "directory: $users users in $groups groups; synced: $people people, $members memberships, $cards cards"
echo
echo "| step | wall s | x reference | peak MB | x reference |"
echo "| --- | ---: | ---: | ---: | ---: |"
for name in slapadd reference first no-change; do
  awk -v n="$name" -v s="${seconds[$name]}" -v k="${kilobytes[$name]}" \
    -v rs="${seconds[reference]}" -v rk="${kilobytes[reference]}" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.1f | %.2f |\n", n, s, (rs > 0 ? s / rs : 0), k / 1024, k / rk }'
done
echo
missed=0
awk -v s="${seconds[first]}" 'BEGIN { exit !(s < 60) }' || { echo "MISSED: first sync >= 60 s"; missed=1; }
awk -v k="${kilobytes[first]}" 'BEGIN { exit !(k < 200 * 1024) }' || { echo "MISSED: first sync >= 200 MB"; missed=1; }
awk -v s="${seconds[no-change]}" 'BEGIN { exit !(s < 15) }' || { echo "MISSED: no-change sync >= 15 s"; missed=1; }
((missed == 0)) && echo "targets met: first < 60 s and < 200 MB, no-change < 15 s"
exit "$missed"
