#!/bin/bash
# Integration: the console's stores area (issue 15) on a real pullprintd under PAM (pam_wrapper),
# played by curl (HTTP Basic) and headless chromium (support/console_stores_journey.py):
#  1. who: alice (a user) gets 403 on every page of the area; carol (an operator with the
#     default operator-may) on cards, allocations, directories, ledger and audit;
#  2. cards: dana (admin) issues a card to alice (the card store has it, the page shows it masked),
#     blocks it (the store says blocked, a card sign-in through pam_pullprint.so is refused; carol
#     may not unblock it); issues 3 prepaid cards worth EUR 2.50 (the
#     page shows the 3 numbers once; the store has 3 unissued cards of 250);
#  3. allocations: Run now grants alice's and bob's allocation once (the journal has one
#     allocation entry each, actor dana); a second run grants nothing new;
#  4. directories: Sync now against a throwaway slapd (5 users): the page shows the counts;
#  5. ledger: Check says "balanced: N entries, sum S" with N and S from `pullprint ledger check`
#     and the accounts; the journal filtered by account and kind shows exactly the entries
#     expected;
#  6. audit: every change above is listed with dana's name; the dashboard's stores panel shows
#     the sync and the allocation;
#  7. chromium: dana signs in with the form, opens each page, issues a card, runs the
#     allocation, filters the journal; screenshots console-stores-*.png.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"
source "$(dirname "$0")/support/slapd.sh"

command -v slapd >/dev/null && command -v ldapsearch >/dev/null ||
  pp_skip "slapd and ldap-utils are not installed (.ci/install-deps installs them)"
pp_web_test_site
shots="${PP_SCREENSHOT_DIR:-$PULLPRINT_BUILD_DIR/screenshots}"
mkdir -p "$shots"

# A throwaway directory: 5 staff users in one memberUid group.
ldap_port=$(pp_free_port)
pp_slapd_config "$base" dc=staff,dc=test
python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/make-directory-ldif.py" \
  dc=staff,dc=test t 5 1 memberUid >"$base/staff.ldif"
pp_slapd_load "$base" dc=staff,dc=test "$base/staff.ldif"
pp_slapd_start "$base" "$ldap_port"
printf 'secret\n' >"$base/staff.secret"
chmod 600 "$base/staff.secret"

pp_config_top "admins = dana" "operators = carol" "allocation-interval = 0"
cat >>"$PP_CONFIG" <<CONF
[allocation students]
users = alice, bob
amount = 300
period = monthly
mode = add
[directory staff]
uri = ldap://127.0.0.1:$ldap_port
base = ou=people,dc=staff,dc=test
group-base = ou=groups,dc=staff,dc=test
bind-dn = cn=reader,dc=staff,dc=test
bind-password-file = $base/staff.secret
member-attribute = memberUid
CONF
pp_use_pam "$base" dana:dana-pw carol:carol-pw alice:secret bob:hunter2
pp_funded_accounts 5.00 alice bob
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam

site="http://127.0.0.1:$PP_PORT"
# page USER:PASSWORD PATH [curl args]: a console page as that user (HTTP Basic, the user's own
# cookie jar); the body on stdout, the HTTP status in $base/status.
page() {
  local credentials=$1 path=$2
  shift 2
  curl -sS -u "$credentials" -b "$base/jar-${credentials%%:*}" -c "$base/jar-${credentials%%:*}" \
    -o "$base/body" -w '%{http_code}' "$@" "$site$path" >"$base/status"
  cat "$base/body"
}
# key USER:PASSWORD PATH: the CSRF field of the first form on that page.
key() {
  { page "$1" "$2" | grep -o 'name="session" value="[^"]*"' || true; } | head -n 1 |
    sed 's/.*value="//; s/"$//'
}
# post USER:PASSWORD PATH FIELD=VALUE...: posts a form of that page with its CSRF field.
post() {
  local credentials=$1 path=$2 csrf args=()
  shift 2
  csrf=$(key "$credentials" "$path")
  [[ -n $csrf ]] || pp_fail "no form on $path for ${credentials%%:*}"
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  page "$credentials" "$path" --data-urlencode "session=$csrf" "${args[@]}"
}
has() { grep -qF -- "$1" <<<"$out" || { echo "$out" >&2; pp_fail "$2"; }; }
# card_sign_in NUMBER PIN: the HTTP status of a web sign-in with that card, through the card
# PAM service (pam_pullprint.so on the card store): 303 signed in, 403 refused.
card_sign_in() {
  local jar="$base/jar-card-$1-$RANDOM" token
  curl -sS -b "$jar" -c "$jar" -o "$base/sign-in" "$site/pullprint/sign-in"
  token=$({ grep -o 'name="session" value="[^"]*"' "$base/sign-in" || true; } | head -n 1 |
    sed 's/.*value="//; s/"$//')
  curl -sS -b "$jar" -c "$jar" -o "$base/sign-in" -w '%{http_code}' --data-urlencode "session=$token" \
    --data-urlencode "card=$1" --data-urlencode "pin=$2" "$site/pullprint/sign-in"
}
DANA=dana:dana-pw

