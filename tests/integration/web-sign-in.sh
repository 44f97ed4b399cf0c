#!/bin/bash
# Integration: signing in to the web pages with the form (web/web-sign-in.cpp,
# web/web-session.cpp) on a real pullprintd under PAM (pam_wrapper), driven by curl.
#
# Checks:
#  1. My jobs without a session is a 303 to the sign-in form with next=/pullprint/jobs; "/" shows
#     the form; no WWW-Authenticate (no browser pop-up).
#  2. A wrong password: 403, the form again with the name kept, no session cookie; logged with
#     the address.
#  3. The right password: 303 to next, a cookie "pullprint-session" with Path=/pullprint/,
#     HttpOnly, SameSite=Lax; My jobs then greets alice; next= cannot send her elsewhere.
#  4. A card and its PIN sign bob in (the card service, pam_pullprint.so).
#  5. CSRF: alice's form token is per session: PAPPL's shared token, bob's token or none are
#     refused (400) and change nothing; her own cancels her job.
#  6. Sign-out ends the session on the server: the old cookie no longer opens My jobs.
#  7. Failed sign-ins lock the name (web-sign-in-attempts = 3): the right password is then
#     refused with 429 without asking PAM, and the lock is logged.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

pp_test_site
pp_test_home
pp_config_top "web-sign-in-attempts = 3"
pp_use_pam "$base" alice:secret bob:hunter2 carol:opensesame
pp_funded_accounts 5.00 alice bob carol
pp card add 0412345678 bob >/dev/null
printf '1357\n' | pp card pin 0412345678 >/dev/null
pp_sample_pdf "$base/sample.pdf"
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam -o tls=on
site="http://127.0.0.1:$PP_PORT"

# get JAR PATH [curl args]: GET with the cookie jar JAR; body in $base/body, headers in
# $base/headers; prints the HTTP status.
get() {
  local jar=$1 path=$2
  shift 2
  curl -sS -b "$base/$jar" -c "$base/$jar" -D "$base/headers" -o "$base/body" -w '%{http_code}' \
    "$@" "$site$path"
}
# post JAR PATH FIELD=VALUE...: a url-encoded POST; as get.
post() {
  local jar=$1 path=$2 field
  shift 2
  local args=()
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  get "$jar" "$path" "${args[@]}"
}
header() { grep -i "^$1:" "$base/headers" | head -n 1 | sed 's/^[^:]*: *//; s/\r$//'; }
# The CSRF token of the first form in the last body.
form_token() {
  { grep -o 'name="session" value="[^"]*"' "$base/body" || true; } | head -n 1 |
    sed 's/.*value="//; s/"$//'
}
has() { grep -qF -- "$2" "$base/body" || { cat "$base/body" >&2; pp_fail "$1"; }; }
session_cookie() { awk '$6 == "pullprint-session" { print $7 }' "$base/$1"; }

# --- 1. no session: a redirect to the form, not a Basic challenge.
pp_assert_eq 303 "$(get anon /pullprint/jobs)" "My jobs without a session"
pp_assert_eq "/pullprint/sign-in?next=%2Fpullprint%2Fjobs" "$(header Location)" "where it sends"
[[ -z "$(header WWW-Authenticate)" ]] || pp_fail "a Basic challenge (the browser's pop-up)"
pp_assert_eq 200 "$(get anon /)" "the landing page"
has "/ has no sign-in form" 'id="sign-in-user"'
has "/ has no card sign-in" 'id="sign-in-card"'
pp_assert_eq 200 "$(get anon '/pullprint/sign-in?next=/pullprint/card')" "the sign-in page"
has "the form does not carry next" 'name="next" value="/pullprint/card"'
pp_pass "no session: 303 to the sign-in form (no Basic pop-up); / and the sign-in page show it"

# --- 2. a wrong password.
token=$(form_token)
pp_assert_eq 403 "$(post alice /pullprint/sign-in "session=$token" user=alice password=wrong \
  next=/pullprint/jobs)" "a wrong password"
has "no message for a wrong password" "The user name or password is not right."
has "the name is not kept" 'value="alice"'
[[ -z "$(session_cookie alice)" ]] || pp_fail "a session cookie after a wrong password"
grep -q "Web sign-in of alice from 127.0.0.1 failed" "$base/pullprintd.log" ||
  pp_fail "the failed sign-in is not logged"
pp_pass "a wrong password: 403, the form again, no session, logged"

# --- 3. the right password.
pp_assert_eq 303 "$(post alice /pullprint/sign-in "session=$token" user=alice password=secret \
  next=/pullprint/jobs)" "alice signs in"
