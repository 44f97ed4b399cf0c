#!/usr/bin/python3
"""console_stores_journey.py: an admin's round of the console's stores pages in headless chromium.

    console_stores_journey.py SITE USER PASSWORD SCREENSHOT_DIR

Run by tests/integration/web-console-stores.sh after its curl checks. USER (an admin) signs in with
the form, opens the cards page, issues card 5555000011112222 to bob, runs the allocations (the run
was made before: nothing new), opens the directories, checks the ledger and filters the journal
(alice's allocation entries: exactly one row), opens the audit log (the card issued to bob is
there). Each page is saved as console-stores-NAME.png. A failed step saves FAILED-<step>.png and
exits 1. Prints {"ok": true} on success.
"""
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

WAIT_SECONDS = 40


class StepFailed(Exception):
    pass


def main():
    site, user, password, shots = sys.argv[1:5]
    step = "start"
    with tempfile.TemporaryDirectory(prefix="pp-chromium-") as profile:
        driver = start_browser(profile, "1280,1400")

        def find(element_id):
            try:
                return WebDriverWait(driver, WAIT_SECONDS).until(
                    expected_conditions.presence_of_element_located((By.ID, element_id)))
            except TimeoutException:
                raise StepFailed("no element #" + element_id + " on " + driver.current_url)

        def field(element_id, text):
            element = find(element_id)
            element.clear()
            element.send_keys(text)

        def click_and_wait(element_id):
            old = driver.find_element(By.TAG_NAME, "html")
            element = find(element_id)
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            element.click()
            WebDriverWait(driver, WAIT_SECONDS).until(expected_conditions.staleness_of(old))

        def expect_text(text):
            body = driver.find_element(By.TAG_NAME, "body").text
            if text not in body:
                raise StepFailed("no text " + repr(text) + " on " + driver.current_url)

        def shot(name):
            driver.save_screenshot(os.path.join(shots, "console-stores-" + name + ".png"))

        try:
            step = "sign-in"
            driver.get(site + "/pullprint/admin/cards")
            if not driver.find_elements(By.ID, "sign-in-user"):
                driver.get(site + "/pullprint/sign-in?next=/pullprint/admin/cards")
            field("sign-in-user", user)
            field("sign-in-password", password)
            click_and_wait("sign-in")
            WebDriverWait(driver, WAIT_SECONDS).until(
                lambda d: "/pullprint/sign-in" not in d.current_url)
            driver.get(site + "/pullprint/admin/cards")
            expect_text("Signed in as " + user)

            step = "cards"
            field("issue-card-number", "5555000011112222")
            field("issue-card-user", "bob")
            click_and_wait("issue-card")
            if "issued to bob" not in find("outcome").text:
                raise StepFailed("no outcome of the card issued to bob: " + find("outcome").text)
            expect_text("************2222")
            shot("cards")

            step = "allocations"
            driver.get(site + "/pullprint/admin/allocations")
            find("allocation-rules")
            click_and_wait("run-allocations")
            if "Nothing to allocate" not in find("outcome").text:
                raise StepFailed("a run after the first granted again: " + find("outcome").text)
            shot("allocations")

            step = "directories"
            driver.get(site + "/pullprint/admin/directories")
            if find("directory-staff-users").text != "5":
                raise StepFailed("the staff directory's users: " + find("directory-staff-users").text)
            shot("directories")

            step = "ledger"
            driver.get(site + "/pullprint/admin/ledger")
            click_and_wait("run-check")
            if not find("check-verdict").text.startswith("balanced: "):
                raise StepFailed("the ledger check: " + find("check-verdict").text)
            field("filter-account", "alice")
            Select(find("filter-kind")).select_by_value("allocation")
            click_and_wait("apply-filter")
            rows = driver.find_elements(By.CSS_SELECTOR, "#journal tbody tr")
            if len(rows) != 1 or "alice" not in rows[0].text:
                raise StepFailed("alice's allocation entries: %d rows" % len(rows))
            shot("ledger")

            step = "audit"
            driver.get(site + "/pullprint/admin/audit")
            expect_text("user bob")
            expect_text("card ************2222 issued")
            shot("audit")
        except Exception as failure:  # noqa: BLE001  (any failure: a screenshot, then exit 1)
            driver.save_screenshot(os.path.join(shots, "FAILED-console-stores-" + step + ".png"))
            try:
                print(driver.find_element(By.TAG_NAME, "body").text, file=sys.stderr)
            except Exception:  # noqa: BLE001
                pass
            print("step %s failed: %s" % (step, failure), file=sys.stderr)
            driver.quit()
            sys.exit(1)
        driver.quit()
    json.dump({"ok": True}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
