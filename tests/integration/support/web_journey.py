#!/usr/bin/python3
"""web_journey.py: a user's day on pullprintd's web pages, in headless chromium (Selenium).

    web_journey.py PLAN.json

PLAN.json (written by tests/integration/web-browser.sh) names the site, the users and their
passwords, the files and what the shell side prepared (jobs, the printer's release URL), and
the directory for the screenshots. Each step acts as a person would (typing into fields,
clicking buttons: no URL tricks where a page has a link or a form) and asserts what the person
must see; a failed step saves FAILED-<step>.png and the page's text, and exits 1. What the shell
must check afterwards (the printer's output, the ledger) is printed as JSON on stdout.

Runs /usr/bin/python3 on purpose: python3-selenium is installed for Debian's Python.
"""
import json
import os
import re
import sqlite3
import sys
import tempfile
import time

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import start_browser  # noqa: E402  (same directory)

WAIT_SECONDS = 20
PHONE = (390, 844)
DESKTOP = (1280, 1000)


class StepFailed(Exception):
    pass


class Journey:
    def __init__(self, driver, plan):
        self.driver = driver
        self.plan = plan
        self.site = plan["site"]
        self.shots = plan["screenshots"]
        self.step = "start"
        self.results = {}

    # --- the browser, as a person uses it

    def open(self, path):
        self.driver.get(self.site + path)

    def field(self, element_id, text):
        element = self.find(element_id)
        element.clear()
        element.send_keys(text)

    def click(self, element_id):
        element = self.find(element_id)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def find(self, element_id):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(
                expected_conditions.presence_of_element_located((By.ID, element_id)))
        except TimeoutException:
            raise StepFailed("no element #" + element_id + " on " + self.driver.current_url)

    def has_id(self, element_id):
        return bool(self.driver.find_elements(By.ID, element_id))

    def text(self, css="body"):
        return "\n".join(e.text for e in self.driver.find_elements(By.CSS_SELECTOR, css))

    def expect_text(self, words, css="body"):
        """Waits until `words` show (a click's page may still be on its way)."""
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(lambda d: words in self.text(css))
        except TimeoutException:
            raise StepFailed("expected %r on %s" % (words, self.driver.current_url))

    def path(self):
        return re.sub(r"^https?://[^/]+", "", self.driver.current_url)

    def expect_path(self, prefix):
        """Waits until the browser is on a page under `prefix`."""
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(
                lambda d: self.path().startswith(prefix))
        except TimeoutException:
            raise StepFailed("expected to be on %s, am on %s" % (prefix, self.path()))

    def click_and_wait(self, element_id):
        """Clicks a submit button and waits for the next page (the old one goes stale)."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.click(element_id)
        WebDriverWait(self.driver, WAIT_SECONDS).until(expected_conditions.staleness_of(old))

    def status_of(self, path):
        """The HTTP status of a GET of `path` with this browser's cookies (fetch, same origin)."""
        self.open("/pullprint-style.css")  # a same-origin page that is not ours to hold state
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {credentials: 'include', redirect: 'manual'})"
            ".then(r => done(r.type === 'opaqueredirect' ? 303 : r.status))"
            ".catch(e => done(-1));", self.site + path)

    def shot(self, name, size=DESKTOP):
        self.driver.set_window_size(*size)
        time.sleep(0)  # no waiting: the page is loaded; resizing re-lays it out synchronously
        path = os.path.join(self.shots, name + ".png")
        if not self.driver.save_screenshot(path):
            raise StepFailed("cannot write " + path)

    def plan_share_of(self, payer):
        """The id of `payer`'s share of the journey's split (read from the ledger file)."""
        with sqlite3.connect("file:%s?mode=ro" % self.plan["ledger"], uri=True) as db:
            row = db.execute("SELECT s.id FROM split_shares s JOIN splits p ON p.id = s.split_id "
                             "WHERE s.payer = ? ORDER BY s.id DESC LIMIT 1", (payer,)).fetchone()
        if not row:
            raise StepFailed("no share of %s in the ledger" % payer)
        return row[0]

    # --- steps shared by several parts of the journey

    def sign_in(self, user, next_path="/"):
        self.open(next_path)
        if not self.has_id("sign-in-user"):
            self.open("/pullprint/sign-in")
        self.field("sign-in-user", user)
        self.field("sign-in-password", self.plan["passwords"][user])
        self.click_and_wait("sign-in")
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda d: "/pullprint/sign-in" not in d.current_url)
        self.expect_text("Signed in as " + user)

    def sign_out(self):
        self.open("/pullprint/sign-out")
        self.click_and_wait("sign-out")
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda d: re.sub(r"^https?://[^/]+", "", d.current_url) in ("/", ""))

    def run(self, steps):
        for step in steps:
            self.step = step.__name__
            try:
                step(self)
            except (StepFailed, TimeoutException, AssertionError) as failure:
                self.driver.save_screenshot(os.path.join(self.shots, "FAILED-%s.png" % self.step))
                sys.stderr.write("web_journey: step %s failed: %s\n--- page text ---\n%s\n" %
                                 (self.step, failure, self.text()))
                sys.exit(1)
            sys.stderr.write("web_journey: ok: %s\n" % self.step)


