#!/bin/bash
# Integration: split jobs and approvals on "My jobs", pullprintd's user web page
# (/pullprint/jobs), and its split form (/pullprint/split, here with the request written as text;
# the rows, the preview and each mode: web-split-form.sh), end to end: pullprintd (auth = pam under pam_wrapper, as pullprintd-web.sh)
# holds alice's PDFs; the browsers are curl (HTTP Basic, a cookie jar per user, PAPPL's CSRF
# field `session` read from the page). Checks:
#  1. alice's page links her held job to its split form and says nobody asks her to pay;
#  2. bad split requests (bad syntax, a payer without an account, a name that must be escaped,
#     an empty request), another user's forged split and a split of a job that is no longer held
#     show the library's words (escaped) and change nothing; a form without the session key: 400;
#  3. alice splits her job from the page: her own share approved and reserved, bob's pending and
#     notified; her page shows the progress, each payer's part, amount, state and the deadline;
#  4. bob's page lists his approval request (from alice, the escaped title, 50%, the amount);
#     carol (not a payer) does not see it, and her forged approve / decline of it get the same
#     answer as a request that does not exist and change nothing;
#  5. bob approves from the page: approved and reserved on his account (the CLI's ledger), the
#     request leaves his page, alice's page says 2 of 2 approved; approving again changes nothing;
#     declining an approved share is refused;
#  6. carol, a payer who cannot afford her share, gets the ledger's words; it stays pending; she
#     declines: alice covers it (her page shows the cover);
#  7. on-decline=cancel: bob declines, the split and the job are cancelled; a pages split asks
#     bob for his pages;
#  8. `pullprint ledger check` (with check_splits) passes; headless chromium (support/browser.py;
#     the test fails without it) renders bob's approval request with the job's exact title.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"
source "$(dirname "$0")/support/web-split.sh"

pp_web_test_site
pp_use_pam "$base" alice:secret bob:hunter2 carol:pw-carol

# The job title is the file name: make it one that must be escaped.
pp_escaped_title_doc
pp_funded_accounts 5.00 alice bob
pp account create carol >/dev/null  # no money

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
page=$(pp_web_page)
submit() { PP_URI="ipp://$1@127.0.0.1:$PP_PORT/ipp/print" pp_submit "${1%%:*}" "$2" >/dev/null; }
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT coalesce(max(id), 0) FROM held_jobs WHERE owner = '$1'"; }
price_of() { sqlite3 "$state/jobs.sqlite" "SELECT price_minor FROM held_jobs WHERE id = $1"; }
job_ref() { echo "pullprintd/$(sqlite3 "$state/jobs.sqlite" "SELECT uuid FROM held_jobs WHERE id = $1")"; }
splits_of() { sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM splits WHERE job_ref = '$(job_ref "$1")'"; }
split_state() { sqlite3 "$state/ledger.sqlite" "SELECT state FROM splits WHERE job_ref = '$(job_ref "$1")'"; }
share_col() {  # COLUMN JOB PAYER [COVER_OF]
  sqlite3 "$state/ledger.sqlite" "SELECT sh.$1 FROM split_shares sh JOIN splits s ON s.id = sh.split_id
    WHERE s.job_ref = '$(job_ref "$2")' AND sh.payer = '$3' AND sh.cover_of = '${4:-}'"
}
share_id() { share_col id "$1" "$2"; }
share_state() { share_col state "$1" "$2"; }
amount_of() { share_col amount "$1" "$2"; }
# row ID PAGE: the line of the element with that id attribute ("share-7", "approval-7",
# "split-7").
row() { grep -F " id=\"$1\"" <<<"$2" || true; }
banner() { grep -o '<div class="banner">[^<]*</div>' <<<"$1" || true; }
# expect PAGE TEXT WHAT: PAGE contains TEXT (fixed string), else fail showing the page.
expect() { grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; pp_fail "$3: no '$2' on the page"; }; }

