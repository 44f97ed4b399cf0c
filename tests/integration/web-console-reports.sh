#!/bin/bash
# Integration: the console's reports (/pullprint/admin/reports, .csv, .pdf; lib/reports/) against
# a real pullprintd under PAM with a real IPP printer (ippeveprinter, colour and duplex) behind
# two release printers, Lab_A (default prices) and Lab_B (its own prices).
#
#  1. Real jobs: alice prints a colour page on Lab_A and a two-sided grey job on Lab_B; bob prints
#     on Lab_A and on Lab_B; alice's colour job is refunded (her request on the web, granted by the
#     desk's `pullprint refund grant`). Released at the terminal, printed, captured.
#  2. dana (admin) opens the report by user, group, account and printer for today: the totals row
#     (charged, refunded, net, pages, jobs) equals the journal's captures and refunds of today
#     (sqlite3 on ledger.sqlite) and the delivery rows' pages; each `by`'s rows add up to it (by
#     group: bob is in two groups and counts in both); the printers' rows and their colour and
#     duplex shares are right; the charts are there; `pullprint ledger check` passes.
#  3. The CSV downloads with the same figures (stable header, attachment); `pullprint report
#     --csv` says the same; the PDF is a PDF (pdfinfo: its title, one page or more).
#  4. Refusals: carol (operator; operator-may without reports) and alice (a user) get 403 on the
#     page, the CSV and the PDF; erin, physics' scoped admin (users @physics, printers Lab_B),
#     sees only bob's job on Lab_B.
#  5. The monthly mail: report-mail-to with two addresses, `pullprint report --mail-previous
#     --at` twice: each address gets the month's report once; pullprintd's timer mailed the
#     previous month's once per address.
#  6. Selenium (support/web_console_reports.py): dana signs in through the form, opens the
#     reports, chooses by printer and a range, sees the chart and the table, clicks the CSV link;
#     screenshots console-reports-*.png.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/web.sh"

pp_web_test_site
pp_require_ipp_printer
command -v pdfinfo >/dev/null || pp_fail "pdfinfo (poppler-utils) is needed"
shots=${PP_SCREENSHOT_DIR:-$PULLPRINT_BUILD_DIR/screenshots}
mkdir -p "$shots"
rm -f "$shots"/FAILED-console-reports-*.png

pp_start_ipp_printer "$base/printer" -s 10,10 -2
pp_config_top "admins = dana" "operators = carol" "operator-may = topup, release, cancel, review" \
  "backend = $PULLPRINT_BUILD_DIR/backend/pullprint" \
  "notify-command = /bin/sh $base/notify.sh" "report-mail-to = boss@example.org, dana@example.org"
cat >"$base/notify.sh" <<SH
#!/bin/sh
{ echo "== \$1"; cat; } >> "$base/mail.log"
SH
cat >>"$PP_CONFIG" <<CONF
[price Lab_B]
mono-impression = 7
color-impression = 40
[printer Lab_A]
price-profile = default
device-uri = $PP_PRINTER_URI
[printer Lab_B]
device-uri = $PP_PRINTER_URI
[admin-scope physics]
admins = erin
users = @physics
printers = Lab_B
CONF
pp_use_pam "$base" alice:secret bob:hunter2 carol:opensesame dana:pw-dana erin:pw-erin
pp_funded_accounts 20.00 alice bob
pp group add physics >/dev/null
pp group add lab-users >/dev/null
pp group member add physics bob >/dev/null
pp group member add lab-users bob alice >/dev/null

# Documents: one colour page; two grey pages.
printf '%%!\n1 0 0 setrgbcolor 72 72 200 200 rectfill showpage\n' >"$base/colour.ps"
printf '%%!\n0 setgray 72 72 200 200 rectfill showpage\n0 setgray 72 72 100 100 rectfill showpage\n' \
  >"$base/grey.ps"
for doc in colour grey; do
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$base/$doc.pdf" "$base/$doc.ps"
done
sed 's/^\tATTR integer copies \$copies$/&\n\tATTR keyword sides $sides/' "$PP_SUBMIT_TEST" \
  >"$base/submit-sides.test"

