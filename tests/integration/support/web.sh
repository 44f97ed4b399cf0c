# web.sh: pullprintd's web page as a browser's user sees it, played by curl (sourced after
# pullprintd.sh, once pullprintd runs; $base is the test's directory).

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
