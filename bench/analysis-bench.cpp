// analysis-bench.cpp: times pp::analyze_document against Ghostscript inkcov and the qpdf floor.
//
// For every file named on the command line, in one run, three timed measurements each in a child
// process of its own (wall time and peak RSS from wait4):
//   ours   this program re-executed as `--analyze-one FILE`: analyze_document, default options;
//   gs     gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=inkcov -o - FILE  (the speed reference);
//   floor  pullprint-qpdf-floor FILE: decode and tokenise all content streams with qpdf;
// and one untimed colour reference, "pixels": Ghostscript renders every page to RGB at 72 dpi
// (no anti-aliasing, no ICC) and a page is colour when a pixel is non-neutral (ppm-scanner.h).
// Then it prints a Markdown table (pages, colour pages ours vs inkcov vs pixels, times, ratios,
// peak memory) and lists each page where our colour decision and the pixels' differ. Exit status
// 1 when our analysis fails on a file or its page count differs from qpdf's.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/document.h"
#include "child-process.h"
#include "ppm-scanner.h"

namespace {

using ppbench::ChildResult;
using ppbench::run_child;

struct Options {
  std::string gs = "gs";
  std::string floor_exe;        // default: pullprint-qpdf-floor next to this program
  int gs_max_pages = 0;         // skip gs on files with more pages (0: never skip)
  int timeout_seconds = 1200;   // per measurement
  int repeat = 1;               // runs per measurement; the fastest counts
  double ink_epsilon = 0.0;     // inkcov: colour when max(C,M,Y) - min(C,M,Y) > this
  int max_listed = 10;          // disagreements listed per file
  bool pixels = true;           // run the pixel reference
  int pixel_dpi = 72;
  std::vector<std::string> files;
};

// One measurement's cost.
struct Cost {
  bool ok = false;
  double seconds = 0;
  long rss_kb = 0;
  std::string error;
};

struct Ours {
  Cost cost;
  int pages = 0, color = 0, slow = 0;
  std::string flags;  // one letter per page: C colour, G grey
};

struct Ink {
  std::string cmyk;  // "C M Y K" as printed by inkcov
  bool neutral_color = false;  // C, M, Y not all equal (beyond the epsilon)
  bool any_cmy = false;        // C, M or Y > 0
};

struct Gs {
  Cost cost;
  bool ran = false;
  std::vector<Ink> pages;
};

struct Pixels {
  Cost cost;
  bool ran = false;
  std::vector<bool> pages;  // colour per page
};

struct Floor {
  Cost cost;
  int pages = 0;
};

struct Row {
  std::string name;
  Ours ours;
  Gs gs;
  Pixels pixels;
  Floor floor;
};

// Prints the usage text.
void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--gs PATH] [--floor PATH] [--gs-max-pages N] [--timeout S] [--repeat N]\n"
               "          [--ink-epsilon X] [--max-listed N] [--no-pixels] [--pixel-dpi N] FILE...\n"
               "       %s --analyze-one FILE\n",
               argv0, argv0);
}

// Parses the command line; exits with status 2 on a bad one.
Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--gs" && has_value) o.gs = argv[++i];
    else if (arg == "--floor" && has_value) o.floor_exe = argv[++i];
    else if (arg == "--gs-max-pages" && has_value) o.gs_max_pages = std::atoi(argv[++i]);
    else if (arg == "--timeout" && has_value) o.timeout_seconds = std::atoi(argv[++i]);
    else if (arg == "--repeat" && has_value) o.repeat = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--ink-epsilon" && has_value) o.ink_epsilon = std::atof(argv[++i]);
    else if (arg == "--max-listed" && has_value) o.max_listed = std::atoi(argv[++i]);
    else if (arg == "--no-pixels") o.pixels = false;
    else if (arg == "--pixel-dpi" && has_value) o.pixel_dpi = std::max(1, std::atoi(argv[++i]));
    else if (arg.rfind("--", 0) == 0) { usage(argv[0]); std::exit(2); }
    else o.files.push_back(arg);
  }
  if (o.files.empty()) { usage(argv[0]); std::exit(2); }
  return o;
}