# --- 1. who is refused.
for path in cards allocations directories ledger audit; do
  page alice:secret "/pullprint/admin/$path" >/dev/null
  pp_assert_eq 403 "$(status)" "alice's status on /pullprint/admin/$path"
  page carol:carol-pw "/pullprint/admin/$path" >/dev/null
  [[ $(status) == 403 ]] || cat "$base/body" >&2
  pp_assert_eq 403 "$(status)" "carol's status on /pullprint/admin/$path"
  page "$DANA" "/pullprint/admin/$path" >/dev/null
  pp_assert_eq 200 "$(status)" "dana's status on /pullprint/admin/$path"
done
pp_assert_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' "$site/pullprint/admin/ledger")" \
  "the ledger page without credentials"
pp_pass "alice is refused every stores page, carol (operator) too, dana opens them"

# --- 2. cards.
out=$(post "$DANA" /pullprint/admin/cards op=issue number=1234567890 user=alice)
pp_assert_eq 200 "$(status)" "issuing a card"
has "Card ******7890 issued to alice." "no outcome of the issue"
pp_assert_eq active "$(pp card list alice --json | jq -r '.[] | select(.number == "1234567890") | .state')" \
  "the issued card in the card store"
# The owner sets the PIN (the console never does): `pullprint card pin` here.
printf '1357\n' | pp card pin 1234567890 >/dev/null
pp_assert_eq 303 "$(card_sign_in 1234567890 1357)" "a sign-in with alice's new card"
out=$(page "$DANA" "/pullprint/admin/cards?q=alice")
has "<code>******7890</code>" "the card is not listed masked"
grep -q '<code>1234567890</code>' <<<"$out" && pp_fail "the card number is shown unmasked"
out=$(post "$DANA" /pullprint/admin/cards op=block number=1234567890)
has "of alice blocked." "no outcome of the block"
pp_assert_eq blocked "$(pp card list alice --json | jq -r '.[0].state')" "the blocked card's state"
pp_assert_eq 403 "$(card_sign_in 1234567890 1357)" "a sign-in with alice's blocked card"
out=$(post "$DANA" /pullprint/admin/cards op=issue number=1234567890 user=bob)
pp_assert_eq 409 "$(status)" "issuing a number that is taken"
# (carol has no form on the page: the refusal comes before the CSRF check.)
out=$(page carol:carol-pw /pullprint/admin/cards -d session=none -d op=unblock -d number=1234567890)
pp_assert_eq 403 "$(status)" "carol unblocking a card"
pp_assert_eq blocked "$(pp card list alice --json | jq -r '.[0].state')" "the card after carol's try"
out=$(post "$DANA" /pullprint/admin/cards op=prepaid count=3 value=2.50)
pp_assert_eq 200 "$(status)" "issuing prepaid cards"
issued=$(sed -n '/id="issued-prepaid"/,/<\/section>/p' <<<"$out" | grep -o '<code>[0-9A-Z]*</code>' |
  sed 's/<[^>]*>//g')
pp_assert_eq 3 "$(wc -l <<<"$issued")" "prepaid numbers shown"
pp_assert_eq 3 "$(pp card list --json | jq '[.[] | select(.value == 250 and .state == "unissued")] | length')" \
  "unissued prepaid cards of EUR 2.50 in the store"
for number in $issued; do
  pp card list --json | jq -e --arg n "$number" 'any(.[]; .number == $n)' >/dev/null ||
    pp_fail "prepaid number $number shown but not in the store"
done
out=$(page "$DANA" /pullprint/admin/cards)
grep -qF "<code>$(head -n 1 <<<"$issued")</code>" <<<"$out" &&
  pp_fail "a prepaid number is shown again in full after its batch"
pp_pass "cards: issued to alice, blocked (the store says so), 3 prepaid cards shown once"

