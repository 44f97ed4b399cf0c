#!/bin/bash
# Integration: `pullprint directory sync|status` against a throwaway slapd holding three
# directories (three suffixes): students (1,200 users, more than slapd's size limit of 500, so
# only paging reads them all; `member` groups, nested, with a cycle; several cards per user),
# staff (`memberUid` groups; one login also in students) and labs (`uniqueMember`). Sync twice
# (the second changes nothing), a rename keeps the account and its balance, a removed user and a
# removed card are disabled and blocked, and a directory that fails (half-way, or unreachable)
# changes nothing and shows in `directory status`; StartTLS; pullprintd's sync timer.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/slapd.sh"

command -v slapd >/dev/null && command -v ldapsearch >/dev/null ||
  pp_skip "slapd and ldap-utils are not installed (.ci/install-deps installs them)"

pullprint="$PULLPRINT_BUILD_DIR/pappl-server/pullprint"
make_ldif="$PULLPRINT_SOURCE_DIR/tests/integration/support/make-directory-ldif.py"
base=$(pp_make_base)
port=$(pp_free_port)
uri="ldap://127.0.0.1:$port"

pp_slapd_config "$base" dc=students,dc=test dc=staff,dc=test dc=labs,dc=test
python3 "$make_ldif" dc=students,dc=test s 1200 4 member --nested --cards 100 >"$base/students.ldif"
python3 "$make_ldif" dc=staff,dc=test t 30 2 memberUid >"$base/staff.ldif"
# One staff member has the login of a student: a conflict for the directory synced second.
cat >>"$base/staff.ldif" <<'LDIF'
dn: uid=s0005,ou=people,dc=staff,dc=test
objectClass: inetOrgPerson
uid: s0005
cn: Staff s0005
sn: s0005

LDIF
python3 "$make_ldif" dc=labs,dc=test l 5 1 uniqueMember >"$base/labs.ldif"
for name in students staff labs; do pp_slapd_load "$base" "dc=$name,dc=test" "$base/$name.ldif"; done
pp_slapd_start "$base" "$port"

# Paging is what reads 1,200 entries: a plain search as the reader stops at the size limit.
if ldapsearch -x -H "$uri" -D cn=reader,dc=students,dc=test -w secret \
  -b ou=people,dc=students,dc=test uid >"$base/err" 2>&1; then
  pp_fail "a plain search read past the size limit: the test would not prove paging"
fi
grep -qi "size limit" "$base/err" || pp_fail "plain search failed for another reason: $(cat "$base/err")"

for name in students staff labs; do
  printf 'secret\n' >"$base/$name.secret"
  chmod 600 "$base/$name.secret"
done
cat >"$base/pullprint.conf" <<CONF
state-dir = $base/state
currency = EUR

[directory students]
uri = $uri
base = ou=people,dc=students,dc=test
group-base = ou=groups,dc=students,dc=test
bind-dn = cn=reader,dc=students,dc=test
bind-password-file = $base/students.secret
card-attribute = badgeNumber
card-format = hexadecimal to-decimal
department-attribute = departmentNumber
leaver-grace = 86400

[directory staff]
uri = $uri
base = ou=people,dc=staff,dc=test
group-base = ou=groups,dc=staff,dc=test
bind-dn = cn=reader,dc=staff,dc=test
bind-password-file = $base/staff.secret
member-attribute = memberUid

[directory labs]
uri = $uri
base = ou=people,dc=labs,dc=test
group-base = ou=groups,dc=labs,dc=test
bind-dn = cn=reader,dc=labs,dc=test
bind-password-file = $base/labs.secret
member-attribute = uniqueMember
timeout = 3
CONF
mkdir -p "$base/state"
pp() { "$pullprint" -c "$base/pullprint.conf" "$@"; }
db="$base/state/ledger.sqlite"
q() { sqlite3 "$db" "$1"; }
# Everything the sync may write, in a stable order: compared before and after a failed sync.
dump() {
  sqlite3 "$db" "SELECT * FROM people ORDER BY login; SELECT name, enabled, balance FROM accounts
    ORDER BY name; SELECT * FROM groups ORDER BY name; SELECT * FROM group_members ORDER BY 1, 2;
    SELECT number, user, state FROM cards ORDER BY number;" | sha256sum
}

