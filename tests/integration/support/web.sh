# web.sh: pullprintd's web pages as a browser's user sees them, played by curl and by headless
# chromium (support/browser.py); sourced after pullprintd.sh, used once pullprintd runs ($base is
# the test's directory).

# pp_web_page: the URL of "My jobs" on the running pullprintd.
pp_web_page() { echo "http://127.0.0.1:$PP_PORT/pullprint/jobs"; }

# money CENTS: "EUR 1.23", as the page writes amounts.
money() { printf 'EUR %d.%02d' $(($1 / 100)) $(($1 % 100)); }

# web USER:PASSWORD [curl args]: the page as that user (HTTP Basic, the user's own cookie jar);
# the body on stdout, the HTTP status in $base/status.
web() {
  local credentials=$1
  shift
  curl -sS -u "$credentials" -b "$base/jar-${credentials%%:*}" -c "$base/jar-${credentials%%:*}" \
    -o "$base/body" -w '%{http_code}' "$@" "$(pp_web_page)" >"$base/status"
  cat "$base/body"
}
status() { cat "$base/status"; }

# session USER:PASSWORD: the CSRF session key of the first form on that user's page.
session() {
  { web "$1" | grep -o 'name="session" value="[^"]*"' || true; } | head -n 1 |
    sed 's/.*value="//; s/"$//'
}

# pp_require_web_clients: curl, and headless chromium driven through Selenium
# (support/browser.py), or the test FAILS: the browser checks are part of the web tests, not an
# extra that silently never runs (CI installs these packages).
pp_require_web_clients() {
  local missing=()
  command -v curl >/dev/null || missing+=(curl)
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
  /usr/bin/python3 -c 'import selenium' 2>/dev/null || missing+=(python3-selenium)
  ((${#missing[@]} == 0)) ||
    pp_fail "the web tests need Debian's ${missing[*]} (apt-get install -y curl chromium chromium-driver python3-selenium)"
}

# browser URL [--user NAME:PASSWORD] [--text CSS]... [--screenshot FILE]: the page as headless
# chromium renders it, as JSON (title, url, text per selector, links: support/browser.py).
browser() {
  timeout 120 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/browser.py" "$@"
}

# pp_web_test_site: the start the web tests share: the web clients (pp_require_web_clients), a
# test site (pp_test_site) and HOME for curl and ipptool (pp_test_home).
pp_web_test_site() {
  pp_require_web_clients
  pp_test_site
  pp_test_home
}

# pp_web_lab_a_site [PRINTER-OPTION...] [CONFIG-LINE...]: the start the web tests against a real
# printer share: pp_web_test_site, a real IPP Everywhere printer (pp_require_ipp_printer,
# pp_start_ipp_printer with the leading PRINTER-OPTIONs, e.g. -2 for duplex), pullprintd's
# config with the build's wrapper backend and the CONFIG-LINEs at its top (pp_config_top), and
# the release printer Lab_A in the Library (pp_lab_a_library_printer). Needs support/
# ipp-printer.sh and support/pullprintd.sh sourced too.
pp_web_lab_a_site() {
  local printer_options=()
  while [[ $# -gt 0 && $1 == -* ]]; do
    printer_options+=("$1")
    shift
  done
  pp_web_test_site
  pp_require_ipp_printer
  pp_start_ipp_printer "$base" "${printer_options[@]}"
  pp_config_top "backend = $PULLPRINT_BUILD_DIR/backend/pullprint" "$@"
  pp_lab_a_library_printer
}
