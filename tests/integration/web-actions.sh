#!/bin/bash
# Integration: a user's account actions on the web (issue 14), end to end. pullprintd runs under
# PAM (pam_wrapper: passwords through pam_matrix, cards through the build's pam_pullprint.so), the
# release printer Lab_A is a real IPP Everywhere printer (ippeveprinter) behind the build's
# wrapper backend; the browser is played by curl (HTTP Basic, a cookie jar, the forms' session
# key) and headless chromium takes the screenshots. Checks:
#  1. Register one's own card: a terminal (operator account) starts the registration of an
#     unknown card with `pullprint card register-start` and gets a code; a user who is not an
#     operator may not; alice confirms the code on /pullprint/card (a form without its session key
#     and a wrong code are refused and counted); the code cannot be used twice; the card is then
#     alice's: accepted by pam_pullprint.so, and at the terminal it releases her job to Lab_A.
#  2. Transfer credit on /pullprint/transfer: alice gives bob 1.50 with a note; the same form
#     submitted twice moves the money once; an unknown recipient and an amount above
#     transfer-maximum are refused; both histories show the transfer's keys; the ledger balances.
#  3. Ask for a refund on /pullprint/refund: bob gets 403 for alice's job (GET and a forged POST),
#     changing nothing; alice asks for her printed job (jam); a second request is refused; the
#     desk lists it (`pullprint refund list --state open`) and grants it: alice's balance is back,
#     granted twice refunds once; the page then shows "granted"; `pullprint ledger check` passes.
#  4. Screenshots of the three pages (under $PP_ARTIFACTS if set, else the test's directory).
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_lab_a_site "operators = kiosk" "card-max-failures = 3" "card-lock-seconds = 3600" \
  "transfers = yes" "transfer-maximum = 300"
