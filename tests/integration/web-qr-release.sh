#!/bin/bash
# Integration: release without a terminal. A printer's release sheet
# (/pullprint/admin/release-sheet, admins) carries a QR code of the printer's release page
# (/pullprint/release?printer=NAME&t=TOKEN), which a user opens on a phone to release their held
# jobs there. pullprintd runs under PAM (pam_wrapper, as pullprintd-web.sh); the release printer
# Lab_A (release-token = required) is a real IPP Everywhere printer (ippeveprinter) reached
# through the build's wrapper backend. Checks:
#  1. the sheet: carol (admin) gets an inline SVG QR code and the URL (web-url's host, the
#     printer, a token); alice (not an admin) 403, nobody is sent to sign in (303); an unknown printer 404; the
#     site's secret file is made 0600;
#  2. without the token, or with a wrong one, alice's page says "scan the code on the printer",
#     lists nothing, and a valid form (CSRF key) releases nothing;
#  3. with the sheet's token alice sees her job priced for Lab_A, never bob's job; a forged form
#     naming bob's job gets "not yours" and changes nothing;
#  4. an unknown printer is a 404 page, a disabled one a 409 page; a printer without the token
#     rule lists the jobs without a token;
#  5. alice releases with the sheet's token: printed at ippeveprinter (exactly the document),
#     captured once at Lab_A's price;
#  6. headless chromium renders the sheet and the phone page (390x844); screenshots are saved
#     under $PP_ARTIFACTS (else the test's directory);
#  7. a figure, not a timed assertion: the page's answer time with 100,000 other users' held jobs
#     in the store.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_lab_a_site "web-url = https://print.example.edu:8631/"
off_port=$(pp_free_port)
shots=${PP_ARTIFACTS:-$base/artifacts}
mkdir -p "$shots"

cat >>"$PP_CONFIG" <<CONF
release-token = required
release-token-interval = 7d
[printer Lab_Open]
price-profile = default
location = Hall
device-uri = ipp://127.0.0.1:$off_port/ipp/print
[printer Lab_Down]
price-profile = default
device-uri = ipp://127.0.0.1:$off_port/ipp/print
enabled = no
CONF
pp_use_pam "$base" alice:secret bob:hunter2 carol:admin
pp_sample_pdf "$base/report.pdf"
doc="$base/report.pdf"
pp_funded_accounts 5.00 alice bob
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam -o admins=carol