# --- the journey's steps, in order

def landing_and_sign_in(j):
    j.open("/")
    j.find("sign-in-user")
    j.shot("01-landing-sign-in")
    j.shot("01-landing-sign-in-phone", PHONE)
    j.driver.set_window_size(*DESKTOP)
    j.open("/pullprint/jobs")  # not signed in: the form, then back here
    j.expect_path("/pullprint/sign-in")
    j.field("sign-in-user", "alice")
    j.field("sign-in-password", "wrong password")
    j.click_and_wait("sign-in")
    j.expect_text("The user name or password is not right.")
    j.field("sign-in-password", j.plan["passwords"]["alice"])
    j.click_and_wait("sign-in")
    WebDriverWait(j.driver, WAIT_SECONDS).until(
        lambda d: "/pullprint/jobs" in d.current_url)
    j.expect_text("Signed in as alice")
    j.shot("02-my-jobs")


def my_account(j):
    j.driver.find_element(By.LINK_TEXT, "My account").click()
    j.expect_path("/pullprint/account")
    balance = j.find("balance").text
    if "5.00" not in balance:
        raise StepFailed("alice's balance reads %r, not EUR 5.00" % balance)
    j.find("history")
    j.shot("03-my-account")


def print_from_the_browser(j):
    j.driver.find_element(By.LINK_TEXT, "Print").click()
    j.expect_path("/pullprint/print")
    j.find("print-file").send_keys(j.plan["pdf"])
    j.field("print-copies", "1")
    Select(j.find("print-color")).select_by_value("color")
    j.shot("04-print-form")
    j.click_and_wait("print-estimate")
    estimate = j.find("estimate-price").text
    pages = j.find("estimate-pages").text
    if pages.strip() != "4":
        raise StepFailed("the estimate counts %r pages, not 4" % pages)
    j.shot("05-print-estimate")
    j.click_and_wait("submit-print")
    job = j.find("held-job-id").text.strip()
    held_price = j.find("held-job-price").text
    if held_price.strip() != estimate.strip():
        raise StepFailed("held at %r after an estimate of %r" % (held_price, estimate))
    j.shot("06-print-held")
    j.results["printed_job"] = int(job)
    j.results["estimate"] = estimate.strip()


def release_by_qr_code(j):
    j.driver.set_window_size(*PHONE)
    j.driver.get(j.plan["release_url"])  # what the phone's camera opens
    job = j.results["printed_job"]
    j.find("release-job-%d" % job)
    j.shot("07-release-phone", PHONE)
    j.click_and_wait("release-all")
    j.find("release-outcomes")
    j.expect_text("Lab_A")
    j.shot("08-released-phone", PHONE)
    j.driver.set_window_size(*DESKTOP)


