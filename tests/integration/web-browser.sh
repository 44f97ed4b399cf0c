#!/bin/bash
# Integration: a user's day on the web pages in a real browser: headless chromium driven by
# Selenium (support/web_journey.py) against a real pullprintd under PAM (pam_wrapper) with a
# real IPP printer (ippeveprinter) to release to.
#
# The journey: the landing page and its sign-in form (a wrong password, then the right one),
# My jobs, ..., sign-out (the pages then send the browser to the form again). Screenshots of
# each page are saved in $PP_SCREENSHOT_DIR, else build/screenshots/ (the test's artefacts;
# README shows the main ones).
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
pp_use_pam "$base" alice:secret bob:hunter2 dana:pw-dana
pp_config_top "admins = dana"
pp_funded_accounts 5.00 alice bob
pp_sample_pdf "$base/sample.pdf"
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam -o tls=on
site="http://127.0.0.1:$PP_PORT"

jq -n --arg site "$site" --arg shots "$shots" --arg pdf "$base/sample.pdf" '{
  site: $site, screenshots: $shots, pdf: $pdf,
  passwords: {alice: "secret", bob: "hunter2", dana: "pw-dana"}
}' >"$base/plan.json"

timeout 600 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/web_journey.py" \
  "$base/plan.json" >"$base/results.json" || pp_fail "the browser journey failed (see above; screenshots in $shots)"
pp_pass "the browser journey (screenshots in $shots)"
