#!/bin/bash
# Integration: PostScript over IPP, as lab machines and Windows PostScript drivers send it, end
# to end with real components. Checks:
#  1. the queue advertises application/postscript;
#  2. the sample as PostScript (sent as application/postscript, and as application/octet-stream,
#     which PAPPL auto-types) is held and priced exactly like the same sample as PDF, and held as
#     a PDF of its 4 pages;
#  3. a PostScript program that fails is refused with Ghostscript's own error, nothing reserved;
#  4. released to a real IPP Everywhere printer that takes PDF only (ippeveprinter -f
#     application/pdf) through the wrapper backend and CUPS's ipp backend, the printer receives a
#     PDF of the 4 pages, and the job is captured once at the printer's price.
set -euo pipefail
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/ipp-printer.sh"
source "$(dirname "$0")/support/pullprintd.sh"
source "$(dirname "$0")/support/splits.sh"  # job_state, newest_job, price_of, captured, terminal

pp_require_ipp_printer
command -v gs >/dev/null || pp_skip "Ghostscript (gs) is not installed"
command -v qpdf >/dev/null || pp_skip "qpdf is not installed"
pp_test_site
pp_test_home
pp_start_ipp_printer "$base" -f application/pdf  # the later -f wins: PDF only
pp_lab_a_printer

pp_sample_pdf "$base/sample.pdf"
cp "$PULLPRINT_SOURCE_DIR/share/samples/sample.ps" "$base/sample.ps"
cp "$base/sample.ps" "$base/sample-ps.bin"  # unknown extension: ipptool sends octet-stream
printf '%%!PS\n72 72 moveto nosuchoperator showpage\n' >"$base/broken.ps"
pp_funded_accounts 5.00 alice
pp_start_pullprintd "$state" "$base/pullprintd.log"
stored() { sqlite3 "$state/jobs.sqlite" "SELECT $2 FROM held_jobs WHERE id = $1"; }

# --- 1. advertised.
formats=$(ipptool -tv "$PP_URI" get-printer-attributes.test | pp_ipp_value document-format-supported)
[[ ",$formats," == *",application/postscript,"* ]] ||
  pp_fail "document-format-supported lacks application/postscript: $formats"
pp_pass "application/postscript advertised: $formats"

# --- 2. held and priced like the PDF, held as PDF.
pdf_message=$(pp_submit alice "$base/sample.pdf" | pp_ipp_value job-state-message)
pp_assert_eq "Waiting for release: 4 pages (1 colour), EUR 0.80" "$pdf_message" "the sample as PDF"
pdf_job=$(newest_job alice)
for file in sample.ps sample-ps.bin; do
  out=$(pp_submit alice "$base/$file")
  pp_assert_eq completed "$(pp_ipp_value job-state <<<"$out")" "IPP state of $file"
  pp_assert_eq "$pdf_message" "$(pp_ipp_value job-state-message <<<"$out")" "message of $file"
  job=$(newest_job alice)
  pp_assert_eq "$(stored "$pdf_job" "pages || ' ' || color_pages || ' ' || price_minor")" \
    "$(stored "$job" "pages || ' ' || color_pages || ' ' || price_minor")" \
    "pages, colour pages and price of $file and of the PDF"
  pp_assert_eq application/pdf "$(stored "$job" format)" "format $file is held in"
  document=$(stored "$job" document_file)
  pp_assert_eq "%PDF-" "$(head -c 5 "$state/spool/$document")" "start of $file's held document"
  pp_assert_eq 4 "$(qpdf --show-npages "$state/spool/$document")" "pages of $file's held PDF"
done
ps_job=$(newest_job alice)
pp_assert_eq 240 "$(reserved alice)" "reserved on alice for the PDF and the two PostScript jobs"

# --- 3. a failing PostScript program: refused with Ghostscript's error, nothing reserved.
out=$(pp_submit alice "$base/broken.ps")
pp_assert_eq aborted "$(pp_ipp_value job-state <<<"$out")" "IPP state of the failing program"
message=$(pp_ipp_value job-state-message <<<"$out")
[[ $message == "Refused: cannot convert the PostScript document to PDF: "*"/undefined in nosuchoperator"* ]] ||
  pp_fail "unclear refusal: '$message'"
pp_pass "failing PostScript refused: $message"
pp_assert_eq 240 "$(reserved alice)" "reserved on alice after the failing program"

# --- 4. released to a printer that takes PDF only: it receives the PDF.
printer_formats=$(ipptool -tv "$PP_PRINTER_URI" get-printer-attributes.test |
  pp_ipp_value document-format-supported)
[[ ",$printer_formats," != *",application/postscript,"* ]] ||
  pp_fail "the test printer takes PostScript: $printer_formats"
pp_pass "the printer takes $printer_formats"
out=$(terminal --user alice --job "$ps_job" 2>&1) || { echo "$out" >&2; pp_fail "the release failed"; }
pp_assert_eq printed "$(job_state "$ps_job")" "the PostScript job after its release"
received=$(pp_printer_jobs)
pp_assert_eq 1 "$(grep -c . <<<"$received")" "documents the printer received"
pp_assert_eq "%PDF-" "$(head -c 5 "$received")" "start of what the printer received"
pp_assert_eq 4 "$(qpdf --show-npages "$received")" "pages the printer received"
pp_assert_eq "$(price_of "$ps_job")" "$(captured alice)" "captured on alice (the default price)"
pp ledger check >/dev/null || pp_fail "ledger check failed"
pp_pass "the PostScript job printed as PDF on a PDF-only printer, captured once"
