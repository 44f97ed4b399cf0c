#!/bin/bash
# Integration: every web address pullprintd advertises answers a page, and a person who opens
# the server in a browser lands on one (pullprintd, auth = pam under pam_wrapper; alice is a
# user, dana an admin). Checks:
#  1. "/" (printer-more-info, DNS-SD adminurl, PAPPL's home button): 200, the queue's URI, the
#     sign-in form and a My jobs link, no Administration link; a POST that is not IPP: 400;
#  2. every http(s)/ipp(s) URI in Get-Printer-Attributes and Get-System-Attributes (more-info,
#     supply-info-uri, icons, uri-supported, xri-uri, system-uri, ...) answers 200 over HTTP
#     (ipp -> http); IPP itself still works on /ipp/print;
#  3. "/supplies" (printer-supply-info-uri) lists the release printers, escaped, with their prices
#     per side and sheet, and which are out of service;
#  4. signed in: "/" greets alice with My jobs and no Administration link, dana with it; a wrong
#     password is a visitor; My jobs links to Administration for dana only;
#  5. /pullprint/admin: the sign-in form (303) without credentials, 403 for alice; for dana the
#     console's jobs page (/pullprint/admin/jobs) with everybody's held jobs (alice's, escaped)
#     and the review page (/pullprint/admin/review) with the deliveries under review;
#  6. headless chromium renders "/" with the sign-in form (a screenshot in $PP_SCREENSHOT_DIR when
#     set) and dana's console jobs page with alice's job title as it is.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_test_site
pp_config_top "admins = dana"
off_port=$(pp_free_port)
cat >>"$PP_CONFIG" <<CONF
[price Lab_A]
mono-impression = 7
color-impression = 40
sheet = 2
[printer Lab_A]
location = Library <1st> & 'floor'
device-uri = ipp://127.0.0.1:$off_port/ipp/print
[printer Lab_Old]
enabled = false
device-uri = socket://127.0.0.1:$off_port
CONF
pp_use_pam "$base" alice:secret dana:pw-dana
pp_funded_accounts 5.00 alice

pp_escaped_title_doc

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
site="http://127.0.0.1:$PP_PORT"
# get PATH [curl args]: the body on stdout, the HTTP status in $base/status.
get() {
  local path=$1
  shift
  curl -sS -o "$base/body" -w '%{http_code}' "$@" "$site$path" >"$base/status"
  cat "$base/body"
}
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
has() { grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; pp_fail "$3"; }; }
lacks() { ! grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; pp_fail "$3"; }; }
admin_link='href="/pullprint/admin"'

# --- 1. the landing page.
out=$(get /)
pp_assert_eq 200 "$(status)" "HTTP status of /"
has "$out" '<button type="submit" id="sign-in">Sign in</button>' "no sign-in form on /"
has "$out" '<input type="hidden" name="next" value="/pullprint/jobs">' "the form does not lead to My jobs"
has "$out" '<a id="my-jobs" href="/pullprint/jobs">My jobs</a>' "no My jobs link on /"
has "$out" "<code>ipp://127.0.0.1:$PP_PORT/ipp/print</code>" "the queue's URI is not on /"
has "$out" 'href="/supplies"' "no link to the release printers on /"
lacks "$out" "$admin_link" "a visitor sees the Administration link"
pp_assert_eq 400 "$(code -d x=1 "$site/")" "HTTP status of a form POST to /"
pp_pass "/ is the landing page with the sign-in form"

# --- 2. every URI of the queue and the system answers.
submit() { PP_URI="ipp://$1@127.0.0.1:$PP_PORT/ipp/print" pp_submit "${1%%:*}" "$2" >/dev/null; }
submit alice:secret "$doc"
job=$(sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = 'alice'")
pp_assert_eq held "$(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $job")" \
  "alice's job, printed over IPP to the queue"
cat >"$base/system.test" <<'TEST'
{
  NAME "Get-System-Attributes"
  OPERATION Get-System-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri system-uri $uri
  STATUS successful-ok
}
TEST
printer_attrs=$(ipptool -tv "$PP_URI" get-printer-attributes.test)
system_attrs=$(ipptool -tv "ipp://127.0.0.1:$PP_PORT/ipp/system" "$base/system.test")
value() { sed -n "s/^ *$1 ([^)]*) = //p" <<<"$printer_attrs"; }
more_info=$(value printer-more-info)
pp_assert_eq "http://localhost:$PP_PORT/" "$more_info" "printer-more-info"
pp_assert_eq "http://localhost:$PP_PORT/supplies" "$(value printer-supply-info-uri)" "printer-supply-info-uri"
pp_assert_eq 3 "$(value printer-icons | tr ',' '\n' | grep -c '\.png$')" "printer-icons"
mapfile -t uris < <(grep -ohE '(ipps?|https?)://[^ ,}]+' <<<"$printer_attrs$system_attrs" | sort -u)
for name in "$more_info" "$(value printer-supply-info-uri)" "$(value printer-uri-supported)" \
  "ipp://localhost:$PP_PORT/ipp/system"; do
  [[ " ${uris[*]} " == *" $name "* ]] || pp_fail "$name is not among the URIs found: ${uris[*]}"
