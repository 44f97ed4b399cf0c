#!/usr/bin/python3
"""browser.py: a page as headless chromium renders it, for the web tests (support/web.sh).

    browser.py URL [--user NAME:PASSWORD] [--text CSS-SELECTOR]... [--screenshot FILE.png]
               [--window-size WIDTH,HEIGHT]

Loads URL in headless chromium (driven by chromedriver through Selenium) and prints one JSON
object: "title" (the document's title), "url" (where the browser ended up), "text" (for each
--text selector, the rendered text of every matching element, in document order) and "links"
(each <a>'s text and resolved href). --user sends HTTP Basic credentials with every request
(a DevTools header, not user:password@ in the URL, which chromium drops for sub-resources).

Rendered text is what a person reads: "a<b>&'c'" comes back as such, however the server escaped
it, so tests compare it with the raw value rather than with one particular serialisation.
--window-size (default 1280,1000) plays another screen, e.g. a phone's 390,844.
Runs /usr/bin/python3 on purpose: python3-selenium is installed for Debian's Python.
"""
import argparse
import base64
import json
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Nothing may reach the internet: no background services, updates, sync or first-run pages.
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--window-size=1280,1000", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--user", help="NAME:PASSWORD for HTTP Basic")
    parser.add_argument("--text", action="append", default=[], help="CSS selector")
    parser.add_argument("--screenshot", help="PNG file to write")
    parser.add_argument("--window-size", default="1280,1000", help="WIDTH,HEIGHT")
    return parser.parse_args()


def start_browser(profile_dir, window_size="1280,1000"):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    flags = [f for f in FLAGS if not f.startswith("--window-size=")]
    for flag in flags + ["--window-size=" + window_size, "--user-data-dir=" + profile_dir]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


def send_credentials(driver, user):
    token = base64.b64encode(user.encode()).decode()
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                           {"headers": {"Authorization": "Basic " + token}})


def read_page(driver, selectors):
    links = [{"text": a.text, "href": a.get_attribute("href")}
             for a in driver.find_elements(By.TAG_NAME, "a")]
    text = {s: [e.text for e in driver.find_elements(By.CSS_SELECTOR, s)] for s in selectors}
    return {"title": driver.title, "url": driver.current_url, "text": text, "links": links}


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="pp-chromium-") as profile_dir:
        driver = start_browser(profile_dir, args.window_size)
        try:
            if args.user:
                send_credentials(driver, args.user)
            driver.get(args.url)
            page = read_page(driver, args.text)
            if args.screenshot and not driver.save_screenshot(args.screenshot):
                sys.exit("browser.py: cannot write " + args.screenshot)
        finally:
            driver.quit()
    json.dump(page, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
