# web-split.sh: the split form (/pullprint/split, web/web-split.cpp) and a payer's request page
# (/pullprint/approval, web/web-approval.cpp) as curl plays them; sourced after web.sh.

# web_at PATH USER:PASSWORD [curl args]: like web (web.sh) for the page at PATH (query included):
# the body on stdout, the HTTP status in $base/status.
web_at() {
  local path=$1 credentials=$2
  shift 2
  curl -sS -u "$credentials" -b "$base/jar-${credentials%%:*}" -c "$base/jar-${credentials%%:*}" \
    -o "$base/body" -w '%{http_code}' "$@" "http://127.0.0.1:$PP_PORT$path" >"$base/status"
  cat "$base/body"
}

# split_text USER:PASSWORD KEY JOB REQUEST [ACTION]: the split form with the request written as
# text (the CLI's syntax) instead of rows; ACTION send (default) or preview.
split_text() {
  web_at /pullprint/split "$1" -d "session=$2" -d "job=$3" --data-urlencode "request=$4" \
    -d "action=${5:-send}"
}

# split_error PAGE: the text of the split form's error box ("" when none).
split_error() { grep -o '<div class="banner" id="split-error">[^<]*</div>' <<<"$1" | sed 's/<[^>]*>//g' || true; }
