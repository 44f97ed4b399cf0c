# ipp-printer.sh: a real IPP Everywhere printer for one test (sourced after common.sh):
# ippeveprinter, which writes every job it receives to a directory. It will not start without
# DNS-SD, so it gets a private dbus-daemon and avahi-daemon (avahi.sh).
source "$(dirname "${BASH_SOURCE[0]}")/avahi.sh"

# pp_require_ipp_printer: skips the test when the printer cannot run here.
pp_require_ipp_printer() {
  pp_require_avahi
  command -v ippeveprinter >/dev/null || pp_skip "ippeveprinter is not installed"
}

# pp_start_ipp_printer BASE [OPTION...]: starts the printer (OPTIONs for ippeveprinter, e.g.
# "-s 10,10" for a colour printer, "-2" for duplex; default: monochrome, one-sided); sets
# PP_PRINTER_PORT, PP_PRINTER_URI (its ipp:// URI on 127.0.0.1), PP_PRINTER_OUT (where received
# jobs land) and PP_PRINTER_PID.
pp_start_ipp_printer() {
  local base=$1
  shift
  mkdir -p "$base/printer-out"
  pp_start_avahi "$base"
  PP_PRINTER_PORT=$(pp_free_port)
  PP_PRINTER_OUT=$base/printer-out
  PP_PRINTER_URI=ipp://127.0.0.1:$PP_PRINTER_PORT/ipp/print
  ippeveprinter -p "$PP_PRINTER_PORT" -f application/pdf,image/pwg-raster "$@" \
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
