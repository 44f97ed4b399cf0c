#!/bin/bash
# Integration: pullprintd's DNS-SD advertisement through a private dbus-daemon + avahi-daemon
# (support/avahi.sh: allow-interfaces=lo, nothing is announced beyond loopback). Checks with
# avahi-browse that the queue is listed as _ipp._tcp with the TXT keys driverless clients need
# (rp, pdl with PDF and PWG raster, UUID, kind, Color, URF, ty) and an adminurl that answers a
# page (200, curl), as _ipps._tcp when TLS is on, and under the _print and _universal subtypes. Exits 77 (CTest: skipped) with the reason when the
# daemons cannot run here (not root).
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/avahi.sh"
source "$(dirname "$0")/support/pullprintd.sh"

pp_require_avahi
command -v avahi-browse >/dev/null || pp_skip "avahi-browse is not installed"

base=$(pp_make_base)
mkdir -p "$base/state" "$base/home"

# A private bus and avahi-daemon (support/avahi.sh): avahi-browse and pullprintd's avahi client
# find them via DBUS_SYSTEM_BUS_ADDRESS.
pp_start_avahi "$base"
pp_wait_for 15 "avahi-daemon on the bus" avahi-browse -at -p
pp_pass "private dbus-daemon ($PP_DBUS_PID) and avahi-daemon ($PP_AVAHI_PID) running"

# pullprintd with DNS-SD and TLS on (libcups makes its self-signed certificate under $HOME).
export HOME="$base/home"
pp_start_pullprintd "$base/state" "$base/pullprintd.log" -o dnssd=on -o tls=on

# Prints avahi-browse's resolved lines (=;iface;proto;name;type;domain;host;addr;port;txt) for
# TYPE once the queue is listed.
browse() {
  avahi-browse -rtp "$1" 2>/dev/null | grep "^=" | grep ";$PP_PORT;" || return 1
}
pp_wait_for 20 "_ipp._tcp advertisement on port $PP_PORT" browse _ipp._tcp
ipp_line=$(browse _ipp._tcp | head -n 1)
echo "$ipp_line"
# The TXT record of a resolved line: its last field, "key=value" strings in quotes.
txt=$(awk -F';' '{print $10}' <<<"$ipp_line")
txt_value() { grep -o "\"$1=[^\"]*\"" <<<"$txt" | head -n 1 | sed "s/^\"$1=//; s/\"$//"; }

pp_assert_eq ipp/print "$(txt_value rp)" "TXT rp"
pdl=$(txt_value pdl)
[[ ",$pdl," == *,application/pdf,* && ",$pdl," == *,image/pwg-raster,* ]] ||
  pp_fail "TXT pdl lacks PDF or PWG raster: $pdl"
pp_pass "TXT pdl = $pdl"
[[ $(txt_value UUID) =~ ^[0-9a-f-]{36}$ ]] || pp_fail "TXT UUID: '$(txt_value UUID)'"
pp_pass "TXT UUID = $(txt_value UUID)"
for key in kind Color URF ty; do
  [[ -n "$(txt_value "$key")" ]] || pp_fail "TXT $key missing: $txt"
  pp_pass "TXT $key = $(txt_value "$key")"
done

# adminurl: PAPPL's http://HOSTNAME:PORT/ for the queue, pullprintd's landing page. The host is
# the machine's DNS-SD name: curl connects to the loopback listener and sends that Host.
adminurl=$(txt_value adminurl)
[[ $adminurl == http://*:$PP_PORT/ ]] || pp_fail "TXT adminurl: '$adminurl'"
command -v curl >/dev/null || pp_fail "curl is not installed (the adminurl check needs it)"
pp_assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' --connect-to "::127.0.0.1:$PP_PORT" "$adminurl")" \
  "HTTP status of the TXT adminurl $adminurl"

pp_wait_for 20 "_ipps._tcp advertisement (TLS on)" browse _ipps._tcp
pp_pass "_ipps._tcp listed"
for subtype in _print._sub._ipp._tcp _universal._sub._ipps._tcp; do
  pp_wait_for 20 "subtype $subtype" browse "$subtype"
  pp_pass "subtype $subtype listed"
done
