#!/bin/bash
# Integration: the prepaid card's life (issue 13 §4), through the real doors.
#  1. A desk issues cards with the CLI: a printable list, a CSV file created 0640 and never
#     overwritten (a refused file issues nothing); `card list` shows them unissued with a value.
#  2. At a terminal (pam_pullprint.so under pam_wrapper, driven by pamtester) an unactivated
#     card is refused with "activate this card first", and the refusal is in the audit log.
#  3. alice, not an admin and with no ledger file, activates her card through pullprintd
#     (PullPrint-Activate-Card): her account is credited once; activating again credits nothing
#     and says so; bob cannot take her card, nor activate one for her; the admin may.
#  4. As nobody (who cannot open the ledger), `pullprint card activate` finds pullprintd by
#     itself (config key `server`); needs root for setpriv, else skipped unchangeably.
#  5. Guessing is rate-limited per user (card-max-failures failed activations), and logged.
#  6. The web: a signed-in user's home page has the form; /pullprint/card activates for the
#     signed-in user (auth = pam), refuses a form without its session key, and anonymous users.
#  7. The activated card is accepted at the terminal as alice's; `pullprint ledger check` is
#     clean and each card's top-up is in the journal once; a forged card credit is caught.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
pam_wrapper="/usr/lib/$multiarch/libpam_wrapper.so"
if [[ ! -f "$pam_wrapper" ]] || ! command -v pamtester >/dev/null; then
  echo "skipped: libpam-wrapper or pamtester is not installed (.ci/install-deps installs them)"
  exit 77
fi
pullprint="$PULLPRINT_BUILD_DIR/pappl-server/pullprint"
module="$PULLPRINT_BUILD_DIR/pam/pam_pullprint.so"
[[ -f "$module" ]] || pp_fail "$module was not built"
command -v curl >/dev/null || pp_fail "step 6 needs curl (apt-get install -y curl)"

pp_test_site
pp_config_top "card-max-failures = 3" "card-lock-seconds = 3600"
mkdir -p "$base/pam.d"
for type in auth account; do
  echo "$type required $module config=$PP_CONFIG"
done >"$base/pam.d/pullprint-card"

# pam_card CARD: authenticate + acct_mgmt at a terminal; pamtester's output in $base/pam.out.
pam_card() {
  printf '\n' | LD_PRELOAD="$pam_wrapper" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$base/pam.d" \
    pamtester pullprint-card "$1" authenticate acct_mgmt >"$base/pam.out" 2>&1
}
last_attempt() { sqlite3 "$state/ledger.sqlite" \
  "SELECT outcome || ' ' || user FROM card_attempts WHERE card = '$1' ORDER BY id DESC LIMIT 1"; }
credits() { sqlite3 "$state/ledger.sqlite" \
  "SELECT count(*) || ' ' || coalesce(sum(amount), 0) FROM journal WHERE idempotency_key = 'prepaid-card:$1'"; }
# srv USER ARGS...: the client as USER through pullprintd, with no ledger file in reach.
srv() {
  CUPS_USER=$1 "$pullprint" -c "$PP_CONFIG" -o "state-dir=$base/no-ledger-here" "${@:2}" \
    --server "$PP_URI"
}
# fails EXPECTED-MESSAGE WHAT COMMAND...: COMMAND exits 1 with exactly that message.
fails() {
  local expected=$1 what=$2 out code=0
  shift 2
  out=$("$@" 2>&1) || code=$?
  pp_assert_eq "1: $expected" "$code: $out" "$what"
}

# 1. Issue.
out=$(pp card issue --count 4 --value 5.00 --csv "$base/cards.csv")
pp_assert_eq "4 prepaid cards worth EUR 5.00 each (activate with \`pullprint card activate NUMBER\`):" \
  "$(head -n 1 <<<"$out")" "issue's heading"
mapfile -t cards < <(tail -n +2 <<<"$out" | awk '{print $1}')
pp_assert_eq 4 "${#cards[@]}" "numbers listed"
for number in "${cards[@]}"; do
  [[ $number =~ ^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{12}$ ]] || pp_fail "not a 12-character number: $number"
