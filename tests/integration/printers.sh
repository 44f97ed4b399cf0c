#!/bin/bash
# Integration: `pullprint printers` with two release printers: Lab_Colour, an IPP printer that
# is up (a running pullprintd), and Lab_Mono, a socket:// device that is down. States, prices
# and profiles are reported; credentials in a device URI are not; a printer that is down costs
# one short timeout, not a hang.
source "$(dirname "$0")/support/common.sh"
source "$(dirname "$0")/support/pullprintd.sh"

pullprint="$PULLPRINT_BUILD_DIR/pappl-server/pullprint"
base=$(pp_make_base)

# The IPP printer: pullprintd with its defaults (PP_CONFIG unset).
pp_start_plain_pullprintd
down_port=$(pp_free_port)

config="$base/pullprint.conf"
cat >"$config" <<CONF
state-dir = $base/state
[price default]
mono-impression = 5
color-impression = 25
[price Lab_Colour]
mono-impression = 8
color-impression = 35
[printer Lab_Colour]
location = Library, first floor
device-uri = ipp://operator:s3cret@127.0.0.1:$PP_PORT/ipp/print
[printer Lab_Mono]
location = Library, ground floor
device-uri = socket://127.0.0.1:$down_port
CONF
pp() { "$pullprint" -c "$config" "$@"; }

# 1. JSON: both printers, sorted by name, with profiles, prices and states.
start=$SECONDS
json=$(pp printers --json --timeout 2)
((SECONDS - start <= 10)) || pp_fail "pullprint printers took $((SECONDS - start)) s"
pp_assert_eq "Lab_Colour Lab_Mono" "$(jq -r '.[].name' <<<"$json" | xargs)" "printers listed"
colour=$(jq '.[] | select(.name == "Lab_Colour")' <<<"$json")
mono=$(jq '.[] | select(.name == "Lab_Mono")' <<<"$json")
pp_assert_eq "Lab_Colour EUR 0.08 EUR 0.35" \
  "$(jq -r '"\(.profile) \(.mono_price) \(.color_price)"' <<<"$colour")" "Lab_Colour profile and prices"
pp_assert_eq "default EUR 0.05 EUR 0.25" \
  "$(jq -r '"\(.profile) \(.mono_price) \(.color_price)"' <<<"$mono")" "Lab_Mono profile and prices"
pp_assert_eq "true idle true" \
  "$(jq -r '"\(.state.reachable) \(.state.state) \(.state.can_print)"' <<<"$colour")" \
  "state of the running IPP printer"
pp_assert_eq "false false" "$(jq -r '"\(.state.reachable) \(.state.can_print)"' <<<"$mono")" \
  "state of the printer that is down"
grep -q "Connection refused" <<<"$(jq -r .state.message <<<"$mono")" ||
  pp_fail "no reason for Lab_Mono: $mono"
pp_pass "Lab_Mono's reason: $(jq -r .state.message <<<"$mono")"
pp_assert_eq "ipp://***@127.0.0.1:$PP_PORT/ipp/print" "$(jq -r .device_uri <<<"$colour")" \
  "device URI shown without credentials"

# 2. Text output; no credentials anywhere.
text=$(pp printers --timeout 2)
echo "$text"
grep -q "^Lab_Colour .* idle" <<<"$text" || pp_fail "Lab_Colour not idle in the table"
grep -q "^Lab_Mono .*unreachable: cannot connect" <<<"$text" || pp_fail "Lab_Mono not unreachable"
! grep -q s3cret <<<"$text$json" || pp_fail "the password of a device URI was shown"
pp_pass "table lists both printers, no credentials"

# 3. --no-state does not contact the printers.
pp_assert_eq "null null" "$(pp printers --json --no-state | jq -r '[.[].state] | map(tostring) | join(" ")')" \
  "--no-state leaves the states out"

# 4. When the IPP printer goes away, it is reported unreachable.
pp_stop_pullprintd "$PP_PULLPRINTD_PID" >/dev/null
pp_assert_eq "false" "$(pp printers --json --timeout 2 | jq -r '.[] | select(.name == "Lab_Colour") | .state.reachable')" \
  "Lab_Colour after pullprintd stopped"

# 5. A config mistake is refused with the key named.
printf '[printer Bad]\ndevice-uri = http://printer.example/x\n' >"$base/bad.conf"
if out=$("$pullprint" -c "$base/bad.conf" printers 2>&1); then pp_fail "bad scheme accepted"; fi
grep -q "printer.Bad.device-uri" <<<"$out" || pp_fail "unexpected error: $out"
pp_pass "bad device URI refused: $out"
