#!/bin/bash
# Integration: notifications (issue 14) through the one path (lib/notify), end to end.
# pullprintd (auth = pam under pam_wrapper) with a notify-command that appends its address and
# message to a file, a real IPP Everywhere printer (ippeveprinter) behind the wrapper backend.
# Checks:
#  1. /pullprint/notifications: alice sees her address (notify-domain) and receipts off; a query
#     for bob's page, a form without the session key and a forged form for bob change nothing
#     (403 / 400) and bob's choice stays unset;
#  2. alice turns receipts on with the form: stored, shown;
#  3. alice's job printed: one receipt (title, pages, printer, price); bob (receipts off) prints:
#     no receipt for him;
#  4. low balance: alice falls below low-balance-warning: told once, not again at her next job;
#  5. a held job near its expiry: `pullprint notify run --at` warns once (a second run sends
#     nothing), then at its expiry the job expires and alice is told once;
#  6. each notification is recorded once (notify list), and headless chromium renders the page
#     (screenshot under $PP_ARTIFACTS or the test's directory).
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"

# alice and bob get EUR 5.00; alice is warned below EUR 4.99 (her first hold takes her there).
pp_web_lab_a_site "notify-domain = example.org" "low-balance-warning = 4.99" \
  "expiry-warning = 2h" "job-lifetime = 86400"
mkdir -p "$base/pam.d"