pp_assert_eq /pullprint/jobs "$(header Location)" "alice goes on to"
cookie=$(header Set-Cookie)
for attribute in "Path=/pullprint/" "HttpOnly" "SameSite=Lax"; do
  [[ "$cookie" == *"; $attribute"* ]] || pp_fail "the session cookie lacks $attribute: $cookie"
done
[[ "$cookie" =~ ^pullprint-session=[0-9a-f]{64}\; ]] || pp_fail "the cookie's token: $cookie"
alice_cookie=$(session_cookie alice)
pp_assert_eq 200 "$(get alice /pullprint/jobs)" "alice's My jobs"
has "My jobs does not greet alice" "Signed in as alice."
# next= leads only to our own pages.
for evil in "https://evil.example/" "//evil.example/x" "/pullprint/../../etc" "/\\evil"; do
  get anon /pullprint/sign-in >/dev/null
  pp_assert_eq 303 "$(post evil /pullprint/sign-in "session=$(form_token)" user=carol \
    password=opensesame "next=$evil")" "sign-in with next=$evil"
  pp_assert_eq /pullprint/jobs "$(header Location)" "next=$evil goes to My jobs"
done
pp_pass "the right password: a session cookie (Path=/pullprint/, HttpOnly, SameSite=Lax); next= stays on our pages"

# --- 4. a card and its PIN.
get bob /pullprint/sign-in >/dev/null
pp_assert_eq 403 "$(post bob /pullprint/sign-in "session=$(form_token)" card=0412345678 pin=0000)" \
  "bob's card with a wrong PIN"
has "no message for a wrong PIN" "The card or its PIN is not right."
pp_assert_eq 303 "$(post bob /pullprint/sign-in "session=$(form_token)" card=0412345678 pin=1357)" \
  "bob's card and PIN"
pp_assert_eq 200 "$(get bob /pullprint/jobs)" "bob's My jobs"
has "the card does not sign bob in" "Signed in as bob."
pp_pass "a card and its PIN sign its owner in"

# --- 5. CSRF tokens belong to one session.
job=$(PP_URI="ipps://alice:secret@127.0.0.1:$PP_PORT/ipp/print" pp_submit alice "$base/sample.pdf" |
  pp_ipp_value job-id)
[[ -n "$job" ]] || pp_fail "alice's job was not held"
get alice /pullprint/jobs >/dev/null
alice_token=$(form_token)
get bob /pullprint/jobs >/dev/null
bob_token=$(form_token)
get anon / >/dev/null
public_token=$(form_token)
[[ "$alice_token" != "$bob_token" && "$alice_token" != "$public_token" ]] ||
  pp_fail "alice's form token is not her own"
for forged in "$bob_token" "$public_token" ""; do
  pp_assert_eq 400 "$(post alice /pullprint/jobs "session=$forged" "cancel=$job")" \
    "a cancel with another token"
done
pp_assert_eq held "$(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $job")" \
  "alice's job after forged forms"
pp_assert_eq 200 "$(post alice /pullprint/jobs "session=$alice_token" "cancel=$job")" \
  "a cancel with her token"
pp_assert_eq cancelled "$(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $job")" \
  "alice's job after her cancel"
pp_pass "form tokens are per session: other sessions' and PAPPL's tokens are refused"

# --- 6. sign-out ends the session on the server.
pp_assert_eq 200 "$(get alice /pullprint/sign-out)" "the sign-out page"
pp_assert_eq 303 "$(post alice /pullprint/sign-out "session=$(form_token)")" "alice signs out"
[[ "$(header Set-Cookie)" == *"Max-Age=0"* ]] || pp_fail "sign-out does not delete the cookie"
printf '127.0.0.1\tFALSE\t/pullprint/\tFALSE\t0\tpullprint-session\t%s\n' "$alice_cookie" \
  >"$base/replay"
pp_assert_eq 303 "$(get replay /pullprint/jobs)" "My jobs with the signed-out cookie"
pp_assert_eq 403 "$(post replay /pullprint/jobs "session=$alice_token" action=release-all \
  printer=x)" "a form with the signed-out cookie"
pp_pass "sign-out: the old cookie opens nothing"

# --- 7. failed sign-ins lock the name.
for _ in 1 2 3; do
  get carol /pullprint/sign-in >/dev/null
  post carol /pullprint/sign-in "session=$(form_token)" user=carol password=guess >/dev/null
done
get carol /pullprint/sign-in >/dev/null
pp_assert_eq 429 "$(post carol /pullprint/sign-in "session=$(form_token)" user=carol \
  password=opensesame)" "carol's right password after 3 failures"
has "no message for a locked name" "Too many failed sign-ins"
grep -q "Web sign-in of carol from 127.0.0.1 refused: too many failed attempts" \
  "$base/pullprintd.log" || pp_fail "the lock is not logged"
pp_pass "three failed sign-ins lock the name (429, logged)"
