// report-pdf.cpp: a report as a PDF a manager can file (report-output.h), drawn with cairo (a
// Debian package, no service): A4 landscape, the title and the period, the table with its totals,
// and a bar chart of the money by the report's rows. cairo writes through a callback into a
// string, so no temporary file is left behind.
#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <memory>

#include "pricing/pricing.h"
#include "reports/report-output.h"

namespace pp {
namespace {

constexpr double kPageWidth = 842, kPageHeight = 595;  // A4 landscape, points
constexpr double kMargin = 40, kRowHeight = 14;
constexpr std::size_t kRowsPerPage = 26;

struct SurfaceFree {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct ContextFree {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void text_at(cairo_t* cr, double x, double y, const std::string& text) {
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
}

// The table's columns: their x positions and headings.
constexpr double kColumns[] = {kMargin, 250, 300, 360, 420, 480, 540, 610, 680};
constexpr const char* kHeadings[] = {"",       "Jobs",    "Pages",    "Colour %", "Duplex %",
                                     "Sheets", "Charged", "Refunded", "Net"};

void table_row(cairo_t* cr, double y, const ReportRow& row, std::string_view currency) {
  const std::string cells[] = {row.key.substr(0, 36),
                               std::to_string(row.jobs),
                               std::to_string(row.pages),
                               row.color_share(),
                               row.duplex_share(),
                               std::to_string(row.sheets),
                               report_decimal(row.charged, currency),
                               report_decimal(row.refunded, currency),
                               report_decimal(row.net(), currency)};
  for (std::size_t i = 0; i < std::size(cells); ++i) text_at(cr, kColumns[i], y, cells[i]);
}

void heading(cairo_t* cr, double y, ReportBy by) {
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  std::string first(report_by_name(by));
  first[0] = static_cast<char>(first[0] - 'a' + 'A');
  text_at(cr, kColumns[0], y, first);
  for (std::size_t i = 1; i < std::size(kHeadings); ++i) text_at(cr, kColumns[i], y, kHeadings[i]);
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
}

// Bars of the rows' net money, from (x, y) downwards over `height`.
void chart(cairo_t* cr, double x, double y, double width, double height,
           const std::vector<ReportRow>& rows, std::string_view currency) {
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  text_at(cr, x, y, "Money (net, " + std::string(currency) + ")");
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  const std::size_t count = std::min<std::size_t>(rows.size(), 20);
  std::int64_t top = 0;
  for (std::size_t i = 0; i < count; ++i) top = std::max(top, rows[i].net());
  const double bar = count ? width / count : width;
  const double base = y + height - 20;
  for (std::size_t i = 0; i < count; ++i) {
    const double h =
        top > 0
            ? (height - 40) * static_cast<double>(std::max<std::int64_t>(rows[i].net(), 0)) / top
            : 0;
    cairo_set_source_rgb(cr, 0.23, 0.43, 0.65);
    cairo_rectangle(cr, x + i * bar + bar * 0.1, base - h, bar * 0.8, h);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text_at(cr, x + i * bar + bar * 0.1, base + 12, rows[i].key.substr(0, 12));
  }
}

}  // namespace

Result<std::string> report_pdf(const Report& report, std::string_view title,
                               std::string_view currency) {
  std::string pdf;
  std::unique_ptr<cairo_surface_t, SurfaceFree> surface(
      cairo_pdf_surface_create_for_stream(append, &pdf, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Status(Code::kInternal, "cairo: cannot make a PDF surface");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 std::string(title).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "pullprint");
  std::unique_ptr<cairo_t, ContextFree> context(cairo_create(surface.get()));
  cairo_t* cr = context.get();
  const std::size_t pages =
      std::max<std::size_t>(1, (report.rows.size() + kRowsPerPage - 1) / kRowsPerPage);
  for (std::size_t page = 0; page < pages; ++page) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 16);
    text_at(cr, kMargin, kMargin, std::string(title));
    cairo_set_font_size(cr, 10);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    text_at(cr, kMargin, kMargin + 18,
            "Period " + report.query.from + " to " + report.query.to +
                " (UTC). Money from the journal: charged = captures, refunded = refunds, net = "
                "charged - refunded. Page " +
                std::to_string(page + 1) + " of " + std::to_string(pages) + ".");
    double y = kMargin + 44;
    heading(cr, y, report.query.by);
    y += kRowHeight;
    const std::size_t first = page * kRowsPerPage;
    for (std::size_t i = first; i < std::min(report.rows.size(), first + kRowsPerPage); ++i) {
      table_row(cr, y, report.rows[i], currency);
      y += kRowHeight;
    }
    if (page + 1 == pages) {
      cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      table_row(cr, y, report.totals, currency);
      cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      y += kRowHeight * 2;
      if (y < kPageHeight - 150)
        chart(cr, kMargin, y, kPageWidth - 2 * kMargin, kPageHeight - kMargin - y, report.rows,
              currency);
    }
    cairo_show_page(cr);
  }
  context.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Status(Code::kInternal, "cairo: the PDF could not be written");
  surface.reset();
  return pdf;
}

}  // namespace pp
