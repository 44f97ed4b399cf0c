// pdf-geometry.h: affine matrices and axis-aligned boxes for the PDF content interpreter.
//
// Geometry only has to be good enough to answer "could this paint operation leave a mark inside
// the page and the clip?"; boxes are always conservative (never smaller than what is painted).
#pragma once

#include <algorithm>
#include <limits>

namespace pp::pdf {

// A PDF transformation matrix [a b c d e f]: x' = a*x + c*y + e, y' = b*x + d*y + f.
struct Matrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;

  // The product "this then next" (PDF order: this × next), as used by `cm`: new CTM = m × CTM.
  Matrix then(const Matrix& next) const {
    return {a * next.a + b * next.c,          a * next.b + b * next.d,
            c * next.a + d * next.c,          c * next.b + d * next.d,
            e * next.a + f * next.c + next.e, e * next.b + f * next.d + next.f};
  }
  double apply_x(double x, double y) const { return a * x + c * y + e; }
  double apply_y(double x, double y) const { return b * x + d * y + f; }
};

// An axis-aligned box; an empty box has x0 > x1.
struct Box {
  double x0 = std::numeric_limits<double>::infinity();
  double y0 = std::numeric_limits<double>::infinity();
  double x1 = -std::numeric_limits<double>::infinity();
  double y1 = -std::numeric_limits<double>::infinity();

  static Box of(double ax, double ay, double bx, double by) {
    return {std::min(ax, bx), std::min(ay, by), std::max(ax, bx), std::max(ay, by)};
  }
  static Box everything() {
    double inf = std::numeric_limits<double>::infinity();
    return {-inf, -inf, inf, inf};
  }
  bool empty() const { return !(x0 <= x1 && y0 <= y1); }

  void add(double x, double y) {
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
  void add(const Box& other) {
    if (other.empty()) return;
    add(other.x0, other.y0);
    add(other.x1, other.y1);
  }
  Box intersect(const Box& o) const {
    return {std::max(x0, o.x0), std::max(y0, o.y0), std::min(x1, o.x1), std::min(y1, o.y1)};
  }
  // True when the interiors overlap: a shape that only touches an edge paints nothing.
  bool overlaps(const Box& o) const {
    return !empty() && !o.empty() && x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
  }
  Box grown(double by) const { return empty() ? *this : Box{x0 - by, y0 - by, x1 + by, y1 + by}; }

  // The bounding box of this box's four corners mapped through m.
  Box transformed(const Matrix& m) const {
    if (empty()) return *this;
    Box out;
    out.add(m.apply_x(x0, y0), m.apply_y(x0, y0));
    out.add(m.apply_x(x1, y0), m.apply_y(x1, y0));
    out.add(m.apply_x(x0, y1), m.apply_y(x0, y1));
    out.add(m.apply_x(x1, y1), m.apply_y(x1, y1));
    return out;
  }
};

}  // namespace pp::pdf
