// report-chart.cpp: a report's figures as an inline SVG bar chart (report-output.h): drawn on
// the server, so the console needs no script and no CDN, and a phone shows it as it is.
#include <algorithm>

#include "reports/report-output.h"
#include "util/markup-text.h"

namespace pp {

std::string report_chart_svg(std::string_view id, std::string_view title,
                             const std::vector<ChartBar>& bars) {
  constexpr int kWidth = 640, kHeight = 220, kTop = 24, kBottom = 40, kLeft = 8;
  const int plot = kHeight - kTop - kBottom;
  std::int64_t top = 0;
  for (const ChartBar& bar : bars) top = std::max(top, bar.value);
  const int count = std::max<int>(1, static_cast<int>(bars.size()));
  const double step = static_cast<double>(kWidth - 2 * kLeft) / count;
  const int label_every = std::max(1, (count + 7) / 8);  // at most 8 dates: they never overlap
  std::string svg = "<svg id=\"" + markup_text(id) +
                    "\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(kWidth) + " " + std::to_string(kHeight) +
                    "\" role=\"img\" style=\"width:100%;max-width:640px;height:auto\"><title>" +
                    markup_text(title) + "</title>";
  svg += "<text x=\"" + std::to_string(kLeft) + "\" y=\"16\" font-size=\"13\">" +
         markup_text(title) + "</text>";
  svg += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" + std::to_string(kTop + plot) +
         "\" x2=\"" + std::to_string(kWidth - kLeft) + "\" y2=\"" + std::to_string(kTop + plot) +
         "\" stroke=\"#888\"/>";
  for (int i = 0; i < static_cast<int>(bars.size()); ++i) {
    const ChartBar& bar = bars[i];
    const int height = top > 0 ? static_cast<int>(plot * bar.value / top) : 0;
    const int x = kLeft + static_cast<int>(i * step + step * 0.1);
    const int width = std::max(1, static_cast<int>(step * 0.8));
    svg += "<rect class=\"bar\" x=\"" + std::to_string(x) + "\" y=\"" +
           std::to_string(kTop + plot - height) + "\" width=\"" + std::to_string(width) +
           "\" height=\"" + std::to_string(height) + "\" fill=\"#3b6ea5\"><title>" +
           markup_text(bar.label) + ": " + markup_text(bar.value_text) + "</title></rect>";
    if (i % label_every == 0)
      svg += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(kHeight - kBottom + 14) +
             "\" font-size=\"10\">" + markup_text(bar.label) + "</text>";
  }
  if (bars.empty())
    svg += "<text x=\"" + std::to_string(kLeft) + "\" y=\"" + std::to_string(kTop + plot / 2) +
           "\" font-size=\"12\">Nothing printed in this range.</text>";
  return svg + "</svg>";
}

}  // namespace pp
