#!/usr/bin/python3
"""print-browser.py: "Print" (/pullprint/print) driven in headless chromium, for web-print.sh.

    print-browser.py URL --user NAME:PASSWORD --file PATH [--copies N] --shots DIR

Opens the Print page, chooses the file and the copies, clicks "See the price", reads the
estimate (#estimate-pages, #estimate-color-pages, #estimate-price), clicks Submit and reads the
held job (#held-job-id, #held-job-price). Prints them as JSON; saves print-form.png,
print-estimate.png and print-held.png in DIR. The upload is the browser's own multipart body,
CSRF field and all: what curl cannot prove about the form.
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
browser = __import__("browser")  # support/browser.py: the same chromium, flags and Basic auth

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--user", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--copies", default="1")
    parser.add_argument("--sides", default="one-sided")
    parser.add_argument("--shots", required=True)
    args = parser.parse_args()
    result = {}
    with tempfile.TemporaryDirectory(prefix="pp-chromium-") as profile_dir:
        driver = browser.start_browser(profile_dir)
        try:
            browser.send_credentials(driver, args.user)
            driver.get(args.url)
            driver.find_element(By.ID, "print-file").send_keys(os.path.abspath(args.file))
            copies = driver.find_element(By.ID, "print-copies")
            copies.clear()
            copies.send_keys(args.copies)
            Select(driver.find_element(By.ID, "print-sides")).select_by_value(args.sides)
            driver.save_screenshot(os.path.join(args.shots, "print-form.png"))
            driver.find_element(By.ID, "print-estimate").click()
            wait = WebDriverWait(driver, 30)
            wait.until(expected_conditions.presence_of_element_located((By.ID, "estimate-price")))
            for key in ("estimate-pages", "estimate-color-pages", "estimate-price"):
                result[key] = driver.find_element(By.ID, key).text
            result["estimate-on-printers"] = [
                e.text for e in driver.find_elements(By.CSS_SELECTOR, ".estimate-on-printer")]
            driver.save_screenshot(os.path.join(args.shots, "print-estimate.png"))
            driver.find_element(By.ID, "submit-print").click()
            wait.until(expected_conditions.presence_of_element_located((By.ID, "held-job-id")))
            for key in ("held-job-id", "held-job-price"):
                result[key] = driver.find_element(By.ID, key).text
            driver.save_screenshot(os.path.join(args.shots, "print-held.png"))
        finally:
            driver.quit()
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