# A password file others may read is refused, and nothing is read.
chmod 644 "$base/labs.secret"
if pp directory sync labs 2>"$base/err"; then pp_fail "a world-readable password file was used"; fi
grep -q "chmod 600" "$base/err" || pp_fail "no clear refusal: $(cat "$base/err")"
chmod 600 "$base/labs.secret"
pp_pass "a bind password file that others may read is refused"

# Dry run: prints the plan, changes nothing.
pp directory sync students --dry-run >"$base/dry.out"
grep -q "+ person s0001: new (User s0001, s0001@students.test, dept1)" "$base/dry.out" ||
  pp_fail "dry run does not show s0001: $(head -5 "$base/dry.out")"
grep -q "would change students: 1200 people created" "$base/dry.out" || pp_fail "dry run summary"
pp_assert_eq 0 "$(q 'SELECT count(*) FROM people')" "people after a dry run"
pp_pass "--dry-run prints the plan and changes nothing"

# First sync: students alone, then all three (directories go in name order: labs, staff,
# students); staff conflicts on s0005, which students holds (exit 1); the rest is applied.
pp directory sync students >"$base/students.out" || pp_fail "students sync: $(tail -3 "$base/students.out")"
status=0
pp directory sync >"$base/first.out" 2>"$base/first.err" || status=$?
pp_assert_eq 1 "$status" "exit status of a sync with a conflict"
grep -q "conflict: login s0005 .* already belongs to directory students" "$base/first.out" ||
  pp_fail "no clear conflict for s0005: $(grep conflict "$base/first.out")"
pp_assert_eq 1200 "$(q "SELECT count(*) FROM people WHERE source = 'students'")" "students synced (paged)"
pp_assert_eq 30 "$(q "SELECT count(*) FROM people WHERE source = 'staff'")" "staff synced, s0005 left out"
pp_assert_eq 5 "$(q "SELECT count(*) FROM people WHERE source = 'labs'")" "labs synced"
pp_assert_eq 1235 "$(q "SELECT count(*) FROM accounts WHERE type = 'personal' AND balance = 0")" "accounts"
pp_assert_eq "s0002@students.test|dept2" "$(q "SELECT email, department FROM people WHERE login = 's0002'")" \
  "e-mail and department"
# Groups: sgroup1 holds its own 300 and, nested, the 900 of sgroup2-4; sgroup2 and sgroup3
# contain each other (a cycle): 600 each.
pp_assert_eq 1200 "$(q "SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = 'sgroup1'")" \
  "nested members of sgroup1"
pp_assert_eq 600 "$(q "SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = 'sgroup2'")" \
  "sgroup2 and sgroup3 in a cycle"
pp_assert_eq 15 "$(q "SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = 'tgroup1'")" \
  "memberUid group"
pp_assert_eq 5 "$(q "SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = 'lgroup1'")" \
  "uniqueMember group"
# Cards: one each, a second for every 100th student; hexadecimal 04000001 as decimal.
pp_assert_eq 1212 "$(q "SELECT count(*) FROM cards WHERE state = 'active'")" "cards"
pp_assert_eq "s0100 s0100" "$(q "SELECT group_concat(user, ' ') FROM cards WHERE user = 's0100'")" \
  "two cards for s0100"
pp_assert_eq s0001 "$(q "SELECT user FROM cards WHERE number = '$((0x04000001))'")" "card normalised"
pp ledger check >/dev/null || pp_fail "ledger check after the first sync"
pp_pass "first sync: 1,235 people, groups of three member styles, 1,212 cards; one conflict"
sed -n '1,3p;/^changed/p' "$base/students.out"
sed -n '/^directory/p;/^changed/p;/^conflict/p' "$base/first.out"

