#!/bin/bash
# Integration: sharing a job's cost with the web form (/pullprint/split?job=ID,
# web/web-split.cpp) and a payer's request page (/pullprint/approval?share=ID,
# web/web-approval.cpp), end to end on pullprintd under PAM (pam_wrapper); curl plays the
# browsers (HTTP Basic, the CSRF field `session` read from the page). Checks:
#  1. alice's held job links to its form: the mode, four empty payer rows, Preview and no Send
#     before a preview; "Add payer" returns the form with a fifth row and the values kept; the
#     mode button shows the rows for that mode (copies, method's options);
#  2. errors are shown next to the form with every value kept and change nothing: parts not
#     adding up, an unknown payer, a payer whose account is disabled, a payer without a part;
#  3. each mode once (ratio, copies, pages, method): Preview shows each payer's amount and the
#     deadline and offers Send; Send files the split; every previewed amount equals the share's
#     amount in the ledger file, the total the split's price;
#  4. bob opens his request's page from My jobs: who asks, the job (title escaped, pages, colour
#     pages), his amount, what he gets, the deadline; he approves there: approved, reserved;
#  5. carol, a third user: 403 on the job's split page (GET and POST) and on bob's request (GET
#     and POST), each refusal logged, nothing changed;
#  6. `pullprint ledger check` passes; headless chromium renders the form and the request
#     (screenshots under $PP_ARTIFACTS, else the test's directory).
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/web.sh"
source "$(dirname "$0")/support/web-split.sh"

pp_web_test_site
pp_use_pam "$base" alice:secret bob:hunter2 carol:pw-carol dave:pw-dave

pp_escaped_title_doc
pp_funded_accounts 20.00 alice bob carol dave
sqlite3 "$state/ledger.sqlite" "UPDATE accounts SET enabled = 0 WHERE name = 'dave'"

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
submit() { PP_URI="ipp://$1@127.0.0.1:$PP_PORT/ipp/print" pp_submit "${1%%:*}" "$2" >/dev/null; }
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT coalesce(max(id), 0) FROM held_jobs WHERE owner = '$1'"; }
job_ref() { echo "pullprintd/$(sqlite3 "$state/jobs.sqlite" "SELECT uuid FROM held_jobs WHERE id = $1")"; }
splits_of() { sqlite3 "$state/ledger.sqlite" "SELECT count(*) FROM splits WHERE job_ref = '$(job_ref "$1")'"; }
split_price() { sqlite3 "$state/ledger.sqlite" "SELECT price FROM splits WHERE job_ref = '$(job_ref "$1")'"; }
share_col() {  # COLUMN JOB PAYER
  sqlite3 "$state/ledger.sqlite" "SELECT sh.$1 FROM split_shares sh JOIN splits s ON s.id = sh.split_id
    WHERE s.job_ref = '$(job_ref "$2")' AND sh.payer = '$3' AND sh.cover_of = ''"
}
# expect PAGE TEXT WHAT: PAGE contains TEXT (fixed string), else fail showing the page.
expect() { grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; pp_fail "$3: no '$2' on the page"; }; }
# text_of PAGE ID: the text of the element with that id (one line, tags stripped).
text_of() { { grep -o "id=\"$2\">[^<]*<" <<<"$1" || true; } | head -n 1 | sed "s/^id=\"$2\">//; s/<\$//"; }
shots=${PP_ARTIFACTS:-$base}
mkdir -p "$shots"

submit alice:secret "$doc"
job=$(newest_job alice)
pages=$(sqlite3 "$state/jobs.sqlite" "SELECT pages FROM held_jobs WHERE id = $job")
colour=$(sqlite3 "$state/jobs.sqlite" "SELECT color_pages FROM held_jobs WHERE id = $job")
(( pages >= 4 )) || pp_fail "the sample has $pages pages; the pages split needs 4"
key=$(session alice:secret)
[[ -n $key ]] || pp_fail "no session key on alice's page"

