#!/bin/bash
# Integration: a job sent without job-name is named after its document (RFC 8011: the operation
# attribute document-name; document-name-supplied is taken too), in PAPPL's Get-Jobs and as the
# held job's title in `pullprint jobs`, also when Create-Job names nothing and Send-Document
# brings the document's name (the last path component of a name with directories); a job-name
# the client sends wins; a job with no name at all is still "Untitled".
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

support="$PULLPRINT_SOURCE_DIR/tests/integration/support"
pp_test_site
pp_sample_pdf "$base/sample.pdf"
pp_funded_accounts 5.00 alice
pp_start_pullprintd "$state" "$base/pullprintd.log"

# submit ARGS...: the sample as alice, named by ARGS (-d ...) only; prints PAPPL's job-name.
submit() {
  local out
  out=$(ipptool -t -T 30 -d owner=alice "$@" -f "$base/sample.pdf" "$PP_URI" \
    "$support/pullprintd-named-job.test") || { echo "$out" >&2; pp_fail "submission $* failed"; }
  pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of the job ($*)" >&2
  pp_ipp_value job-name <<<"$out"
}
newest_title() { sqlite3 "$state/jobs.sqlite" "SELECT title FROM held_jobs ORDER BY id DESC LIMIT 1"; }
held_titles() {  # `pullprint jobs --json` as alice: the titles, oldest first
  CUPS_USER=alice pp jobs --json --server "$PP_URI" | jq -r 'sort_by(.id) | .[].title'
}

pp_assert_eq thesis.pdf "$(submit -d document-name=1 -d docname=thesis.pdf)" \
  "PAPPL's job-name from document-name"
pp_assert_eq thesis.pdf "$(newest_title)" "held title from document-name"
pp_assert_eq report.pdf "$(submit -d document-name-supplied=1 -d docname=report.pdf)" \
  "PAPPL's job-name from document-name-supplied"
pp_assert_eq report.pdf "$(newest_title)" "held title from document-name-supplied"
pp_assert_eq "Untitled" "$(submit -d noname=1)" "PAPPL's job-name without any name"
pp_assert_eq "Untitled" "$(newest_title)" "held title without any name"
pp_assert_eq "Untitled" "$(submit -d create=1 -d 'docname=C:\Users\alice\slides.pdf')" \
  "PAPPL's job-name of a Create-Job without job-name"
pp_assert_eq slides.pdf "$(newest_title)" "held title from Send-Document's document-name"
pp_assert_eq "Chapter 2" "$(submit -d 'jobname=Chapter 2' -d docname=thesis.pdf)" \
  "PAPPL's job-name when the client sends one"
pp_assert_eq "Chapter 2" "$(newest_title)" "held title when the client sends a job-name"
pp_assert_eq "thesis.pdf report.pdf Untitled slides.pdf Chapter 2" "$(held_titles | xargs)" \
  "titles in \`pullprint jobs\`"
