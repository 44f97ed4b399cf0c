#!/usr/bin/python3
"""web_console_reports.py: dana's reports in headless chromium (Selenium), for
tests/integration/web-console-reports.sh.

    web_console_reports.py PLAN.json

PLAN.json: site, screenshots (a directory), today (YYYY-MM-DD), passwords. dana signs in through
the form, opens the dashboard (the 30 days' chart) and the reports, chooses "by printer" and a
range (from a week ago to today), shows it, sees the charts and the table with Lab_A and Lab_B,
and clicks the CSV link (its URL carries the chosen report). Screenshots:
console-reports-dashboard.png, console-reports-by-user.png, console-reports-by-printer.png,
console-reports-phone.png. A failed step saves FAILED-console-reports-<step>.png and exits 1.
"""
import datetime
import json
import os
import sys
import tempfile

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import start_browser  # noqa: E402  (same directory)

WAIT_SECONDS = 20


class StepFailed(Exception):
    pass


def main():
    plan = json.load(open(sys.argv[1]))
    site, shots, today = plan["site"], plan["screenshots"], plan["today"]
    week_ago = (datetime.date.fromisoformat(today) - datetime.timedelta(days=7)).isoformat()
    with tempfile.TemporaryDirectory() as profile:
        driver = start_browser(profile)
        step = "start"

        def find(element_id):
            try:
                return WebDriverWait(driver, WAIT_SECONDS).until(
                    expected_conditions.presence_of_element_located((By.ID, element_id)))
            except TimeoutException:
                raise StepFailed("no element #%s on %s" % (element_id, driver.current_url))

        def field(element_id, text):
            element = find(element_id)
            # A date input takes typed digits in the browser's locale order; set it as a form
            # would be filled by a person picking the date.
            driver.execute_script("arguments[0].value = arguments[1]", element, text)

        def shot(name):
            driver.save_screenshot(os.path.join(shots, "console-reports-%s.png" % name))

        try:
            step = "sign-in"
            driver.get(site + "/pullprint/admin/reports")
            find("sign-in-user").send_keys("dana")
            find("sign-in-password").send_keys(plan["passwords"]["dana"])
            find("sign-in").click()
            WebDriverWait(driver, WAIT_SECONDS).until(
                lambda d: "/pullprint/admin/reports" in d.current_url)
            find("report-table")

            step = "dashboard"
            driver.get(site + "/pullprint/admin")
            find("dashboard-reports")
            find("chart-dashboard-money")
            if find("dashboard-report-jobs").text.strip() != "4":
                raise StepFailed("the dashboard counts %r jobs" % find("dashboard-report-jobs").text)
            shot("dashboard")

            step = "by-user"
            driver.find_element(By.LINK_TEXT, "Reports").click()
            find("report-table")
            if "alice" not in find("report-table").text or "bob" not in find("report-table").text:
                raise StepFailed("the default report does not list alice and bob")
            shot("by-user")

            step = "by-printer"
            Select(find("report-by")).select_by_value("printer")
            field("report-from", week_ago)
            field("report-to", today)
            Select(find("report-period")).select_by_value("day")
            find("report-run").click()
            WebDriverWait(driver, WAIT_SECONDS).until(lambda d: "by=printer" in d.current_url)
            table = find("report-table").text
            for printer in ("Lab_A", "Lab_B", "Total"):
                if printer not in table:
                    raise StepFailed("%s not in the table: %r" % (printer, table))
            bars = driver.find_elements(By.CSS_SELECTOR, "#chart-printer rect.bar")
            if len(bars) != 2:
                raise StepFailed("the printer chart has %d bars, not 2" % len(bars))
            period_bars = driver.find_elements(By.CSS_SELECTOR, "#chart-period rect.bar")
            if len(period_bars) != 8:
                raise StepFailed("the period chart has %d bars, not 8 days" % len(period_bars))
            if find("report-from").get_attribute("value") != week_ago:
                raise StepFailed("the form forgot the range")
            shot("by-printer")
            driver.set_window_size(390, 844)
            shot("phone")
            driver.set_window_size(1280, 1000)

            step = "csv-link"
            link = find("report-csv")
            href = link.get_attribute("href")
            for part in ("/pullprint/admin/reports.csv?", "by=printer", "from=" + week_ago,
                         "to=" + today):
                if part not in href:
                    raise StepFailed("the CSV link %r lacks %r" % (href, part))
            link.click()  # a download: the page stays
            find("report-table")
            if not find("report-pdf").get_attribute("href").startswith(
                    site + "/pullprint/admin/reports.pdf?by=printer"):
                raise StepFailed("the PDF link is not the chosen report's")
        except (StepFailed, TimeoutException, AssertionError) as failure:
            driver.save_screenshot(os.path.join(shots, "FAILED-console-reports-%s.png" % step))
            sys.stderr.write("web_console_reports: step %s failed: %s\n" % (step, failure))
            driver.quit()
            sys.exit(1)
        driver.quit()
        print(json.dumps({"ok": True}))


if __name__ == "__main__":
    main()