# --- 1. the form.
expect "$(web alice:secret)" "href=\"/pullprint/split?job=$job\" id=\"split-link-$job\"" "My jobs' link"
out=$(web_at "/pullprint/split?job=$job" alice:secret)
pp_assert_eq 200 "$(status)" "HTTP status of the split form"
expect "$out" "id=\"split-job\">Job $job &ldquo;" "the job"
expect "$out" "$escaped_title&rdquo;: $pages pages, $colour in colour" "the job's title, pages and colour pages"
for id in split-mode payer-1 part-1 payer-4 part-4 split-add-row split-preview-button deadline split-on-decline; do
  expect "$out" "id=\"$id\"" "element $id"
done
grep -qF 'id="payer-5"' <<<"$out" && pp_fail "more than four rows on a new form"
grep -qF 'id="split-send"' <<<"$out" && pp_fail "Send offered before a preview"
grep -qF "<b>" <<<"$out" && pp_fail "the title reached the form unescaped"
pp_pass "the split form of job $job: mode, 4 payer rows, Preview"
form() {  # USER:PASSWORD ACTION MODE [field=value]...: the split form of $job, posted
  local who=$1 action=$2 mode=$3
  shift 3
  local args=(-d "session=$key" -d "job=$job" -d "action=$action" -d "mode=$mode" -d "shown-mode=$mode")
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  web_at /pullprint/split "$who" "${args[@]}"
}
out=$(form alice:secret add-row ratio rows=4 payer-1=alice part-1=60 payer-2=bob)
expect "$out" 'id="payer-5"' "the fifth row after Add payer"
expect "$out" 'name="payer-1" id="payer-1" value="alice"' "payer 1 kept"
expect "$out" 'name="part-1" id="part-1" value="60"' "part 1 kept"
expect "$out" 'name="payer-2" id="payer-2" value="bob"' "payer 2 kept"
expect "$out" 'name="rows" value="5"' "the row count"
out=$(form alice:secret mode copies rows=4 payer-1=alice)
expect "$out" '<label>Copies <input type="text" name="part-1"' "the copies rows"
out=$(form alice:secret mode method rows=4 payer-1=alice)
expect "$out" 'id="color-1"' "method: the colour choice"
expect "$out" 'id="sides-1"' "method: the sides choice"
grep -qF 'id="split-on-decline"' <<<"$out" && pp_fail "on-decline offered outside ratio mode"
pp_pass "Add payer adds a row, keeps the values; the mode shows its rows"

# --- 2. errors next to the form, values kept, nothing changed.
nothing_changed() { pp_assert_eq 0 "$(splits_of "$job")" "splits of job $job after $1"; }
out=$(form alice:secret preview ratio rows=4 payer-1=alice part-1=50 payer-2=bob part-2=40)
expect "$(split_error "$out")" "90%" "parts not adding up"
expect "$out" 'name="part-2" id="part-2" value="40"' "the refused part kept"
grep -qF 'id="split-send"' <<<"$out" && pp_fail "Send offered after a refused preview"
pp_pass "parts not adding up: $(split_error "$out")"
out=$(form alice:secret preview ratio rows=4 payer-1=alice part-1=50 payer-2=zed part-2=50)
pp_assert_eq "Job $job not split: zed has no pullprint account." "$(split_error "$out")" "an unknown payer"
expect "$out" 'name="payer-2" id="payer-2" value="zed"' "the unknown payer kept"
out=$(form alice:secret send ratio rows=4 payer-1=alice part-1=50 payer-2=dave part-2=50)
pp_assert_eq "Job $job not split: the account of dave is disabled." "$(split_error "$out")" "a payer not allowed"
expect "$out" 'name="payer-2" id="payer-2" value="dave"' "the refused payer kept"
out=$(form alice:secret preview copies rows=4 payer-1=alice part-1=1 payer-2=bob)
pp_assert_eq "Job $job not split: split request: row 2: give bob&#39;s part." "$(split_error "$out")" "a payer without a part"
nothing_changed "the refused forms"
grep -q "Split preview of job $job by alice (web) refused: .*zed" "$base/pullprintd.log" || pp_fail "the refusal is not logged"
pp_pass "errors shown next to the form, values kept, nothing filed"

