# ipp-printer.sh: a real IPP Everywhere printer for one test (sourced after common.sh):
# ippeveprinter, which writes every job it receives to a directory. It will not start without
# DNS-SD, so it gets a private dbus-daemon and an avahi-daemon that announces on loopback only.
# avahi-daemon's pid file is fixed (/run/avahi-daemon/pid): the daemon runs in its own mount
# namespace with a private /run/avahi-daemon, so that it neither meets a system avahi-daemon
# nor another test's.

# Marks the test skipped (SKIP_RETURN_CODE 77) with the reason.
pp_skip() {
  echo "SKIP: $*"
  exit 77
}

# pp_require_ipp_printer: skips the test when the printer cannot run here.
pp_require_ipp_printer() {
  local program
  for program in dbus-daemon avahi-daemon ippeveprinter unshare; do
    command -v "$program" >/dev/null || pp_skip "$program is not installed"
  done
  [[ $(id -u) == 0 ]] || pp_skip "avahi-daemon in a private mount namespace needs root"
}

# pp_start_ipp_printer BASE: starts the printer; sets PP_PRINTER_PORT, PP_PRINTER_URI (its
# ipp:// URI on 127.0.0.1), PP_PRINTER_OUT (where received jobs land) and PP_PRINTER_PID.
pp_start_ipp_printer() {
  local base=$1
  mkdir -p "$base/printer-out" "$base/avahi-run"
  local dbus_pid
  dbus_pid=$(dbus-daemon --config-file=/usr/share/dbus-1/session.conf \
    --address="unix:path=$base/dbus.sock" --fork --print-pid) || pp_skip "dbus-daemon does not start"
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
  mkdir -p /run/avahi-daemon
  unshare --mount --propagation private -- sh -c \
    "mount --bind '$base/avahi-run' /run/avahi-daemon && exec avahi-daemon -f '$base/avahi.conf' --no-chroot --no-drop-root --no-rlimits" \
    >"$base/avahi.log" 2>&1 &
  local avahi_pid=$!
  pp_on_exit "kill $avahi_pid; wait $avahi_pid"
  # avahi writes its pid file once it is up and on the bus.
  local deadline=$((SECONDS + 15))
  until [[ -s "$base/avahi-run/pid" ]]; do
    if ! kill -0 "$avahi_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      cat "$base/avahi.log"
      pp_skip "avahi-daemon does not run here"
    fi
    sleep 0.1
  done
  PP_PRINTER_PORT=$(pp_free_port)
  PP_PRINTER_OUT=$base/printer-out
  PP_PRINTER_URI=ipp://127.0.0.1:$PP_PRINTER_PORT/ipp/print
  ippeveprinter -p "$PP_PRINTER_PORT" -f application/pdf,image/pwg-raster \
    -d "$PP_PRINTER_OUT" -k "TestPrinter$PP_PRINTER_PORT" >"$base/ippeveprinter.log" 2>&1 &
  PP_PRINTER_PID=$!
  pp_on_exit "kill $PP_PRINTER_PID; wait $PP_PRINTER_PID"
  pp_wait_for 15 "ippeveprinter on port $PP_PRINTER_PORT" pp_printer_up
  export PP_PRINTER_PORT PP_PRINTER_URI PP_PRINTER_OUT PP_PRINTER_PID
}

# True when the printer answers Get-Printer-Attributes.
pp_printer_up() {
  ipptool -q "$PP_PRINTER_URI" get-printer-attributes.test
}

# pp_printer_jobs: the files the printer has received, one per line.
pp_printer_jobs() {
  find "$PP_PRINTER_OUT" -type f | sort
}
