#!/bin/bash
# Integration: who opens which console page (/pullprint/admin/...), for every page of the
# console's own table (console_pages() in pappl-server/web/web-console.cpp, read by
# support/console_pages.py: a page added there is checked here), against a real pullprintd
# under PAM (pam_wrapper) with a real printer, and in a real browser:
#
#  1. without signing in every page answers 303 to the sign-in form;
#  2. alice (a user) gets 403 on every page;
#  3. carol (an operator, the default operator-may: topup, release, cancel, review) opens the
#     dashboard and the pages of those actions (accounts, jobs, review, receipts) and gets 403 on
#     every other (refunds, printers, cards, allocations, directories, ledger, audit, reports);
#  4. dana (an admin) opens every page (no 403, no 5xx);
#  5. paula, an admin of the scope "physics" (users bob, printer Lab_B), gets 403 on the
#     site-wide pages (allocations, directories, ledger, audit) only;
#  6. each one's navigation bar names exactly the pages they may open;
#  7. an unknown operator-may word and a scope without users stop pullprintd at start, with
#     the word named;
#  8. headless Chromium (support/console_tour.py): dana signs in through the form and clicks
#     every link of the console's navigation bar (a screenshot of each page: console-*.png in
#     $PP_SCREENSHOT_DIR, else build/screenshots); carol's bar; alice's 403 page.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_test_site
pp_require_ipp_printer
shots=${PP_SCREENSHOT_DIR:-$PULLPRINT_BUILD_DIR/screenshots}
mkdir -p "$shots"

pp_start_ipp_printer "$base/printer"
pp_lab_a_printer
cat >>"$PP_CONFIG" <<CONF
[printer Lab_B]
price-profile = default
device-uri = $PP_PRINTER_URI
[admin-scope physics]
admins = paula
users = bob
printers = Lab_B
CONF
pp_use_pam "$base" alice:secret bob:hunter2 carol:pw-carol dana:pw-dana paula:pw-paula
pp_config_top "admins = dana" "operators = carol"
pp_funded_accounts 5.00 alice bob
pp_sample_pdf "$base/sample.pdf"

# 7. Bad console settings stop pullprintd at start (before the good run below).
refused_start() {
  local expected=$1 log=$base/refused.log status=0
  shift
  timeout 20 "$PP_PULLPRINTD" -c "$PP_CONFIG" -o "listen=127.0.0.1:$(pp_free_port)" \
    -o "state-dir=$state" -o auth=pam -o tls=off -o dnssd=off "$@" >"$log" 2>&1 || status=$?
  ((status != 0 && status != 124)) || pp_fail "pullprintd started with $*: exit status $status"
  grep -qF -- "$expected" "$log" || { cat "$log" >&2; pp_fail "the start-up failure does not say '$expected'"; }
}
refused_start "unknown action 'fly'" -o "operator-may=topup, fly"
refused_start "[admin-scope empty] names no users" -o "admin-scope.empty.admins=paula"
pp_pass "an unknown operator-may word and a scope without users stop pullprintd at start"

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam -o tls=off
site="http://127.0.0.1:$PP_PORT"
pp_submit alice "$base/sample.pdf" >/dev/null  # something on the jobs pages

python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/console_pages.py" "$PULLPRINT_SOURCE_DIR" \
  >"$base/pages.json" || pp_fail "cannot read the console's table of pages"
mapfile -t paths < <(jq -r '.[].path' "$base/pages.json")
echo "console pages: ${#paths[@]}"

# code PATH [curl args]: the HTTP status of a GET of PATH.
code() {
  local path=$1
  shift
  curl -sS -o "$base/body" -w '%{http_code}' "$@" "$site$path"
}

# opens ROLE-WORDS PAGE: whether a role with these action words opens the page (its table row:
# no actions = every console role; else any one of them).
opens() {
  jq -e --arg path "$2" --arg words "$1" \
    '.[] | select(.path == $path) | (.actions | length == 0) or
       any(.actions[]; . as $a | ($words | split(" ") | index($a)))' "$base/pages.json" >/dev/null
}

# 1. and 2.
for path in "${paths[@]}"; do
  pp_assert_eq 303 "$(code "$path")" "status of $path without signing in"
  pp_assert_eq 403 "$(code "$path" -u alice:secret)" "status of $path for alice (a user)"
done
pp_pass "every console page: 303 to the sign-in form without a session, 403 for a user"

# 3.-5. What each role's actions open, by the table; the rest is 403.
carol_may="topup release cancel review accounts jobs"  # the default operator-may and what it implies
all_words="accounts topup adjust refund account-settings jobs cancel release charge review printers cards allocations directories ledger reports audit"
paula_may="accounts topup adjust refund account-settings jobs cancel release charge review printers cards reports"
check_role() {
  local credentials=$1 words=$2 path status
  for path in "${paths[@]}"; do
    status=$(code "$path" -u "$credentials")
    if opens "$words" "$path"; then
      [[ $status != 403 && $status -lt 500 ]] ||
        pp_fail "${credentials%%:*} may open $path but got $status: $(head -c 400 "$base/body")"
    else
      pp_assert_eq 403 "$status" "status of $path for ${credentials%%:*}"
    fi
  done
}
check_role carol:pw-carol "$carol_may"
pp_pass "carol (operator) opens the pages of topup, release, cancel, review and gets 403 on the others"
check_role dana:pw-dana "$all_words"
pp_pass "dana (admin) opens every console page"
check_role paula:pw-paula "$paula_may"
pp_pass "paula (admin of physics) gets 403 on the site-wide pages only"

# 6. The navigation bar names exactly the pages a role opens.
nav_of() { code /pullprint/admin -u "$1" >/dev/null; grep -o '<nav class="pp-console-nav".*</nav>' "$base/body" |
  grep -o '>[^<>]*</a>' | sed 's/^>//; s/<\/a>$//' | grep -v '^My jobs$' | tr '\n' ' '; }
expected_nav() { local path; for path in "${paths[@]}"; do
  opens "$1" "$path" && jq -r --arg p "$path" '.[] | select(.path == $p) | .nav' "$base/pages.json"
done | grep -v '^$' | tr '\n' ' '; }
pp_assert_eq "$(expected_nav "$carol_may")" "$(nav_of carol:pw-carol)" "carol's navigation bar"
pp_assert_eq "$(expected_nav "$all_words")" "$(nav_of dana:pw-dana)" "dana's navigation bar"
pp_assert_eq "$(expected_nav "$paula_may")" "$(nav_of paula:pw-paula)" "paula's navigation bar"
pp_pass "each role's navigation bar names exactly the pages it opens"

# 8. In a real browser.
jq -n --arg site "$site" --arg shots "$shots" --slurpfile pages "$base/pages.json" '{
  site: $site, screenshots: $shots, pages: $pages[0],
  passwords: {alice: "secret", carol: "pw-carol", dana: "pw-dana"}
}' >"$base/plan.json"
timeout 600 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/console_tour.py" \
  "$base/plan.json" || pp_fail "the console tour failed (screenshots in $shots)"
pp_pass "the console tour in chromium (screenshots in $shots)"
