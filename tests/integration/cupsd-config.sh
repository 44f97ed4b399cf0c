#!/bin/bash
# The private cupsd every CUPS test starts (support/cupsd.sh): today's cupsd accepts its
# configuration, and when a CUPS update makes a line of it fatal (as deb12u10 did with an empty
# Printcap), the failure names cupsd's version and quotes the line cupsd refused.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/cupsd.sh"

base=$(pp_make_base)
pp_write_cupsd_config "$base" "$(pp_free_port)"
(pp_check_cupsd_config "$base") || pp_fail "today's cupsd refuses the test configuration (above)"
pp_pass "cupsd $(pp_cupsd_version) accepts the test configuration"

# A line that every cupsd refuses stands in for the next update's fatal directive.
echo "Group pp-no-such-group" >>"$base/conf/cups-files.conf"
bad_line=$(wc -l <"$base/conf/cups-files.conf")
if message=$( (pp_check_cupsd_config "$base") 2>&1); then
  pp_fail "the check passed a configuration cupsd refuses"
fi
echo "$message"
[[ "$message" == *"line $bad_line of cups-files.conf reads \"Group pp-no-such-group\""* ]] ||
  pp_fail "the failure does not quote the refused line"
[[ "$message" == *"cupsd $(pp_cupsd_version) rejects"* ]] || pp_fail "the failure does not name cupsd's version"
pp_pass "a refused line is named and quoted"