command -v pamtester >/dev/null || pp_fail "the card checks need pamtester (apt-get install -y pamtester)"
pp_use_pam "$base" alice:secret bob:hunter2 kiosk:terminal mallory:guess
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
# key USER:PASSWORD PATH: the CSRF session key of the first form on that page (as session()).
key() {
  { page "$1" "$2" | grep -o 'name="session" value="[^"]*"' || true; } | head -n 1 |
    sed 's/.*value="//; s/"$//'
}
balance() { pp balance "$1" --ledger --json | jq .balance; }
terminal() { "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" "$@"; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = '$1'"; }
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
card_owner() { sqlite3 "$state/ledger.sqlite" "SELECT user FROM cards WHERE number = '$1'"; }
shots="${PP_ARTIFACTS:-$base}"
mkdir -p "$shots"

# --- 1. Register one's own card.
card=0C0FFEE1
out=$(printf 'hunter2\n' | terminal card register-start --card $card --user bob --server "$PP_URI" 2>&1) &&
  pp_fail "bob (no operator) started a card registration: $out"
grep -q "Only terminals (operators) may start a card registration" <<<"$out" ||
  pp_fail "bob's refusal does not say why: $out"
pp_pass "a user who is not an operator cannot start a registration"
printf 'terminal\n' | terminal card register-start --card $card --user kiosk --server "$PP_URI" \
  --json >"$base/registration.json" || pp_fail "the terminal could not start the registration"
code=$(jq -r .code "$base/registration.json")
[[ $code =~ ^[0-9A-Z]{3}-[0-9A-Z]{3}$ ]] || pp_fail "the code '$code' is not short and typeable"
expires=$(jq -r .expires "$base/registration.json")
[[ $(($(date -d "$expires" +%s) - $(date +%s))) -le 600 ]] || pp_fail "the code lives past 10 minutes: $expires"
human=$(printf 'terminal\n' | terminal card register-start --card 0C0FFEE2 --user kiosk \
  --server "$PP_URI")
grep -q "^Registration code for card 0C0FFEE2: [0-9A-Z]\{3\}-[0-9A-Z]\{3\}$" <<<"$human" ||
  pp_fail "the terminal's words: $human"
pp_pass "the terminal got code $code for card $card (until $expires)"

out=$(page alice:secret /pullprint/card)
pp_assert_eq 200 "$(cat "$base/status")" "alice's card page"
grep -q 'id="registration-code"' <<<"$out" || pp_fail "no registration form on the card page"
session=$(key alice:secret /pullprint/card)
[[ -n $session ]] || pp_fail "no session key on the card page"
page alice:secret /pullprint/card --data-urlencode "code=$code" >/dev/null
pp_assert_eq 400 "$(cat "$base/status")" "a registration without the session key"
[[ -z $(card_owner $card) ]] || pp_fail "the card was registered by a form without its key"
page alice:secret /pullprint/card --data-urlencode "session=$session" --data-urlencode "code=ZZZ-ZZZ" >/dev/null
pp_assert_eq 400 "$(cat "$base/status")" "a wrong code"
grep -q "Not registered: no card registration has the code ZZZZZZ." "$base/body" ||
  pp_fail "the wrong code's refusal: $(grep banner "$base/body")"
pp_assert_eq 1 "$(sqlite3 "$state/ledger.sqlite" \
  "SELECT count(*) FROM card_registration_attempts WHERE user = 'alice' AND outcome = 'wrong-code'")" \
  "alice's wrong code is counted"
page alice:secret /pullprint/card --data-urlencode "session=$session" \
  --data-urlencode "code=${code,,}" >/dev/null
pp_assert_eq 200 "$(cat "$base/status")" "alice registers her card with the code (lower case)"
grep -q "Card \*\*\*\*FEE1 is now yours" "$base/body" || pp_fail "the page does not say so: $(cat "$base/body")"
grep -q '<td>\*\*\*\*FEE1</td><td>active</td>' "$base/body" || pp_fail "the card is not listed as alice's"
pp_assert_eq alice "$(card_owner $card)" "the card's owner"
grep -q "Card $card registered to alice (web)." "$base/pullprintd.log" || pp_fail "the registration is not logged"
bob_session=$(key bob:hunter2 /pullprint/card)
page bob:hunter2 /pullprint/card --data-urlencode "session=$bob_session" --data-urlencode "code=$code" >/dev/null
pp_assert_eq 400 "$(cat "$base/status")" "the code used a second time (by bob)"
grep -q "is no longer valid (confirmed)" "$base/body" || pp_fail "a used code: $(grep banner "$base/body")"
pp_assert_eq alice "$(card_owner $card)" "the card's owner after bob's try"
out=$(printf 'terminal\n' | terminal card register-start --card $card --user kiosk --server "$PP_URI" 2>&1) &&
  pp_fail "a registered card got a new code"
grep -q "card $card is registered already" <<<"$out" || pp_fail "no reason: $out"
# Guessing: mallory's third wrong code (card-max-failures = 3) locks her out.
m_session=$(key mallory:guess /pullprint/card)
for guess in AAA-AAA BBB-BBB CCC-CCC; do
  page mallory:guess /pullprint/card --data-urlencode "session=$m_session" --data-urlencode "code=$guess" >/dev/null
done
page mallory:guess /pullprint/card --data-urlencode "session=$m_session" --data-urlencode "code=DDD-DDD" >/dev/null
pp_assert_eq 403 "$(cat "$base/status")" "mallory after three wrong codes"
grep -q "too many wrong registration codes by mallory" "$base/body" || pp_fail "no lockout: $(grep banner "$base/body")"
pp_pass "card registration: wrong, used and guessed codes refused; the card is alice's"

# The card at the terminal: PAM accepts it as alice's, and it releases her job to Lab_A.
printf '\n' | LD_PRELOAD="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)/libpam_wrapper.so" \
  PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$base/pam.d" pamtester pullprint-card $card authenticate acct_mgmt \
  >"$base/pam.out" 2>&1 || pp_fail "pam_pullprint.so refused the registered card: $(cat "$base/pam.out")"
pp_assert_eq "accepted alice" "$(sqlite3 "$state/ledger.sqlite" \
  "SELECT outcome || ' ' || user FROM card_attempts WHERE card = '$card' ORDER BY id DESC LIMIT 1")" \
  "the card at PAM"
PP_URI="ipp://alice:secret@127.0.0.1:$PP_PORT/ipp/print" pp_submit alice "$base/sample.pdf" >/dev/null
job=$(newest_job alice)
printf '1357\n' | pp card pin $card >/dev/null  # a terminal sends card + PIN (set at the desk)
out=$(printf '%s\n1357\n' $card | terminal release --server "$PP_URI" --printer Lab_A --card --all 2>&1) ||
  { echo "$out" >&2; pp_fail "the release with the registered card failed"; }
pp_assert_eq printed "$(job_state "$job")" "alice's job after the release with her new card"
charged=$(sqlite3 "$state/jobs.sqlite" "SELECT final_price_minor FROM held_jobs WHERE id = $job")
pp_assert_eq $((500 - charged)) "$(balance alice)" "alice's balance after the print"
pp_pass "the registered card works at PAM and releases alice's job ($charged cents)"

# --- 2. Transfer credit.
before_alice=$(balance alice)
before_bob=$(balance bob)
out=$(page alice:secret /pullprint/transfer)
pp_assert_eq 200 "$(cat "$base/status")" "alice's transfer page"
grep -q "id=\"transfer-available\">$(money "$before_alice")<" <<<"$out" ||
  pp_fail "the page does not offer alice's self-paid money $(money "$before_alice")"
nonce=$(grep -o 'name="nonce" value="[^"]*"' <<<"$out" | sed 's/.*value="//; s/"$//')
session=$(grep -o 'name="session" value="[^"]*"' <<<"$out" | head -n 1 | sed 's/.*value="//; s/"$//')
[[ -n $nonce && -n $session ]] || pp_fail "no nonce or session key on the transfer form"
send() {  # send NONCE TO AMOUNT: one submit of alice's form
  page alice:secret /pullprint/transfer --data-urlencode "session=$session" --data-urlencode "nonce=$1" \
    --data-urlencode "to=$2" --data-urlencode "amount=$3" --data-urlencode "note=for the <poster>" >/dev/null
}
send "$nonce" bob 1.50
pp_assert_eq 200 "$(cat "$base/status")" "alice transfers 1.50 to bob"
grep -q "Transferred EUR 1.50 to bob" "$base/body" || pp_fail "the page does not say so: $(grep banner "$base/body")"
send "$nonce" bob 1.50
pp_assert_eq 200 "$(cat "$base/status")" "the same form submitted again"
pp_assert_eq $((before_alice - 150)) "$(balance alice)" "alice's balance after a double submit"
pp_assert_eq $((before_bob + 150)) "$(balance bob)" "bob's balance after a double submit"
grep -q "for the &lt;poster&gt;" "$base/body" || pp_fail "the note is not listed escaped"
send "$(tr -dc a-f0-9 </dev/urandom | head -c 32)" nobody-here 1.00
pp_assert_eq 400 "$(cat "$base/status")" "a transfer to an unknown user"
grep -q "Not transferred: no user nobody-here." "$base/body" || pp_fail "unknown recipient: $(grep banner "$base/body")"
send "$(tr -dc a-f0-9 </dev/urandom | head -c 32)" bob 3.01
pp_assert_eq 400 "$(cat "$base/status")" "a transfer above transfer-maximum"
grep -q "one transfer moves at most EUR 3.00" "$base/body" || pp_fail "maximum: $(grep banner "$base/body")"
page alice:secret /pullprint/transfer --data-urlencode "nonce=$(tr -dc a-f0-9 </dev/urandom | head -c 32)" \
  --data-urlencode "to=bob" --data-urlencode "amount=1.00" >/dev/null
pp_assert_eq 400 "$(cat "$base/status")" "a transfer without the session key"
pp_assert_eq $((before_alice - 150)) "$(balance alice)" "alice's balance after the refusals"
pp_assert_eq "transfer:alice:$nonce:out -150" \
  "$(pp history alice --json | jq -r '[.[] | select(.key | startswith("transfer:"))] | .[0] | "\(.key) \(.amount)"')" \
  "the transfer in alice's history"
pp_assert_eq "transfer:alice:$nonce:in 150" \
  "$(pp history bob --json | jq -r '[.[] | select(.key | startswith("transfer:"))] | .[0] | "\(.key) \(.amount)"')" \
  "the transfer in bob's history"
grep -q "Transfer of EUR 1.50 from alice to bob" "$base/pullprintd.log" || pp_fail "the transfer is not logged"
grep -q "Transfer of EUR 1.00 from alice to nobody-here refused" "$base/pullprintd.log" ||
  pp_fail "the refusal is not logged"
pp ledger check >/dev/null || pp_fail "ledger check after the transfer: $(pp ledger check 2>&1)"
pp_pass "transfer: moved once, refusals change nothing, both histories, ledger balanced"

# --- 3. Ask for a refund.
page bob:hunter2 "/pullprint/refund?job=$job" >/dev/null
pp_assert_eq 403 "$(cat "$base/status")" "bob opens the refund form of alice's job"
grep -q "Job $job is not yours." "$base/body" || pp_fail "bob's refusal: $(cat "$base/body")"
bob_session=$(key bob:hunter2 /pullprint/card)  # his own valid key (the refund list has no form)
page bob:hunter2 /pullprint/refund --data-urlencode "session=$bob_session" --data-urlencode "job=$job" \
  --data-urlencode "reason=jam" >/dev/null
pp_assert_eq 403 "$(cat "$base/status")" "bob's forged refund request for alice's job"
pp_assert_eq 0 "$(sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM refund_requests")" \
  "refund requests after bob's tries"
