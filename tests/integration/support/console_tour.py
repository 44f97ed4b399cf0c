#!/usr/bin/python3
"""console_tour.py: the console's pages in headless chromium, as each role sees them.

    console_tour.py PLAN.json

PLAN.json (written by tests/integration/web-console.sh) names the site, the passwords, the
screenshots' directory and the console's pages (support/console_pages.py). dana (an admin) signs
in through the form, opens the console from the link on My jobs, then clicks every link of the
console's navigation bar in turn: each page has its title and the bar, and is saved as
console-NAV.png. carol (an operator) sees only her pages in the bar. alice (a user) opening the
console gets the 403 page. Uses web_journey.Journey (same directory) for the browser's steps.
"""
import json
import os
import re
import sys
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import start_browser  # noqa: E402  (same directory)
from web_journey import Journey, StepFailed  # noqa: E402


def nav_names(j):
    return [a.text for a in j.driver.find_elements(By.CSS_SELECTOR, "#console-nav a")]


def file_name(nav):
    return "console-" + re.sub(r"[^a-z0-9]+", "-", nav.lower()).strip("-")


def dana_tours_the_console(j):
    j.sign_in("dana", "/pullprint/jobs")
    j.click_and_wait("administration")  # the link on My jobs
    j.expect_path("/pullprint/admin")
    j.expect_text("Signed in as dana (admin)")
    names = [n for n in nav_names(j) if n != "My jobs"]
    expected = [p["nav"] for p in j.plan["pages"] if p["nav"]]
    if names != expected:
        raise StepFailed("dana's bar %r, the table's %r" % (names, expected))
    for name in names:
        link = j.driver.find_element(By.LINK_TEXT, name)
        old = j.driver.find_element(By.TAG_NAME, "html")
        link.click()
        WebDriverWait(j.driver, 20).until(expected_conditions.staleness_of(old))
        active = j.driver.find_elements(By.CSS_SELECTOR, "#console-nav a.active")
        if not active or active[0].text != name:
            raise StepFailed("the %s page does not mark itself in the bar" % name)
        if "Not allowed" in j.text("h1"):
            raise StepFailed("dana was refused " + name)
        j.shot(file_name(name))
    j.sign_out()


def carol_sees_her_pages(j):
    j.sign_in("carol", "/pullprint/admin")
    j.expect_text("Signed in as carol (operator)")
    names = [n for n in nav_names(j) if n != "My jobs"]
    if names != ["Dashboard", "Accounts", "Jobs", "Review"]:
        raise StepFailed("carol's bar: %r" % names)
    j.shot("console-operator-dashboard")
    j.sign_out()


def alice_is_refused(j):
    j.open("/pullprint/admin")  # the sign-in form, then back to the console: refused
    j.expect_path("/pullprint/sign-in")
    j.field("sign-in-user", "alice")
    j.field("sign-in-password", j.plan["passwords"]["alice"])
    j.click_and_wait("sign-in")
    j.expect_path("/pullprint/admin")
    j.expect_text("Not allowed")
    j.expect_text("for the print desk and the admins only")
    if j.driver.find_elements(By.ID, "console-nav"):
        raise StepFailed("alice's 403 page shows the console's bar")
    j.shot("console-user-refused")
    j.sign_out()


def main():
    with open(sys.argv[1]) as plan_file:
        plan = json.load(plan_file)
    os.makedirs(plan["screenshots"], exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pp-chromium-") as profile_dir:
        driver = start_browser(profile_dir)
        try:
            Journey(driver, plan).run([dana_tours_the_console, carol_sees_her_pages,
                                       alice_is_refused])
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
