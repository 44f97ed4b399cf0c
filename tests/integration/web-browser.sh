#!/bin/bash
# Integration: a user's day on the web pages in a real browser: headless chromium driven by
# Selenium (support/web_journey.py) against a real pullprintd under PAM (pam_wrapper) with a
# real IPP printer (ippeveprinter) to release to.
#
# The journey (support/web_journey.py, steps in that order): alice signs in with the form (a
# wrong password first), sees her balance on My account, uploads a PDF on Print and sees its
# price before and after submitting, releases it on a phone through Lab_A's QR release page (the
# URL of the printer's sheet, token required) and finds the print in her history; she prints
# another job and shares it with bob through the split form (preview, send); bob signs in,
# finds the request with its amount and approves it; bob gets 403 for alice's split page, her
# history, her CSV and her share; sign-out. Then, here: the printer received alice's document,
# bob's share is approved, the ledger checks out. Screenshots of each page are saved in
# $PP_SCREENSHOT_DIR, else build/screenshots/ (the test's artefacts; README shows the main
# ones).
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_test_site
pp_require_ipp_printer
shots=${PP_SCREENSHOT_DIR:-$PULLPRINT_BUILD_DIR/screenshots}
mkdir -p "$shots"
rm -f "$shots"/FAILED-*.png

pp_start_ipp_printer "$base/printer" -s 10,10
pp_lab_a_printer
echo "release-token = required" >>"$PP_CONFIG"  # in [printer Lab_A]: only the sheet's URL releases
pp_use_pam "$base" alice:secret bob:hunter2 dana:pw-dana
pp_config_top "admins = dana"
pp_funded_accounts 5.00 alice bob
pp_sample_pdf "$base/sample.pdf"
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam -o tls=on
site="http://127.0.0.1:$PP_PORT"

# The URL on Lab_A's printable sheet, as dana (an admin) prints it: what the phone scans.
release_url=$(curl -sS -u dana:pw-dana "$site/pullprint/admin/release-sheet?printer=Lab_A" |
  sed -n 's/.*id="sheet-url">\([^<]*\)<.*/\1/p' | sed 's/&amp;/\&/g' | head -n 1)
[[ "$release_url" == "$site/pullprint/release?printer=Lab_A&t="* ]] ||
  pp_fail "Lab_A's sheet has no release URL with a token: '$release_url'"

jq -n --arg site "$site" --arg shots "$shots" --arg pdf "$base/sample.pdf" \
  --arg release_url "$release_url" --arg ledger "$state/ledger.sqlite" '{
  site: $site, screenshots: $shots, pdf: $pdf, release_url: $release_url, ledger: $ledger,
  passwords: {alice: "secret", bob: "hunter2", dana: "pw-dana"}
}' >"$base/plan.json"

timeout 600 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/web_journey.py" \
  "$base/plan.json" >"$base/results.json" || pp_fail "the browser journey failed (see above; screenshots in $shots)"
pp_pass "the browser journey (screenshots in $shots)"

# What the browser cannot see: the printer, the share, the books.
job=$(jq -r .printed_job "$base/results.json")
printed_at_lab_a() { [[ $(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $job") == printed ]]; }
pp_wait_for 60 "alice's job printed" printed_at_lab_a
[[ $(pp_printer_jobs | wc -l) -ge 1 ]] || pp_fail "the printer received nothing"
pp_assert_eq approved "$(sqlite3 "$state/ledger.sqlite" \
  "SELECT state FROM split_shares WHERE id = $(jq -r .bob_share "$base/results.json")")" \
  "bob's share after he approved it"
pp ledger check >/dev/null || pp_fail "ledger check"
pp_pass "the QR release printed alice's job at Lab_A; bob's share is approved; the ledger checks out"