done
pp_pass "numbers are 12 characters of Crockford's base32"
pp_assert_eq 640 "$(stat -c %a "$base/cards.csv")" "CSV file mode"
pp_assert_eq "number,value,currency" "$(head -n 1 "$base/cards.csv")" "CSV header"
pp_assert_eq "${cards[0]},500,EUR" "$(sed -n 2p "$base/cards.csv")" "CSV first row"
before=$(sha256sum <"$base/cards.csv")
out=$(pp card issue --count 2 --value 1.00 --csv "$base/cards.csv" 2>&1) && pp_fail "CSV overwritten"
grep -q "never overwritten" <<<"$out" || pp_fail "no reason given: $out"
pp_assert_eq "$before" "$(sha256sum <"$base/cards.csv")" "existing CSV unchanged"
pp_assert_eq 4 "$(pp card list --json | jq length)" "a refused CSV issued nothing"
pp_assert_eq "unissued 500 unissued 500 unissued 500 unissued 500" \
  "$(pp card list --json | jq -r '[.[] | "\(.state) \(.value)"] | join(" ")')" "card list: unissued, value"
pp card list | grep -q "^${cards[0]} .* unissued .* EUR 5.00$" || pp_fail "card list text: $(pp card list)"
pp_pass "card list text shows state and value"

# 2. Refused at a terminal before activation.
! pam_card "${cards[0]}" || pp_fail "unactivated card accepted"
grep -q "activate this card first" "$base/pam.out" || pp_fail "no reason at the terminal: $(cat "$base/pam.out")"
pp_pass "unactivated card refused at the terminal: activate this card first"
pp_assert_eq "unactivated " "$(last_attempt "${cards[0]}")" "terminal refusal logged"

# 3. Activation through pullprintd by users who cannot open the ledger.
pp_start_pullprintd "$state" "$base/pullprintd.log" -o admins=root
pp_assert_eq "card ${cards[0]} activated for alice: credited EUR 5.00, balance EUR 5.00" \
  "$(srv alice card activate "${cards[0],,}")" "alice activates her card (typed in lower case)"
pp_assert_eq "card ${cards[0]} was already activated by alice: nothing credited, balance EUR 5.00" \
  "$(srv alice card activate "${cards[0]}")" "alice activates it again"
pp_assert_eq "1 500" "$(credits "${cards[0]}")" "credited once"
fails "pullprint: cannot activate card ${cards[0]}: prepaid card ${cards[0]} was activated by another user" \
  "bob cannot take alice's card" srv bob card activate "${cards[0]}"
fails "pullprint: cannot activate card ${cards[1]}: Only admins may activate a card for another user." \
  "bob cannot activate for alice" srv bob card activate "${cards[1]}" --user alice
pp_assert_eq unissued "$(pp card list --json | jq -r --arg n "${cards[1]}" '.[] | select(.number == $n) | .state')" \
  "card 2 still unissued"
pp_assert_eq "card ${cards[1]} activated for bob: credited EUR 5.00, balance EUR 5.00" \
  "$(srv root card activate "${cards[1]}" --user bob)" "the admin activates a card for bob"
grep -q "Admin root activates a card for bob." "$base/pullprintd.log" || pp_fail "admin's activation not logged"
pp_pass "admin's activation for another user logged"
pp_assert_eq "alice active 500" \
  "$(pp card list alice --json | jq -r '.[0] | "\(.user) \(.state) \(.value)"')" "card list: alice's card active"

# 4. As nobody, without --server: the client finds pullprintd through the config key server.
skipped=""
if ((EUID == 0)); then
  install -m 0755 "$pullprint" "$base/pullprint-client"
  chmod 0700 "$state"
  chmod 0644 "$PP_CONFIG"
  pp_assert_eq "card ${cards[2]} activated for carol: credited EUR 5.00, balance EUR 5.00" \
    "$(setpriv --reuid=nobody --regid=nogroup --clear-groups -- env CUPS_USER=carol \
      "$base/pullprint-client" -c "$PP_CONFIG" -o "server=$PP_URI" card activate "${cards[2]}")" \
    "carol (as nobody) activates through pullprintd"
else
  skipped="step 4 runs the client as nobody (setpriv), which only root may"
fi

# 5. Guessing: mallory's third failure (card-max-failures = 3) locks her out for the hour.
for guess in 0000000000A1 0000000000A2 0000000000A3; do
  fails "pullprint: cannot activate card $guess: no prepaid card $guess" "mallory guesses $guess" \
    srv mallory card activate "$guess"
