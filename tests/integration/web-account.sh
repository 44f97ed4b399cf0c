#!/bin/bash
# Integration: "My account" (/pullprint/account) and its CSV (/pullprint/account.csv) on a real
# pullprintd under PAM (pam_wrapper), played by curl (HTTP Basic) and headless chromium. Checks:
#  1. no credentials: 303 to the sign-in form; alice's page after an allocation and a top-up shows the balance with
#     allocated and self-paid apart, and the shared accounts she may charge (by name and through
#     @group), not one she may not;
#  2. after a print released to Lab_A (a real ippeveprinter): a history row with the title
#     (escaped), pages, colour pages, printer and price, the refund link; the balance is lower;
#  3. the history is paginated by the store: with more than 50 entries, 50 rows and an "Older
#     entries" link whose page holds the rest and no link further;
#  4. the CSV download: attachment, a header, one line per money entry (as many as the ledger
#     has), the print's line with its title quoted;
#  5. alice cannot read bob's history or CSV: ?user=bob and ?account=bob / ?account=physics-dept
#     are 403 (and logged), and bob's page shows none of alice's rows; a POST is refused;
#  6. headless chromium renders the page (balance and the print's title), with a screenshot.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_lab_a_site
cat >>"$PP_CONFIG" <<CONF
[allocation students]
users = alice
amount = 300
period = monthly
mode = add
CONF
pp_use_pam "$base" alice:secret bob:hunter2
pp_escaped_title_doc

# Money: alice gets EUR 3.00 allocated and tops up EUR 5.00 herself; bob EUR 1.00.
pp_funded_accounts 5.00 alice
pp_funded_accounts 1.00 bob
pp allocation run --at 2026-01-05T08:00:00Z >/dev/null
# Shared accounts: physics-dept names alice, chemistry admits @chem (alice is in it), art admits
# only bob.
pp group add chem >/dev/null
pp group member add chem alice >/dev/null
for account in physics-dept chemistry art; do pp account create "$account" --shared >/dev/null; done
pp topup physics-dept 20.00 --key topup-physics >/dev/null
pp account member add physics-dept alice >/dev/null
pp account member add chemistry @chem >/dev/null
pp account member add art bob >/dev/null

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
account_url() { echo "http://127.0.0.1:$PP_PORT/pullprint/account${1:-}"; }
# page USER:PASSWORD [PATH-SUFFIX] [curl args]: the account page (or .csv) as that user; the body
# on stdout, the status in $base/status, the headers in $base/headers.
page() {
  local credentials=$1 suffix=${2:-}
  shift 2 || shift $#
  curl -sS -u "$credentials" -D "$base/headers" -o "$base/body" -w '%{http_code}' "$@" \
    "$(account_url "$suffix")" >"$base/status"
  cat "$base/body"
}
balance_of() { pp account show "$1" --json | pp_json "$2"; }
entries_of() {  # the user's money entries (every kind but reserve and void)
  pp history "$1" --json --limit 1000 | jq '[.[] | select(.kind != "reserve" and .kind != "void")] | length'
}

# --- 1. balance by origin, shared accounts.
pp_assert_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' "$(account_url)")" \
  "HTTP status without credentials"
out=$(page alice:secret)
pp_assert_eq 200 "$(status)" "HTTP status of alice's account page"
has() { grep -qF "$1" <<<"$out" || { echo "$out" >&2; pp_fail "$2"; }; }
has "<td id=\"balance\">$(money 800)</td>" "the balance EUR 8.00 is not shown"
has "<td id=\"allocated\">$(money 300)</td>" "allocated EUR 3.00 is not shown apart"
has "<td id=\"self-paid\">$(money 500)</td>" "self-paid EUR 5.00 is not shown apart"
has "<td id=\"available\">$(money 800)</td>" "available EUR 8.00 is not shown"
has 'data-account="physics-dept"' "physics-dept (alice a member by name) is not listed"
has 'data-account="chemistry"' "chemistry (alice in @chem) is not listed"
grep -qF 'data-account="art"' <<<"$out" && pp_fail "art (bob only) is listed for alice"
has "<td>$(money 2000)</td>" "physics-dept's balance is not shown"
has 'class="kind-allocation"' "no allocation row in the history"
has 'class="kind-top-up"' "no top-up row in the history"
for id in link-card link-transfer link-notifications download-csv; do has "id=\"$id\"" "no $id link"; done
pp_pass "balance EUR 8.00 = allocated EUR 3.00 + self-paid EUR 5.00; shared accounts by name and @group"