pp_start_pullprintd "$state" "$base/pullprintd.log" -o auth=pam
site="http://127.0.0.1:$PP_PORT"
ledger="$state/ledger.sqlite"
url() { echo "$site$1"; }
page() {
  local credentials=$1 path=$2
  shift 2
  curl -sS -u "$credentials" -b "$base/jar-${credentials%%:*}" -c "$base/jar-${credentials%%:*}" \
    -D "$base/headers" -o "$base/body" -w '%{http_code}' "$@" "$(url "$path")" >"$base/status"
  cat "$base/body"
}
newest_job() { sqlite3 "$state/jobs.sqlite" "SELECT max(id) FROM held_jobs WHERE owner = '$1'"; }
job_state() { sqlite3 "$state/jobs.sqlite" "SELECT state FROM held_jobs WHERE id = $1"; }
job_printed() { [[ $(job_state "$1") == printed ]]; }
# print USER:PASSWORD DOC PRINTER SIDES: submits, releases at PRINTER's terminal, waits for it.
print() {
  local credentials=$1 doc=$2 printer=$3 sides=$4 user=${1%%:*} job out
  ipptool -t -T 30 -d "owner=$user" -d copies=1 -d "sides=$sides" -f "$base/$doc.pdf" \
    "ipp://$credentials@127.0.0.1:$PP_PORT/ipp/print" "$base/submit-sides.test" >"$base/submit.out" ||
    { cat "$base/submit.out" >&2; pp_fail "$user could not submit $doc"; }
  job=$(newest_job "$user")
  out=$(printf '%s\n' "${credentials#*:}" | "$PULLPRINT_BUILD_DIR/pappl-server/pullprint" -c "$PP_CONFIG" \
    release --server "$PP_URI" --printer "$printer" --user "$user" --job "$job" 2>&1) ||
    { echo "$out" >&2; pp_fail "$user could not release job $job on $printer"; }
  pp_wait_for 60 "job $job printed on $printer" job_printed "$job"
  echo "$job"
}

# --- 1. Real jobs, one refund.
colour_job=$(print alice:secret colour Lab_A one-sided)
print alice:secret grey Lab_B two-sided-long-edge >/dev/null
print bob:hunter2 grey Lab_A one-sided >/dev/null
print bob:hunter2 colour Lab_B one-sided >/dev/null
session=$(page alice:secret "/pullprint/refund?job=$colour_job" | grep -o 'name="session" value="[^"]*"' |
  head -n 1 | sed 's/.*value="//; s/"$//')
page alice:secret /pullprint/refund --data-urlencode "session=$session" \
  --data-urlencode "job=$colour_job" --data-urlencode "reason=jam" >/dev/null
pp_assert_eq 200 "$(cat "$base/status")" "alice asks for a refund of her colour job"
request=$(sqlite3 "$ledger" "SELECT id FROM refund_requests WHERE job_id = $colour_job")
pp refund grant "$request" >/dev/null || pp_fail "the desk could not grant the refund"
pp_pass "4 jobs printed on Lab_A and Lab_B (one colour each, one two-sided), one refunded"

# The journal's figures for today, and the delivery rows' pages.
today=$(date -u +%F)
tomorrow=$(date -u -d tomorrow +%F)
in_range="created_at >= '${today}T00:00:00' AND created_at < '${tomorrow}T00:00:00'"
charged=$(sqlite3 "$ledger" "SELECT -coalesce(sum(amount), 0) FROM journal WHERE kind = 'capture' AND $in_range")
refunded=$(sqlite3 "$ledger" "SELECT coalesce(sum(amount), 0) FROM journal WHERE kind = 'refund' AND $in_range")
net=$((charged - refunded))
pages=$(sqlite3 "$ledger" "SELECT sum(pages) FROM deliveries WHERE state = 'printed'")
((charged > 0 && refunded > 0)) || pp_fail "the journal has no captures ($charged) or refunds ($refunded)"
pp_assert_eq "6 2 2" "$(sqlite3 -separator ' ' "$ledger" "SELECT sum(pages), sum(color_pages), sum(duplex * pages) FROM deliveries")" \
  "the delivery rows' pages, colour pages and two-sided pages"