root="http://127.0.0.1:$PP_PORT"
as() { echo "ipp://$1@127.0.0.1:$PP_PORT/ipp/print"; }
submit() { PP_URI=$(as "$1") pp_submit "${1%%:*}" "$2" >/dev/null; }
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
job_is() { [[ $(job_state "$1") == "$2" ]]; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = '$1'"; }
captured() { pp history "$1" --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0'; }
# page USER:PASSWORD PATH [curl args]: PATH as that user (HTTP Basic, the user's cookie jar as
# web.sh's); the body on stdout, the HTTP status in $base/status.
page() {
  local credentials=$1 path=$2
  shift 2
  curl -sS -u "$credentials" -b "$base/jar-${credentials%%:*}" -c "$base/jar-${credentials%%:*}" \
    -o "$base/body" -w '%{http_code}' "$@" "$root$path" >"$base/status"
  cat "$base/body"
}
show() { echo "$1" >&2; }

submit alice:secret "$doc"
job=$(newest_job alice)
submit bob:hunter2 "$doc"
bobs=$(newest_job bob)
pp_assert_eq held "$(job_state "$job")" "state of alice's job"
pp_assert_eq held "$(job_state "$bobs")" "state of bob's job"
colour=$(sqlite3 "$state/jobs.sqlite" "SELECT color_pages FROM held_jobs WHERE id = $job")
impressions=$(sqlite3 "$state/jobs.sqlite" "SELECT impressions FROM held_jobs WHERE id = $job")
on_a=$(((impressions - colour) * 7 + colour * 40))  # Lab_A's price of the job

# --- 1. the sheet.
sheet_path="/pullprint/admin/release-sheet?printer=Lab_A"
pp_assert_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' "$root$sheet_path")" \
  "HTTP status of the sheet without credentials"
out=$(page alice:secret "$sheet_path")
pp_assert_eq 403 "$(status)" "HTTP status of the sheet for alice (not an admin)"
grep -q "<svg" <<<"$out" && pp_fail "alice got a QR code"
out=$(page carol:admin "$sheet_path")
pp_assert_eq 200 "$(status)" "HTTP status of the sheet for carol (admin)"
grep -q '<svg xmlns="http://www.w3.org/2000/svg" id="qr-code"' <<<"$out" || { show "$out"; pp_fail "no inline SVG QR code"; }
grep -q 'h1v1h-1z' <<<"$out" || pp_fail "the QR code has no modules"
sheet=$(sed -n '/id="release-sheet"/,$p' <<<"$out")  # the sheet, after PAPPL's header
grep -q '<img' <<<"$sheet" && pp_fail "the sheet uses an image file"
grep -q '<script' <<<"$out" && pp_fail "the sheet page uses JavaScript"
grep -qF '<p class="pp-sheet-name" id="sheet-printer">Lab_A</p>' <<<"$out" || pp_fail "no printer name on the sheet"
grep -qF 'id="sheet-location">Library</p>' <<<"$out" || pp_fail "no location on the sheet"
grep -q '@page { size: A4' <<<"$out" || pp_fail "no A4 print CSS"
url=$(sed -n 's/.*id="sheet-url">\([^<]*\)<.*/\1/p' <<<"$out" | sed 's/&amp;/\&/g')
[[ $url =~ ^https://print\.example\.edu:8631/pullprint/release\?printer=Lab_A\&t=([A-Za-z0-9_-]{12})$ ]] ||
  pp_fail "the sheet's URL: '$url'"
token=${BASH_REMATCH[1]}
pp_pass "carol's sheet: QR code (SVG) and $url"
grep -q "$token" "$base/pullprintd.log" && pp_fail "the token was logged"
pp_assert_eq 600 "$(stat -c %a "$state/release-token.key")" "mode of the site's token secret"
again=$(page carol:admin "$sheet_path" | sed -n 's/.*id="sheet-url">\([^<]*\)<.*/\1/p' | sed 's/&amp;/\&/g')
pp_assert_eq "$url" "$again" "the sheet's URL a second time (same period)"
page carol:admin "/pullprint/admin/release-sheet?printer=Nope" >/dev/null
pp_assert_eq 404 "$(status)" "HTTP status of an unknown printer's sheet"
out=$(page carol:admin "/pullprint/admin/release-sheet")
grep -qF 'href="/pullprint/admin/release-sheet?printer=Lab_Open"' <<<"$out" || pp_fail "no list of sheets"
# The sheet of a printer without the token rule: the address alone.
out=$(page carol:admin "/pullprint/admin/release-sheet?printer=Lab_Open")
grep -qF 'id="sheet-url">https://print.example.edu:8631/pullprint/release?printer=Lab_Open</p>' <<<"$out" ||
  { show "$out"; pp_fail "Lab_Open's sheet URL"; }

# --- 2. without the token, or with a wrong one: nothing listed, nothing released.
out=$(page alice:secret "/pullprint/release?printer=Lab_A")
pp_assert_eq 403 "$(status)" "HTTP status of the page without the token"
grep -q "scan the code on the printer" <<<"$out" || { show "$out"; pp_fail "no 'scan the code' page"; }
grep -qF "job-$job" <<<"$out" && pp_fail "jobs listed without the token"
wrong=AAAAAAAAAAAA
[[ $wrong != "$token" ]] || wrong=BBBBBBBBBBBB
page alice:secret "/pullprint/release?printer=Lab_A&t=$wrong" >/dev/null
pp_assert_eq 403 "$(status)" "HTTP status of the page with a wrong token"
key=$(session alice:secret)  # the CSRF key of alice's forms (My jobs)
[[ -n $key ]] || pp_fail "no session key on alice's page"
for t in "" "$wrong"; do
  out=$(page alice:secret "/pullprint/release?printer=Lab_A" -d "session=$key" -d printer=Lab_A \
    -d "t=$t" -d action=release-all)
  pp_assert_eq 403 "$(status)" "HTTP status of a release with token '$t'"
  grep -q "Nothing was released" <<<"$out" || { show "$out"; pp_fail "no refusal"; }
done
# Lab_A's token does not open another printer that requires one... nor a valid form without the
# CSRF key.
page alice:secret "/pullprint/release?printer=Lab_A" -d printer=Lab_A -d "t=$token" \
  -d action=release-all >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of a release without the CSRF key"
pp_assert_eq held "$(job_state "$job")" "alice's job after the refused releases"
pp_assert_eq 0 "$(pp_printer_jobs | grep -c . || true)" "documents the printer received"
pp_pass "without the sheet's token nothing is listed nor released"

# --- 3. with the token: alice's job priced for Lab_A, never bob's; a forged form: not yours.
phone_path="/pullprint/release?printer=Lab_A&t=$token"
out=$(page alice:secret "$phone_path")
pp_assert_eq 200 "$(status)" "HTTP status of alice's release page"
grep -qF "id=\"release-job-$job\"" <<<"$out" || { show "$out"; pp_fail "alice's job is not listed"; }
grep -qF "id=\"price-$job\">$(money $on_a)<" <<<"$out" || { show "$out"; pp_fail "no price on Lab_A"; }
grep -qF "id=\"release-total\">$(money $on_a)<" <<<"$out" || pp_fail "no total"
grep -qF "job-$bobs\"" <<<"$out" && pp_fail "bob's job is on alice's page"
grep -qF 'id="release-all"' <<<"$out" || pp_fail "no Release all button"
grep -qF "action=\"/pullprint/release?printer=Lab_A&amp;t=$token\"" <<<"$out" ||
  pp_fail "the form's action is not the page's complete URL"
pp_pass "alice sees her job at $(money $on_a) on Lab_A, not bob's"
out=$(page alice:secret "$phone_path" -d "session=$key" -d printer=Lab_A -d "t=$token" \
  -d action=release -d "job-$bobs=1")
grep -qF "No held job $bobs of yours" <<<"$out" || { show "$out"; pp_fail "forged release not refused"; }
pp_assert_eq held "$(job_state "$bobs")" "bob's job after alice's forged form"
pp_assert_eq held "$(job_state "$job")" "alice's job after her forged form"
grep -q "Release page: job $bobs of alice not released" "$base/pullprintd.log" || pp_fail "the refusal is not logged"

# --- 4. unknown and disabled printers; a printer without the token rule.
page alice:secret "/pullprint/release?printer=Nope" >/dev/null
pp_assert_eq 404 "$(status)" "HTTP status of an unknown printer"
grep -q "There is no release printer Nope" "$base/body" || pp_fail "unknown printer not said"
page alice:secret "/pullprint/release?printer=Lab_Down" >/dev/null
pp_assert_eq 409 "$(status)" "HTTP status of a disabled printer"
grep -q "out of service" "$base/body" || pp_fail "disabled printer not said"
out=$(page alice:secret "/pullprint/release?printer=Lab_Open")
pp_assert_eq 200 "$(status)" "HTTP status of Lab_Open's page (no token rule)"
grep -qF "id=\"release-job-$job\"" <<<"$out" || pp_fail "Lab_Open's page does not list alice's job"
# Lab_Open is off: the release is refused before anything is claimed.
out=$(page alice:secret "/pullprint/release?printer=Lab_Open" -d "session=$key" -d printer=Lab_Open \
  -d action=release-all)
grep -q "Printer Lab_Open is not available" <<<"$out" || { show "$out"; pp_fail "Lab_Open's refusal"; }
pp_assert_eq held "$(job_state "$job")" "alice's job after the release to Lab_Open (off)"

# --- 6 (before the release, while the job is listed). headless chromium: the sheet and the
# phone page.
rendered=$(browser "$root$sheet_path" --user carol:admin --text "#sheet-printer" --text "#sheet-url" \
  --window-size 1240,1754 --screenshot "$shots/release-sheet.png")
pp_assert_eq Lab_A "$(jq -r '.text["#sheet-printer"] | join("|")' <<<"$rendered")" "the sheet's printer in chromium"
pp_assert_eq "$url" "$(jq -r '.text["#sheet-url"] | join("|")' <<<"$rendered")" "the sheet's URL in chromium"
rendered=$(browser "$root$phone_path" --user alice:secret --text "#release-printer" --text "#release-total" \
  --window-size 390,844 --screenshot "$shots/release-phone.png")
pp_assert_eq Lab_A "$(jq -r '.text["#release-printer"] | join("|")' <<<"$rendered")" "the phone page's printer"
pp_assert_eq "$(money $on_a)" "$(jq -r '.text["#release-total"] | join("|")' <<<"$rendered")" "the phone page's total"
[[ -s $shots/release-sheet.png && -s $shots/release-phone.png ]] || pp_fail "no screenshots"
pp_pass "screenshots: $shots/release-sheet.png, $shots/release-phone.png"

# --- 5. alice releases with the sheet's token: printed once, captured at Lab_A's price.
out=$(page alice:secret "$phone_path" -d "session=$key" -d printer=Lab_A -d "t=$token" -d action=release-all)
pp_assert_eq 200 "$(status)" "HTTP status of the release"
grep -qF "Sending to Lab_A: $(money $on_a)" <<<"$out" || { show "$out"; pp_fail "no outcome"; }
grep -qF "No held job $bobs" <<<"$out" && pp_fail "release-all touched bob's job"
pp_wait_for 60 "job $job to print" job_is "$job" printed
files=$(pp_printer_jobs)
pp_assert_eq 1 "$(grep -c . <<<"$files")" "documents the printer received"
cmp "$doc" "$files" || pp_fail "the printer received something else than the document"
pp_assert_eq $on_a "$(captured alice)" "captured on alice (Lab_A's price)"
pp_assert_eq held "$(job_state "$bobs")" "bob's job after alice's release"
out=$(page alice:secret "$phone_path")
grep -q 'id="release-no-jobs"' <<<"$out" || { show "$out"; pp_fail "the page still lists jobs"; }
pp ledger check >/dev/null || pp_fail "ledger check"
pp_pass "released from the QR page: printed once, captured once ($(money $on_a))"

# --- 7. a figure: the page among 100,000 other users' held jobs (not a timed assertion).
sqlite3 "$state/jobs.sqlite" >/dev/null <<'SQL'
PRAGMA busy_timeout = 10000;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO held_jobs (uuid, owner, payer, title, format, pages, color_pages, impressions,
                       price_minor, currency, state, created_at, expires_at, updated_at)
SELECT printf('urn:uuid:00000000-0000-4000-8000-%012d', i), 'user' || (i % 5000),
       'user' || (i % 5000), 'filler', 'application/pdf', 1, 0, 1, 10, 'EUR', 'held',
       '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
SQL
plan=$(sqlite3 "$state/jobs.sqlite" "EXPLAIN QUERY PLAN SELECT * FROM held_jobs WHERE owner = 'alice' AND state = 'held' ORDER BY id DESC")
grep -q "INDEX held_jobs_by_owner_state (owner=? AND state=?)" <<<"$plan" || pp_fail "the owner+state query plan: $plan"
submit alice:secret "$doc"
times=()
for _ in $(seq 1 20); do
  times+=("$(curl -sS -u alice:secret -o /dev/null -w '%{time_total}' "$root$phone_path")")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "figure: release page with 100,000 others' held jobs, 20 requests (PAM each): median $(sed -n 10p <<<"$sorted") s, max $(tail -n 1 <<<"$sorted") s"
out=$(page alice:secret "$phone_path")
pp_assert_eq 1 "$(grep -o 'id="release-job-' <<<"$out" | grep -c .)" "jobs on alice's page among 100,000 others'"