# --- 1. alice's held job: a split form; nobody asks her to pay.
submit alice:secret "$doc"
job=$(newest_job alice)
pp_assert_eq held "$(job_state "$job")" "state of alice's job"
price=$(price_of "$job")
out=$(web alice:secret)
pp_assert_eq 200 "$(status)" "HTTP status of alice's page"
expect "$out" "<h2 class=\"title\">Split a job's cost</h2>" "alice's page"
expect "$out" "href=\"/pullprint/split?job=$job\" id=\"split-link-$job\"" "the split link of job $job"
out=$(web_at "/pullprint/split?job=$job" alice:secret)
pp_assert_eq 200 "$(status)" "HTTP status of job $job's split form"
expect "$out" "id=\"split-preview-button\">Preview</button>" "the split form's Preview button"
out=$(web alice:secret)
expect "$out" "<h2 class=\"title\">Approvals</h2>" "alice's page"
expect "$out" "Nobody asks you to pay for a job." "alice's approvals"
grep -qF "<b>" <<<"$out" && pp_fail "the job title reached the page unescaped"
alice_key=$(session alice:secret)
[[ -n $alice_key ]] || pp_fail "no session key on alice's page"
pp_pass "alice's page offers to split job $job ($(money "$price"))"

# --- 2. refused split requests change nothing.
nothing_changed() {
  pp_assert_eq 0 "$(splits_of "$job")" "splits of job $job after $1"
  pp_assert_eq "$price" "$(reserved alice)" "alice's reservation after $1"
  pp_assert_eq held "$(job_state "$job")" "job $job after $1"
}
split_form() {  # USER:PASSWORD KEY JOB REQUEST
  split_text "$1" "$2" "$3" "$4"
}
out=$(split_form alice:secret "$alice_key" "$job" "ratio:alice=50,bob=40")
pp_assert_eq 200 "$(status)" "HTTP status of a bad split request"
expect "$out" "Job $job not split: " "bad syntax"
expect "$out" "90%" "bad syntax (the parser's words)"
expect "$out" 'value="ratio:alice=50,bob=40"' "the refused request offered again"
pp_pass "bad syntax: $(banner "$out")"
nothing_changed "a bad request"
out=$(split_form alice:secret "$alice_key" "$job" "ratio:alice=50,zed=50")
expect "$out" "Job $job not split: zed has no pullprint account." "a payer without an account"
pp_pass "payer without an account: $(banner "$out")"
out=$(split_form alice:secret "$alice_key" "$job" "ratio:alice=50,<i>x=50")
expect "$out" "Job $job not split: " "a payer name that must be escaped"
expect "$out" "&lt;i&gt;" "the escaped payer name"
grep -qF "<i>" <<<"$out" && { echo "$out" >&2; pp_fail "the request reached the page unescaped"; }
pp_pass "escaped: $(banner "$out")"
out=$(split_form alice:secret "$alice_key" "$job" "")
expect "$out" "Job $job not split: split request: add at least one payer" "an empty request"
nothing_changed "the refused requests"
web_at /pullprint/split alice:secret -d "job=$job" -d "request=ratio:alice=50,bob=50" -d action=send >/dev/null
pp_assert_eq 400 "$(status)" "HTTP status of a split form without the session key"
expect "$(cat "$base/body")" "Invalid form submission" "a split form without the session key"
carol_key=$(session carol:pw-carol)
[[ -z $carol_key ]] || pp_fail "carol's page has a form, though she has nothing to act on"
carol_key=$alice_key  # no form without jobs or requests: the key is the site's anyway
out=$(split_form carol:pw-carol "$carol_key" "$job" "ratio:carol=100")
pp_assert_eq 403 "$(status)" "HTTP status of carol's forged split"
expect "$out" "No held job $job of yours." "carol's forged split"
nothing_changed "the forged forms"
# A job that is no longer held: alice cancels her second job, then tries to split it.
submit alice:secret "$doc"
gone=$(newest_job alice)
out=$(web alice:secret -d "session=$alice_key" -d "cancel=$gone")
expect "$out" "Cancelled job $gone" "the cancel of job $gone"
out=$(split_form alice:secret "$alice_key" "$gone" "ratio:alice=50,bob=50")
expect "$out" "Job $gone not split: job $gone is cancelled and can no longer be split." \
  "the split of a cancelled job"
pp_assert_eq 0 "$(splits_of "$gone")" "splits of the cancelled job"
pp_pass "refused splits (syntax, account, escaping, empty, forged, not held) changed nothing"

# --- 3. alice splits her job from the page.
out=$(split_form alice:secret "$alice_key" "$job" "ratio:alice=50,bob=50")
pp_assert_eq 200 "$(status)" "HTTP status of the split"
expect "$out" "Job $job is split (ratio:alice=50,bob=50): 1 of 2 approved, 1 pending; deadline " \
  "the split's outcome"
