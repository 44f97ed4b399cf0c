#!/bin/bash
# Integration: the console's accounts and the print desk (issue 15), end to end. pullprintd runs
# under PAM (pam_wrapper), the release printer Lab_A is a real IPP Everywhere printer
# (ippeveprinter); curl plays the browser (HTTP Basic, the forms' session key) and headless
# chromium (Selenium, support/console_accounts_browser.py) plays carol at the desk. Checks:
#  1. alice (a user) gets 403 on every accounts page (GET and a forged POST), nothing changes.
#  2. carol (operator, operator-may = topup, refund) tops up alice twice with the same receipt:
#     credited once ("already credited"), one journal entry with carol as its actor; the same
#     receipt for another amount is refused (409), a top-up without a receipt too (400); the
#     receipt page shows the site, account, amount, number and operator, with print CSS.
#  3. carol is refused adjust and the account settings (403): nothing changed.
#  4. dana (admin) adjusts (a double submit adjusts once), sets a credit limit, disables and
#     enables alice, creates a shared account, grants alice's refund request on the refunds page.
#  5. paula ([admin-scope physics] users = bob) cannot open alice's account (403) but can bob's,
#     and her accounts list shows bob only.
#  6. Every change is in the console's audit log with who made it; `pullprint ledger check` is
#     clean at the end.
#  7. The browser: carol signs in through the form, finds alice, tops up with a receipt number,
#     submits it twice, sees "already credited" and the receipt; screenshots of each page.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_test_site
pp_require_ipp_printer
pp_start_ipp_printer "$base"
pp_config_top "admins = dana" "operators = carol" "operator-may = topup, refund" \
  "receipt-header = Library print desk" "backend = $PULLPRINT_BUILD_DIR/backend/pullprint"
pp_lab_a_library_printer
cat >>"$PP_CONFIG" <<CONF
[admin-scope physics]
admins = paula
users = bob
printers = *
CONF
pp_use_pam "$base" alice:secret bob:hunter2 carol:desk dana:boss paula:phys
pp_sample_pdf "$base/sample.pdf"
pp_funded_accounts 5.00 alice bob
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam

url() { echo "http://127.0.0.1:$PP_PORT$1"; }
# page USER:PASSWORD PATH [curl args]: the page as that user; body on stdout, status in
# $base/status.
page() {
  local credentials=$1 path=$2
  shift 2
  curl -sS -u "$credentials" -b "$base/jar-${credentials%%:*}" -c "$base/jar-${credentials%%:*}" \
    -o "$base/body" -w '%{http_code}' "$@" "$(url "$path")" >"$base/status"
  cat "$base/body"
}
code() { cat "$base/status"; }
# key USER:PASSWORD PATH: the CSRF session key of the first form on that page.
key() {
  { page "$1" "$2" | grep -o 'name="session" value="[^"]*"' || true; } | head -n 1 |
    sed 's/.*value="//; s/"$//'
}
# post USER:PASSWORD PATH SESSION FIELD=VALUE...: a console form as that user.
post() {
  local credentials=$1 path=$2 session=$3 field
  shift 3
  local args=(--data-urlencode "session=$session")
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  page "$credentials" "$path" "${args[@]}"
}
outcome() { grep -o '<div class="[^"]*" id="outcome">[^<]*' "$base/body" | sed 's/.*>//' || true; }
sql() { sqlite3 "$state/ledger.sqlite" "$1"; }
balance() { pp balance "$1" --ledger --json | jq .balance; }
shots="${PP_SCREENSHOT_DIR:-$PULLPRINT_BUILD_DIR/screenshots}"
mkdir -p "$shots"