# Second sync: no change anywhere.
pp directory sync --json >"$base/second.json" || true
pp_assert_eq "0 0 0" "$(jq -r '[.[].changes] | join(" ")' "$base/second.json")" "changes of a second sync"
pp_pass "a second sync changes nothing"

# A rename keeps the person, the account, its balance and history.
pp topup s0010 7.50 --key desk-1 >/dev/null
account_id=$(q "SELECT id FROM accounts WHERE name = 's0010'")
ldapmodrdn -x -H "$uri" -D cn=admin,dc=students,dc=test -w secret -r \
  uid=s0010,ou=people,dc=students,dc=test uid=s0010x
ldapmodify -x -H "$uri" -D cn=admin,dc=students,dc=test -w secret >/dev/null <<'LDIF'
dn: cn=sgroup2,ou=groups,dc=students,dc=test
changetype: modify
delete: member
member: uid=s0010,ou=people,dc=students,dc=test
-
add: member
member: uid=s0010x,ou=people,dc=students,dc=test
LDIF
pp directory sync students >"$base/rename.out"
grep -q "~ login s0010 -> s0010x" "$base/rename.out" || pp_fail "no rename line: $(cat "$base/rename.out")"
pp_assert_eq "$account_id|750" "$(q "SELECT id, balance FROM accounts WHERE name = 's0010x'")" \
  "renamed account keeps id and balance"
pp_assert_eq 0 "$(q "SELECT count(*) FROM accounts WHERE name = 's0010'")" "old account name gone"
pp_assert_eq 750 "$(pp balance s0010x --json | pp_json .balance)" "balance under the new login"
pp_assert_eq 1 "$(pp history s0010x --json | jq length)" "history under the new login"
pp_assert_eq 1 "$(q "SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = 'sgroup2' AND m.user = 's0010x'")" \
  "memberships follow"
pp_assert_eq 1 "$(q "SELECT count(*) FROM cards WHERE user = 's0010x'")" "cards follow the rename"
pp_pass "a renamed user keeps their account, balance and history"

# A user removed and a card removed: disabled (balance kept) and blocked.
pp topup s0020 2.00 --key desk-2 >/dev/null
ldapdelete -x -H "$uri" -D cn=admin,dc=students,dc=test -w secret uid=s0020,ou=people,dc=students,dc=test
ldapmodify -x -H "$uri" -D cn=admin,dc=students,dc=test -w secret >/dev/null <<LDIF
dn: uid=s0100,ou=people,dc=students,dc=test
changetype: modify
delete: badgeNumber
badgeNumber: 05000064
LDIF
pp directory sync students >"$base/leave.out"
pp_assert_eq "disabled" "$(q "SELECT state FROM people WHERE login = 's0020'")" "leaver disabled"
pp_assert_eq "0|200" "$(q "SELECT enabled, balance FROM accounts WHERE name = 's0020'")" \
  "leaver's account disabled, balance kept"
pp_assert_eq blocked "$(q "SELECT state FROM cards WHERE user = 's0020'")" "leaver's card blocked"
pp_assert_eq blocked "$(q "SELECT state FROM cards WHERE number = '$((0x05000064))'")" "removed card blocked"
pp_assert_eq active "$(q "SELECT state FROM cards WHERE number = '$((0x04000064))'")" "other card kept"
pp directory sync students --at 2099-01-01T00:00:00Z >/dev/null
pp_assert_eq "archived" "$(q "SELECT state FROM people WHERE login = 's0020'")" "archived after the grace"
pp ledger check >/dev/null || pp_fail "ledger check after leavers"
pp_pass "a removed user is disabled then archived, a removed card blocked, nothing deleted"

# StartTLS: with the server's certificate trusted the sync works; without, it is refused and
# nothing is read.
[[ -f "$base/tls-cert.pem" ]] || pp_fail "no TLS certificate for slapd (openssl is needed)"
LDAPTLS_CACERT="$base/tls-cert.pem" pp -o directory.labs.start-tls=yes directory sync labs >"$base/tls.out" ||
  pp_fail "sync with StartTLS failed: $(cat "$base/tls.out")"