pp_pass "split: $(banner "$out")"
pp_assert_eq approved "$(share_state "$job" alice)" "alice's own share"
pp_assert_eq pending "$(share_state "$job" bob)" "bob's share"
alice_part=$(amount_of "$job" alice)
bob_part=$(amount_of "$job" bob)
pp_assert_eq "$price" $((alice_part + bob_part)) "alice's + bob's parts (the price)"
pp_assert_eq "$alice_part" "$(reserved alice)" "alice's reservation (her part replaces the job's)"
pp_assert_eq 0 "$(reserved bob)" "bob's reservation before he approves"
grep -q "Notify bob: share .*alice asks bob to pay" "$base/pullprintd.log" || pp_fail "bob was not notified"
out=$(web alice:secret)
grep -qF "id=\"split-link-$job\"" <<<"$out" && pp_fail "a split job still offers the split form"
expect "$out" "<h2 class=\"title\">Split jobs</h2>" "alice's progress"
[[ $(row "split-$job" "$out") == "          <p id=\"split-$job\">Job $job &ldquo;"*"$escaped_title&rdquo; (held): <code>ratio:alice=50,bob=50</code>, $(money "$price"); 1 of 2 approved, 1 pending; deadline "*" UTC.</p>" ]] ||
  { echo "$out" >&2; pp_fail "the progress of job $job"; }
alice_share=$(share_id "$job" alice)
bob_share=$(share_id "$job" bob)
[[ $(row "share-$bob_share" "$out") == *"<td>bob</td><td>50%</td><td>$(money "$bob_part")</td><td>pending</td><td></td></tr>" ]] ||
  { echo "$out" >&2; pp_fail "bob's row of the progress"; }
[[ $(row "share-$alice_share" "$out") == *"<td>alice</td><td>50%</td><td>$(money "$alice_part")</td><td>approved</td><td>"*" UTC</td></tr>" ]] ||
  { echo "$out" >&2; pp_fail "alice's row of the progress"; }
pp_pass "alice's page shows the progress: $(grep -o "1 of 2 approved, 1 pending; deadline [^.]*" <<<"$out")"

# --- 4. bob sees his request; carol does not and cannot act on it.
out=$(web bob:hunter2)
approval=$(row "approval-$bob_share" "$out")
[[ $approval == *">$bob_share</a></td><td>alice</td><td>"*"$escaped_title</td><td>"*"</td><td>"*"</td><td id=\"approval-gets-$bob_share\">50% of the cost of one print"*"</td><td id=\"approval-amount-$bob_share\">$(money "$bob_part")</td><td>"*" UTC</td>"* ]] ||
  { echo "$out" >&2; pp_fail "bob's approval request is not listed as expected"; }
expect "$approval" "name=\"approve\" value=\"$bob_share\"" "bob's Approve button"
expect "$approval" "name=\"decline\" value=\"$bob_share\"" "bob's Decline button"
grep -qF "<b>" <<<"$out" && pp_fail "the title reached bob's page unescaped"
pp_pass "bob's page lists request $bob_share: $(money "$bob_part") for 50% of alice's job"
out=$(web carol:pw-carol)
[[ -z $(row "approval-$bob_share" "$out") ]] || pp_fail "carol sees bob's request"
grep -qF "$escaped_title" <<<"$out" && pp_fail "carol's page names alice's job"
expect "$out" "Nobody asks you to pay for a job." "carol's approvals"
nobody=$((bob_share + 1000))
for verb in approve decline; do
  out=$(web carol:pw-carol -d "session=$carol_key" -d "$verb=$bob_share")
  pp_assert_eq "<div class=\"banner\">No approval request $bob_share of yours.</div>" "$(banner "$out")" \
    "carol's forged $verb"
  out=$(web carol:pw-carol -d "session=$carol_key" -d "$verb=$nobody")
  pp_assert_eq "<div class=\"banner\">No approval request $nobody of yours.</div>" "$(banner "$out")" \
    "carol's $verb of a request that does not exist"
