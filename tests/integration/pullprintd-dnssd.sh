#!/bin/bash
# Integration: pullprintd's DNS-SD advertisement through a private dbus-daemon + avahi-daemon
# (own config, allow-interfaces=lo: nothing is announced beyond loopback). Checks with
# avahi-browse that the queue is listed as _ipp._tcp with the TXT keys driverless clients need
# (rp, pdl with PDF and PWG raster, UUID, kind, Color, URF, ty), as _ipps._tcp when TLS is on, and
# under the _print and _universal subtypes. Exits 77 (CTest: skipped) with the reason when the
# daemons cannot run here (not root, or a system avahi-daemon already owns its pid file).
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

# Marks the test skipped (SKIP_RETURN_CODE 77 in CMakeLists.txt) with the reason.
pp_skip() {
  echo "SKIP: $*"
  exit 77
}
for program in dbus-daemon avahi-daemon avahi-browse; do
  command -v "$program" >/dev/null || pp_skip "$program is not installed"
done
[[ $(id -u) == 0 ]] || pp_skip "avahi-daemon needs root here"
[[ ! -e /run/avahi-daemon/pid ]] || pp_skip "an avahi-daemon already runs (its pid file is fixed)"

base=$(pp_make_base)
mkdir -p "$base/state" "$base/home"

# A private bus on our own socket, with dbus's session policy (everyone may own names and call
# everyone; the system policy would need avahi's policy file and the messagebus user):
# avahi-daemon, avahi-browse and pullprintd's avahi client find it via DBUS_SYSTEM_BUS_ADDRESS.
dbus_pid=$(dbus-daemon --config-file=/usr/share/dbus-1/session.conf \
  --address="unix:path=$base/dbus.sock" --fork --print-pid) ||
  pp_skip "dbus-daemon does not start"
pp_on_exit "kill $dbus_pid"
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$base/dbus.sock"

cat >"$base/avahi.conf" <<CONF
[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF
avahi-daemon -f "$base/avahi.conf" --no-chroot --no-drop-root --no-rlimits >"$base/avahi.log" 2>&1 &
avahi_pid=$!
pp_on_exit "kill $avahi_pid; wait $avahi_pid"
avahi_up() { kill -0 "$avahi_pid" 2>/dev/null && avahi-browse -at -p >/dev/null 2>&1; }
deadline=$((SECONDS + 15))
until avahi_up; do
  if ! kill -0 "$avahi_pid" 2>/dev/null || ((SECONDS >= deadline)); then
    cat "$base/avahi.log"
    pp_skip "avahi-daemon does not run here"
  fi
  sleep 0.1
done
pp_pass "private dbus-daemon ($dbus_pid) and avahi-daemon ($avahi_pid) running"

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

pp_wait_for 20 "_ipps._tcp advertisement (TLS on)" browse _ipps._tcp
pp_pass "_ipps._tcp listed"
for subtype in _print._sub._ipp._tcp _universal._sub._ipps._tcp; do
  pp_wait_for 20 "subtype $subtype" browse "$subtype"
  pp_pass "subtype $subtype listed"
done