done
for uri in "${uris[@]}"; do
  url=$(sed 's|^ipp://|http://|; s|^ipps://|https://|' <<<"$uri")
  pp_assert_eq 200 "$(code "$url")" "HTTP status of $uri"
done
pp_pass "${#uris[@]} advertised URIs answer 200"

# --- 3. the release printers.
out=$(get /supplies)
pp_assert_eq 200 "$(status)" "HTTP status of /supplies"
has "$out" "<tr><td>Lab_A</td><td>Library &lt;1st&gt; &amp; &#39;floor&#39;</td><td>EUR 0.07</td><td>EUR 0.40</td><td>EUR 0.02</td><td></td></tr>" \
  "Lab_A's row on /supplies"
has "$out" "<tr><td>Lab_Old</td><td></td><td>EUR 0.10</td><td>EUR 0.50</td><td>EUR 0.00</td><td>out of service</td></tr>" \
  "Lab_Old's row on /supplies"
pp_pass "/supplies lists Lab_A (escaped, its prices) and Lab_Old (out of service)"

# --- 4. signed in: who sees the Administration link.
out=$(get / -u alice:secret)
has "$out" "Signed in as alice." "/ does not greet alice"
has "$out" '<a class="btn" href="/pullprint/jobs">My jobs</a>' "no My jobs link for alice on /"
lacks "$out" "$admin_link" "alice sees the Administration link on /"
out=$(get / -u dana:pw-dana)
has "$out" "Signed in as dana." "/ does not greet dana"
has "$out" "$admin_link" "dana does not see the Administration link on /"
out=$(get / -u alice:wrong)
pp_assert_eq 200 "$(status)" "HTTP status of / with a wrong password"
has "$out" 'id="sign-in"' "a wrong password does not get the sign-in link"
lacks "$out" "Signed in as" "a wrong password is signed in"
lacks "$(get /pullprint/jobs -u alice:secret)" "$admin_link" "alice's My jobs links to Administration"
has "$(get /pullprint/jobs -u dana:pw-dana)" "$admin_link" "dana's My jobs lacks the Administration link"
pp_pass "only dana, the admin, gets the Administration link (/ and My jobs)"

# --- 5. the admins' page.
pp_assert_eq 303 "$(code "$site/pullprint/admin")" "HTTP status of /pullprint/admin without credentials"
get /pullprint/admin -u alice:secret >/dev/null
pp_assert_eq 403 "$(status)" "HTTP status of /pullprint/admin for alice"
get /pullprint/admin -u dana:pw-dana >/dev/null
pp_assert_eq 200 "$(status)" "HTTP status of /pullprint/admin for dana"
out=$(get /pullprint/admin/jobs -u dana:pw-dana)
pp_assert_eq 200 "$(status)" "HTTP status of /pullprint/admin/jobs for dana"
has "$out" "<tr><td>$job</td><td>alice</td><td>alice</td>" "alice's job is not on the admins' page"
has "$out" "$escaped_title" "alice's job title (escaped) is not on the admins' page"
lacks "$out" "<b>" "a title reached the admins' page unescaped"
has "$out" 'table class="list" id="console-jobs" summary="Held jobs"' "no held jobs table"
out=$(get /pullprint/admin/review -u dana:pw-dana)
pp_assert_eq 200 "$(status)" "HTTP status of /pullprint/admin/review for dana"
has "$out" "Deliveries under review (0)" "no deliveries-under-review section"
pp_pass "the admins' page: sign in first, 403 for alice, alice's job for dana"

# --- 6. a real browser.
shot="$base/landing.png"
rendered=$(browser "$site/" --text "#sign-in" --screenshot "$shot")
pp_assert_eq "Pull printing - PullPrint" "$(jq -r .title <<<"$rendered")" "chromium's title of /"
pp_assert_eq "Sign in" "$(jq -r '.text["#sign-in"] | join("|")' <<<"$rendered")" \
  "the sign-in button as chromium renders it"
pp_assert_eq "$site/pullprint/jobs" \
  "$(jq -r '.links[] | select(.text == "My jobs") | .href' <<<"$rendered" | head -n 1)" \
  "where chromium's My jobs link goes"
[[ $(stat -c %s "$shot") -gt 10000 ]] || pp_fail "chromium's screenshot of / is (nearly) empty"
[[ -z ${PP_SCREENSHOT_DIR:-} ]] || cp "$shot" "$PP_SCREENSHOT_DIR/pullprintd-landing.png"
stored=$(sqlite3 "$state/jobs.sqlite" "SELECT title FROM held_jobs WHERE id = $job")
cell="table[summary=\"Held jobs\"] tbody tr:first-child td:nth-child(4)"
rendered=$(browser "$site/pullprint/admin/jobs" --user dana:pw-dana --text "$cell")
pp_assert_eq "$stored" "$(jq -r --arg s "$cell" '.text[$s] | join("|")' <<<"$rendered")" \
  "alice's job title on the admins' page as chromium renders it"