# alice prints a job on Lab_A and asks for a refund of it (a jam): the request dana decides.
PP_URI="ipp://alice:secret@127.0.0.1:$PP_PORT/ipp/print" pp_submit alice "$base/sample.pdf" >/dev/null
job=$(sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = 'alice'")
printf 'secret\n' | pp release --server "$PP_URI" --printer Lab_A --user alice --all >"$base/release.out" 2>&1 ||
  { cat "$base/release.out" >&2; pp_fail "alice's release failed"; }
job_printed() { [[ $(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1") == printed ]]; }
pp_wait_for 30 "alice's job printed" job_printed "$job"
charged=$(sqlite3 "$state/jobs.sqlite" "SELECT final_price_minor FROM held_jobs WHERE id = $job")
session=$(key alice:secret "/pullprint/refund?job=$job")
post alice:secret /pullprint/refund "$session" "job=$job" reason=jam >/dev/null
pp_assert_eq 200 "$(code)" "alice asks for a refund"
request=$(sql "SELECT id FROM refund_requests WHERE job_id = $job")
[[ -n $request ]] || pp_fail "no refund request"
pp_assert_eq $((500 - charged)) "$(balance alice)" "alice's balance after her print"
pp_pass "alice printed job $job ($charged cents) and asked for refund request $request"

# --- 1. alice (a user) is refused every accounts page.
entries=$(sql "SELECT count(*) FROM journal")
for path in /pullprint/admin/accounts "/pullprint/admin/account?name=alice" \
  "/pullprint/admin/receipt?receipt=R-1001" /pullprint/admin/refunds; do
  page alice:secret "$path" >/dev/null
  pp_assert_eq 403 "$(code)" "alice opens $path"
done
alice_session=$(key alice:secret /pullprint/card)  # her own valid key (a form of her pages)
[[ -n $alice_session ]] || pp_fail "no session key on alice's card page"
post alice:secret /pullprint/admin/account "$alice_session" name=alice do=topup amount=100 receipt=X-1 >/dev/null
pp_assert_eq 403 "$(code)" "alice's forged top-up"
post alice:secret /pullprint/admin/refunds "$alice_session" "id=$request" do=grant >/dev/null
pp_assert_eq 403 "$(code)" "alice's forged grant"
pp_assert_eq "$entries" "$(sql "SELECT count(*) FROM journal")" "journal entries after alice's tries"
pp_pass "alice gets 403 on every accounts page and form; nothing changed"

# --- 2. carol tops up alice at the desk, twice with the same receipt.
out=$(page carol:desk "/pullprint/admin/account?name=alice")
pp_assert_eq 200 "$(code)" "carol opens alice's account"
grep -q 'id="topup-form"' <<<"$out" || pp_fail "no top-up form for carol"
grep -q 'id="adjust-form"' <<<"$out" && pp_fail "carol (no adjust) is shown the adjust form"
grep -q 'id="limit-form"' <<<"$out" && pp_fail "carol (no account-settings) is shown the settings"
grep -q 'id="available"' <<<"$out" || pp_fail "no available figure"
carol=$(key carol:desk "/pullprint/admin/account?name=alice")
before=$(balance alice)
post carol:desk /pullprint/admin/account "$carol" name=alice do=topup amount=10.00 receipt=R-1001 >/dev/null
pp_assert_eq 200 "$(code)" "carol's top-up"
pp_assert_eq "Credited EUR 10.00 to alice, receipt R-1001." "$(outcome)" "the first top-up's answer"
grep -q 'id="receipt-link"' "$base/body" || pp_fail "no link to the receipt"
post carol:desk /pullprint/admin/account "$carol" name=alice do=topup amount=10.00 receipt=" R-1001" >/dev/null
pp_assert_eq 200 "$(code)" "carol's second top-up with the same receipt"
outcome | grep -q "^Receipt R-1001 was already credited (EUR 10.00 to alice on .*): nothing more was credited.$" ||
  pp_fail "the repeat's answer: $(outcome)"
pp_assert_eq $((before + 1000)) "$(balance alice)" "alice's balance after two top-ups with one receipt"
pp_assert_eq "1 1000 carol top-up" \
  "$(sql "SELECT count(*) || ' ' || sum(amount) || ' ' || actor || ' ' || kind FROM journal WHERE idempotency_key = 'desk-topup:R-1001'")" \
  "the receipt's journal entries"
post carol:desk /pullprint/admin/account "$carol" name=alice do=topup amount=20.00 receipt=R-1001 >/dev/null
pp_assert_eq 409 "$(code)" "the same receipt for another amount"
outcome | grep -q "^Not credited: receipt R-1001 was already used" || pp_fail "the conflict's answer: $(outcome)"
post carol:desk /pullprint/admin/account "$carol" name=bob do=topup amount=10.00 receipt=R-1001 >/dev/null
pp_assert_eq 409 "$(code)" "the same receipt for another account"
post carol:desk /pullprint/admin/account "$carol" name=alice do=topup amount=10.00 receipt= >/dev/null
pp_assert_eq 400 "$(code)" "a top-up without a receipt number"
outcome | grep -q "a receipt number is required" || pp_fail "no receipt: $(outcome)"
pp_assert_eq $((before + 1000)) "$(balance alice)" "alice's balance after the refused top-ups"
pp_assert_eq 500 "$(balance bob)" "bob's balance after the refused top-up"
out=$(page carol:desk "/pullprint/admin/receipt?receipt=R-1001")
pp_assert_eq 200 "$(code)" "the receipt page"
for figure in 'receipt-site">Library print desk<' 'receipt-account">alice<' \
  'receipt-amount">EUR 10.00<' 'receipt-number">R-1001<' 'receipt-operator">carol<'; do
  grep -q "id=\"$figure" <<<"$out" || pp_fail "the receipt lacks $figure"
done
grep -q '@media print' <<<"$out" || pp_fail "the receipt has no print style"
page carol:desk "/pullprint/admin/receipt?receipt=R-9999" >/dev/null
pp_assert_eq 404 "$(code)" "an unknown receipt"
pp_pass "carol: one receipt credits once (repeat, conflict, missing receipt refused); the receipt page"

# --- 3. carol may not adjust nor change the settings.
entries=$(sql "SELECT count(*) FROM journal")
post carol:desk /pullprint/admin/account "$carol" name=alice do=adjust amount=-1.00 reason=test nonce=abc >/dev/null
pp_assert_eq 403 "$(code)" "carol adjusts"
post carol:desk /pullprint/admin/account "$carol" name=alice do=limit credit_limit=50.00 >/dev/null
pp_assert_eq 403 "$(code)" "carol sets a credit limit"
post carol:desk /pullprint/admin/account "$carol" name=alice do=disable >/dev/null
pp_assert_eq 403 "$(code)" "carol disables alice"
post carol:desk /pullprint/admin/accounts "$carol" name=carols-own type=shared >/dev/null
pp_assert_eq 403 "$(code)" "carol creates an account"
pp_assert_eq "$entries" "$(sql "SELECT count(*) FROM journal")" "journal entries after carol's refusals"
pp_assert_eq "0 0 1" "$(sql "SELECT credit_limit || ' ' || unlimited || ' ' || enabled FROM accounts WHERE name = 'alice'")" \
  "alice's settings after carol's refusals"
pp_assert_eq 0 "$(sql "SELECT count(*) FROM accounts WHERE name = 'carols-own'")" "carol's account"
pp_pass "carol (topup, refund) is refused adjust and the settings: nothing changed"

# --- 4. dana (admin): adjust, credit limit, disable/enable, create, grant a refund request.
out=$(page dana:boss "/pullprint/admin/account?name=alice")
nonce=$(grep -o 'name="nonce" value="[^"]*"' <<<"$out" | sed 's/.*value="//; s/"$//')
[[ -n $nonce ]] || pp_fail "no nonce in dana's adjust form"
dana=$(key dana:boss "/pullprint/admin/account?name=alice")
before=$(balance alice)
for attempt in 1 2; do
  post dana:boss /pullprint/admin/account "$dana" name=alice do=adjust amount=-1.50 "reason=coffee on the printout" \
    "nonce=$nonce" >/dev/null
  pp_assert_eq 200 "$(code)" "dana's adjustment ($attempt)"
done
outcome | grep -q "already made" || pp_fail "the double submit's answer: $(outcome)"
pp_assert_eq $((before - 150)) "$(balance alice)" "alice's balance after a double-submitted adjustment"
pp_assert_eq "1 dana coffee on the printout" \
  "$(sql "SELECT count(*) || ' ' || actor || ' ' || note FROM journal WHERE idempotency_key = 'desk-adjust:$nonce'")" \
  "the adjustment's entry"
post dana:boss /pullprint/admin/account "$dana" name=alice do=limit credit_limit=2.00 >/dev/null
pp_assert_eq 200 "$(code)" "dana sets the credit limit"
pp_assert_eq "200 0" "$(sql "SELECT credit_limit || ' ' || unlimited FROM accounts WHERE name = 'alice'")" "alice's limit"
post dana:boss /pullprint/admin/account "$dana" name=alice do=disable >/dev/null
pp_assert_eq 0 "$(sql "SELECT enabled FROM accounts WHERE name = 'alice'")" "alice disabled"
grep -q 'id="enable-submit"' "$base/body" || pp_fail "the disabled account offers no enable button"
post dana:boss /pullprint/admin/account "$dana" name=alice do=enable >/dev/null
pp_assert_eq 1 "$(sql "SELECT enabled FROM accounts WHERE name = 'alice'")" "alice enabled again"
post dana:boss /pullprint/admin/accounts "$dana" name=physics-dept type=shared "display_name=Physics department" \
  credit_limit=0 >/dev/null
pp_assert_eq 200 "$(code)" "dana creates a shared account"
pp_assert_eq "shared Physics department" \
  "$(sql "SELECT type || ' ' || display_name FROM accounts WHERE name = 'physics-dept'")" "the new account"
post dana:boss /pullprint/admin/accounts "$dana" name=physics-dept type=shared >/dev/null
pp_assert_eq 400 "$(code)" "the same account created twice"
out=$(page dana:boss /pullprint/admin/refunds)
grep -q "id=\"grant-$request\"" <<<"$out" || pp_fail "the open request has no grant button"
before=$(balance alice)
post dana:boss /pullprint/admin/refunds "$dana" "id=$request" do=grant "note=jam seen at the desk" >/dev/null
pp_assert_eq 200 "$(code)" "dana grants the request"
pp_assert_eq "granted dana jam seen at the desk" \
  "$(sql "SELECT state || ' ' || decided_by || ' ' || decision_note FROM refund_requests WHERE id = $request")" \
  "the request after the grant"
pp_assert_eq $((before + charged)) "$(balance alice)" "alice's balance after the grant"
post dana:boss /pullprint/admin/refunds "$dana" "id=$request" do=grant >/dev/null
pp_assert_eq 409 "$(code)" "a second grant"
pp_assert_eq $((before + charged)) "$(balance alice)" "alice's balance after a second grant"
pp_pass "dana: adjusted once, credit limit, disabled and enabled, created a shared account, granted a refund"

# --- 5. paula, admin of physics (users = bob).
page paula:phys "/pullprint/admin/account?name=alice" >/dev/null
pp_assert_eq 403 "$(code)" "paula opens alice's account"
page paula:phys "/pullprint/admin/account?name=physics-dept" >/dev/null
pp_assert_eq 403 "$(code)" "paula opens a shared account"
page paula:phys "/pullprint/admin/account?name=bob" >/dev/null
pp_assert_eq 200 "$(code)" "paula opens bob's account"
out=$(page paula:phys "/pullprint/admin/accounts")
grep -q 'id="account-bob"' <<<"$out" || pp_fail "paula's list lacks bob"
grep -q 'id="account-alice"' <<<"$out" && pp_fail "paula's list shows alice"
paula=$(key paula:phys "/pullprint/admin/account?name=bob")
post paula:phys /pullprint/admin/account "$paula" name=alice do=topup amount=1.00 receipt=P-1 >/dev/null
pp_assert_eq 403 "$(code)" "paula tops up alice"
pp_assert_eq 0 "$(sql "SELECT count(*) FROM journal WHERE idempotency_key = 'desk-topup:P-1'")" "paula's top-up of alice"
pp_pass "paula sees and changes bob's account only"

# --- 6. The audit log and the ledger.
pp_assert_eq "carol operator topup alice" \
  "$(sql "SELECT actor || ' ' || role || ' ' || action || ' ' || subject FROM console_audit WHERE action = 'topup'")" \
  "the top-up's audit (once)"
for change in "dana adjust alice" "dana account-settings alice" "dana account-settings physics-dept" \
  "dana refund alice"; do
  [[ $(sql "SELECT count(*) FROM console_audit WHERE actor || ' ' || action || ' ' || subject = '$change'") -ge 1 ]] ||
    pp_fail "no audit record: $change"
done
pp ledger check >/dev/null || pp_fail "ledger check: $(pp ledger check 2>&1)"
pp_pass "every change audited with who made it; the ledger balances"

# --- 7. The browser: carol at the desk; screenshots.
cat >"$base/plan.json" <<JSON
{"site": "$(url "")", "screenshots": "$shots", "passwords": {"carol": "desk", "dana": "boss"},
 "receipt": "R-2002", "amount": "7.50"}
JSON
before=$(balance alice)
timeout 300 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/console_accounts_browser.py" \
  "$base/plan.json" >"$base/browser.json" || pp_fail "the browser's desk journey failed"
pp_assert_eq $((before + 750)) "$(balance alice)" "alice's balance after the browser's two submits"
pp_assert_eq 1 "$(sql "SELECT count(*) FROM journal WHERE idempotency_key = 'desk-topup:R-2002'")" \
  "the browser receipt's entries"
for name in accounts account receipt refunds; do
  [[ -s "$shots/console-accounts-$name.png" ]] || pp_fail "no screenshot console-accounts-$name.png"
done
pp ledger check >/dev/null || pp_fail "ledger check after the browser: $(pp ledger check 2>&1)"
pp_pass "the browser: carol found alice, topped up twice with one receipt (credited once), the receipt"
