# avahi.sh: a private DNS-SD for one test (sourced after common.sh): a dbus-daemon on the test's
# own socket and an avahi-daemon that announces on loopback only (allow-interfaces=lo).
# avahi-daemon's pid file is fixed (/run/avahi-daemon/pid): the daemon runs in its own mount
# namespace with a private /run/avahi-daemon, so that it neither meets a system avahi-daemon
# nor another test's.

# pp_require_avahi: skips the test when the daemons cannot run here.
pp_require_avahi() {
  local program
  for program in dbus-daemon avahi-daemon unshare; do
    command -v "$program" >/dev/null || pp_skip "$program is not installed"
  done
  # Who runs the tests is the machine's choice, not a package's (CI runs as root).
  [[ $(id -u) == 0 ]] || pp_skip_unchangeable "avahi-daemon in a private mount namespace needs root"
}

# pp_start_avahi BASE: starts both daemons (files in BASE), stopped at exit; sets PP_DBUS_PID,
# PP_AVAHI_PID and exports DBUS_SYSTEM_BUS_ADDRESS, where avahi-daemon, avahi-browse and every
# avahi client (ippeveprinter, pullprintd) find the bus. Skips the test when they do not run.
pp_start_avahi() {
  local base=$1
  mkdir -p "$base/avahi-run"
  # dbus's session policy: everyone may own names and call everyone (the system policy would
  # need avahi's policy file and the messagebus user).
  PP_DBUS_PID=$(dbus-daemon --config-file=/usr/share/dbus-1/session.conf \
    --address="unix:path=$base/dbus.sock" --fork --print-pid) || pp_skip "dbus-daemon does not start"
  pp_on_exit "kill $PP_DBUS_PID"
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
  mkdir -p /run/avahi-daemon
  unshare --mount --propagation private -- sh -c \
    "mount --bind '$base/avahi-run' /run/avahi-daemon && exec avahi-daemon -f '$base/avahi.conf' --no-chroot --no-drop-root --no-rlimits" \
    >"$base/avahi.log" 2>&1 &
  PP_AVAHI_PID=$!
  pp_on_exit "kill $PP_AVAHI_PID; wait $PP_AVAHI_PID"
  # avahi writes its pid file once it is up and on the bus.
  local deadline=$((SECONDS + 15))
  until [[ -s "$base/avahi-run/pid" ]]; do
    if ! kill -0 "$PP_AVAHI_PID" 2>/dev/null || ((SECONDS >= deadline)); then
      cat "$base/avahi.log"
      # A container without mount namespaces cannot get them from a package.
      pp_skip_unchangeable "avahi-daemon does not run here (no private mount namespace?)"
    fi
    sleep 0.1
  done
}
