// pullprint: the CUPS wrapper backend, device URI `pullprint:REAL-URI`.
//
// In the tradition of tea4cups and PyKota's cupspykota: cupsd runs it instead of the real
// backend; it holds a job until its owner releases it (CUPS door) or checks that pullprintd
// released it, runs the real backend for REAL-URI, and captures or voids the job's
// reservation on the outcome. The rules live in lib/delivery; this is only the CUPS side.
//
//   pullprint                                        discovery (cups-deviced, lpinfo -v)
//   pullprint job-id user title copies options [file]   a job (DEVICE_URI=pullprint:...)
#include <cstdio>

#include "backend/backend.h"

int main(int argc, char* argv[]) {
  pp::backend::ensure_backend_channels();
  if (argc == 1) return pp::backend::discover_devices();
  if (argc == 6 || argc == 7) return pp::backend::run_job(argc, argv);
  std::fprintf(stderr,
               "Usage: %s job-id user title copies options [file]\n"
               "       %s   (device discovery)\n",
               argv[0], argv[0]);
  return pp::backend::kFailed;
}
