#!/bin/bash
# Integration: the console's printers (/pullprint/admin/printers, /pullprint/admin/printer?name=,
# the release sheet) with a real IPP Everywhere printer. pullprintd runs under PAM; release
# printer Lab_A is ippeveprinter (it reports its supplies as PWG printer-supply values, and its
# own web form /supplies sets their levels: a real printer's signal, read over IPP), Lab_Off is a
# port nobody listens on. pullprintd polls its printers every second (printer-poll-interval).
# Checks:
#  1. dana (site-wide admin) sees both printers: Lab_A's supply levels are the numbers ipptool's
#     own Get-Printer-Attributes gives; Lab_Off is "unreachable since ..."; prices; QR sheet links;
#  2. ippeveprinter's black toner set to 5 % (its low level is 10 %): the page marks it low and
#     one alert notification goes to report-mail-to (alert-mail-to's default) through
#     notify-command; two more polls later, still exactly one;
#  3. today's use: alice's job released to Lab_A shows 1 job, its pages and its captured price;
#  4. the QR sheet opens for dana;
#  5. carol (operator, operator-may without `printers`) and alice (a user) get 403 on every page;
#     erin (admin of scope "north": printer Lab_Off) sees Lab_Off only, 403 on Lab_A's page and
#     sheet;
#  6. headless chromium: dana signs in through the form, opens the printers page, one printer and
#     its QR sheet; screenshots console-printers-*.png in ${PP_SCREENSHOT_DIR:-$PULLPRINT_BUILD_DIR/screenshots}.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_test_site
pp_require_ipp_printer
pp_start_ipp_printer "$base"
off_port=$(pp_free_port)
shots=${PP_SCREENSHOT_DIR:-$PULLPRINT_BUILD_DIR/screenshots}
mkdir -p "$shots"

mails="$base/mails"
cat >"$base/notify.sh" <<SH
#!/bin/sh
{ echo "== \$1"; cat; } >>"$mails"
SH
chmod +x "$base/notify.sh"

pp_config_top "backend = $PULLPRINT_BUILD_DIR/backend/pullprint" \
  "notify-command = $base/notify.sh" \
  "report-mail-to = ops@example.edu" \
  "printer-poll-interval = 1s" \
  "operators = carol"
pp_lab_a_library_printer
cat >>"$PP_CONFIG" <<CONF
[printer Lab_Off]
price-profile = default
location = Annex
device-uri = ipp://127.0.0.1:$off_port/ipp/print
[admin-scope north]
admins = erin
users = bob
printers = Lab_Off
CONF
pp_use_pam "$base" alice:secret carol:desk dana:admin erin:north
pp_sample_pdf "$base/report.pdf"
pp_funded_accounts 5.00 alice
pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam -o admins=dana

root="http://127.0.0.1:$PP_PORT"
printers_path=/pullprint/admin/printers
printer_path="/pullprint/admin/printer?name=Lab_A"
sheet_path="/pullprint/admin/release-sheet?printer=Lab_A"
# page USER:PASSWORD PATH [curl args]: the body on stdout, the HTTP status in $base/status.
page() {
  local credentials=$1 path=$2
  shift 2
  curl -sS -u "$credentials" -b "$base/jar-${credentials%%:*}" -c "$base/jar-${credentials%%:*}" \
    -o "$base/body" -w '%{http_code}' "$@" "$root$path" >"$base/status"
  cat "$base/body"
}
show() { echo "$1" >&2; }
# text_of ID: the text of the element with that id on the page in $base/body.
text_of() { sed -n "s/.*id=\"$1\"[^>]*>\([^<]*\)<.*/\1/p" "$base/body" | head -n 1; }
poll_runs() { page dana:admin "$printers_path" >/dev/null; text_of poll-runs; }
polls_past() { (($(poll_runs) >= $1)); }
# The levels of Lab_A's supplies as the page shows them, and as ipptool reads them.
page_levels() {
  page dana:admin "$printers_path" >/dev/null
  grep -o 'id="supply-level-Lab_A-[0-9]*">[^<]*' "$base/body" | sed 's/.*>//' | paste -sd,
}
ipptool_levels() {
  ipptool -tv "$PP_PRINTER_URI" get-printer-attributes.test |
    sed -n 's/^ *printer-supply (1setOf octetString) = //p; s/^ *printer-supply (octetString) = //p' |
    grep -o 'level=[0-9-]*' | sed 's/level=//' | paste -sd,
}
# The printer alerts among the admins' mails (report-mail-to also gets the monthly report, sent
# at start-up for the month that ended).
alert_mails() { cat "$mails" 2>/dev/null | grep -c '^Subject: Printer ' || true; }
alerts_in_store() {
  sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM notifications WHERE kind = 'printer-alert'"
}