# --- 2. a print: its history row.
PP_URI="ipp://alice:secret@127.0.0.1:$PP_PORT/ipp/print" pp_submit alice "$doc" >/dev/null
job=$(sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = 'alice'")
key=$(session alice:secret)
[[ -n $key ]] || pp_fail "no session key on alice's jobs page"
web alice:secret -d "session=$key" -d action=release -d printer=Lab_A -d "job-$job=1" >/dev/null
job_is() { [[ $(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1") == "$2" ]]; }
pp_wait_for 60 "job $job to print" job_is "$job" printed
price=$(sqlite3 "$state/jobs.sqlite" "SELECT final_price_minor FROM held_jobs WHERE id = $job")
pages=$(sqlite3 "$state/jobs.sqlite" "SELECT pages FROM held_jobs WHERE id = $job")
colour=$(sqlite3 "$state/jobs.sqlite" "SELECT color_pages FROM held_jobs WHERE id = $job")
stored=$(sqlite3 "$state/jobs.sqlite" "SELECT title FROM held_jobs WHERE id = $job")
[[ $stored != *[,\"]* ]] || pp_fail "test needs a title without a comma or quote: $stored"
capture=$(pp history alice --json --limit 1000 | jq '[.[] | select(.kind == "capture")][0].id')
out=$(page alice:secret)
row=$(grep -F "id=\"entry-$capture\"" <<<"$out") || { echo "$out" >&2; pp_fail "no row for capture $capture"; }
for part in 'class="kind-print"' "$escaped_title" "<span class=\"job-pages\">$pages</span>" \
  "<span class=\"job-color-pages\">$colour</span>" '<span class="job-printer">Lab_A</span>' \
  "<td class=\"amount\">EUR -$(printf '%d.%02d' $((price / 100)) $((price % 100)))</td>" \
  "href=\"/pullprint/refund?job=$job\""; do
  grep -qF -- "$part" <<<"$row" || { echo "$row" >&2; pp_fail "the print's row lacks $part"; }
done
grep -qF "<b>" <<<"$out" && pp_fail "the job title reached the page unescaped"
has "<td id=\"balance\">$(money $((800 - price)))</td>" "the balance after the print"
has "<td id=\"allocated\">$(money $((300 - price)))</td>" "allocated money is spent first"
pp_pass "the print's row: title, $pages pages ($colour colour), Lab_A, $(money "$price"), refund link"

# --- 3. pagination by the store: 60 more entries.
for i in $(seq 1 60); do pp topup alice 0.01 --key "small-$i" >/dev/null; done
total=$(entries_of alice)
((total > 50 && total <= 100)) || pp_fail "test needs 51..100 entries, has $total"
out=$(page alice:secret)
pp_assert_eq 50 "$(grep -c 'id="entry-' <<<"$out")" "rows on the first page"
older=$(grep -o 'id="history-older" href="[^"]*"' <<<"$out" | sed 's/.*href="//; s/"$//')
[[ $older == "/pullprint/account?before="* ]] || { echo "$out" >&2; pp_fail "no older link"; }
last_shown=$(grep -o 'id="entry-[0-9]*"' <<<"$out" | tail -n 1 | tr -dc 0-9)
pp_assert_eq "/pullprint/account?before=$last_shown" "$older" "the older link starts after the last row"
out=$(page alice:secret "?before=$last_shown")
pp_assert_eq 200 "$(status)" "HTTP status of the older page"
pp_assert_eq $((total - 50)) "$(grep -c 'id="entry-' <<<"$out")" "rows on the older page"
grep -qF 'id="history-older"' <<<"$out" && pp_fail "the last page links further"
grep -qF 'id="history-newest"' <<<"$out" || pp_fail "the older page has no link to the newest"
grep -qF "id=\"entry-$capture\"" <<<"$out" || pp_fail "the print is not on the older page"
page alice:secret "?before=abc" >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of ?before=abc"
pp_pass "paginated: 50 rows, then $((total - 50)) on the older page"

# --- 4. the CSV download.
csv=$(page alice:secret .csv)
pp_assert_eq 200 "$(status)" "HTTP status of the CSV"
grep -qi '^Content-Type: text/csv' "$base/headers" || { cat "$base/headers" >&2; pp_fail "not text/csv"; }
grep -qi '^Content-Disposition: attachment; filename="pullprint-history.csv"' "$base/headers" ||
  { cat "$base/headers" >&2; pp_fail "no Content-Disposition: attachment"; }
pp_assert_eq "entry,date,kind,amount,allocated,self_paid,currency,job,title,pages,color_pages,printer,job_owner,note" \
  "$(head -n 1 <<<"$csv" | tr -d '\r')" "the CSV header"
pp_assert_eq $((total + 1)) "$(grep -c . <<<"$csv")" "CSV lines (header + every money entry)"
line=$(grep "^$capture," <<<"$csv" | tr -d '\r')
pp_assert_eq "$capture,print,-$(printf '%d.%02d' $((price / 100)) $((price % 100))),EUR,$job,$stored,$pages,$colour,Lab_A,alice" \
  "$(cut -d, -f1,3,4,7-13 <<<"$line")" "the print's CSV line"
pp_pass "CSV: attachment, $((total + 1)) lines, the print's line"

# --- 5. nobody else's history.
for query in "?user=bob" "?account=bob" "?account=physics-dept"; do
  out=$(page alice:secret "$query")
  pp_assert_eq 403 "$(status)" "HTTP status of alice's $query"
  grep -qF "$(money 100)" <<<"$out" && pp_fail "alice's $query shows bob's money"
  page alice:secret ".csv$query" >/dev/null
  pp_assert_eq 403 "$(status)" "HTTP status of alice's CSV $query"
done
grep -q "asked for the history of user=bob: refused" "$base/pullprintd.log" ||
  pp_fail "the refusal is not logged"
page alice:secret "?user=alice" >/dev/null
pp_assert_eq 200 "$(status)" "HTTP status of alice's own ?user=alice"
out=$(page bob:hunter2)
pp_assert_eq 200 "$(status)" "HTTP status of bob's page"
grep -qF "$escaped_title" <<<"$out" && pp_fail "bob's page shows alice's print"
grep -qF "id=\"entry-$capture\"" <<<"$out" && pp_fail "bob's page has alice's entry"
grep -qF "<td id=\"balance\">$(money 100)</td>" <<<"$out" || pp_fail "bob's balance"
grep -qF 'data-account="art"' <<<"$out" || pp_fail "bob's shared account art"
bob_csv=$(page bob:hunter2 .csv)
pp_assert_eq 2 "$(grep -c . <<<"$bob_csv")" "bob's CSV lines (header + his top-up)"
page alice:secret "" -d x=1 >/dev/null
pp_assert_eq 405 "$(status)" "HTTP status of a POST"
pp_pass "?user= / ?account= of others: 403; bob sees only his own"

# --- 6. a real browser.
shots=${PP_ARTIFACTS:-$base}
mkdir -p "$shots"
rendered=$(browser "$(account_url)" --user alice:secret --text '#balance' --text '#history .job-title' \
  --screenshot "$shots/web-account.png")
pp_assert_eq "$(money $((860 - price)))" "$(jq -r '.text["#balance"][0]' <<<"$rendered")" \
  "the balance as chromium renders it"
[[ $(jq -r .title <<<"$rendered") == "My account"* ]] || pp_fail "chromium's page title: $rendered"
[[ -s "$shots/web-account.png" ]] || pp_fail "no screenshot"
pp_pass "chromium renders the account page (screenshot $shots/web-account.png)"
