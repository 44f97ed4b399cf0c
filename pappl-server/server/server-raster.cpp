// server-raster.cpp: streamed PWG raster and URF jobs, written into one PWG raster file.
//
// PAPPL never spools PWG raster or URF: it decodes them on the client's connection and calls the
// driver's raster callbacks page by page, line by line. To hold such a job like any other
// document the callbacks write the pages back out as a PWG raster file (URF becomes PWG raster
// too), which the analyser prices and the store keeps.
#include <cups/raster.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "server/server.h"
#include "util/unique-fd.h"

namespace pp::server {

// One job's raster file while its pages arrive; closed (and removed) with the object.
struct RasterSpool {
  std::string path;
  UniqueFd fd;
  cups_raster_t* raster = nullptr;

  RasterSpool() = default;
  RasterSpool(const RasterSpool&) = delete;
  RasterSpool& operator=(const RasterSpool&) = delete;
  ~RasterSpool() {
    close_file();
    if (!path.empty()) ::unlink(path.c_str());
  }
  // Finishes the file (flushes the raster stream); the file stays until destruction.
  void close_file() {
    if (raster) cupsRasterClose(raster);
    raster = nullptr;
    fd.reset();
  }
};

namespace {

// The open spool of a job, or nullptr.
std::shared_ptr<RasterSpool> find_spool(Server& server, pappl_job_t* job) {
  std::lock_guard lock(server.raster_mutex);
  auto found = server.rasters.find(papplJobGetID(job));
  return found == server.rasters.end() ? nullptr : found->second;
}

// Removes and returns the spool of a job.
std::shared_ptr<RasterSpool> take_spool(Server& server, pappl_job_t* job) {
  std::lock_guard lock(server.raster_mutex);
  auto found = server.rasters.find(papplJobGetID(job));
  if (found == server.rasters.end()) return nullptr;
  std::shared_ptr<RasterSpool> spool = std::move(found->second);
  server.rasters.erase(found);
  return spool;
}

// Start of a raster job: a private file STATE/pappl/incoming/raster-JOB.pwg.
bool start_job(pappl_job_t* job, pappl_pr_options_t* /*options*/, pappl_device_t* /*device*/) {
  Server& server = current_server();
  auto spool = std::make_shared<RasterSpool>();
  spool->path =
      server.settings.pappl_dir + "/incoming/raster-" + std::to_string(papplJobGetID(job)) + ".pwg";
  ::unlink(spool->path.c_str());  // left over from a crash
  spool->fd.reset(::open(spool->path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!spool->fd.valid()) {
    spool->path.clear();
    papplLogJob(job, PAPPL_LOGLEVEL_ERROR, "Cannot create the raster spool file: %m");
    papplJobSetMessage(job, "Refused: the server cannot store the document");
    return false;
  }
  spool->raster = cupsRasterOpen(spool->fd.get(), CUPS_RASTER_WRITE_PWG);
  if (!spool->raster) return false;
  std::lock_guard lock(server.raster_mutex);
  server.rasters[papplJobGetID(job)] = std::move(spool);
  return true;
}

// Start of a page: its header as PAPPL hands it over (the client's own for 8-bit pages).
bool start_page(pappl_job_t* job, pappl_pr_options_t* options, pappl_device_t* /*device*/,
                unsigned /*page*/) {
  std::shared_ptr<RasterSpool> spool = find_spool(current_server(), job);
  return spool && cupsRasterWriteHeader2(spool->raster, &options->header) != 0;
}

// One line of pixels.
bool write_line(pappl_job_t* job, pappl_pr_options_t* options, pappl_device_t* /*device*/,
                unsigned /*y*/, const unsigned char* line) {
  std::shared_ptr<RasterSpool> spool = find_spool(current_server(), job);
  // cupsRasterWritePixels does not modify the buffer; its prototype is not const.
  return spool && cupsRasterWritePixels(spool->raster, const_cast<unsigned char*>(line),
                                        options->header.cupsBytesPerLine) ==
                      options->header.cupsBytesPerLine;
}

// End of a page: nothing to do, the lines are written.
bool end_page(pappl_job_t* /*job*/, pappl_pr_options_t* /*options*/, pappl_device_t* /*device*/,
              unsigned /*page*/) {
  return true;
}

// End of the job: the finished file goes into the held store; the spool file is removed.
bool end_job(pappl_job_t* job, pappl_pr_options_t* /*options*/, pappl_device_t* /*device*/) {
  Server& server = current_server();
  std::shared_ptr<RasterSpool> spool = take_spool(server, job);
  if (!spool) return false;
  spool->close_file();
  if (papplJobIsCanceled(job)) return true;
  return hold_document(server, job, spool->path);
}

}  // namespace

void set_raster_callbacks(pappl_pr_driver_data_t& data) {
  data.rstartjob_cb = start_job;
  data.rstartpage_cb = start_page;
  data.rwriteline_cb = write_line;
  data.rendpage_cb = end_page;
  data.rendjob_cb = end_job;
}

}  // namespace pp::server