# --- 1. dana sees both printers; Lab_A's supplies are ipptool's numbers.
pp_wait_for 30 "a first printer poll" polls_past 1
out=$(page dana:admin "$printers_path")
pp_assert_eq 200 "$(status)" "HTTP status of the printers page for dana"
grep -q 'id="printer-Lab_A"' <<<"$out" || { show "$out"; pp_fail "no Lab_A on dana's page"; }
grep -q 'id="printer-Lab_Off"' <<<"$out" || pp_fail "no Lab_Off on dana's page"
expected=$(ipptool_levels)
[[ -n $expected ]] || pp_fail "ipptool read no printer-supply levels"
pp_assert_eq "$expected" "$(page_levels)" "Lab_A's supply levels (page vs ipptool)"
grep -q 'id="state-Lab_Off">unreachable since 20[0-9-]* [0-9:]* UTC' <<<"$out" ||
  { show "$out"; pp_fail "Lab_Off is not unreachable since ..."; }
grep -q 'id="state-Lab_A">idle' <<<"$out" || pp_fail "Lab_A is not idle"
grep -qF 'id="price-Lab_A">Lab_A: mono EUR 0.07, colour EUR 0.40 per page' <<<"$out" ||
  pp_fail "Lab_A's price profile"
grep -qF 'href="/pullprint/admin/release-sheet?printer=Lab_A"' <<<"$out" || pp_fail "no QR sheet link"
pp_assert_eq 0 "$(alert_mails)" "alert mails before any alert"
pp_pass "dana sees Lab_A (supplies $expected, as ipptool) and Lab_Off (unreachable)"

# --- 2. a low supply: one alert, however often the poll runs.
curl -sS -o /dev/null "http://127.0.0.1:$PP_PRINTER_PORT/supplies?supply0=25&supply1=5"
expected=$(ipptool_levels)
pp_assert_eq "25,5" "$expected" "ippeveprinter's levels after its form"
levels_are() { [[ $(page_levels) == "$1" ]]; }
pp_wait_for 30 "the page to show $expected" levels_are "$expected"
pp_wait_for 30 "the alert mail" test "$(alert_mails)" -ge 1
runs=$(poll_runs)
pp_wait_for 30 "two more polls" polls_past $((runs + 2))
pp_assert_eq 1 "$(alert_mails)" "alert mails after two more polls"
pp_assert_eq 1 "$(alerts_in_store)" "printer-alert notifications recorded"
grep -q "Subject: Printer Lab_A: Black Toner is at 5 % (low level 10 %)" "$mails" ||
  { cat "$mails" >&2; pp_fail "the alert's subject"; }
out=$(page dana:admin "$printers_path")
grep -q 'data-code="supply-low:Black Toner"' <<<"$out" || pp_fail "no current alert on the page"
out=$(page dana:admin /pullprint/admin)
grep -q 'id="printers-panel"' <<<"$out" || pp_fail "no printers panel on the dashboard"
grep -q 'Black Toner is at 5 %' <<<"$out" || pp_fail "the dashboard does not show the alert"
pp_pass "a low supply: one alert mail to ops@example.edu after $(poll_runs) polls"