def history_shows_the_print(j):
    """The capture lands once the printer has the job: reload My account until it shows."""
    def printed(driver):
        driver.get(j.site + "/pullprint/account")
        return driver.find_elements(By.CSS_SELECTOR, "#history tr.kind-print")
    WebDriverWait(j.driver, WAIT_SECONDS * 3, poll_frequency=0.5).until(printed)
    row = j.driver.find_element(By.CSS_SELECTOR, "#history tr.kind-print")
    if "sample" not in row.text and "4" not in row.text:
        raise StepFailed("the print's history row lacks its job: %r" % row.text)
    j.shot("09-account-history")


def split_with_the_form(j):
    # A second job, printed from the browser too, then shared with bob through the form.
    j.open("/pullprint/print")
    j.find("print-file").send_keys(j.plan["pdf"])
    j.click_and_wait("print-estimate")
    j.click_and_wait("submit-print")
    job = int(j.find("held-job-id").text.strip())
    j.open("/pullprint/jobs")
    j.click("split-link-%d" % job)
    j.expect_path("/pullprint/split")
    Select(j.find("split-mode")).select_by_value("ratio")
    j.click_and_wait("split-mode-apply")
    j.field("payer-1", "alice")  # "name yourself too if you pay a part"
    j.field("part-1", "50")
    j.field("payer-2", "bob")
    j.field("part-2", "50")
    j.click_and_wait("split-preview-button")
    bob_amount = j.find("preview-amount-bob").text.strip()
    j.shot("10-split-preview")
    j.click_and_wait("split-send")
    j.find("split-done")
    if j.find("share-amount-bob").text.strip() != bob_amount:
        raise StepFailed("bob's share differs from the preview")
    j.shot("11-split-sent")
    j.results["split_job"] = job
    j.results["bob_amount"] = bob_amount


def payer_approves(j):
    j.sign_out()
    j.sign_in("bob", "/pullprint/jobs")
    links = j.driver.find_elements(By.CSS_SELECTOR, "a[id^=approval-link-]")
    if not links:
        raise StepFailed("bob has no approval request on My jobs")
    share = int(re.search(r"share=(\d+)", links[0].get_attribute("href")).group(1))
    links[0].click()
    j.expect_path("/pullprint/approval")
    amount = j.find("approval-amount").text.strip()
    if amount != j.results["bob_amount"]:
        raise StepFailed("bob is asked for %r, the preview said %r" %
                         (amount, j.results["bob_amount"]))
    j.find("approval-gets")
    j.shot("12-approval-request")
    j.click_and_wait("approve-button")
    j.find("approval-outcome")
    j.shot("13-approved")
    j.results["bob_share"] = share


def others_data_is_forbidden(j):
    """bob, signed in, asks for alice's job, history and share: 403 each."""
    alice_job = j.results["split_job"]
    forbidden = {
        "alice's split page": "/pullprint/split?job=%d" % alice_job,
        "alice's history": "/pullprint/account?user=alice",
        "alice's CSV": "/pullprint/account.csv?user=alice",
        "alice's share": "/pullprint/approval?share=%d" % j.plan_share_of("alice"),
    }
    for what, path in forbidden.items():
        status = j.status_of(path)
        if status != 403:
            raise StepFailed("%s (%s) answered %s to bob, not 403" % (what, path, status))
    j.open("/pullprint/split?job=%d" % alice_job)
    j.shot("14-not-yours")


def signed_out_at_the_end(j):
    j.sign_out()
    j.open("/pullprint/jobs")
    j.expect_path("/pullprint/sign-in")
    j.shot("99-signed-out")


STEPS = [landing_and_sign_in, my_account, print_from_the_browser, release_by_qr_code,
         history_shows_the_print, split_with_the_form, payer_approves, others_data_is_forbidden,
         signed_out_at_the_end]


def main():
    with open(sys.argv[1]) as plan_file:
        plan = json.load(plan_file)
    os.makedirs(plan["screenshots"], exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pp-chromium-") as profile_dir:
        driver = start_browser(profile_dir)
        try:
            journey = Journey(driver, plan)
            journey.run(STEPS)
        finally:
            driver.quit()
    json.dump(journey.results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
