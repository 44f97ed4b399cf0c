#!/usr/bin/python3
"""console_pages.py: the console's pages as pullprintd's source declares them, as JSON.

    console_pages.py SOURCE_DIR

Reads the table console_pages() in pappl-server/web/web-console.cpp (each row: the route's
constant, its name in the navigation bar, the actions that open it) and the route constants of
web-console.h and web.h, and prints [{"path": "/pullprint/admin/jobs", "nav": "Jobs",
"actions": ["jobs"]}, ...] in the table's order. The console test (web-console.sh) checks every
page of this list, so a page added to the table is a page the test checks; a table it cannot
read is an error, not an empty list.
"""
import json
import os
import re
import sys


def constants(path):
    text = open(path, encoding="utf-8").read()
    return dict(re.findall(r'constexpr const char\* (k\w+) = "([^"]*)";', text))


def action_word(constant):
    """kTopUp -> topup, kAccountSettings -> account-settings (console-access.cpp's words)."""
    words = {"kTopUp": "topup"}
    if constant in words:
        return words[constant]
    return re.sub(r"(?<!^)([A-Z])", r"-\1", constant[1:]).lower()


def main():
    source = sys.argv[1]
    web = os.path.join(source, "pappl-server", "web")
    routes = constants(os.path.join(web, "web.h"))
    routes.update(constants(os.path.join(web, "web-console.h")))
    table = open(os.path.join(web, "web-console.cpp"), encoding="utf-8").read()
    body = table[table.index("console_pages() {"):table.index("return pages;")]
    pages = []
    for name, nav, actions in re.findall(r'\{(k\w+),\s*"([^"]*)",\s*\{([^}]*)\}\}', body):
        if name not in routes:
            sys.exit("console_pages.py: no route constant " + name)
        pages.append({"path": routes[name], "nav": nav,
                      "actions": [action_word(a.strip()[3:]) for a in actions.split(",")
                                  if a.strip()]})
    if len(pages) < 10:
        sys.exit("console_pages.py: read only %d console pages" % len(pages))
    json.dump(pages, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