// Child mode: analyses one file and prints "ok PAGES COLOUR SLOW FLAGS" or "error MESSAGE".
int analyze_one(const std::string& path) {
  const auto result = pp::analyze_document(path, pp::AnalysisOptions{});
  if (!result.ok()) {
    std::printf("error %s\n", result.status().to_string().c_str());
    return 1;
  }
  std::string flags;
  int slow = 0;
  for (const auto& page : result->pages) {
    flags += page.color ? 'C' : 'G';
    slow += page.method == pp::ColorMethod::kRasterized ? 1 : 0;
  }
  std::printf("ok %d %d %d %s\n", result->page_count(), result->color_page_count(), slow,
              flags.empty() ? "-" : flags.c_str());
  return 0;
}

// Returns the path of this program's executable.
std::string self_exe() {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string("pullprint-bench");
}

// Returns the folder part of a path ("." when it has none).
std::string dirname_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Returns the last path component.
std::string basename_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Returns the last non-empty line of a text, for error messages.
std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last.empty() ? "(no output)" : last;
}

// Runs argv `repeat` times and returns the fastest successful run (or the first failure).
ChildResult best_of(const std::vector<std::string>& argv, const Options& o) {
  ChildResult best = run_child(argv, o.timeout_seconds);
  for (int i = 1; i < o.repeat && best.exit_code == 0; ++i) {
    ChildResult again = run_child(argv, o.timeout_seconds);
    if (again.exit_code == 0 && again.seconds < best.seconds) best = std::move(again);
  }
  return best;
}

// Turns a child's result into a Cost, with a readable error on failure.
Cost cost_of(const ChildResult& r) {
  Cost c;
  c.seconds = r.seconds;
  c.rss_kb = r.max_rss_kb;
  c.ok = r.started && !r.timed_out && r.exit_code == 0;
  if (!r.started) c.error = "could not start";
  else if (r.timed_out) c.error = "timed out";
  else if (r.exit_code != 0) c.error = last_line(r.output);
  return c;
}

// Measures our analysis of one file.
Ours measure_ours(const std::string& file, const Options& o) {
  const ChildResult r = best_of({self_exe(), "--analyze-one", file}, o);
  Ours ours;
  ours.cost = cost_of(r);
  const auto at = r.output.find("ok ");
  if (!ours.cost.ok || at == std::string::npos) {
    ours.cost.ok = false;
    if (ours.cost.error.empty()) ours.cost.error = last_line(r.output);
    return ours;
  }
  std::istringstream in(r.output.substr(at + 3));
  in >> ours.pages >> ours.color >> ours.slow >> ours.flags;
  if (ours.flags == "-") ours.flags.clear();
  return ours;
}

// Parses one inkcov line ("0.01 0.02 0.00 0.10 CMYK OK"); false when it is not one.
bool parse_ink_line(const std::string& line, double epsilon, Ink& ink) {
  double c, m, y, k;
  char tag[8] = {0};
  if (std::sscanf(line.c_str(), "%lf %lf %lf %lf %7s", &c, &m, &y, &k, tag) != 5) return false;
  if (std::string(tag) != "CMYK") return false;
  ink.cmyk = fmt::format("{:.5f} {:.5f} {:.5f} {:.5f}", c, m, y, k);
  ink.neutral_color = std::max({c, m, y}) - std::min({c, m, y}) > epsilon;
  ink.any_cmy = c > 0 || m > 0 || y > 0;
  return true;
}

