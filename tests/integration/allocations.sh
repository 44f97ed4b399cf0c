#!/bin/bash
# Integration: [allocation NAME] rules through the pullprint CLI over two simulated months
# (`pullprint allocation run --at`, never sleeping): reset and add with a cap, a shared account,
# exactly once per period, a dry run that writes nothing, allocated and self-paid money shown
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
users = alice
amount = 200
period = monthly
mode = add
cap = 300
expires = end-of-period

[allocation physics]
users = carol
amount = 10000
account = physics-dept
EOF
pp() { "$pullprint" -c "$base/pullprint.conf" "$@"; }
json_of() { pp account show "$1" --json | pp_json "$2"; }

pp allocation list
pp_assert_eq "club physics students" \
  "$(pp allocation list --json | jq -r '[.allocations[].name] | join(" ")')" "allocation list"
pp_assert_eq 2026-01-01 \
  "$(pp allocation list --at 2026-01-20 --json | jq -r '.allocations[0].current_period')" \
  "current period of a monthly allocation"

# A dry run says what would happen and writes nothing.
pp allocation run --at 2026-01-05T08:00:00Z --dry-run | tee "$base/dry"
grep -q "would: 2026-01-01 students alice allocation EUR 5.00" "$base/dry" ||
  pp_fail "dry run does not show alice's grant"
if pp account show alice >/dev/null 2>&1; then pp_fail "the dry run created an account"; fi

# alice pays EUR 10.00 herself before the term.
pp account create alice >/dev/null
pp topup alice 10.00 --key desk-1 >/dev/null

# January.
pp allocation run --at 2026-01-05T08:00:00Z | tee "$base/january"
pp_assert_eq 4 "$(wc -l <"$base/january")" "January's grants (alice twice, bob, physics-dept)"
pp_assert_eq 700 "$(json_of alice .allocated)" "alice's allocated money in January"
pp_assert_eq 1000 "$(json_of alice .self_paid)" "alice's self-paid money in January"
pp_assert_eq 500 "$(json_of bob .allocated)" "bob's account was created and funded"
pp_assert_eq shared "$(json_of physics-dept .type)" "physics-dept is a shared account"
pp_assert_eq 10000 "$(json_of physics-dept .allocated)" "physics-dept's allocation"
pp allocation run --at 2026-01-20T08:00:00Z | tee "$base/again"
pp_assert_eq "nothing to allocate" "$(cat "$base/again")" "a second run in January"

# February: the students' reset tops up to EUR 5.00, the club's January money expired first,
# then February's is added; self-paid money is untouched.
pp allocation run --at 2026-02-02T08:00:00Z | tee "$base/february"
grep -q "2026-01-01 club alice expiry EUR -2.00" "$base/february" ||
  pp_fail "the club's January money did not expire"
pp_assert_eq 700 "$(json_of alice .allocated)" "alice's allocated money in February"
pp_assert_eq 1000 "$(json_of alice .self_paid)" "alice's self-paid money in February"
pp_assert_eq 4 "$(pp history alice --json | jq '[.[] | select(.kind == "allocation")] | length')" \
  "alice's allocation entries over two months"
pp_assert_eq 20000 "$(json_of physics-dept .allocated)" "physics-dept after two months"
pp balance alice | tee "$base/balance"
grep -q "(allocated EUR 7.00, self-paid EUR 10.00)" "$base/balance" ||
  pp_fail "balance does not show both parts"

echo "--- alice's history across two allocation periods"
pp history alice

# alice leaves: she gets her self-paid money back, not the allocated money.
pp account payout alice --note "left the university" | tee "$base/payout"
grep -q "pay out EUR 10.00" "$base/payout" || pp_fail "payout amount"
pp_assert_eq 0 "$(json_of alice .self_paid)" "alice's self-paid money after the payout"
pp_assert_eq 700 "$(json_of alice .allocated)" "alice's allocated money after the payout"
if pp account payout alice 2>"$base/err"; then pp_fail "a second payout succeeded"; fi
grep -q "no self-paid money" "$base/err" || pp_fail "second payout's reason"

pp ledger check || pp_fail "ledger check after allocations"
pp_pass "allocations over two simulated months"