grep -q "Refund page: job $job is not bob's: refused." "$base/pullprintd.log" || pp_fail "bob's refusal is not logged"
out=$(page alice:secret "/pullprint/refund?job=$job")
pp_assert_eq 200 "$(cat "$base/status")" "alice's refund form"
grep -q "id=\"refund-link-$job\"" <<<"$out" || pp_fail "the printed job is not listed with a link"
grep -q 'id="refund-reason"' <<<"$out" || pp_fail "no refund form for job $job"
session=$(grep -o 'name="session" value="[^"]*"' <<<"$out" | head -n 1 | sed 's/.*value="//; s/"$//')
ask() {
  page alice:secret /pullprint/refund --data-urlencode "session=$session" --data-urlencode "job=$job" \
    --data-urlencode "reason=jam" --data-urlencode "text=stuck in tray 2" >/dev/null
}
ask
pp_assert_eq 200 "$(cat "$base/status")" "alice asks for a refund"
grep -q "Refund request [0-9]* for job $job ($(money "$charged")) sent: the desk decides it." "$base/body" ||
  pp_fail "the page does not say so: $(grep banner "$base/body")"
request=$(sqlite3 "$state/ledger.sqlite" "SELECT id FROM refund_requests WHERE job_id = $job")
grep -q "<td class=\"refund-state\">open</td>" "$base/body" || pp_fail "the request is not listed as open"
ask
pp_assert_eq 400 "$(cat "$base/status")" "a second request for the same job"
grep -q "has a refund request ($request, open) already" "$base/body" || pp_fail "second request: $(grep banner "$base/body")"
pp_assert_eq "$request alice $job $charged jam open" \
  "$(pp refund list --state open --json | jq -r '.[] | "\(.id) \(.user) \(.job) \(.amount) \(.reason) \(.state)"')" \
  "the desk's list of open requests"