pp_config_top "notify-command = $base/notify"
sent="$base/notify.out"
cat >"$base/notify" <<SCRIPT
#!/bin/sh
{ echo "== \$1"; cat; } >>"$sent"
SCRIPT
chmod 755 "$base/notify"
: >"$sent"
pp_use_pam "$base" alice:secret bob:hunter2
pp_funded_accounts 5.00 alice bob
pp_sample_pdf "$base/sample.pdf"

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
npage="http://127.0.0.1:$PP_PORT/pullprint/notifications"
# nweb USER:PASSWORD [curl args]: the notifications page as that user; status in $base/status.
nweb() {
  local credentials=$1
  shift
  curl -sS -u "$credentials" -o "$base/body" -w '%{http_code}' "$@" "$npage" >"$base/status"
  cat "$base/body"
}
nkey() { nweb "$1" | grep -o 'name="session" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }
receipts_of() { sqlite3 "$state/ledger.sqlite" "SELECT receipts FROM notify_preferences WHERE login = '$1'"; }
count_sent() { grep -c -- "$1" "$sent" || true; }
# sent_to USER SUBJECT: how many notifications USER got with that Subject.
sent_to() { grep -A2 -- "== $1@example.org" "$sent" | grep -c -- "Subject: $2" || true; }
as() { echo "ipp://$1@127.0.0.1:$PP_PORT/ipp/print"; }
submit() { PP_URI=$(as "$1") pp_submit "${1%%:*}" "$2" >/dev/null; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = '$1'"; }
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
job_is() { [[ $(job_state "$1") == "$2" ]]; }
has_sent() { grep -q -- "$1" "$sent"; }
release() {  # release USER:PASSWORD JOB: through "My jobs" with the form's session key
  local key
  key=$(session "$1")
  web "$1" -d "session=$key" -d action=release -d printer=Lab_A -d "job-$2=1" >/dev/null
  pp_assert_eq 200 "$(status)" "HTTP status of the release of job $2"
}

# --- 1. the page, and what others cannot do with it.
pp_assert_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' "$npage")" "HTTP status without credentials"
out=$(nweb alice:secret)
pp_assert_eq 200 "$(status)" "HTTP status of alice's notifications page"
grep -qF '<strong id="notify-address">alice@example.org</strong>' <<<"$out" ||
  { echo "$out" >&2; pp_fail "alice's address is not shown"; }
grep -qF '<strong id="receipts-state">off</strong>' <<<"$out" || pp_fail "receipts are not off at first"
nweb alice:secret -G -d user=bob >/dev/null
pp_assert_eq 403 "$(status)" "HTTP status of alice asking for bob's page"
grep -q "not yours" "$base/body" || pp_fail "no 'not yours' for bob's page"
nweb alice:secret -d receipts=on -d owner=alice >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of a form without the session key"
pp_assert_eq "" "$(receipts_of alice)" "alice's choice after the refused form"
key=$(nkey alice:secret)
[[ -n $key ]] || pp_fail "no session key on alice's page"
nweb alice:secret -d "session=$key" -d receipts=on -d owner=bob >/dev/null
pp_assert_eq 403 "$(status)" "HTTP status of alice's forged form for bob"
pp_assert_eq "" "$(receipts_of bob)" "bob's choice after alice's forged form"
pp_assert_eq "" "$(receipts_of alice)" "alice's choice after her forged form"
grep -q "Notification settings of bob refused to alice" "$base/pullprintd.log" ||
  pp_fail "the refusal is not logged"
pp_pass "the page is alice's own: bob's page and forged forms refused, nothing changed"

# --- 2. alice turns receipts on.
out=$(nweb alice:secret -d "session=$key" -d receipts=on -d owner=alice)
pp_assert_eq 200 "$(status)" "HTTP status of turning receipts on"
grep -qF '<strong id="receipts-state">on</strong>' <<<"$out" || { echo "$out" >&2; pp_fail "receipts not shown on"; }
pp_assert_eq 1 "$(receipts_of alice)" "alice's stored choice"
pp_pass "receipts on for alice"

# --- 3. receipts: alice's printed job gives one, bob's none.
submit alice:secret "$base/sample.pdf"
job=$(newest_job alice)
pages=$(sqlite3 "$state/jobs.sqlite" "SELECT pages FROM held_jobs WHERE id = $job")
release alice:secret "$job"
pp_wait_for 60 "job $job to print" job_is "$job" printed
pp_wait_for 30 "alice's receipt" has_sent "Subject: pullprint: receipt"
price=$(sqlite3 "$state/jobs.sqlite" "SELECT final_price_minor FROM held_jobs WHERE id = $job")
grep -qF "$pages page(s), on Lab_A. Charged: $(money "$price")" "$sent" ||
  { cat "$sent" >&2; pp_fail "the receipt does not say pages, printer and price"; }
pp_assert_eq 1 "$(sent_to alice 'pullprint: receipt')" "alice's receipts"
submit bob:hunter2 "$base/sample.pdf"
bob_job=$(newest_job bob)
release bob:hunter2 "$bob_job"
pp_wait_for 60 "job $bob_job to print" job_is "$bob_job" printed
# The receipt is decided right after the delivery settles; pullprintd logs the decision.
logged() { grep -q "$1" "$base/pullprintd.log"; }
pp_wait_for 30 "the receipt decision for job $bob_job" logged "No receipt for job $bob_job: bob"
pp_assert_eq 1 "$(count_sent 'Subject: pullprint: receipt')" "receipts sent after bob's print"
pp_assert_eq 0 "$(sent_to bob 'pullprint: receipt')" "bob's receipts"
pp_pass "a receipt for alice's printed job ($pages pages, $(money "$price")), none for bob"

# --- 4. low balance: alice was told once (at her first hold), not at her print or next job.
pp_assert_eq 1 "$(sent_to alice 'pullprint: your balance is low')" "alice's low-balance notices"
pp_assert_eq 1 "$(sent_to bob 'pullprint: your balance is low')" "bob's low-balance notices"
submit alice:secret "$base/sample.pdf"
held=$(newest_job alice)
pp_assert_eq held "$(job_state "$held")" "alice's second job"
pp_assert_eq 1 "$(sent_to alice 'pullprint: your balance is low')" \
  "alice's low-balance notices after her second job"
grep -qF "below EUR 4.99" "$sent" || pp_fail "the low-balance notice does not name the level"
pp_pass "low balance told once per crossing"

# --- 5. the held job near its expiry, then expired, by `pullprint notify run --at`.
expires=$(sqlite3 "$state/jobs.sqlite" "SELECT expires_at FROM held_jobs WHERE id = $held")
at_epoch=$(date -u -d "$expires" +%s)
before=$(date -u -d "@$((at_epoch - 3600))" +%Y-%m-%dT%H:%M:%SZ)
after=$(date -u -d "@$((at_epoch + 60))" +%Y-%m-%dT%H:%M:%SZ)
pp notify run --at "$before" >"$base/run1"
pp_assert_eq 1 "$(count_sent "Subject: pullprint: job $held expires soon")" "expiry warnings"
pp notify run --at "$before" >"$base/run2"
pp_assert_eq 1 "$(count_sent "Subject: pullprint: job $held expires soon")" "expiry warnings after a second run"
grep -q "0 expiry warning" "$base/run2" || { cat "$base/run2" >&2; pp_fail "the second run warned again"; }
pp notify run --at "$after" >"$base/run3"
pp_assert_eq expired "$(job_state "$held")" "alice's held job after its expiry"
pp_assert_eq 1 "$(count_sent "Subject: pullprint: job $held expired")" "expired notices"
pp notify run --at "$after" >/dev/null
pp_assert_eq 1 "$(count_sent "Subject: pullprint: job $held expired")" "expired notices after another run"
pp_assert_eq 0 "$(reserved alice)" "alice's reservation after the expiry"
pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "job $held: warned once before its expiry, told once when it expired"

# --- 6. the record, the page's history, and a real browser.
list=$(pp notify list --user alice)
for kind in receipt low-balance expiry-warning expired; do
  pp_assert_eq 1 "$(awk -F'\t' -v k="$kind" '$2 == k' <<<"$list" | wc -l)" "alice's recorded $kind notices"
done
awk -F'\t' '$6 != "sent"' <<<"$list" | grep -q . && pp_fail "a notification of alice's is not sent: $list"
out=$(nweb alice:secret)
grep -qF 'id="notify-history"' <<<"$out" || pp_fail "no history on the page"
grep -qF "job $held expired" <<<"$out" || pp_fail "the page does not list the expired notice"
grep -qF "bob@example.org" <<<"$out" && pp_fail "alice's page shows bob's notifications"
shots=${PP_ARTIFACTS:-$base}
mkdir -p "$shots"
rendered=$(browser "$npage" --user alice:secret --text "#receipts-state" --text "#notify-address" \
  --screenshot "$shots/notifications.png")
pp_assert_eq on "$(jq -r '.text["#receipts-state"] | join("|")' <<<"$rendered")" \
  "receipts state as headless chromium renders it"
[[ -s "$shots/notifications.png" ]] || pp_fail "no screenshot"
pp_pass "recorded once each; the page in chromium (screenshot $shots/notifications.png)"
