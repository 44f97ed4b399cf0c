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
        self.find(element_id).click()

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
        page = self.text(css)
        if words not in page:
            raise StepFailed("expected %r on %s" % (words, self.driver.current_url))

    def expect_path(self, prefix):
        path = re.sub(r"^https?://[^/]+", "", self.driver.current_url)
        if not path.startswith(prefix):
            raise StepFailed("expected to be on %s, am on %s" % (prefix, path))

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

    # --- steps shared by several parts of the journey

    def sign_in(self, user, next_path="/"):
        self.open(next_path)
        if not self.has_id("sign-in-user"):
            self.open("/pullprint/sign-in")
        self.field("sign-in-user", user)
        self.field("sign-in-password", self.plan["passwords"][user])
        self.click("sign-in")
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda d: "/pullprint/sign-in" not in d.current_url)
        self.expect_text("Signed in as " + user)

    def sign_out(self):
        self.open("/pullprint/sign-out")
        self.click("sign-out")
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
    j.open("/pullprint/jobs")  # not signed in: the form, then back here
    j.expect_path("/pullprint/sign-in")
    j.field("sign-in-user", "alice")
    j.field("sign-in-password", "wrong password")
    j.click("sign-in")
    j.expect_text("The user name or password is not right.")
    j.field("sign-in-password", j.plan["passwords"]["alice"])
    j.click("sign-in")
    WebDriverWait(j.driver, WAIT_SECONDS).until(
        lambda d: "/pullprint/jobs" in d.current_url)
    j.expect_text("Signed in as alice")
    j.shot("02-my-jobs")


def signed_out_at_the_end(j):
    j.sign_out()
    j.open("/pullprint/jobs")
    j.expect_path("/pullprint/sign-in")
    j.shot("99-signed-out")


STEPS = [landing_and_sign_in, signed_out_at_the_end]


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