done
out=$(srv mallory card activate "${cards[3]}" 2>&1) && pp_fail "mallory activated while locked out"
grep -q "too many failed card activations by mallory" <<<"$out" || pp_fail "no lockout: $out"
pp_assert_eq "activation-locked mallory" "$(last_attempt "${cards[3]}")" "lockout logged"
pp_assert_eq 3 "$(sqlite3 "$state/ledger.sqlite" \
  "SELECT count(*) FROM card_attempts WHERE user = 'mallory' AND outcome = 'activation-unknown'")" \
  "mallory's failed guesses logged"
pp_assert_eq unissued "$(pp card list --json | jq -r --arg n "${cards[3]}" '.[] | select(.number == $n) | .state')" \
  "card 4 still unissued"
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null

# 6. The web form, as dave (auth = pam).
pp_use_pam "$base" dave:secret
pp_start_pullprintd "$state" "$base/pullprintd-pam.log" -o auth=pam
card_url="http://127.0.0.1:$PP_PORT/pullprint/card"
web_as() { curl -sS -o "$base/body" -w '%{http_code}' "$@"; }
pp_assert_eq 303 "$(web_as "$card_url")" "the card page sends a visitor to sign in"
home=$(curl -sS -u dave:secret "http://127.0.0.1:$PP_PORT/")
grep -q 'action="/pullprint/card"' <<<"$home" || pp_fail "no card form on dave's home page"
anonymous=$(curl -sS "http://127.0.0.1:$PP_PORT/")
! grep -q 'action="/pullprint/card"' <<<"$anonymous" || pp_fail "card form for anonymous users"
pp_pass "the home page has the card form for a signed-in user only"
session=$(curl -sS -u dave:secret "$card_url" | grep -o 'name="session" value="[^"]*"' |
  head -n 1 | sed 's/.*value="//; s/"$//')
[[ -n $session ]] || pp_fail "no session key in the card form"
pp_assert_eq 400 "$(web_as -u dave:secret --data-urlencode "number=${cards[3]}" "$card_url")" \
  "a form without its session key is refused"
pp_assert_eq unissued "$(pp card list --json | jq -r --arg n "${cards[3]}" '.[] | select(.number == $n) | .state')" \
  "card 4 still unissued after the refused form"
pp_assert_eq 200 "$(web_as -u dave:secret --data-urlencode "session=$session" \
  --data-urlencode "number=${cards[3]:0:4}-${cards[3]:4:4}-${cards[3]:8:4}" "$card_url")" \
  "dave activates card 4 on the web"
grep -q "Card ${cards[3]} activated: EUR 5.00 credited. Balance EUR 5.00." "$base/body" ||
  pp_fail "the page does not say what happened: $(cat "$base/body")"
pp_assert_eq 200 "$(web_as -u dave:secret --data-urlencode "session=$session" \
  --data-urlencode "number=${cards[3]}" "$card_url")" "dave activates it again"
grep -q "was already activated by you: nothing credited" "$base/body" ||
  pp_fail "a second activation is not told apart: $(cat "$base/body")"
pp_assert_eq "1 500" "$(credits "${cards[3]}")" "card 4 credited once"
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null

# 7. The activated card at the terminal; the ledger.
pam_card "${cards[0]}" || pp_fail "activated card refused: $(cat "$base/pam.out")"
pp_assert_eq "accepted alice" "$(last_attempt "${cards[0]}")" "activated card accepted as alice's"
pp_assert_eq 500 "$(pp balance alice --ledger --json | jq .balance)" "alice's balance"
pp_assert_eq "top-up prepaid-card:${cards[0]}" \
  "$(pp history alice --ledger --json | jq -r '.[0] | "\(.kind) \(.key)"')" "alice's history"
pp ledger check >/dev/null || pp_fail "ledger check failed: $(pp ledger check 2>&1)"
pp_pass "ledger check"
# A top-up under a card's key without its activation is money from nowhere: the check says so.
pp card issue --count 1 --value 2.00 --json >"$base/extra.json"
extra=$(jq -r '.[0].number' "$base/extra.json")
pp topup alice 2.00 --key "prepaid-card:$extra" >/dev/null
out=$(pp ledger check 2>&1) && pp_fail "ledger check missed a card credit without activation"
grep -q "VIOLATION: prepaid: journal entry prepaid-card:$extra credits no activated prepaid card" <<<"$out" ||
  pp_fail "no prepaid violation: $out"
pp_pass "ledger check finds a card credit without activation"
[[ -z $skipped ]] || pp_skip_unchangeable "$skipped"
