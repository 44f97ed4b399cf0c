// server-driver.cpp: the driver of the virtual pull-print queue.
//
// PAPPL 1.3.1 silently leaves a printer without a driver when the data is incomplete, so every
// field it checks is filled: all raster callbacks, make and model, ppm, raster types,
// resolutions, PWG media names and every media_ready[] slot. The format is application/pdf: PDF
// arrives untouched in print_file_callback; PWG raster and URF are streamed into the raster
// callbacks (server-raster.cpp) and written back out as one PWG raster file.
#include <cups/cups.h>

#include <cstring>

#include "server/server.h"

namespace pp::server {
namespace {

constexpr const char* kMedia[] = {
    "iso_a4_210x297mm", "na_letter_8.5x11in", "iso_a3_297x420mm",
    "iso_a5_148x210mm", "na_legal_8.5x14in",  "na_ledger_11x17in",
};
constexpr const char* kSources[] = {"main", "alternate"};
constexpr int kMargin = 423;  // 1/6", hundredths of millimetres

// Identify-Printer: a virtual queue has no lamp or beeper; the request is only logged.
void identify(pappl_printer_t* printer, pappl_identify_actions_t /*actions*/, const char* message) {
  papplLogPrinter(printer, PAPPL_LOGLEVEL_INFO, "Identify-Printer: %s",
                  message ? message : "(no message)");
}

// Copies a string into one of PAPPL's fixed-size buffers.
template <std::size_t N>
void copy_to(char (&buffer)[N], const char* text) {
  std::strncpy(buffer, text, N - 1);
  buffer[N - 1] = '\0';
}

// One media-col: size from the PWG name, default margins, the given source.
pappl_media_col_t media_col(const char* size_name, const char* source) {
  pappl_media_col_t col{};
  copy_to(col.size_name, size_name);
  if (pwg_media_t* pwg = pwgMediaForPWG(size_name)) {
    col.size_width = pwg->width;
    col.size_length = pwg->length;
  }
  col.left_margin = col.right_margin = col.top_margin = col.bottom_margin = kMargin;
  copy_to(col.source, source);
  copy_to(col.type, "stationery");
  return col;
}

// Media sizes, sources and what is loaded: the release printers' common sizes.
void fill_media(pappl_pr_driver_data_t& data, const char* default_media) {
  data.num_media = static_cast<int>(std::size(kMedia));
  for (int i = 0; i < data.num_media; ++i) data.media[i] = kMedia[i];
  data.num_source = static_cast<int>(std::size(kSources));
  for (int i = 0; i < data.num_source; ++i) data.source[i] = kSources[i];
  data.media_default = media_col(default_media, kSources[0]);
  data.media_ready[0] = media_col(default_media, kSources[0]);
  const bool a4 = std::strcmp(default_media, "iso_a4_210x297mm") == 0;
  data.media_ready[1] = media_col(a4 ? "na_letter_8.5x11in" : "iso_a4_210x297mm", kSources[1]);
  data.left_right = data.bottom_top = kMargin;
  data.num_type = 1;
  data.type[0] = "stationery";
}

// Colour, sides, resolutions, raster types: what an office release printer does.
void fill_capabilities(pappl_pr_driver_data_t& data) {
  data.kind = PAPPL_KIND_DOCUMENT;
  data.ppm = 30;
  data.ppm_color = 20;
  data.has_supplies = true;
  data.orient_default = IPP_ORIENT_PORTRAIT;
  data.quality_default = IPP_QUALITY_NORMAL;
  data.color_supported = PAPPL_COLOR_MODE_AUTO | PAPPL_COLOR_MODE_AUTO_MONOCHROME |
                         PAPPL_COLOR_MODE_COLOR | PAPPL_COLOR_MODE_MONOCHROME;
  data.color_default = PAPPL_COLOR_MODE_AUTO;
  data.duplex = PAPPL_DUPLEX_NORMAL;
  data.sides_supported =
      PAPPL_SIDES_ONE_SIDED | PAPPL_SIDES_TWO_SIDED_LONG_EDGE | PAPPL_SIDES_TWO_SIDED_SHORT_EDGE;
  data.sides_default = PAPPL_SIDES_ONE_SIDED;
  data.raster_types = PAPPL_PWG_RASTER_TYPE_BLACK_1 | PAPPL_PWG_RASTER_TYPE_BLACK_8 |
                      PAPPL_PWG_RASTER_TYPE_SGRAY_8 | PAPPL_PWG_RASTER_TYPE_SRGB_8;
  data.num_resolution = 2;
  data.x_resolution[0] = data.y_resolution[0] = 300;
  data.x_resolution[1] = data.y_resolution[1] = 600;
  data.x_default = data.y_default = 300;
  data.identify_cb = identify;
  data.identify_default = PAPPL_IDENTIFY_ACTIONS_DISPLAY;
  data.identify_supported = PAPPL_IDENTIFY_ACTIONS_DISPLAY;
}

// Printer attributes PAPPL does not produce itself.
ipp_t* driver_attributes() {
  ipp_t* attrs = ippNew();
  // Lets CUPS 2.4 clients forward `lp -o job-account-id=...`: the account that pays.
  ippAddBoolean(attrs, IPP_TAG_PRINTER, "job-account-id-supported", 1);
  ippAddOutOfBand(attrs, IPP_TAG_PRINTER, IPP_TAG_NOVALUE, "job-account-id-default");
  ippAddString(attrs, IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "print-rendering-intent-supported", nullptr,
               "auto");
  ippAddString(attrs, IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "print-rendering-intent-default", nullptr,
               "auto");
  ippAddBoolean(attrs, IPP_TAG_PRINTER, "preferred-attributes-supported", 0);
  return attrs;
}

}  // namespace

bool driver_callback(pappl_system_t* system, const char* driver_name, const char* /*device_uri*/,
                     const char* /*device_id*/, pappl_pr_driver_data_t* driver_data,
                     ipp_t** driver_attrs, void* data) {
  if (!driver_name || std::strcmp(driver_name, kDriverName) != 0 || !driver_data) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Unknown driver '%s'.",
             driver_name ? driver_name : "(null)");
    return false;
  }
  const Server& server = *static_cast<const Server*>(data);
  std::string default_media = server.config.get_string("default-media", "iso_a4_210x297mm");
  if (!pwgMediaForPWG(default_media.c_str())) default_media = "iso_a4_210x297mm";

  copy_to(driver_data->make_and_model, "pullprint Pull Print Queue");
  driver_data->format = "application/pdf";  // raw pass-through of the original PDF
  driver_data->printfile_cb = print_file_callback;
  set_raster_callbacks(*driver_data);
  fill_capabilities(*driver_data);
  fill_media(*driver_data, default_media.c_str());
  if (driver_attrs) *driver_attrs = driver_attributes();
  return true;
}

}  // namespace pp::server
