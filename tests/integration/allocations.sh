#!/bin/bash
# Integration: [allocation NAME] rules through the pullprint CLI over two simulated months
# (`pullprint allocation run --at`, never sleeping): reset and add with a cap, a shared account,
# a group member joining mid-month (pro rata), exactly once per period, a dry run that writes
# nothing, allocated and self-paid money shown
# apart (balance, account show, history, --json), allocated money expiring at the end of its
# period while self-paid money stays, a payout of self-paid money only, and `ledger check`.
source "$(dirname "$0")/support/common.sh"

pullprint="$PULLPRINT_BUILD_DIR/pappl-server/pullprint"
base=$(pp_make_base)
mkdir -p "$base/state"
cat >"$base/pullprint.conf" <<EOF
state-dir = $base/state
currency = EUR

[allocation students]
users = alice, bob
amount = 500
period = monthly
mode = reset

[allocation club]
users = carol
amount = 200
period = monthly
mode = add
cap = 300
expires = end-of-period

[allocation physics]
users = carol
amount = 10000
mode = add
account = physics-dept

[allocation staff]
group = staff
amount = 3100
mode = add
prorate = yes
EOF
pp() { "$pullprint" -c "$base/pullprint.conf" "$@"; }
json_of() { pp account show "$1" --json | pp_json "$2"; }

pp allocation list
pp_assert_eq "club physics staff students" \
  "$(pp allocation list --json | jq -r '[.allocations[].name] | join(" ")')" "allocation list"
pp_assert_eq 2026-01-01 \
  "$(pp allocation list --at 2026-01-20 --json | jq -r '.allocations[0].current_period')" \
  "current period of a monthly allocation"

# alice and carol pay EUR 10.00 and EUR 3.00 themselves before the term.
pp account create alice >/dev/null
pp topup alice 10.00 --key desk-1 >/dev/null
pp account create carol >/dev/null
pp topup carol 3.00 --key desk-2 >/dev/null

# A local group in the people store: dave joins staff on 2026-01-16. (Written into its tables
# directly: the join must lie in the simulated past, and `pullprint group member add` records
# the real time.)
sqlite3 "$base/state/ledger.sqlite" "
  INSERT INTO groups (name, created_at) VALUES ('staff', 0);
  INSERT INTO group_members (group_id, user, since)
    SELECT id, 'dave', CAST(strftime('%s', '2026-01-16') AS INTEGER) FROM groups WHERE name = 'staff';"

# A dry run says what would happen and writes nothing.
pp allocation run --at 2026-01-05T08:00:00Z --dry-run | tee "$base/dry"
grep -q "would: 2026-01-01 students alice allocation EUR 5.00" "$base/dry" ||
  pp_fail "dry run does not show alice's grant"
if pp account show bob >/dev/null 2>&1; then pp_fail "the dry run created an account"; fi

# January.
pp allocation run --at 2026-01-05T08:00:00Z | tee "$base/january"
pp_assert_eq 4 "$(wc -l <"$base/january")" "January's grants (carol, physics-dept, alice, bob)"
pp_assert_eq 500 "$(json_of alice .allocated)" "alice's allocated money in January"
pp_assert_eq 1000 "$(json_of alice .self_paid)" "alice's self-paid money in January"
pp_assert_eq 200 "$(json_of carol .allocated)" "carol's club money in January"
pp_assert_eq 500 "$(json_of bob .allocated)" "bob's account was created and funded"
pp_assert_eq shared "$(json_of physics-dept .type)" "physics-dept is a shared account"
pp_assert_eq 10000 "$(json_of physics-dept .allocated)" "physics-dept's allocation"
pp allocation run --at 2026-01-20T08:00:00Z | tee "$base/joined"
pp_assert_eq "2026-01-01 staff dave allocation EUR 16.00 (pro rata), allocated EUR 16.00" \
  "$(cat "$base/joined")" "dave joined on the 16th: 16 of January's 31 days"
pp allocation run --at 2026-01-25T08:00:00Z | tee "$base/again"
pp_assert_eq "nothing to allocate" "$(cat "$base/again")" "a third run in January"

# February: the club's January money expires first, then February's is added; the students'
# reset tops up to EUR 5.00 (nothing was spent: EUR 0.00); self-paid money is untouched.
pp allocation run --at 2026-02-02T08:00:00Z | tee "$base/february"
grep -q "^2026-01-01 club carol expiry EUR -2.00, allocated EUR 0.00$" "$base/february" ||
  pp_fail "the club's January money did not expire"
grep -q "^2026-02-01 club carol allocation EUR 2.00, allocated EUR 2.00$" "$base/february" ||
  pp_fail "the club's February money"
pp_assert_eq 500 "$(json_of alice .allocated)" "alice's allocated money in February"
pp_assert_eq 1000 "$(json_of alice .self_paid)" "alice's self-paid money in February"
pp_assert_eq 300 "$(json_of carol .self_paid)" "carol's self-paid money stayed through the expiry"
pp_assert_eq "allocation:200 adjustment:-200 allocation:200" \
  "$(pp history carol --json | jq -r '[.[] | select(.key | startswith("allocation"))
      | "\(.kind):\(.allocated)"] | reverse | join(" ")')" \
  "carol's allocated money over two months, oldest first (the expiry is an adjustment)"
pp_assert_eq 2 "$(pp history alice --json | jq '[.[] | select(.kind == "allocation")] | length')" \
  "alice's allocation entries over two months"
pp_assert_eq 20000 "$(json_of physics-dept .allocated)" "physics-dept after two months"
pp_assert_eq 4700 "$(json_of dave .allocated)" "dave: January pro rata, February whole"
pp balance alice | tee "$base/balance"
grep -q "(allocated EUR 5.00, self-paid EUR 10.00)" "$base/balance" ||
  pp_fail "balance does not show both parts"

echo "--- carol's history across two allocation periods"
pp history carol

# alice leaves: she gets her self-paid money back, not the allocated money.
pp account payout alice --note "left the university" | tee "$base/payout"
grep -q "pay out EUR 10.00" "$base/payout" || pp_fail "payout amount"
pp_assert_eq 0 "$(json_of alice .self_paid)" "alice's self-paid money after the payout"
pp_assert_eq 500 "$(json_of alice .allocated)" "alice's allocated money after the payout"
if pp account payout alice 2>"$base/err"; then pp_fail "a second payout succeeded"; fi
grep -q "no self-paid money" "$base/err" || pp_fail "second payout's reason"

pp ledger check || pp_fail "ledger check after allocations"
pp_pass "allocations over two simulated months"

# pullprintd's timer applies the allocations due now, on a thread of its own (a BackgroundTask),
# on a ledger of its own here.
source "$(dirname "$0")/support/pullprintd.sh"  # its pp() is the CLI on $PP_CONFIG
mkdir -p "$base/timer-state"
cat >"$base/timer.conf" <<EOF
state-dir = $base/timer-state
allocation-interval = 1

[allocation lab]
users = erin
amount = 250
mode = add
EOF
PP_CONFIG="$base/timer.conf"
pp_start_pullprintd "$base/timer-state" "$base/pullprintd.log"
erin_granted() { grep -q "Allocation allocation/lab/.*/erin: granted +250" "$base/pullprintd.log"; }
pp_wait_for 30 "pullprintd's allocation timer to log erin's grant" erin_granted
pp_assert_eq 250 "$(pp account show erin --json | jq -r .allocated)" "erin's allocated money"
pp ledger check || pp_fail "ledger check after pullprintd's allocation run"
pp_pass "pullprintd's timer applies the allocations due now"