// Measures Ghostscript inkcov on one file (unless it has too many pages for this run).
Gs measure_gs(const std::string& file, int pages, const Options& o) {
  Gs gs;
  if (o.gs_max_pages > 0 && pages > o.gs_max_pages) return gs;
  gs.ran = true;
  const ChildResult r = best_of(
      {o.gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=inkcov", "-o", "-", file}, o);
  gs.cost = cost_of(r);
  std::istringstream in(r.output);
  std::string line;
  while (std::getline(in, line)) {
    Ink ink;
    if (parse_ink_line(line, o.ink_epsilon, ink)) gs.pages.push_back(ink);
  }
  return gs;
}

// Renders one file with Ghostscript and decides per page from its pixels (not timed for the table).
Pixels measure_pixels(const std::string& file, int pages, const Options& o) {
  Pixels pixels;
  if (!o.pixels || (o.gs_max_pages > 0 && pages > o.gs_max_pages)) return pixels;
  pixels.ran = true;
  ppbench::PpmScanner scanner(pp::AnalysisOptions{}.neutral_tolerance);
  const ChildResult r = run_child(
      {o.gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=ppmraw",
       "-r" + std::to_string(o.pixel_dpi), "-dUseFastColor=true", "-dTextAlphaBits=1",
       "-dGraphicsAlphaBits=1", "-o", "-", file},
      o.timeout_seconds, [&scanner](const char* data, std::size_t size) { scanner.feed(data, size); });
  pixels.cost = cost_of(r);
  pixels.pages = scanner.pages();
  if (scanner.malformed()) pixels.cost = Cost{false, r.seconds, r.max_rss_kb, "bad PPM stream"};
  return pixels;
}

// Measures the qpdf parse floor on one file.
Floor measure_floor(const std::string& file, const Options& o) {
  const ChildResult r = best_of({o.floor_exe, file}, o);
  Floor floor;
  floor.cost = cost_of(r);
  const auto at = r.output.find("pages=");
  if (floor.cost.ok && at != std::string::npos) {
    floor.pages = std::atoi(r.output.c_str() + at + 6);
  } else {
    floor.cost.ok = false;
  }
  return floor;
}

// Measures all three on one file and reports progress on stderr.
Row measure_file(const std::string& file, const Options& o) {
  Row row;
  row.name = basename_of(file);
  row.floor = measure_floor(file, o);
  row.ours = measure_ours(file, o);
  const int pages = row.floor.cost.ok ? row.floor.pages : row.ours.pages;
  row.gs = measure_gs(file, pages, o);
  row.pixels = measure_pixels(file, pages, o);
  std::fprintf(stderr, "%-28s ours %s %.2fs, gs %s %.2fs, floor %s %.2fs, pixels %s %.2fs\n",
               row.name.c_str(), row.ours.cost.ok ? "ok" : "FAILED", row.ours.cost.seconds,
               !row.gs.ran ? "skipped" : row.gs.cost.ok ? "ok" : "FAILED", row.gs.cost.seconds,
               row.floor.cost.ok ? "ok" : "FAILED", row.floor.cost.seconds,
               !row.pixels.ran ? "skipped" : row.pixels.cost.ok ? "ok" : "FAILED",
               row.pixels.cost.seconds);
  return row;
}

// Counts inkcov pages that are colour by the neutral-aware or by the C/M/Y > 0 rule.
int ink_color_count(const Gs& gs, bool any_cmy_rule) {
  int n = 0;
  for (const auto& ink : gs.pages) n += (any_cmy_rule ? ink.any_cmy : ink.neutral_color) ? 1 : 0;
  return n;
}

// The colour reference per page: the pixels when they were rendered, else inkcov's
// neutral-aware rule; empty when neither ran.
std::vector<bool> reference(const Row& row) {
  if (row.pixels.ran && row.pixels.cost.ok) return row.pixels.pages;
  std::vector<bool> ref;
  if (row.gs.ran && row.gs.cost.ok) {
    for (const auto& ink : row.gs.pages) ref.push_back(ink.neutral_color);
  }
  return ref;
}

// Counts the reference's colour pages.
int reference_color_count(const Row& row) {
  const auto ref = reference(row);
  return static_cast<int>(std::count(ref.begin(), ref.end(), true));
}

// Counts the pages where our decision equals the reference's.
int agreeing_pages(const Row& row) {
  const auto ref = reference(row);
  int n = 0;
  const std::size_t count = std::min(row.ours.flags.size(), ref.size());
  for (std::size_t i = 0; i < count; ++i) n += (row.ours.flags[i] == 'C') == ref[i] ? 1 : 0;
  return n;
}

// Formats seconds for the table.
std::string secs(double s) { return fmt::format("{:.3f}", s); }

// Formats a ratio, or "-" when the divisor is zero.
std::string ratio(double a, double b) { return b > 0 ? fmt::format("{:.1f}x", a / b) : "-"; }

// Formats kilobytes as megabytes.
std::string mb(long kb) { return fmt::format("{:.0f}", static_cast<double>(kb) / 1024.0); }

// True when our analysis worked and its page count matches qpdf's (and inkcov's, when it ran).
bool pages_exact(const Row& row) {
  if (!row.ours.cost.ok) return false;
  if (row.floor.cost.ok && row.floor.pages != row.ours.pages) return false;
  if (row.gs.ran && row.gs.cost.ok && static_cast<int>(row.gs.pages.size()) != row.ours.pages) {
    return false;
  }
  return true;
}

// The table's cells for one file.
std::vector<std::string> row_cells(const Row& r) {
  const bool gs_ok = r.gs.ran && r.gs.cost.ok;
  const std::string na = r.gs.ran ? "FAILED" : "skipped";
  const bool px_ok = r.pixels.ran && r.pixels.cost.ok;
  const std::size_t compared = reference(r).size();
  const std::string pages =
      r.ours.cost.ok ? std::to_string(r.ours.pages) + (pages_exact(r) ? "" : " (!)") : "FAILED";
  return {r.name,
          pages,
          r.ours.cost.ok ? std::to_string(r.ours.color) : "-",
          gs_ok ? std::to_string(ink_color_count(r.gs, true)) : na,
          gs_ok ? std::to_string(ink_color_count(r.gs, false)) : "-",
          px_ok ? std::to_string(reference_color_count(r)) : r.pixels.ran ? "FAILED" : "-",
          compared && r.ours.cost.ok ? fmt::format("{}/{}", agreeing_pages(r), compared) : "-",
          r.ours.cost.ok ? std::to_string(r.ours.slow) : "-",
          secs(r.ours.cost.seconds),
          fmt::format("{:.0f}", r.ours.pages / std::max(r.ours.cost.seconds, 1e-9)),
          gs_ok ? secs(r.gs.cost.seconds) : "-",
          gs_ok ? ratio(r.gs.cost.seconds, r.ours.cost.seconds) : "-",
          r.floor.cost.ok ? secs(r.floor.cost.seconds) : "FAILED",
          r.floor.cost.ok ? ratio(r.ours.cost.seconds, r.floor.cost.seconds) : "-",
          mb(r.ours.cost.rss_kb),
          gs_ok ? mb(r.gs.cost.rss_kb) : "-",
          r.floor.cost.ok ? mb(r.floor.cost.rss_kb) : "-"};
}

// The TOTAL line: ratios are sums of times over the files where both sides ran.
std::vector<std::string> total_cells(const std::vector<Row>& rows) {
  int pages = 0, color = 0, ink = 0, ink_any = 0, px = 0, agree = 0, compared = 0, slow = 0;
  double ours = 0, ours_vs_gs = 0, gs = 0, floor = 0, ours_vs_floor = 0;
  long rss_ours = 0, rss_gs = 0, rss_floor = 0;
  for (const auto& r : rows) {
    if (!r.ours.cost.ok) continue;
    pages += r.ours.pages, color += r.ours.color, slow += r.ours.slow, ours += r.ours.cost.seconds;
    rss_ours = std::max(rss_ours, r.ours.cost.rss_kb);
    if (r.gs.ran && r.gs.cost.ok) {
      ink += ink_color_count(r.gs, false), ink_any += ink_color_count(r.gs, true);
      gs += r.gs.cost.seconds, ours_vs_gs += r.ours.cost.seconds;
      rss_gs = std::max(rss_gs, r.gs.cost.rss_kb);
    }
    if (r.pixels.ran && r.pixels.cost.ok) px += reference_color_count(r);
    agree += agreeing_pages(r), compared += static_cast<int>(reference(r).size());
    if (r.floor.cost.ok) {
      floor += r.floor.cost.seconds, ours_vs_floor += r.ours.cost.seconds;
      rss_floor = std::max(rss_floor, r.floor.cost.rss_kb);
    }
  }
  return {"TOTAL (RSS: max)", std::to_string(pages), std::to_string(color), std::to_string(ink_any),
          std::to_string(ink), std::to_string(px), fmt::format("{}/{}", agree, compared), std::to_string(slow),
          secs(ours), fmt::format("{:.0f}", pages / std::max(ours, 1e-9)), secs(gs),
          ratio(gs, ours_vs_gs), secs(floor), ratio(ours_vs_floor, floor), mb(rss_ours),
          mb(rss_gs), mb(rss_floor)};
}

// Prints rows of cells as a Markdown table with aligned columns.
void print_markdown(const std::vector<std::vector<std::string>>& table) {
  std::vector<std::size_t> width(table.front().size(), 3);
  for (const auto& row : table) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line = "|";
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i == 0 ? fmt::format(" {:<{}} |", row[i], width[i])
                     : fmt::format(" {:>{}} |", row[i], width[i]);
    }
    std::puts(line.c_str());
  };
  print_row(table.front());
  std::string rule = "|";
  for (std::size_t i = 0; i < width.size(); ++i) {
    const std::string dashes(width[i] - 1, '-');
    rule += i == 0 ? " :" + dashes + " |" : " " + dashes + ": |";
  }
  std::puts(rule.c_str());
  for (std::size_t i = 1; i < table.size(); ++i) print_row(table[i]);
}