done
# alice's own share was approved at once: it can no longer be declined.
out=$(web alice:secret -d "session=$alice_key" -d "decline=$alice_share")
expect "$out" "Not declined: share $alice_share (alice, job " "alice's decline of her own share"
pp_assert_eq pending "$(share_state "$job" bob)" "bob's share after the forged forms"
pp_assert_eq approved "$(share_state "$job" alice)" "alice's share after the forged forms"
pp_assert_eq 0 "$(reserved bob)" "bob's reservation after the forged forms"
pp_assert_eq 0 "$(reserved carol)" "carol's reservation after the forged forms"
pp_pass "carol cannot see or act on bob's request"

# --- 5. bob approves from the page.
bob_key=$(session bob:hunter2)
[[ -n $bob_key ]] || pp_fail "no session key on bob's page"
out=$(web bob:hunter2 -d "session=$bob_key" -d "approve=$bob_share")
pp_assert_eq 200 "$(status)" "HTTP status of bob's approval"
[[ $(banner "$out") == "<div class=\"banner\">Approved request $bob_share: $(money "$bob_part") for 50% of &quot;"*"$escaped_title&quot; (alice&#39;s job), reserved on your account. The split: 2 of 2 approved.</div>" ]] ||
  { echo "$out" >&2; pp_fail "bob's approval"; }
pp_pass "$(banner "$out")"
pp_assert_eq approved "$(share_state "$job" bob)" "bob's share after he approved"
pp_assert_eq "$bob_part" "$(reserved bob)" "bob's reservation (pullprint account show)"
[[ -z $(row "approval-$bob_share" "$out") ]] || pp_fail "the approved request is still listed"
expect "$out" "Nobody asks you to pay for a job." "bob's approvals after approving"
grep -q "Notify alice: bob approved their share" "$base/pullprintd.log" || pp_fail "alice was not told"
out=$(web bob:hunter2 -d "session=$bob_key" -d "approve=$bob_share")  # a reload
pp_assert_eq "$bob_part" "$(reserved bob)" "bob's reservation after approving again"
out=$(web bob:hunter2 -d "session=$bob_key" -d "decline=$bob_share")
expect "$out" "Not declined: " "declining an approved share"
pp_assert_eq approved "$(share_state "$job" bob)" "bob's share after the refused decline"
pp_pass "refused: $(banner "$out")"
out=$(web alice:secret)
expect "$out" "$(money "$price"); 2 of 2 approved; deadline " "alice's progress after bob approved"
[[ $(row "share-$bob_share" "$out") == *"<td>bob</td><td>50%</td><td>$(money "$bob_part")</td><td>approved</td><td>"*" UTC</td></tr>" ]] ||
  { echo "$out" >&2; pp_fail "bob's row after he approved"; }
pp_pass "bob approved from the page: $(money "$bob_part") reserved; alice sees 2 of 2 approved"

# --- 6. carol cannot afford her share; she declines; alice covers it.
submit alice:secret "$doc"
poor=$(newest_job alice)
poor_price=$(price_of "$poor")
out=$(split_form alice:secret "$alice_key" "$poor" "ratio:alice=50,carol=50")
expect "$out" "Job $poor is split" "the split with carol"
carol_share=$(share_id "$poor" carol)
carol_part=$(amount_of "$poor" carol)
out=$(web carol:pw-carol)
[[ $(row "approval-$carol_share" "$out") == *"<td>alice</td><td>"*"$escaped_title</td><td>"*"\">50% of the cost of one print"*"</td><td id=\"approval-amount-$carol_share\">$(money "$carol_part")</td>"* ]] ||
  { echo "$out" >&2; pp_fail "carol's request is not listed"; }
out=$(web carol:pw-carol -d "session=$carol_key" -d "approve=$carol_share")
expect "$out" "Not approved: " "carol's approval without money"
expect "$out" "available" "the ledger's words"
pp_pass "carol cannot afford it: $(banner "$out")"
pp_assert_eq pending "$(share_state "$poor" carol)" "carol's share after the refusal"
pp_assert_eq 0 "$(reserved carol)" "carol's reservation after the refusal"
[[ -n $(row "approval-$carol_share" "$out") ]] || pp_fail "the refused request left carol's page"
alice_before=$(reserved alice)
out=$(web carol:pw-carol -d "session=$carol_key" -d "decline=$carol_share")
expect "$out" "Declined request $carol_share: $(money "$carol_part") for 50%" "carol's decline"
pp_assert_eq declined "$(share_state "$poor" carol)" "carol's share after she declined"
pp_assert_eq approved "$(share_col state "$poor" alice carol)" "alice's cover of carol's share"
pp_assert_eq $((alice_before + carol_part)) "$(reserved alice)" "alice's reservation with the cover"
out=$(web alice:secret)
expect "$out" "1 of 2 approved, 1 declined, 1 covered by alice" "alice's progress of job $poor"
cover=$(share_col id "$poor" alice carol)
[[ $(row "share-$cover" "$out") == *"<td>alice (covers carol)</td><td>cover</td><td>$(money "$carol_part")</td><td>approved</td>"* ]] ||
  { echo "$out" >&2; pp_fail "the cover row"; }