# --- 3. each mode once: the preview's amounts are the shares'.
declare -A requests=(
  [ratio]="payer-1=alice part-1=30 payer-2=bob part-2=70"
  [copies]="payer-1=alice part-1=1 payer-2=bob part-2=2"
  [pages]="payer-1=alice part-1=1-2 payer-2=bob part-2=3, 4"
  [method]="payer-1=alice color-1=mono payer-2=bob color-2=color sides-2=two-sided-long-edge"
)
declare -A jobs
for mode in ratio copies pages method; do
  if [[ $mode != ratio ]]; then submit alice:secret "$doc"; fi
  job=$(newest_job alice)
  jobs[$mode]=$job
  IFS=' ' read -r -a fields <<<"${requests[$mode]}"
  [[ $mode == pages ]] && fields=(payer-1=alice part-1=1-2 payer-2=bob "part-2=3, 4")
  out=$(form alice:secret preview "$mode" rows=4 "${fields[@]}")
  pp_assert_eq 200 "$(status)" "HTTP status of the $mode preview"
  [[ -z $(split_error "$out") ]] || pp_fail "$mode preview refused: $(split_error "$out")"
  expect "$out" 'id="split-send">Send requests</button>' "Send after the $mode preview"
  preview_alice=$(text_of "$out" preview-amount-alice)
  preview_bob=$(text_of "$out" preview-amount-bob)
  preview_total=$(text_of "$out" preview-total)
  deadline=$(text_of "$out" preview-deadline)
  [[ $deadline == 20*" UTC" ]] || pp_fail "no deadline in the $mode preview: '$deadline'"
  pp_assert_eq 0 "$(splits_of "$job")" "splits of job $job after its preview"
  out=$(form alice:secret send "$mode" rows=4 "${fields[@]}")
  expect "$out" "id=\"split-done\">Job $job is split ($mode:" "the $mode split"
  pp_assert_eq "$preview_alice" "$(money "$(share_col amount "$job" alice)")" "$mode: alice's share = her preview"
  pp_assert_eq "$preview_bob" "$(money "$(share_col amount "$job" bob)")" "$mode: bob's share = his preview"
  pp_assert_eq "$preview_total" "$(money "$(split_price "$job")")" "$mode: the split's price = the preview's total"
  pp_pass "$mode: previewed alice $preview_alice, bob $preview_bob (deadline $deadline) = filed"
done
grep -q "Notify bob: share .*alice asks bob to pay" "$base/pullprintd.log" || pp_fail "bob was not notified"

# --- 4. bob's request page; he approves there.
job=${jobs[ratio]}
share=$(share_col id "$job" bob)
bob_part=$(share_col amount "$job" bob)
expect "$(web bob:hunter2)" "href=\"/pullprint/approval?share=$share\" id=\"approval-link-$share\"" "bob's link to request $share"
out=$(web_at "/pullprint/approval?share=$share" bob:hunter2)
pp_assert_eq 200 "$(status)" "HTTP status of bob's request page"
pp_assert_eq alice "$(text_of "$out" approval-owner)" "who asks"
[[ $(text_of "$out" approval-title) == *"$escaped_title" ]] || pp_fail "the job's title (escaped): $(text_of "$out" approval-title)"
pp_assert_eq "$pages" "$(text_of "$out" approval-pages)" "the job's pages"
pp_assert_eq "$colour" "$(text_of "$out" approval-color-pages)" "the job's colour pages"
pp_assert_eq "$(money "$bob_part")" "$(text_of "$out" approval-amount)" "bob's amount"
pp_assert_eq "70% of the cost of one print of the whole job ($pages pages)" "$(text_of "$out" approval-gets)" "what bob gets"
[[ $(text_of "$out" approval-deadline) == 20*" UTC" ]] || pp_fail "no deadline on bob's request"
pp_assert_eq pending "$(text_of "$out" approval-state)" "the request's state"
expect "$out" 'id="approve-button">Approve</button>' "the Approve button"
copies_share=$(share_col id "${jobs[copies]}" bob)
out=$(web_at "/pullprint/approval?share=$copies_share" bob:hunter2)
pp_assert_eq "2 copies of the whole document ($pages pages each), printed for you" "$(text_of "$out" approval-gets)" "what bob gets of the copies split"
bob_key=$(session bob:hunter2)
# --- 5. carol (neither owner nor payer): 403 everywhere, nothing changed.
carol_key=$key  # carol has no form of her own to read a key from; the key is the site's
out=$(web_at "/pullprint/split?job=$job" carol:pw-carol)
pp_assert_eq 403 "$(status)" "carol's GET of job $job's split page"
expect "$out" "No held job $job of yours." "carol's split page"
grep -qF "$escaped_title" <<<"$out" && pp_fail "carol's split page names alice's job"
submit alice:secret "$doc"
fresh=$(newest_job alice)
out=$(web_at /pullprint/split carol:pw-carol -d "session=$carol_key" -d "job=$fresh" -d action=send \
  -d mode=ratio --data-urlencode "request=ratio:carol=100")