// Prints the results table.
void print_table(const std::vector<Row>& rows) {
  std::vector<std::vector<std::string>> table;
  table.push_back({"file", "pages", "colour ours", "inkcov CMY>0", "inkcov CMY differ",
                   "pixels", "agree",
                   "slow path", "ours s", "pages/s", "gs s", "gs/ours", "floor s", "ours/floor",
                   "RSS ours MB", "RSS gs MB", "RSS floor MB"});
  for (const auto& r : rows) table.push_back(row_cells(r));
  table.push_back(total_cells(rows));
  print_markdown(table);
}

// Prints failures and the pages where our colour decision and inkcov's differ.
void print_details(const std::vector<Row>& rows, const Options& o) {
  bool header = false;
  for (const auto& r : rows) {
    if (!r.ours.cost.ok) std::printf("\n%s: our analysis FAILED: %s\n", r.name.c_str(), r.ours.cost.error.c_str());
    if (r.ours.cost.ok && !pages_exact(r)) {
      std::printf("\n%s: page count ours %d, qpdf %d, inkcov %zu\n", r.name.c_str(), r.ours.pages,
                  r.floor.pages, r.gs.pages.size());
    }
    if (r.gs.ran && !r.gs.cost.ok) std::printf("\n%s: gs FAILED: %s\n", r.name.c_str(), r.gs.cost.error.c_str());
    if (!r.floor.cost.ok) std::printf("\n%s: floor FAILED: %s\n", r.name.c_str(), r.floor.cost.error.c_str());
    int listed = 0, total = 0;
    const auto ref = reference(r);
    const char* ref_name = r.pixels.ran && r.pixels.cost.ok ? "pixels" : "inkcov";
    const std::size_t count = std::min(r.ours.flags.size(), ref.size());
    for (std::size_t i = 0; i < count; ++i) {
      const bool ours = r.ours.flags[i] == 'C';
      if (ours == ref[i]) continue;
      if (!header) std::printf("\nColour disagreements (ours vs the reference; inkcov C M Y K):\n");
      header = true;
      if (listed++ < o.max_listed) {
        const std::string ink = i < r.gs.pages.size() ? r.gs.pages[i].cmyk : "-";
        std::printf("  %s p%zu: ours %s, %s %s (inkcov %s)\n", r.name.c_str(), i + 1,
                    ours ? "colour" : "grey", ref_name, ref[i] ? "colour" : "grey", ink.c_str());
      }
      ++total;
    }
    if (total > o.max_listed) std::printf("  %s: ... %d disagreements in all\n", r.name.c_str(), total);
  }
}

}  // namespace

// Runs the child mode, or the whole benchmark over the files given.
int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--analyze-one") return analyze_one(argv[2]);
  Options o = parse_options(argc, argv);
  if (o.floor_exe.empty()) o.floor_exe = dirname_of(self_exe()) + "/pullprint-qpdf-floor";
  std::vector<Row> rows;
  for (const auto& file : o.files) rows.push_back(measure_file(file, o));
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.floor.pages < b.floor.pages; });
  print_table(rows);
  print_details(rows, o);
  const bool all_ok = std::all_of(rows.begin(), rows.end(), pages_exact);
  return all_ok ? 0 : 1;
}
