#!/usr/bin/python3
"""console_jobs_journey.py: the print desk's jobs and review queue in headless chromium (Selenium).

    console_jobs_journey.py PLAN.json

PLAN.json (written by tests/integration/web-console-jobs.sh) names the site, carol's password,
the two held jobs of alice's she acts on (cancel_job, release_job), the delivery under review she
voids (void_ref) and the directory for the screenshots. carol signs in through the form, opens
Jobs from the console's navigation bar, filters alice's held jobs, cancels one, releases one to
Lab_A, opens Review and voids the delivery; each page is saved as console-jobs-*.png. A failed
step saves FAILED-<step>.png (web_journey.Journey) and exits 1. The shell checks the stores afterwards.

Runs /usr/bin/python3 on purpose: python3-selenium is installed for Debian's Python.
"""
import json
import os
import re
import sys
import tempfile

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import start_browser  # noqa: E402  (same directory)
from web_journey import Journey, StepFailed  # noqa: E402


def review_key(job_ref):
    """The id suffix the review page gives a job reference (web-console-jobs-review.cpp)."""
    return re.sub(r"[^A-Za-z0-9]", "-", job_ref)


def desk_signs_in(j):
    j.open("/pullprint/admin/jobs")  # not signed in: the form, then back here
    j.expect_path("/pullprint/sign-in")
    j.field("sign-in-user", "carol")
    j.field("sign-in-password", j.plan["passwords"]["carol"])
    j.click_and_wait("sign-in")
    j.expect_path("/pullprint/admin/jobs")
    j.expect_text("Signed in as carol")
    j.find("console-jobs")
    j.shot("console-jobs-jobs")


def filters_alices_jobs(j):
    Select(j.find("filter-state")).select_by_value("held")
    j.field("filter-owner", "alice")
    j.click_and_wait("filter-apply")
    if j.path().startswith("/pullprint/sign-in"):
        # The browser had lost its session: a response on another kept-alive connection repeated
        # the sign-in form's cookie deletion (fixed: forget_connection_cookie, web-session.cpp).
        raise StepFailed("the filter's GET was sent to sign in: the session cookie was lost")
    owners = {cell.text for cell in j.driver.find_elements(
        By.CSS_SELECTOR, "#console-jobs tbody tr td:nth-child(2)")}
    if owners != {"alice"}:
        raise StepFailed("the owner filter shows %r, not alice's jobs only" % sorted(owners))
    j.find("cancel-%d" % j.plan["cancel_job"])
    j.shot("console-jobs-jobs-filtered")


def cancels_one(j):
    j.click_and_wait("cancel-%d" % j.plan["cancel_job"])
    j.expect_text("cancelled; its reservation is voided", "#outcome")
    if j.has_id("cancel-%d" % j.plan["cancel_job"]):
        raise StepFailed("the cancelled job still offers Cancel")
    j.shot("console-jobs-jobs-cancelled")


def releases_one(j):
    job = j.plan["release_job"]
    Select(j.find("release-printer-%d" % job)).select_by_value("Lab_A")
    j.click_and_wait("release-%d" % job)
    j.expect_text("Sending to Lab_A", "#outcome")
    j.shot("console-jobs-jobs-released")


def voids_a_review(j):
    j.driver.find_element(By.CSS_SELECTOR, "#console-nav").find_element(
        By.LINK_TEXT, "Review").click()
    j.expect_path("/pullprint/admin/review")
    key = review_key(j.plan["void_ref"])
    j.find("void-" + key)
    j.shot("console-jobs-review")
    j.click_and_wait("void-" + key)
    j.expect_text("voided, nothing charged", "#outcome")
    if j.has_id("void-" + key):
        raise StepFailed("the voided delivery is still in the queue")
    j.shot("console-jobs-review-voided")


STEPS = [desk_signs_in, filters_alices_jobs, cancels_one, releases_one, voids_a_review]


def main():
    with open(sys.argv[1]) as plan_file:
        plan = json.load(plan_file)
    os.makedirs(plan["screenshots"], exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pp-chromium-") as profile_dir:
        driver = start_browser(profile_dir)
        try:
            journey = Journey(driver, plan)
            journey.run(STEPS)
        except TimeoutException as failure:
            sys.stderr.write("console_jobs_journey: %s\n" % failure)
            sys.exit(1)
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
