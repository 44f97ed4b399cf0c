// printer-check.cpp: whether a release printer can print now, decided once for every door.
//
// pullprintd checks a printer before it claims anything (the terminal and the web page) and
// again before its delivery worker sends a job on a stale check; both follow the same rule and
// give the same reason here, so that the terminal and the job's message never disagree.
#include "printers/printers.h"

namespace pp {

Result<PrinterCheck> check_printer(const ReleasePrinter& printer) {
  Result<PrinterState> state = query_printer_state(printer, kPrinterStateTimeout);
  const auto at = std::chrono::steady_clock::now();
  if (!state) return Status(Code::kConflict, state.status().message());
  if (!state->can_print())
    return Status(Code::kConflict, !state->message.empty()
                                       ? state->message
                                       : std::string(device_state_name(state->state)));
  return PrinterCheck{at, std::move(*state)};
}

bool printer_check_is_stale(std::chrono::steady_clock::time_point checked_at) {
  return std::chrono::steady_clock::now() - checked_at > kPrinterStateFreshFor;
}

}  // namespace pp