pp_assert_eq 403 "$(status)" "carol's forged split of job $fresh"
pp_assert_eq 0 "$(splits_of "$fresh")" "splits of job $fresh after carol's forged split"
out=$(web_at "/pullprint/approval?share=$share" carol:pw-carol)
pp_assert_eq 403 "$(status)" "carol's GET of bob's request"
expect "$out" "No approval request $share of yours." "carol's view of bob's request"
grep -qF "$escaped_title" <<<"$out" && pp_fail "carol's request page names alice's job"
out=$(web_at /pullprint/approval carol:pw-carol -d "session=$carol_key" -d "share=$share" -d action=approve)
pp_assert_eq 403 "$(status)" "carol's forged approval of bob's request"
out=$(web_at "/pullprint/approval?share=$(share_col id "$job" alice)" bob:hunter2)
pp_assert_eq 403 "$(status)" "bob's GET of alice's own share"
pp_assert_eq pending "$(share_col state "$job" bob)" "bob's share after carol's forms"
pp_assert_eq 0 "$(reserved carol)" "carol's reservation"
grep -q "Split page: carol may not split job $job: not theirs" "$base/pullprintd.log" || pp_fail "carol's split page refusal is not logged"
grep -q "Approval page: carol may not see share $share: not theirs" "$base/pullprintd.log" || pp_fail "carol's request refusal is not logged"
pp_pass "carol gets 403 on the split page and on bob's request; logged; nothing changed"

bob_before=$(reserved bob)
out=$(web_at /pullprint/approval bob:hunter2 -d "session=$bob_key" -d "share=$share" -d action=approve)
pp_assert_eq 200 "$(status)" "HTTP status of bob's approval"
expect "$(text_of "$out" approval-outcome)" "Approved request $share: $(money "$bob_part")" "bob's approval"
pp_assert_eq approved "$(text_of "$out" approval-state)" "the request's state after approving"
grep -qF 'id="approve-button"' <<<"$out" && pp_fail "Approve still offered after approving"
pp_assert_eq approved "$(share_col state "$job" bob)" "bob's share after approving"
pp_assert_eq $((bob_before + bob_part)) "$(reserved bob)" "bob's reservation after approving"
pp_pass "bob approved request $share on its page: $(money "$bob_part") reserved"

# --- 6. the books balance; a real browser.
pp ledger check >/dev/null || pp_fail "ledger check fails after the web splits"
pp_pass "pullprint ledger check passes"
rendered=$(browser "http://127.0.0.1:$PP_PORT/pullprint/split?job=$fresh" --user alice:secret \
  --text '#split-job' --screenshot "$shots/web-split-form.png")
expect "$(jq -r '.text["#split-job"] | join("|")' <<<"$rendered")" "$title" "the job's title as chromium renders it"
rendered=$(browser "http://127.0.0.1:$PP_PORT/pullprint/approval?share=$copies_share" \
  --user bob:hunter2 --text '#approval-gets' --screenshot "$shots/web-approval.png")
pp_assert_eq "2 copies of the whole document ($pages pages each), printed for you" \
  "$(jq -r '.text["#approval-gets"] | join("|")' <<<"$rendered")" "bob's request as chromium renders it"
[[ -s $shots/web-split-form.png && -s $shots/web-approval.png ]] || pp_fail "no screenshots"
pp_pass "screenshots: $shots/web-split-form.png, $shots/web-approval.png"