grep -q "changed labs: no change" "$base/tls.out" || pp_fail "StartTLS sync: $(cat "$base/tls.out")"
if LDAPTLS_CACERT=/dev/null pp -o directory.labs.start-tls=yes directory sync labs 2>"$base/tls.err"; then
  pp_fail "StartTLS with an untrusted certificate succeeded"
fi
grep -q "StartTLS failed" "$base/tls.err" || pp_fail "unclear StartTLS error: $(cat "$base/tls.err")"
pp_pass "start-tls = yes: StartTLS before the bind, refused when the certificate is not trusted"

# Half-way: the users are read, the groups' search fails: nothing changes.
ldapdelete -x -H "$uri" -D cn=admin,dc=students,dc=test -w secret uid=s0030,ou=people,dc=students,dc=test
before=$(dump)
if pp -o directory.students.group-base=ou=nowhere,dc=students,dc=test directory sync students \
  2>"$base/half.err"; then
  pp_fail "a sync whose group search failed succeeded"
fi
grep -q "sync failed, nothing changed: .*No such object" "$base/half.err" ||
  pp_fail "unclear half-way error: $(cat "$base/half.err")"
pp_assert_eq "$before" "$(dump)" "ledger file after a sync that failed half-way"
pp_pass "a directory that fails half-way changes nothing"

# Unresponsive (stopped) and then gone: nothing changes, clear error, status shows it.
kill -STOP "$(cat "$base/slapd.pidnum")"
if timeout 60 "$pullprint" -c "$base/pullprint.conf" directory sync labs 2>"$base/stopped.err"; then pp_fail "sync against a stopped slapd succeeded"; fi
kill -CONT "$(cat "$base/slapd.pidnum")"
grep -qi "timed out\|can't contact" "$base/stopped.err" || pp_fail "unclear error: $(cat "$base/stopped.err")"
pp_slapd_stop "$base"
if pp directory sync students 2>"$base/down.err"; then pp_fail "sync against no slapd succeeded"; fi
grep -q "Can't contact LDAP server" "$base/down.err" || pp_fail "unclear error: $(cat "$base/down.err")"
pp_assert_eq "$before" "$(dump)" "ledger file after failed syncs"
pp directory status >"$base/status.out"
cat "$base/status.out"
pp_assert_eq failed "$(pp directory status --json | jq -r '.[] | select(.directory == "students") | .outcome')" \
  "status outcome"
pp directory status --json | jq -r '.[] | select(.directory == "students") | .last_error' |
  grep -q "Can't contact LDAP server" || pp_fail "status does not show the last error"
pp_assert_eq conflicts "$(pp directory status --json | jq -r '.[] | select(.directory == "staff") | .outcome')" \
  "staff's conflict in status"
pp_assert_eq 1199 "$(pp directory status --json | jq -r '.[] | select(.directory == "students") | .users')" \
  "counts of the last applied sync"
pp_pass "an unreachable directory changes nothing; directory status shows the failure"

# pullprintd's timer syncs the directories with a sync-interval (labs here), on its own thread,
# and leaves the others (students: only by command) alone.
source "$(dirname "$0")/support/pullprintd.sh"  # its pp() is the CLI on $PP_CONFIG
PP_CONFIG="$base/pullprint.conf"
pp_slapd_start "$base" "$port"
pp_start_pullprintd "$base/state" "$base/pullprintd.log" \
  -o directory.labs.sync-interval=1
labs_outcome() { pp directory status --json | jq -r '.[] | select(.directory == "labs") | .outcome'; }
labs_synced() { grep -q "Directory labs: 5 users read; no change" "$base/pullprintd.log"; }
pp_wait_for 30 "pullprintd's directory timer to log the sync of labs" labs_synced
pp_assert_eq ok "$(labs_outcome)" "labs' outcome after pullprintd's sync"
pp_assert_eq failed "$(pp directory status --json | jq -r '.[] | select(.directory == "students") | .outcome')" \
  "a directory without sync-interval is left to the command"
pp_pass "pullprintd syncs a directory whose sync-interval has passed"
