#!/bin/bash
# Integration: "Print" (/pullprint/print), printing from the browser, end to end. pullprintd
# (auth = pam under pam_wrapper) with web-upload-max = 1M; the release printer Lab_A is a real IPP
# Everywhere printer (ippeveprinter) behind the build's wrapper backend. curl plays the browser
# (HTTP Basic, multipart/form-data as a browser sends it). Checks:
#  1. the form page (signed-in users only: 303 to the sign-in form without) with its fields;
#  2. alice uploads a PDF with copies 2, two-sided, grey, pages 1-3, 2 per sheet: the estimate page
#     shows the pages, colour pages and the price on the default profile and on Lab_A (computed
#     here from the options), and nothing is held or reserved yet; the pending document is private
#     (0700 directory, 0600 file);
#  3. bob submits and cancels alice's upload with her token: 403, nothing held, the file stays;
#  4. alice submits: the job is held with that price and exactly those options (the held store
#     and My jobs), the price reserved, the pending document gone; a second Submit holds nothing;
#  5. alice releases it to Lab_A: the printer receives the document, Lab_A's price is captured;
#  6. a JPEG and a PostScript file are estimated and held (the PostScript as its PDF);
#  7. a text file named .pdf is refused (415) and nothing is kept; a 2 MiB upload is refused
#     (413) and nothing is kept or held; an upload without the session field is refused (400);
#  8. Cancel removes the pending document; a later Submit of it finds nothing (404);
#  9. headless chromium fills the form, is shown the estimate, submits, and is shown the held
#     job (support/print-browser.py; screenshots under $PP_ARTIFACTS or the test's dir).
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

# -2: a duplex printer (the test prints two-sided).
pp_web_lab_a_site -2 "web-upload-max = 1M" "web-upload-timeout = 600"
pp_use_pam "$base" alice:secret bob:hunter2
pp_funded_accounts 20.00 alice bob
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
print_url="http://127.0.0.1:$PP_PORT/pullprint/print"
uploads="$state/web-uploads"