# --- 3. allocations, run twice.
out=$(post "$DANA" /pullprint/admin/allocations run=1)
pp_assert_eq 200 "$(status)" "Run now"
has "Allocation run finished: 2 grant(s), $(money 600)" "the run's outcome"
grants() { pp history "$1" --json --limit 1000 | jq '[.[] | select(.kind == "allocation" and .actor == "dana")] | length'; }
pp_assert_eq 1 "$(grants alice)" "alice's allocation entries by dana"
pp_assert_eq 1 "$(grants bob)" "bob's allocation entries by dana"
out=$(post "$DANA" /pullprint/admin/allocations run=1)
has "Nothing to allocate" "the second run's outcome"
pp_assert_eq 1 "$(grants alice)" "alice's allocation entries after a second run"
out=$(page "$DANA" /pullprint/admin/allocations)
has "<td class=\"accounts\">2</td><td class=\"granted\">$(money 600)</td>" \
  "the rule's last period (2 accounts, EUR 6.00)"
pp_pass "allocations: Run now granted once, a second run nothing"

# --- 4. directories.
out=$(post "$DANA" /pullprint/admin/directories directory=staff)
pp_assert_eq 200 "$(status)" "Sync now"
has "Sync finished: 1 directory(ies) synced." "the sync's outcome"
has '<td id="directory-staff-users">5</td>' "the synced user count"
has '<td id="directory-staff-groups">1</td>' "the synced group count"
has '<td id="directory-staff-outcome">ok</td>' "the sync's recorded outcome"
pp_pass "directories: Sync now read 5 users and 1 group"

# --- 5. ledger: the check and the journal.
out=$(post "$DANA" /pullprint/admin/ledger check=1)
entries=$(pp ledger check --json | jq .entries)
sum=$(sqlite3 "$state/ledger.sqlite" "SELECT sum(balance) FROM accounts")
has "balanced: $entries entries, sum $(money "$sum")" "the check's verdict ($entries entries, sum $sum)"
rows() { grep -c '<tr id="entry-' <<<"$out" || true; }
out=$(page "$DANA" "/pullprint/admin/ledger?account=alice&kind=allocation")
pp_assert_eq 1 "$(rows)" "alice's allocation entries on the journal page"
has "<td class=\"amount\">$(money 300)</td>" "alice's allocation amount"
has '<td class="actor">dana</td>' "the allocation's actor"
out=$(page "$DANA" "/pullprint/admin/ledger?account=alice&kind=top-up")
pp_assert_eq 1 "$(rows)" "alice's top-ups on the journal page"
has "<td class=\"amount\">$(money 500)</td>" "alice's top-up amount"
out=$(page "$DANA" "/pullprint/admin/ledger?kind=allocation")
pp_assert_eq 2 "$(rows)" "every allocation entry"
out=$(page "$DANA" "/pullprint/admin/ledger?from=2020-02-30")
pp_assert_eq 400 "$(status)" "a bad date"
pp_pass "ledger: balanced ($entries entries, sum $(money "$sum")), the journal's filters"

# --- 6. audit and dashboard.
out=$(page "$DANA" "/pullprint/admin/audit?actor=dana")
audited=$(grep -c '<td class="actor">dana</td>' <<<"$out" || true)
pp_assert_eq 6 "$audited" "dana's changes in the audit log (issue, block, prepaid, 2 runs, sync)"
for detail in "card ******7890 issued" "card ******7890 blocked" "3 issued worth $(money 250) each" \
  "run now: 2 grant(s)" "run now: Nothing to allocate" "sync now: 1 directory(ies) synced"; do
  has "$detail" "no audit record of: $detail"
done
out=$(page "$DANA" "/pullprint/admin/audit?action=directories")
pp_assert_eq 1 "$(grep -c '<td class="actor">' <<<"$out")" "the audit filtered by action"
out=$(page "$DANA" /pullprint/admin)
has 'id="stores-panel"' "no stores panel on the dashboard"
has "staff: " "the dashboard's last sync"
has "period " "the dashboard's last allocation"
out=$(page carol:carol-pw /pullprint/admin)
grep -qF 'id="stores-panel"' <<<"$out" && pp_fail "carol sees the stores panel"
pp_pass "audit: every change with dana's name; the dashboard panel"

# --- 7. chromium.
timeout 300 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/console_stores_journey.py" \
  "$site" dana dana-pw "$shots" >"$base/journey.json" 2>"$base/journey.err" ||
  { cat "$base/journey.err" >&2; pp_fail "the browser journey failed"; }
pp_assert_eq active "$(pp card list bob --json | jq -r '.[] | select(.number == "5555000011112222") | .state')" \
  "the card dana issued to bob in the browser"
pp_assert_eq 1 "$(grants bob)" "bob's allocation entries after the browser's run"
for name in cards allocations directories ledger audit; do
  [[ -s "$shots/console-stores-$name.png" ]] || pp_fail "no screenshot console-stores-$name.png"
done
pp ledger check >/dev/null || pp_fail "the ledger check fails after the test"
pp_pass "chromium: dana issued a card, ran the allocation, filtered the journal (screenshots in $shots)"