out=$(page alice:secret /pullprint/refund?job=999999) || true
pp_assert_eq 403 "$(cat "$base/status")" "a job that does not exist is not alice's either"
pp_assert_eq "refund request $request granted: $(money "$charged") refunded to alice" \
  "$(pp refund grant "$request" --note "jam seen")" "the desk grants it"
pp_assert_eq $((before_alice - 150 + charged)) "$(balance alice)" "alice's balance after the refund"
out=$(pp refund grant "$request" 2>&1) && pp_fail "a request was granted twice"
grep -q "refund request $request is granted" <<<"$out" || pp_fail "second grant: $out"
pp_assert_eq $((before_alice - 150 + charged)) "$(balance alice)" "alice's balance after a second grant"
pp_assert_eq "1 $charged" "$(sqlite3 "$state/ledger.sqlite" \
  "SELECT count(*) || ' ' || sum(amount) FROM journal WHERE idempotency_key LIKE 'refund-request:%'")" \
  "refund entries"
page alice:secret "/pullprint/refund?job=$job" >/dev/null
grep -q "<td class=\"refund-state\">granted</td><td>jam seen</td>" "$base/body" ||
  pp_fail "alice's page does not show the grant"
grep -q "id=\"refund-exists\">Job $job has a refund request ($request, granted)" "$base/body" ||
  pp_fail "the refunded job still offers the form"