pp ledger check >/dev/null || pp_fail "ledger check"

# --- 2. dana opens the report by each `by`.
total() { grep -o "id=\"total-$1\"[^>]*>[^<]*" "$base/body" | head -n 1; }
total_minor() { total "$1" | sed -n 's/.*data-minor="\([-0-9]*\)".*/\1/p'; }
total_text() { total "$1" | sed 's/.*>//'; }
rows_sum() {  # rows_sum CLASS: the sum of a column's data-minor over the table's rows
  grep -o "class=\"c-$1\" data-minor=\"[-0-9]*\"" "$base/body" | sed 's/.*="//; s/"//' |
    awk '{ s += $1 } END { print s + 0 }'
}
for by in user group account printer; do
  page dana:pw-dana "/pullprint/admin/reports?by=$by&from=$today&to=$today" >/dev/null
  pp_assert_eq 200 "$(cat "$base/status")" "dana's report by $by"
  pp_assert_eq "$charged $refunded $net" \
    "$(total_minor charged) $(total_minor refunded) $(total_minor net)" "report by $by: totals = the journal's"
  pp_assert_eq "4 $pages" "$(total_text jobs) $(total_text pages)" "report by $by: jobs and pages"
  for chart in chart-period chart-printer chart-group; do
    grep -q "<svg id=\"$chart\"" "$base/body" || pp_fail "report by $by has no $chart"
  done
  grep -q '<script' "$base/body" && pp_fail "the reports page carries a script"
  if [[ $by == group ]]; then
    # bob is in physics and lab-users, alice in lab-users: the rows add up to more.
    pp_assert_eq $((net + $(sqlite3 "$ledger" "SELECT -coalesce(sum(j.amount), 0) + 0 FROM journal j
      JOIN accounts a ON a.id = j.account_id WHERE a.name = 'bob' AND j.kind = 'capture'"))) \
      "$(rows_sum net)" "report by group: bob counts in both of his groups"
  else
    pp_assert_eq "$net" "$(rows_sum net)" "report by $by: the rows add up to the totals"
  fi
done
page dana:pw-dana "/pullprint/admin/reports?by=printer&from=$today&to=$today" >/dev/null
row_of() { grep -o "data-key=\"$1\">.*</tr>" "$base/body"; }
grep -q 'class="c-duplex">66.7 %' <<<"$(row_of Lab_B)" || pp_fail "Lab_B's duplex share: $(row_of Lab_B)"
grep -q 'class="c-color">33.3 %' <<<"$(row_of Lab_A)" || pp_fail "Lab_A's colour share: $(row_of Lab_A)"
pp_pass "by user, group, account and printer: totals = the journal (charged $charged, refunded $refunded, net $net cents), $pages pages"

# --- 3. CSV and PDF.
csv=$(page dana:pw-dana "/pullprint/admin/reports.csv?by=printer&from=$today&to=$today")
pp_assert_eq 200 "$(cat "$base/status")" "the CSV"
grep -qi '^Content-Disposition: attachment' "$base/headers" || pp_fail "the CSV is no attachment"
pp_assert_eq "by,key,jobs,pages,color_pages,color_share,duplex_pages,duplex_share,sheets,charged,refunded,net,currency,from,to" \
  "$(head -n 1 <<<"$csv" | tr -d '\r')" "the CSV's header"
cents() { awk -v v="$1" 'BEGIN { printf "%d", v * 100 + (v < 0 ? -0.5 : 0.5) }'; }
totals_line=$(grep '^printer,Total,' <<<"$csv" | tr -d '\r')
IFS=, read -r _ _ csv_jobs csv_pages _ _ _ _ _ csv_charged csv_refunded csv_net _ <<<"$totals_line"
pp_assert_eq "4 $pages $charged $refunded $net" \
  "$csv_jobs $csv_pages $(cents "$csv_charged") $(cents "$csv_refunded") $(cents "$csv_net")" "the CSV's totals"
pp_assert_eq "$(tr -d '\r' <<<"$csv")" "$(pp report --by printer --from "$today" --to "$today" --csv | tr -d '\r')" \
  "pullprint report --csv and the web's CSV"
page dana:pw-dana "/pullprint/admin/reports.pdf?by=user&from=$today&to=$today" >/dev/null
pp_assert_eq 200 "$(cat "$base/status")" "the PDF"
cp "$base/body" "$base/report.pdf"
info=$(pdfinfo "$base/report.pdf") || pp_fail "pdfinfo cannot read the report PDF"
grep -q '^Title: *Print report by user' <<<"$info" || pp_fail "the PDF's title: $info"
grep -q '^Pages: *[1-9]' <<<"$info" || pp_fail "the PDF has no page"
pp_pass "the CSV (same figures as the page and the CLI) and the PDF ($(grep '^Pages' <<<"$info" | tr -s ' '))"

# --- 4. Who is refused; a scope.
for path in "/pullprint/admin/reports" "/pullprint/admin/reports.csv?by=user" "/pullprint/admin/reports.pdf"; do
  for who in carol:opensesame alice:secret; do
    page "$who" "$path" >/dev/null
    pp_assert_eq 403 "$(cat "$base/status")" "${who%%:*} opens $path"
  done
done
page erin:pw-erin "/pullprint/admin/reports?by=user&from=$today&to=$today" >/dev/null
pp_assert_eq 200 "$(cat "$base/status")" "erin (physics' admin) opens the reports"
bob_on_b=$(sqlite3 "$ledger" "SELECT -sum(j.amount) FROM journal j JOIN reservations r ON r.id = j.reservation_id
  JOIN deliveries d ON d.job_ref = r.job_ref WHERE j.kind = 'capture' AND d.owner = 'bob' AND d.printer = 'Lab_B'")
pp_assert_eq "bob" "$(grep -o 'class="report-row" data-key="[^"]*"' "$base/body" | sed 's/.*key="//; s/"//' | tr '\n' ' ' | xargs)" \
  "erin's rows"
pp_assert_eq "1 $bob_on_b" "$(total_text jobs) $(total_minor net)" "erin's totals: bob's job on Lab_B only"
pp_pass "carol and alice get 403 on the page, the CSV and the PDF; erin sees only bob's job on Lab_B"

# --- 5. The monthly mail, once per address.
month_after=$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%Y-%m-01)
for run in 1 2; do
  pp report --mail-previous --at "${month_after}T00:05:00Z" >"$base/mail-run-$run.out" ||
    pp_fail "pullprint report --mail-previous (run $run)"
done
grep -q "mailed to 2 new recipient" "$base/mail-run-1.out" || pp_fail "first mail run: $(cat "$base/mail-run-1.out")"
grep -q "mailed to 0 new recipient" "$base/mail-run-2.out" || pp_fail "second mail run: $(cat "$base/mail-run-2.out")"
this_month=$(date -u +%Y-%m)
last_month=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
pp_assert_eq 2 "$(grep -c "^Subject: Print report $this_month" "$base/mail.log")" "mails of $this_month sent"
grep -q "^== boss@example.org" "$base/mail.log" || pp_fail "no mail to boss@example.org"
# pullprintd's own timer (a BackgroundTask, at start-up and every 10 minutes) mailed the month
# before this one, once per address, however often it ran.
last_month_mailed() { (($(grep -c "^Subject: Print report $last_month" "$base/mail.log") == 2)); }
pp_wait_for 30 "pullprintd's timer mailing $last_month's report" last_month_mailed
pp_pass "the monthly report mailed once to each of report-mail-to's 2 addresses (by hand and by pullprintd's timer)"

# --- 6. The browser.
jq -n --arg site "$site" --arg shots "$shots" --arg today "$today" '{
  site: $site, screenshots: $shots, today: $today, passwords: {dana: "pw-dana"}
}' >"$base/plan.json"
timeout 300 /usr/bin/python3 "$PULLPRINT_SOURCE_DIR/tests/integration/support/web_console_reports.py" \
  "$base/plan.json" || pp_fail "the browser part failed (screenshots in $shots)"
pp ledger check >/dev/null || pp_fail "ledger check at the end"
pp_pass "dana's reports in the browser (screenshots in $shots/console-reports-*.png)"
