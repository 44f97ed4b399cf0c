#!/usr/bin/python3
"""console_accounts_browser.py: the print desk in headless chromium (Selenium): carol signs in
through the form, finds alice by search, tops up her account with a receipt number, submits the
same top-up a second time (a double click or a retry), is told "already credited", opens the
receipt; dana opens the refunds page. Screenshots console-accounts-*.png of each page.

    console_accounts_browser.py PLAN.json

PLAN.json (written by tests/integration/web-console-accounts.sh): site, screenshots, passwords,
receipt, amount. The shell checks the ledger afterwards (credited once). A failed step saves
FAILED-console-accounts-<step>.png and exits 1.

Runs /usr/bin/python3 on purpose: python3-selenium is installed for Debian's Python.
"""
import json
import os
import sys
import tempfile

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import start_browser  # noqa: E402  (same directory)

WAIT_SECONDS = 20


class StepFailed(Exception):
    pass


class Desk:
    def __init__(self, driver, plan):
        self.driver = driver
        self.plan = plan
        self.step = "start"

    def open(self, path):
        self.driver.get(self.plan["site"] + path)

    def find(self, element_id):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(
                expected_conditions.presence_of_element_located((By.ID, element_id)))
        except TimeoutException:
            raise StepFailed("no element #" + element_id + " on " + self.driver.current_url)

    def field(self, element_id, text):
        element = self.find(element_id)
        element.clear()
        element.send_keys(text)

    def click_and_wait(self, element_id):
        old = self.driver.find_element(By.TAG_NAME, "html")
        element = self.find(element_id)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        WebDriverWait(self.driver, WAIT_SECONDS).until(expected_conditions.staleness_of(old))

    def text(self, css="body"):
        return "\n".join(e.text for e in self.driver.find_elements(By.CSS_SELECTOR, css))

    def expect_text(self, words, css="body"):
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(lambda d: words in self.text(css))
        except TimeoutException:
            raise StepFailed("expected %r on %s" % (words, self.driver.current_url))

    def shot(self, name):
        path = os.path.join(self.plan["screenshots"], "console-accounts-%s.png" % name)
        if not self.driver.save_screenshot(path):
            raise StepFailed("cannot write " + path)

    def sign_out(self):
        self.open("/pullprint/sign-out")
        self.click_and_wait("sign-out")

    def sign_in(self, user, next_path):
        self.open("/pullprint/sign-in?next=" + next_path)
        self.field("sign-in-user", user)
        self.field("sign-in-password", self.plan["passwords"][user])
        self.click_and_wait("sign-in")
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda d: "/pullprint/sign-in" not in d.current_url)
        self.expect_text("Signed in as " + user)

    def run(self, steps):
        for step in steps:
            self.step = step.__name__
            try:
                step(self)
            except (StepFailed, TimeoutException, AssertionError) as failure:
                self.driver.save_screenshot(os.path.join(
                    self.plan["screenshots"], "FAILED-console-accounts-%s.png" % self.step))
                sys.stderr.write("console_accounts_browser: step %s failed: %s\n--- page ---\n%s\n"
                                 % (self.step, failure, self.text()))
                sys.exit(1)
            sys.stderr.write("console_accounts_browser: ok: %s\n" % self.step)


def carol_finds_alice(d):
    d.sign_in("carol", "/pullprint/admin/accounts")
    d.field("account-q", "ali")
    d.click_and_wait("account-search-submit")
    d.find("account-alice")
    if d.driver.find_elements(By.ID, "account-bob"):
        raise StepFailed("the search for 'ali' lists bob")
    d.shot("accounts")
    d.driver.find_element(By.LINK_TEXT, "alice").click()
    d.find("topup-form")
    d.expect_text("alice", "#account-name")


def carol_tops_up_twice(d):
    d.field("topup-amount", d.plan["amount"])
    d.field("topup-receipt", d.plan["receipt"])
    d.shot("account")
    d.click_and_wait("topup-submit")
    d.expect_text("Credited EUR %s to alice, receipt %s." % (d.plan["amount"], d.plan["receipt"]),
                  "#outcome")
    # The same receipt again, as a second click or a retry sends it.
    d.field("topup-amount", d.plan["amount"])
    d.field("topup-receipt", d.plan["receipt"])
    d.click_and_wait("topup-submit")
    d.expect_text("was already credited", "#outcome")
    d.shot("account-repeat")


def carol_sees_the_receipt(d):
    d.click_and_wait("receipt-link")
    d.expect_text(d.plan["receipt"], "#receipt-number")
    d.expect_text("EUR " + d.plan["amount"], "#receipt-amount")
    d.expect_text("carol", "#receipt-operator")
    d.shot("receipt")


def dana_opens_the_refunds(d):
    d.sign_out()
    d.sign_in("dana", "/pullprint/admin/refunds")
    d.find("decided-requests")
    d.shot("refunds")
    d.open("/pullprint/admin")
    d.find("accounts-panel")
    d.shot("dashboard")


def main():
    with open(sys.argv[1]) as plan_file:
        plan = json.load(plan_file)
    with tempfile.TemporaryDirectory() as profile:
        driver = start_browser(profile)
        try:
            Desk(driver, plan).run([carol_finds_alice, carol_tops_up_twice,
                                    carol_sees_the_receipt, dana_opens_the_refunds])
        finally:
            driver.quit()
    json.dump({"ok": True}, sys.stdout)


if __name__ == "__main__":
    main()