grep -q "id=\"refund-link-$job\"" "$base/body" && pp_fail "the refunded job still has its link"
pp ledger check >/dev/null || pp_fail "ledger check after the refund: $(pp ledger check 2>&1)"
pp_pass "refund: others' jobs refused, one request per job, granted once, balance back"

# --- 4. Screenshots of the pages as alice sees them.
for path in card transfer "refund?job=$job"; do
  name=web-actions-${path%%\?*}.png
  browser "$(url "/pullprint/$path")" --user alice:secret --text h1 --screenshot "$shots/$name" \
    >"$base/browser.json" || pp_fail "chromium could not render /pullprint/$path"
  [[ -s "$shots/$name" ]] || pp_fail "no screenshot of /pullprint/$path"
done
pp_assert_eq true "$(browser "$(url /pullprint/transfer)" --user alice:secret --text h1 |
  jq '.text.h1 | index("Transfer credit") != null')" "the transfer page's title in chromium"
pp_pass "screenshots in $shots"
# Figures, not assertions (the benchmark is the place for those): each page's answer time here.
for path in card transfer refund; do
  echo "timing: /pullprint/$path $(curl -sS -u alice:secret -o /dev/null -w '%{time_total}' \
    "$(url "/pullprint/$path")")s"
done

# --- 5. A site without transfers: the page says so and a forged POST moves nothing (403).
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null
pp_start_pullprintd "$state" "$base/pullprintd-off.log" -o auth=pam -o transfers=no
rm -f "$base/jar-alice"
out=$(page alice:secret /pullprint/transfer)
grep -q 'id="transfers-off"' <<<"$out" || pp_fail "the page does not say transfers are off"
grep -q 'id="transfer-form"' <<<"$out" && pp_fail "a transfer form on a site without transfers"
session=$(key alice:secret /pullprint/card)
before=$(balance alice)
page alice:secret /pullprint/transfer --data-urlencode "session=$session" \
  --data-urlencode "nonce=$(tr -dc a-f0-9 </dev/urandom | head -c 32)" --data-urlencode "to=bob" \
  --data-urlencode "amount=1.00" >/dev/null
pp_assert_eq 403 "$(cat "$base/status")" "a transfer where the site does not allow them"
grep -q "Not transferred: this site does not allow transfers between users." "$base/body" ||
  pp_fail "the refusal: $(grep banner "$base/body")"
pp_assert_eq "$before" "$(balance alice)" "alice's balance after the refused transfer"
pp_pass "transfers = no: no form, a forged POST refused"