# print USER:PASSWORD [curl args]: the Print page as that user; the body on stdout, the HTTP
# status in $base/status.
print() {
  local credentials=$1
  shift
  curl -sS -u "$credentials" -o "$base/body" -w '%{http_code}' "$@" "$print_url" >"$base/status"
  cat "$base/body"
}
# key USER:PASSWORD: the CSRF field of the Print form.
key() {
  { print "$1" | grep -o 'name="session" value="[^"]*"' || true; } | head -n 1 |
    sed 's/.*value="//; s/"$//'
}
# upload USER:PASSWORD FILE [-F field=value ...]: step 1 with the session field first.
upload() {
  local credentials=$1 file=$2
  shift 2
  print "$credentials" -F "session=$(key "$credentials")" "$@" -F "file=@$file"
}
token_of() { grep -o 'name="upload" value="[^"]*"' <<<"$1" | sed 's/.*value="//; s/"$//'; }
held_count() { sqlite3 "$state/jobs.sqlite" "SELECT count(*) FROM held_jobs WHERE owner = '$1'"; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = '$1'"; }
column() { sqlite3 "$state/jobs.sqlite" "SELECT $2 FROM held_jobs WHERE id = $1"; }
job_is() { [[ $(column "$1" state) == "$2" ]]; }
pending_files() { find "$uploads" -type f 2>/dev/null | wc -l; }
captured() {
  pp history "$1" --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0'
}

mkdir -p "$base/docs"
doc="$base/docs/thesis.pdf"
pp_sample_pdf "$doc"  # 4 pages, 1 in colour

# --- 1. the form.
pp_assert_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' "$print_url")" \
  "HTTP status of the Print page without credentials"
out=$(print alice:secret)
pp_assert_eq 200 "$(status)" "HTTP status of the Print page"
for id in print-form-box print-file print-copies print-sides print-color print-page-ranges \
  print-number-up print-estimate; do
  grep -qF "id=\"$id\"" <<<"$out" || { echo "$out" >&2; pp_fail "the form has no #$id"; }
done
grep -qF 'enctype="multipart/form-data"' <<<"$out" || pp_fail "the form is not multipart"
grep -qF '<span class="active">Print</span>' <<<"$out" || pp_fail "Print is not the active navigation link"
grep -qF 'href="/pullprint/print">Print</a>' <<<"$(web alice:secret)" ||
  pp_fail "no Print link in My jobs' navigation"
grep -qF "at most 1 MiB" <<<"$out" || pp_fail "the page does not say the upload limit"
pp_pass "the Print form, with the limit"

# --- 2. upload with options: the estimate page, nothing held yet.
out=$(upload alice:secret "$doc" -F copies=2 -F sides=two-sided-long-edge -F color=monochrome \
  -F page-ranges=1-3 -F number-up=2)
pp_assert_eq 200 "$(status)" "HTTP status of the upload"
grep -qF '<td id="estimate-pages">4</td>' <<<"$out" || { echo "$out" >&2; pp_fail "the estimate does not show 4 pages"; }
grep -qF '<td id="estimate-color-pages">1</td>' <<<"$out" || pp_fail "the estimate does not show 1 colour page"
# Pages 1-3, 2 per sheet: 2 sheet sides, two-sided: 1 sheet, 2 impressions; grey; 2 copies:
# 4 grey impressions: 40 cents on the default profile, 28 on Lab_A.
grep -qF '<td id="estimate-impressions">4</td>' <<<"$out" || { echo "$out" >&2; pp_fail "the estimate does not count 4 impressions"; }
grep -qF "<td id=\"estimate-price\">$(money 40)</td>" <<<"$out" || pp_fail "the price $(money 40) is not shown"
grep -qF "data-printer=\"Lab_A\">$(money 28)</td>" <<<"$out" || pp_fail "the price on Lab_A $(money 28) is not shown"
for id in submit-form submit-print cancel-print estimate-table estimate-printers; do
  grep -qF "id=\"$id\"" <<<"$out" || pp_fail "the estimate page has no #$id"
done
token=$(token_of "$out")
[[ $token =~ ^[0-9a-f-]{36}$ ]] || pp_fail "no upload token on the estimate page: '$token'"
pp_assert_eq 0 "$(held_count alice)" "alice's held jobs before Submit"
pp_assert_eq 0 "$(reserved alice)" "alice's reservation before Submit"
pp_assert_eq 700 "$(stat -c %a "$uploads")" "mode of the upload directory"
pp_assert_eq 600 "$(stat -c %a "$uploads/$token.doc")" "mode of the pending document"
cmp "$doc" "$uploads/$token.doc" || pp_fail "the pending document is not the upload"
pp_pass "estimate: 4 pages (1 colour), $(money 40), $(money 28) on Lab_A; nothing held yet"

# --- 3. bob cannot submit or cancel alice's upload.
bob_key=$(key bob:hunter2)
print bob:hunter2 -d "session=$bob_key" -d "upload=$token" -d action=submit >/dev/null
pp_assert_eq 403 "$(status)" "HTTP status of bob's Submit of alice's upload"
grep -q "not yours" "$base/body" || pp_fail "bob is not told the upload is not his"
print bob:hunter2 -d "session=$bob_key" -d "upload=$token" -d action=cancel >/dev/null
pp_assert_eq 403 "$(status)" "HTTP status of bob's Cancel of alice's upload"
pp_assert_eq 0 "$(held_count bob)" "bob's held jobs"
pp_assert_eq 0 "$(held_count alice)" "alice's held jobs after bob's forms"
[[ -f "$uploads/$token.doc" ]] || pp_fail "bob's Cancel removed alice's upload"
grep -q "Print: submit by bob refused" "$base/pullprintd.log" || pp_fail "bob's refusal is not logged"
pp_pass "bob's Submit and Cancel with alice's token: 403, nothing changed"

# --- 4. alice submits: held exactly as an IPP job with these options.
alice_key=$(key alice:secret)
print alice:secret -d "session=0123" -d "upload=$token" -d action=submit >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of a Submit with a wrong session key"
pp_assert_eq 0 "$(held_count alice)" "alice's held jobs after the refused form"
out=$(print alice:secret -d "session=$alice_key" -d "upload=$token" -d action=submit)
pp_assert_eq 200 "$(status)" "HTTP status of the Submit"
job=$(newest_job alice)
[[ -n $job ]] || pp_fail "no held job after the Submit"
grep -qF "<span id=\"held-job-id\">$job</span>" <<<"$out" || { echo "$out" >&2; pp_fail "the page does not show job $job"; }
grep -qF "<span id=\"held-job-price\">$(money 40)</span>" <<<"$out" || pp_fail "the page does not show the price"
grep -qF 'id="my-jobs-link"' <<<"$out" || pp_fail "no link to My jobs"
pp_assert_eq held "$(column "$job" state)" "state of the job"
pp_assert_eq 40 "$(column "$job" price_minor)" "price of the held job"
pp_assert_eq thesis.pdf "$(column "$job" title)" "title of the held job"
pp_assert_eq 40 "$(reserved alice)" "alice's reservation"
options=$(column "$job" options_json)
for pair in '"copies":"2"' '"sides":"two-sided-long-edge"' '"print-color-mode":"monochrome"' \
  '"page-ranges":"1-3"' '"number-up":"2"'; do
  grep -qF "$pair" <<<"$(tr -d ' ' <<<"$options")" || pp_fail "the held job's options lack $pair: $options"
done
[[ ! -e "$uploads/$token.doc" && ! -e "$uploads/$token.json" ]] || pp_fail "the pending upload was not removed"
out=$(web alice:secret)
grep -qF "name=\"job-$job\"" <<<"$out" || pp_fail "job $job is not in My jobs"
print alice:secret -d "session=$alice_key" -d "upload=$token" -d action=submit >/dev/null
pp_assert_eq 404 "$(status)" "HTTP status of a second Submit"
pp_assert_eq 1 "$(held_count alice)" "alice's held jobs after a second Submit"
pp_pass "submitted: job $job held at $(money 40) with its options, in My jobs; once only"

# --- 5. released to Lab_A: printed, Lab_A's price captured.
key=$(session alice:secret)
out=$(web alice:secret -d "session=$key" -d action=release -d printer=Lab_A -d "job-$job=1")
grep -qF "Sending to Lab_A: $(money 28)" <<<"$out" || { echo "$out" >&2; pp_fail "the release did not send the job"; }
pp_wait_for 60 "job $job to print" job_is "$job" printed
pp_assert_eq 1 "$(pp_printer_jobs | grep -c .)" "documents the printer received"
cmp "$doc" "$(pp_printer_jobs)" || pp_fail "the printer received something else than the upload"
pp_assert_eq 28 "$(captured alice)" "captured on alice (Lab_A's price)"
pp_assert_eq 0 "$(reserved alice)" "alice's reservation after the print"
pp_pass "released: the printer got the upload, $(money 28) captured"

# --- 6. a JPEG and a PostScript file.
jpeg="$base/docs/photo.jpg"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -r20 -dLastPage=2 -dFirstPage=2 \
  -sOutputFile="$jpeg" "$doc"
out=$(upload alice:secret "$jpeg")
pp_assert_eq 200 "$(status)" "HTTP status of the JPEG upload"
grep -qF '<td id="estimate-pages">1</td>' <<<"$out" || { echo "$out" >&2; pp_fail "the JPEG is not 1 page"; }
print alice:secret -d "session=$(key alice:secret)" -d "upload=$(token_of "$out")" -d action=submit >/dev/null
pp_assert_eq 200 "$(status)" "HTTP status of the JPEG Submit"
pp_assert_eq 2 "$(held_count alice)" "alice's jobs after the JPEG"
ps="$PULLPRINT_SOURCE_DIR/share/samples/sample.ps"
out=$(upload alice:secret "$ps" -F color=monochrome)
pp_assert_eq 200 "$(status)" "HTTP status of the PostScript upload"
grep -qF '<td id="estimate-pages">4</td>' <<<"$out" || { echo "$out" >&2; pp_fail "the PostScript is not 4 pages"; }
grep -qF "<td id=\"estimate-price\">$(money 40)</td>" <<<"$out" || pp_fail "the PostScript's grey price is not $(money 40)"
print alice:secret -d "session=$(key alice:secret)" -d "upload=$(token_of "$out")" -d action=submit >/dev/null
pp_assert_eq 200 "$(status)" "HTTP status of the PostScript Submit"
ps_job=$(newest_job alice)
pp_assert_eq 40 "$(column "$ps_job" price_minor)" "price of the PostScript job"
pp_pass "a JPEG and a PostScript file estimated and held"

# --- 7. refusals: not a document, too big, no session field. Nothing kept, nothing held.
held_before=$(held_count alice)
reserved_before=$(reserved alice)
text="$base/docs/notes.pdf"
printf 'plain text, not a PDF\n' >"$text"
upload alice:secret "$text" >/dev/null
pp_assert_eq 415 "$(status)" "HTTP status of a text file named .pdf"
grep -q "not a PDF, PostScript or JPEG document" "$base/body" || pp_fail "no reason for the refused file"
big="$base/docs/big.pdf"
{ cat "$doc"; head -c $((2 * 1024 * 1024)) /dev/zero; } >"$big"
upload alice:secret "$big" >/dev/null
pp_assert_eq 413 "$(status)" "HTTP status of a 2 MiB upload"
grep -q "too large" "$base/body" || pp_fail "no reason for the refused upload"
# The same without Content-Length (chunked): the stream is cut at the limit.
print alice:secret -H "Transfer-Encoding: chunked" -F "session=$(key alice:secret)" \
  -F "file=@$big" >/dev/null
pp_assert_eq 413 "$(status)" "HTTP status of a chunked 2 MiB upload"
print alice:secret -F copies=1 -F "file=@$doc" >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of an upload without the session field"
upload alice:secret "$doc" -F copies=0 >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of copies=0"
pp_assert_eq 0 "$(pending_files)" "pending files after the refusals"
pp_assert_eq "$held_before" "$(held_count alice)" "alice's held jobs after the refusals"
pp_assert_eq "$reserved_before" "$(reserved alice)" "alice's reservation after the refusals"
pp_pass "refused: not a document (415), too big (413, also chunked), no session (400), copies 0"

# --- 8. Cancel removes the pending document.
out=$(upload alice:secret "$doc")
token=$(token_of "$out")
[[ -f "$uploads/$token.doc" ]] || pp_fail "no pending document before Cancel"
out=$(print alice:secret -d "session=$(key alice:secret)" -d "upload=$token" -d action=cancel)
pp_assert_eq 200 "$(status)" "HTTP status of Cancel"
grep -q "Cancelled" <<<"$out" || pp_fail "Cancel does not say so"
pp_assert_eq 0 "$(pending_files)" "pending files after Cancel"
print alice:secret -d "session=$(key alice:secret)" -d "upload=$token" -d action=submit >/dev/null
pp_assert_eq 404 "$(status)" "HTTP status of a Submit after Cancel"
pp_assert_eq "$held_before" "$(held_count alice)" "alice's held jobs after Cancel"
pp_pass "Cancel removed the pending document; nothing held"

# --- 9. a real browser: chromium fills the form, sees the price, submits.
shots="${PP_ARTIFACTS:-$base}"
mkdir -p "$shots"
held_before=$(held_count alice)
seen=$(timeout 120 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/print-browser.py" \
  "$print_url" --user alice:secret --file "$doc" --copies 2 --shots "$shots") ||
  pp_fail "chromium could not print from the Print page"
# 4 pages (1 colour), 2 copies one-sided: 6 grey and 2 colour impressions: EUR 1.60; Lab_A 1.22.
pp_assert_eq 4 "$(jq -r '."estimate-pages"' <<<"$seen")" "pages chromium was shown"
pp_assert_eq 1 "$(jq -r '."estimate-color-pages"' <<<"$seen")" "colour pages chromium was shown"
pp_assert_eq "$(money 160)" "$(jq -r '."estimate-price"' <<<"$seen")" "price chromium was shown"
pp_assert_eq "$(money 122)" "$(jq -r '."estimate-on-printers"[0]' <<<"$seen")" "price on Lab_A chromium was shown"
browser_job=$(jq -r '."held-job-id"' <<<"$seen")
pp_assert_eq "$(newest_job alice)" "$browser_job" "the job chromium was told about"
pp_assert_eq $((held_before + 1)) "$(held_count alice)" "alice's held jobs after chromium's Submit"
pp_assert_eq 160 "$(column "$browser_job" price_minor)" "price of chromium's job"
pp_assert_eq "$(money 160)" "$(jq -r '."held-job-price"' <<<"$seen")" "held price chromium was shown"
for shot in print-form print-estimate print-held; do
  [[ -s "$shots/$shot.png" ]] || pp_fail "no screenshot $shot.png"
done
pp_assert_eq 0 "$(pending_files)" "pending files after chromium's Submit"
pp_pass "chromium: estimate $(money 160) shown, job $browser_job held (screenshots in $shots)"