# --- 3. today's use matches a printed job.
PP_URI="ipp://alice:secret@127.0.0.1:$PP_PORT/ipp/print" pp_submit alice "$base/report.pdf" >/dev/null
job=$(sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = 'alice'")
pages=$(sqlite3 "$state/jobs.sqlite" "SELECT pages FROM held_jobs WHERE id = $job")
phone_path="/pullprint/release?printer=Lab_A"
key=$(page alice:secret "$phone_path" | grep -o 'name="session" value="[^"]*"' | head -n 1 |
  sed 's/.*value="//; s/"$//')
page alice:secret "$phone_path" -d "session=$key" -d printer=Lab_A -d action=release-all >/dev/null
pp_assert_eq 200 "$(status)" "HTTP status of alice's release"
job_printed() { [[ $(sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $job") == printed ]]; }
pp_wait_for 60 "job $job to print" job_printed
captured=$(pp history alice --json | jq '[.[] | select(.kind == "capture") | -.amount] | add // 0')
page dana:admin "$printers_path" >/dev/null
pp_assert_eq 1 "$(text_of use-jobs-Lab_A)" "Lab_A's jobs today"
pp_assert_eq "$pages" "$(text_of use-pages-Lab_A)" "Lab_A's pages today"
pp_assert_eq "$(money "$captured")" "$(text_of use-money-Lab_A)" "Lab_A's money today"
pp_assert_eq 0 "$(text_of use-jobs-Lab_Off)" "Lab_Off's jobs today"
page dana:admin "$printer_path" >/dev/null
pp_assert_eq 200 "$(status)" "HTTP status of Lab_A's page"
pp_assert_eq 1 "$(text_of use-jobs-Lab_A)" "Lab_A's jobs today (its own page)"
pp_assert_eq 5 "$(text_of detail-level-1)" "Lab_A's black toner (its own page)"
pp_pass "today's use: 1 job, $pages pages, $(money "$captured") on Lab_A"

# --- 4. the QR sheet opens.
out=$(page dana:admin "$sheet_path")
pp_assert_eq 200 "$(status)" "HTTP status of the sheet for dana"
grep -q '<svg xmlns="http://www.w3.org/2000/svg" id="qr-code"' <<<"$out" || pp_fail "no QR code"
page dana:admin "/pullprint/admin/printer?name=Nope" >/dev/null
pp_assert_eq 404 "$(status)" "HTTP status of an unknown printer's page"

# --- 5. who is refused.
for who in carol:desk alice:secret; do
  for path in "$printers_path" "$printer_path" "$sheet_path" /pullprint/admin/release-sheet; do
    out=$(page "$who" "$path")
    pp_assert_eq 403 "$(status)" "HTTP status of $path for ${who%%:*}"
    grep -q 'supply-level\|<svg' <<<"$out" && pp_fail "${who%%:*} saw a printer's data on $path"
  done
done
out=$(page erin:north "$printers_path")
pp_assert_eq 200 "$(status)" "HTTP status of the printers page for erin"
grep -q 'id="printer-Lab_Off"' <<<"$out" || { show "$out"; pp_fail "erin does not see Lab_Off"; }
grep -q 'Lab_A' <<<"$out" && pp_fail "erin sees Lab_A"
page erin:north "$printer_path" >/dev/null
pp_assert_eq 403 "$(status)" "HTTP status of Lab_A's page for erin"
page erin:north "$sheet_path" >/dev/null
pp_assert_eq 403 "$(status)" "HTTP status of Lab_A's sheet for erin"
out=$(page erin:north /pullprint/admin/release-sheet)
pp_assert_eq 200 "$(status)" "HTTP status of the sheets list for erin"
grep -q 'printer=Lab_Off' <<<"$out" || pp_fail "erin's sheets list has no Lab_Off"
grep -q 'printer=Lab_A' <<<"$out" && pp_fail "erin's sheets list has Lab_A"
page erin:north "/pullprint/admin/release-sheet?printer=Lab_Off" >/dev/null
pp_assert_eq 200 "$(status)" "HTTP status of Lab_Off's sheet for erin"
pp_pass "carol and alice: 403 on every printers page; erin sees Lab_Off only"

# --- 6. the browser: dana signs in, opens the printers, Lab_A, its QR sheet.
timeout 180 /usr/bin/python3 - "$root" "$shots" <<'PY'
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ["PULLPRINT_SOURCE_DIR"], "tests/integration/support"))
from browser import start_browser  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

root, shots = sys.argv[1], sys.argv[2]


def check(condition, what):
    if not condition:
        driver.save_screenshot(os.path.join(shots, "console-printers-FAILED.png"))
        sys.exit("browser: " + what + "\n" + driver.find_element(By.TAG_NAME, "body").text)


with tempfile.TemporaryDirectory(prefix="pp-chromium-") as profile:
    driver = start_browser(profile)
    try:
        wait = WebDriverWait(driver, 20)
        driver.get(root + "/pullprint/admin/printers")
        driver.find_element(By.ID, "sign-in-user").send_keys("dana")
        driver.find_element(By.ID, "sign-in-password").send_keys("admin")
        driver.find_element(By.ID, "sign-in").click()
        wait.until(lambda d: "/pullprint/admin/printers" in d.current_url)
        wait.until(lambda d: d.find_elements(By.ID, "printers"))
        check(driver.find_element(By.ID, "supply-level-Lab_A-1").text == "5", "black toner not 5")
        check("unreachable since" in driver.find_element(By.ID, "state-Lab_Off").text,
              "Lab_Off not unreachable")
        driver.save_screenshot(os.path.join(shots, "console-printers-list.png"))
        driver.find_element(By.ID, "printer-link-Lab_A").click()
        wait.until(lambda d: d.find_elements(By.ID, "printer-detail"))
        check(driver.find_element(By.ID, "detail-level-1").text == "5", "detail level not 5")
        check("Black Toner is at 5 %" in driver.find_element(By.ID, "detail-alerts").text,
              "no alert on the printer's page")
        driver.save_screenshot(os.path.join(shots, "console-printers-printer.png"))
        driver.find_element(By.ID, "sheet-link-Lab_A").click()
        wait.until(lambda d: d.find_elements(By.ID, "release-sheet"))
        check(driver.find_element(By.ID, "sheet-printer").text == "Lab_A", "not Lab_A's sheet")
        check(driver.find_elements(By.CSS_SELECTOR, "svg#qr-code"), "no QR code")
        driver.save_screenshot(os.path.join(shots, "console-printers-sheet.png"))
    finally:
        driver.quit()
PY
for shot in list printer sheet; do
  [[ -s "$shots/console-printers-$shot.png" ]] || pp_fail "no screenshot console-printers-$shot.png"
done
pp_pass "the browser: dana opened the printers, Lab_A and its QR sheet ($shots/console-printers-*.png)"