[[ $(row "share-$carol_share" "$out") == *"<td>carol</td><td>50%</td><td>$(money "$carol_part")</td><td>declined</td>"* ]] ||
  { echo "$out" >&2; pp_fail "carol's declined row"; }
pp_pass "carol declined job $poor ($(money "$poor_price")): alice covers $(money "$carol_part")"

# --- 7. on-decline=cancel: bob declines, the split and the job go.
submit alice:secret "$doc"
doomed=$(newest_job alice)
alice_before=$(reserved alice)
out=$(split_form alice:secret "$alice_key" "$doomed" "ratio:alice=50,bob=50;on-decline=cancel")
expect "$out" "Job $doomed is split" "the split with on-decline=cancel"
doomed_share=$(share_id "$doomed" bob)
out=$(web bob:hunter2 -d "session=$bob_key" -d "decline=$doomed_share")
expect "$out" "Declined request $doomed_share" "bob's decline"
expect "$out" "split cancelled" "the cancelled split in bob's answer"
pp_assert_eq declined "$(share_state "$doomed" bob)" "bob's share of job $doomed"
pp_assert_eq cancelled "$(split_state "$doomed")" "the split of job $doomed"
pp_assert_eq cancelled "$(job_state "$doomed")" "job $doomed after bob declined"
pp_assert_eq $((alice_before - $(price_of "$doomed"))) "$(reserved alice)" \
  "alice's reservation (the job's and her part voided)"
out=$(web alice:secret)
[[ $(row "split-$doomed" "$out") == *"$escaped_title&rdquo; (cancelled): <code>ratio:alice=50,bob=50;on-decline=cancel</code>"*"split cancelled: "* ]] ||
  { echo "$out" >&2; pp_fail "alice's view of the cancelled split"; }
pp_pass "on-decline=cancel: bob declined, split and job $doomed cancelled"

# A pages split: bob is asked for his pages, as the library describes them.
submit alice:secret "$doc"
paged=$(newest_job alice)
out=$(split_form alice:secret "$alice_key" "$paged" "pages:alice=1-2,bob=3-4")
expect "$out" "Job $paged is split (pages:alice=1-2,bob=3-4)" "the pages split"
paged_share=$(share_id "$paged" bob)
[[ $(row "approval-$paged_share" "$(web bob:hunter2)") == *"\">pages 3-4 of "*", printed for you</td><td id=\"approval-amount-$paged_share\">$(money "$(amount_of "$paged" bob)")</td>"* ]] ||
  { cat "$base/body" >&2; pp_fail "bob's request for pages 3-4"; }
pp_pass "pages split: bob is asked for pages 3-4"

# --- 8. the books balance; a real browser.
pp ledger check >/dev/null || pp_fail "ledger check fails after the web splits"
pp_pass "pullprint ledger check passes"
# bob's approval request as headless chromium renders it: the job's title exactly as stored.
submit alice:secret "$doc"
last=$(newest_job alice)
split_form alice:secret "$alice_key" "$last" "ratio:alice=50,bob=50" >/dev/null
last_share=$(share_id "$last" bob)
stored=$(sqlite3 "$state/jobs.sqlite" "SELECT title FROM held_jobs WHERE id = $last")
cell="#approval-$last_share td:nth-child(3)"
rendered=$(browser "$(pp_web_page)" --user bob:hunter2 --text "$cell")
pp_assert_eq "$stored" "$(jq -r --arg s "$cell" '.text[$s] | join("|")' <<<"$rendered")" \
  "the title in bob's request $last_share as headless chromium renders it"
