#include "forceplate/gui/report.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include <QDateTime>
#include <QFontMetricsF>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>

#include "forceplate/gui/cop_overlay.hpp"
#include "forceplate/gui/trial_charts.hpp"
#include "forceplate/workflow/comparison.hpp"
#include "forceplate/workflow/session_results.hpp"

#ifndef FP_SOFTWARE_VERSION
#define FP_SOFTWARE_VERSION "unknown"
#endif

namespace fp::gui {

namespace {

// Everything is laid out in points (1/72 inch) on an A4 page.
constexpr double kPageW = 595.0;
constexpr double kPageH = 842.0;
constexpr double kMargin = 42.0;
constexpr double kFooterH = 26.0;
constexpr double kContentW = kPageW - 2 * kMargin;
constexpr double kBottom = kPageH - kMargin - kFooterH;
const QColor kGrid(150, 150, 150);
const QColor kShade(225, 225, 225);

QString qs(const std::string& s) { return QString::fromStdString(s); }

// About four significant digits, no exponent, trailing zeros removed; "–" for NaN.
QString num(double v) {
  if (!std::isfinite(v)) return QStringLiteral("–");
  if (v == 0) return QStringLiteral("0");
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  const int decimals = std::clamp(3 - magnitude, 0, 4);
  QString s = QString::number(v, 'f', decimals);
  if (s.contains('.')) {
    while (s.endsWith('0')) s.chop(1);
    if (s.endsWith('.')) s.chop(1);
  }
  if (s == QStringLiteral("-0")) s = QStringLiteral("0");
  return s;
}

QString signed_num(double v) {
  const QString s = num(v);
  return (std::isfinite(v) && v > 0) ? QStringLiteral("+") + s : s;
}

QString date_of(const std::string& iso) {
  if (iso.size() >= 16) return qs(iso.substr(0, 10)) + QStringLiteral(" ") + qs(iso.substr(11, 5)) + QStringLiteral(" UTC");
  return qs(iso);
}
QString day_of(const std::string& iso) { return qs(iso.substr(0, std::min<std::size_t>(10, iso.size()))); }

// For a lower-is-better measure the threshold is compared with uninvolved / involved: say so.
QString oriented_note(double lsi, double oriented) {
  if (!std::isfinite(oriented) || !std::isfinite(lsi) || std::fabs(oriented - lsi) < 1e-9) return {};
  return QStringLiteral("\n(%1 % inverted)").arg(num(oriented));
}

// Units as printed: "mm^2" as "mm²".
QString unit_text(const std::string& u) {
  QString s = qs(u);
  s.replace(QStringLiteral("^2"), QStringLiteral("²"));
  s.replace(QStringLiteral("^3"), QStringLiteral("³"));
  return s;
}

QString side_name(const std::optional<analysis::Side>& s) { return s ? qs(analysis::to_string(*s)) : QString(); }

QString op_text(workflow::Comparison op) {
  switch (op) {
    case workflow::Comparison::greater_equal: return QStringLiteral("≥");
    case workflow::Comparison::greater: return QStringLiteral(">");
    case workflow::Comparison::less_equal: return QStringLiteral("≤");
    case workflow::Comparison::less: return QStringLiteral("<");
  }
  return {};
}

QString better_text(workflow::Better b) {
  switch (b) {
    case workflow::Better::higher: return QStringLiteral("higher is better");
    case workflow::Better::lower: return QStringLiteral("lower is better");
    case workflow::Better::closer_to_target: return QStringLiteral("closer to target is better");
    case workflow::Better::none: return QStringLiteral("no direction");
  }
  return {};
}

// ------------------------------------------------------------------ page targets

class PageTarget {
 public:
  virtual ~PageTarget() = default;
  virtual QPainter& painter() = 0;
  // Ends the current page and starts a new one; the painter's unit is again the point.
  virtual void new_page() = 0;
  virtual void finish() = 0;
};

class PdfTarget final : public PageTarget {
 public:
  PdfTarget(const std::filesystem::path& path, const QString& title) : writer_(QString::fromStdString(path.string())) {
    writer_.setPageSize(QPageSize(QPageSize::A4));
    writer_.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer_.setResolution(300);
    writer_.setTitle(title);
    writer_.setCreator(QStringLiteral("forceplate ") + QStringLiteral(FP_SOFTWARE_VERSION));
    if (!painter_.begin(&writer_)) throw std::runtime_error("cannot write the PDF report '" + path.string() + "'");
    reset();
  }
  QPainter& painter() override { return painter_; }
  void new_page() override {
    writer_.newPage();
    reset();
  }
  void finish() override { painter_.end(); }

 private:
  void reset() {
    painter_.resetTransform();
    const double s = writer_.resolution() / 72.0;
    painter_.scale(s, s);
    painter_.setRenderHint(QPainter::Antialiasing, true);
  }
  QPdfWriter writer_;
  QPainter painter_;
};

class ImageTarget final : public PageTarget {
 public:
  explicit ImageTarget(double dpi) : scale_(dpi / 72.0) { start(); }
  QPainter& painter() override { return painter_; }
  void new_page() override {
    painter_.end();
    start();
  }
  void finish() override { painter_.end(); }
  std::vector<QImage> take() { return std::move(pages_); }

 private:
  void start() {
    const int w = std::max(1, static_cast<int>(std::lround(kPageW * scale_)));
    const int h = std::max(1, static_cast<int>(std::lround(kPageH * scale_)));
    pages_.emplace_back(w, h, QImage::Format_RGB32);
    pages_.back().fill(Qt::white);
    painter_.begin(&pages_.back());
    painter_.scale(scale_, scale_);
    painter_.setRenderHint(QPainter::Antialiasing, true);
    painter_.setRenderHint(QPainter::TextAntialiasing, true);
  }
  double scale_;
  std::vector<QImage> pages_;
  QPainter painter_;
};

// ------------------------------------------------------------------ the document

QFont font(double pixels, bool bold = false, bool italic = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(std::max(1, static_cast<int>(std::lround(pixels))));
  f.setBold(bold);
  f.setItalic(italic);
  return f;
}

// Marks drawn before a table cell's text so that the meaning survives black-and-white printing.
enum class Mark { none, pass, fail, better, worse, noise, changed };

struct Cell {
  QString text;
  Mark mark = Mark::none;
};

struct Table {
  QString caption;  // repeated, "(continued)", above the header after a page break
  QStringList headers;
  std::vector<double> widths;  // fractions of the content width
  std::vector<int> right_aligned;  // column indices
  std::vector<std::vector<Cell>> rows;
};

struct Series {
  QString label;
  std::vector<QPointF> points;  // x: index on the x axis; NaN y: no value
  Qt::PenStyle style = Qt::SolidLine;
  int marker = 0;
  QColor color = Qt::black;
};

struct ChartSpec {
  QString title;
  QString x_label;
  QString y_label;
  QStringList x_ticks;
  std::vector<Series> series;
  std::optional<double> threshold;
  QString threshold_label;
  double y_min = std::numeric_limits<double>::quiet_NaN();
  double y_max = std::numeric_limits<double>::quiet_NaN();
};

// One stance test's COP in two sessions, each trace centred on its own mean (mm), for cop_panels().
struct CopPanel {
  QString title;
  QString x_label;
  QString y_label;
  std::vector<std::vector<QPointF>> traces;  // before, after
  QStringList labels;
  double half_range = 5;                     // mm either side of 0, both axes
};

const QColor kSeriesColors[] = {QColor(0, 0, 0), QColor(31, 90, 170), QColor(190, 80, 20), QColor(40, 130, 60),
                                QColor(120, 50, 140), QColor(100, 100, 100)};
const Qt::PenStyle kSeriesStyles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine,
                                      Qt::SolidLine};

void draw_marker(QPainter& p, QPointF c, int kind, const QColor& color, double r = 3.5) {
  p.save();
  p.setPen(QPen(color, 1.2));
  switch (kind % 5) {
    case 0:  // filled circle
      p.setBrush(color);
      p.drawEllipse(c, r, r);
      break;
    case 1:  // open square
      p.setBrush(Qt::white);
      p.drawRect(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r));
      break;
    case 2: {  // filled triangle
      p.setBrush(color);
      const QPointF tri[3] = {{c.x(), c.y() - r * 1.2}, {c.x() - r * 1.1, c.y() + r * 0.8}, {c.x() + r * 1.1, c.y() + r * 0.8}};
      p.drawPolygon(tri, 3);
      break;
    }
    case 3:  // cross
      p.setPen(QPen(color, 1.6));
      p.drawLine(QPointF(c.x() - r, c.y() - r), QPointF(c.x() + r, c.y() + r));
      p.drawLine(QPointF(c.x() - r, c.y() + r), QPointF(c.x() + r, c.y() - r));
      break;
    default: {  // open diamond
      p.setBrush(Qt::white);
      const QPointF d[4] = {{c.x(), c.y() - r * 1.3}, {c.x() + r * 1.3, c.y()}, {c.x(), c.y() + r * 1.3}, {c.x() - r * 1.3, c.y()}};
      p.drawPolygon(d, 4);
      break;
    }
  }
  p.restore();
}

// A cell mark: a small shape at `c` (its centre).
void draw_cell_mark(QPainter& p, QPointF c, Mark m) {
  const double r = 3.2;
  p.save();
  p.setPen(QPen(Qt::black, 1.0));
  switch (m) {
    case Mark::pass:
      p.setBrush(Qt::black);
      p.drawEllipse(c, r, r);
      break;
    case Mark::fail:
      p.setBrush(Qt::white);
      p.drawEllipse(c, r, r);
      p.drawLine(QPointF(c.x() - r * 0.7, c.y() - r * 0.7), QPointF(c.x() + r * 0.7, c.y() + r * 0.7));
      p.drawLine(QPointF(c.x() - r * 0.7, c.y() + r * 0.7), QPointF(c.x() + r * 0.7, c.y() - r * 0.7));
      break;
    case Mark::better: {
      p.setBrush(Qt::black);
      const QPointF tri[3] = {{c.x(), c.y() - r * 1.1}, {c.x() - r, c.y() + r * 0.8}, {c.x() + r, c.y() + r * 0.8}};
      p.drawPolygon(tri, 3);
      break;
    }
    case Mark::worse: {
      p.setBrush(Qt::white);
      const QPointF tri[3] = {{c.x(), c.y() + r * 1.1}, {c.x() - r, c.y() - r * 0.8}, {c.x() + r, c.y() - r * 0.8}};
      p.drawPolygon(tri, 3);
      break;
    }
    case Mark::noise:
      p.drawLine(QPointF(c.x() - r, c.y() - 1.2), QPointF(c.x() + r, c.y() - 1.2));
      p.drawLine(QPointF(c.x() - r, c.y() + 1.2), QPointF(c.x() + r, c.y() + 1.2));
      break;
    case Mark::changed:
      p.setBrush(Qt::white);
      p.drawRect(QRectF(c.x() - r * 0.9, c.y() - r * 0.9, 1.8 * r, 1.8 * r));
      break;
    case Mark::none: break;
  }
  p.restore();
}

class Document {
 public:
  Document(PageTarget& target, QString title, QString running_header, int total_pages, QString footer_left)
      : target_(target),
        title_(std::move(title)),
        running_header_(std::move(running_header)),
        total_pages_(total_pages),
        footer_left_(std::move(footer_left)) {
    y_ = kMargin;
  }

  QStringList& text() { return text_; }
  int pages() const { return page_; }
  QPainter& p() { return target_.painter(); }
  double y() const { return y_; }
  void skip(double dy) { y_ += dy; }

  void text_at(const QRectF& r, int flags, const QString& s, const QFont& f) {
    p().setFont(f);
    p().drawText(r, flags, s);
    // What a reader reads: without the zero-width break opportunities of table()
    if (!s.isEmpty()) text_.push_back(QString(s).remove(QChar(0x200B)));
  }

  // Starts a new page unless `height` still fits below the cursor.
  void ensure(double height) {
    if (y_ + height <= kBottom) return;
    end_page();
    target_.new_page();
    ++page_;
    y_ = kMargin;
    // Running header on the following pages: who the report is about.
    text_at(QRectF(kMargin, y_, kContentW, 12), Qt::AlignLeft | Qt::AlignVCenter, running_header_, font(8, false, true));
    p().setPen(QPen(kGrid, 0.5));
    p().drawLine(QPointF(kMargin, y_ + 14), QPointF(kPageW - kMargin, y_ + 14));
    p().setPen(Qt::black);
    y_ += 22;
  }

  void end_page() {
    const double fy = kPageH - kMargin - kFooterH + 8;
    p().setPen(QPen(kGrid, 0.5));
    p().drawLine(QPointF(kMargin, fy), QPointF(kPageW - kMargin, fy));
    p().setPen(Qt::black);
    const QRectF r(kMargin, fy + 3, kContentW, 14);
    text_at(r, Qt::AlignLeft | Qt::AlignVCenter, footer_left_, font(7.5));
    const QString page = total_pages_ > 0 ? QStringLiteral("Page %1 of %2").arg(page_).arg(total_pages_)
                                          : QStringLiteral("Page %1").arg(page_);
    text_at(r, Qt::AlignRight | Qt::AlignVCenter, page, font(7.5));
  }

  void finish() {
    end_page();
    target_.finish();
  }

  void title(const QString& subtitle) {
    text_at(QRectF(kMargin, y_, kContentW, 26), Qt::AlignLeft | Qt::AlignVCenter, title_, font(18, true));
    y_ += 26;
    if (!subtitle.isEmpty()) {
      text_at(QRectF(kMargin, y_, kContentW, 14), Qt::AlignLeft | Qt::AlignVCenter, subtitle, font(9));
      y_ += 16;
    }
    y_ += 4;
  }

  // `keep`: height of what must follow the heading on the same page.
  void heading(const QString& s, int level = 1, double keep = 60) {
    const double size = level == 1 ? 13 : 10.5;
    const double h = size * 1.6;
    ensure(h + keep);
    y_ += level == 1 ? 8 : 4;
    text_at(QRectF(kMargin, y_, kContentW, h), Qt::AlignLeft | Qt::AlignVCenter, s, font(size, true));
    y_ += h;
    if (level == 1) {
      p().setPen(QPen(Qt::black, 0.8));
      p().drawLine(QPointF(kMargin, y_), QPointF(kPageW - kMargin, y_));
      y_ += 4;
    }
  }

  void paragraph(const QString& s, double size = 8.5, bool italic = false) {
    const QFont f = font(size, false, italic);
    const QFontMetricsF fm(f);
    const QRectF need = fm.boundingRect(QRectF(0, 0, kContentW, 10000), Qt::TextWordWrap, s);
    ensure(need.height() + 2);
    text_at(QRectF(kMargin, y_, kContentW, need.height() + 2), Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, s, f);
    y_ += need.height() + 4;
  }

  // Label: value pairs in two columns, framed.
  void key_values(const std::vector<std::pair<QString, QString>>& items) {
    const QFont kf = font(8.5, true);
    const QFont vf = font(8.5);
    const double col_w = kContentW / 2;
    const double label_w = 92;
    const QFontMetricsF fm(vf);
    std::vector<double> row_h;
    for (std::size_t i = 0; i < items.size(); i += 2) {
      double h = 0;
      for (std::size_t k = i; k < std::min(items.size(), i + 2); ++k) {
        h = std::max(h, fm.boundingRect(QRectF(0, 0, col_w - label_w - 8, 1000), Qt::TextWordWrap, items[k].second).height());
      }
      row_h.push_back(h + 4);
    }
    double total = 8;
    for (double h : row_h) total += h;
    ensure(total);
    const double top = y_;
    p().save();
    p().setPen(QPen(kGrid, 0.6));
    p().setBrush(QColor(245, 245, 245));
    p().drawRect(QRectF(kMargin, top, kContentW, total));
    p().restore();
    y_ += 4;
    for (std::size_t i = 0, row = 0; i < items.size(); i += 2, ++row) {
      for (std::size_t k = i; k < std::min(items.size(), i + 2); ++k) {
        const double x = kMargin + 6 + static_cast<double>(k - i) * col_w;
        text_at(QRectF(x, y_, label_w, row_h[row]), Qt::AlignLeft | Qt::AlignTop, items[k].first, kf);
        text_at(QRectF(x + label_w, y_, col_w - label_w - 8, row_h[row]), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                items[k].second, vf);
      }
      y_ += row_h[row];
    }
    y_ = top + total + 6;
  }

  void table(const Table& given) {
    // Measure names are one long word ("cop_max_medial_excursion"): let them wrap after each
    // underscore (a zero-width space) instead of running out of their column.
    Table t = given;
    for (auto& row : t.rows) {
      for (Cell& c : row) c.text.replace(QStringLiteral("_"), QStringLiteral("_\u200B"));
    }
    const QFont hf = font(8, true);
    const QFont cf = font(8);
    const QFont bf = font(8, true);
    const double pad = 3;
    const double mark_w = 10;
    std::vector<double> xs{kMargin};
    for (double w : t.widths) xs.push_back(xs.back() + w * kContentW);
    const auto col_w = [&](std::size_t c) { return xs[c + 1] - xs[c]; };
    const auto height_of = [&](const QString& s, std::size_t c, const QFont& f, bool marked) {
      const QFontMetricsF fm(f);
      const double w = col_w(c) - 2 * pad - (marked ? mark_w : 0);
      return fm.boundingRect(QRectF(0, 0, std::max(4.0, w), 10000), Qt::TextWordWrap, s).height() + 2 * pad;
    };
    double header_h = 0;
    for (int c = 0; c < t.headers.size(); ++c) header_h = std::max(header_h, height_of(t.headers[c], static_cast<std::size_t>(c), hf, false));
    const auto is_right = [&](std::size_t c) {
      return std::find(t.right_aligned.begin(), t.right_aligned.end(), static_cast<int>(c)) != t.right_aligned.end();
    };
    const auto draw_header = [&] {
      p().save();
      p().setPen(Qt::NoPen);
      p().setBrush(QColor(60, 60, 60));
      p().drawRect(QRectF(kMargin, y_, xs.back() - kMargin, header_h));
      p().restore();
      p().setPen(Qt::white);
      for (int c = 0; c < t.headers.size(); ++c) {
        const auto cc = static_cast<std::size_t>(c);
        text_at(QRectF(xs[cc] + pad, y_ + pad, col_w(cc) - 2 * pad, header_h - 2 * pad),
                (is_right(cc) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter | Qt::TextWordWrap, t.headers[c], hf);
      }
      p().setPen(Qt::black);
      y_ += header_h;
    };
    bool first = true;
    std::size_t index = 0;
    QString last_first;  // the last non-empty first cell: repeated on a row continuing it on a new page
    for (const auto& row : t.rows) {
      QString continued;
      if (!row.empty() && !row[0].text.isEmpty()) last_first = row[0].text;
      double h = 0;
      for (std::size_t c = 0; c < row.size() && c + 1 < xs.size(); ++c) {
        const bool bold = row[c].mark == Mark::fail || row[c].mark == Mark::worse;
        h = std::max(h, height_of(row[c].text, c, bold ? bf : cf, row[c].mark != Mark::none));
      }
      if (first) {
        ensure(header_h + h);
        draw_header();
        first = false;
      } else if (y_ + h > kBottom) {
        ensure(kBottom);  // forces the break
        if (!t.caption.isEmpty()) {
          text_at(QRectF(kMargin, y_, kContentW, 14), Qt::AlignLeft | Qt::AlignVCenter,
                  t.caption + QStringLiteral(" (continued)"), font(8.5, true, true));
          y_ += 16;
        }
        draw_header();
        if (!row.empty() && row[0].text.isEmpty() && !last_first.isEmpty()) {
          continued = last_first + QStringLiteral(" (continued)");
          h = std::max(h, height_of(continued, 0, cf, false));
        }
      }
      if (index % 2 == 1) {
        p().save();
        p().setPen(Qt::NoPen);
        p().setBrush(QColor(244, 244, 244));
        p().drawRect(QRectF(kMargin, y_, xs.back() - kMargin, h));
        p().restore();
      }
      for (std::size_t c = 0; c < row.size() && c + 1 < xs.size(); ++c) {
        const Cell cell = (c == 0 && !continued.isEmpty()) ? Cell{continued, Mark::none} : row[c];
        const bool bad = cell.mark == Mark::fail || cell.mark == Mark::worse;
        if (bad) {
          p().save();
          p().setPen(Qt::NoPen);
          p().setBrush(kShade);
          p().drawRect(QRectF(xs[c], y_, col_w(c), h));
          p().restore();
        }
        double tx = xs[c] + pad;
        if (cell.mark != Mark::none) {
          draw_cell_mark(p(), QPointF(tx + 4, y_ + pad + 5.5), cell.mark);
          tx += mark_w;
        }
        p().setPen(Qt::black);
        text_at(QRectF(tx, y_ + pad, xs[c + 1] - pad - tx, h - 2 * pad),
                (is_right(c) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop | Qt::TextWordWrap, cell.text,
                bad ? bf : cf);
      }
      p().setPen(QPen(kGrid, 0.4));
      p().drawLine(QPointF(kMargin, y_ + h), QPointF(xs.back(), y_ + h));
      p().setPen(Qt::black);
      y_ += h;
      ++index;
    }
    if (t.rows.empty()) {
      paragraph(QStringLiteral("(nothing to show)"), 8, true);
    }
    y_ += 8;
  }

  // A line chart over sessions, with an optional horizontal threshold line.
  void chart(const ChartSpec& c) {
    const double height = 215;
    ensure(height + 20);
    const double top = y_;
    text_at(QRectF(kMargin, top, kContentW, 14), Qt::AlignLeft | Qt::AlignVCenter, c.title, font(9.5, true));
    const double legend_w = 150;
    const QRectF plot(kMargin + 46, top + 22, kContentW - 46 - legend_w - 10, height - 22 - 40);
    // y range
    double lo = c.y_min;
    double hi = c.y_max;
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
      double mn = std::numeric_limits<double>::infinity();
      double mx = -std::numeric_limits<double>::infinity();
      for (const auto& s : c.series)
        for (const auto& pt : s.points)
          if (std::isfinite(pt.y())) {
            mn = std::min(mn, pt.y());
            mx = std::max(mx, pt.y());
          }
      if (c.threshold) {
        mn = std::min(mn, *c.threshold);
        mx = std::max(mx, *c.threshold);
      }
      if (!std::isfinite(mn)) {
        mn = 0;
        mx = 1;
      }
      const double span = std::max(mx - mn, std::max(1e-9, std::fabs(mx) * 0.1));
      if (!std::isfinite(lo)) lo = mn - span * 0.15;
      if (!std::isfinite(hi)) hi = mx + span * 0.15;
    }
    // nice ticks
    const double raw_step = (hi - lo) / 5;
    const double mag = std::pow(10.0, std::floor(std::log10(raw_step)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
      if (m * mag >= raw_step) {
        step = m * mag;
        break;
      }
    }
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
    const auto n = std::max<qsizetype>(1, c.x_ticks.size());
    const auto xpos = [&](double i) {
      return n == 1 ? plot.center().x() : plot.left() + 18 + i / static_cast<double>(n - 1) * (plot.width() - 36);
    };
    const auto ypos = [&](double v) { return plot.bottom() - (v - lo) / (hi - lo) * plot.height(); };
    p().save();
    p().setPen(QPen(Qt::black, 0.8));
    p().setBrush(Qt::NoBrush);
    p().drawRect(plot);
    const QFont tf = font(7.5);
    for (double v = lo; v <= hi + step * 0.01; v += step) {
      const double yy = ypos(v);
      p().setPen(QPen(QColor(215, 215, 215), 0.4));
      p().drawLine(QPointF(plot.left(), yy), QPointF(plot.right(), yy));
      p().setPen(Qt::black);
      p().drawLine(QPointF(plot.left() - 3, yy), QPointF(plot.left(), yy));
      text_at(QRectF(plot.left() - 40, yy - 6, 35, 12), Qt::AlignRight | Qt::AlignVCenter, num(v), tf);
    }
    for (qsizetype i = 0; i < c.x_ticks.size(); ++i) {
      const double xx = xpos(static_cast<double>(i));
      p().setPen(Qt::black);
      p().drawLine(QPointF(xx, plot.bottom()), QPointF(xx, plot.bottom() + 3));
      text_at(QRectF(xx - 40, plot.bottom() + 4, 80, 12), Qt::AlignHCenter | Qt::AlignTop, c.x_ticks[i], tf);
    }
    // axis labels
    text_at(QRectF(plot.left(), plot.bottom() + 18, plot.width(), 12), Qt::AlignHCenter | Qt::AlignTop, c.x_label, font(8, true));
    p().save();
    p().translate(kMargin + 6, plot.center().y());
    p().rotate(-90);
    text_at(QRectF(-plot.height() / 2, -6, plot.height(), 12), Qt::AlignCenter, c.y_label, font(8, true));
    p().restore();
    // threshold
    if (c.threshold) {
      const double yy = ypos(*c.threshold);
      p().setPen(QPen(Qt::black, 1.2, Qt::DashLine));
      p().drawLine(QPointF(plot.left(), yy), QPointF(plot.right(), yy));
      p().setPen(Qt::black);
    }
    // series
    p().setClipRect(plot.adjusted(-6, -6, 6, 6));
    for (const auto& s : c.series) {
      p().setPen(QPen(s.color, 1.4, s.style));
      std::optional<QPointF> prev;
      for (const auto& pt : s.points) {
        if (!std::isfinite(pt.y())) {
          prev.reset();
          continue;
        }
        const QPointF q(xpos(pt.x()), ypos(pt.y()));
        if (prev) p().drawLine(*prev, q);
        prev = q;
      }
      for (const auto& pt : s.points)
        if (std::isfinite(pt.y())) draw_marker(p(), QPointF(xpos(pt.x()), ypos(pt.y())), s.marker, s.color);
    }
    p().setClipping(false);
    // legend
    double ly = plot.top();
    const QFont lf = font(7.5);
    const QFontMetricsF lfm(lf);
    const double lx = plot.right() + 12;
    for (const auto& s : c.series) {
      const double text_h = lfm.boundingRect(QRectF(0, 0, legend_w - 30, 100), Qt::TextWordWrap, s.label).height();
      p().setPen(QPen(s.color, 1.4, s.style));
      p().drawLine(QPointF(lx, ly + 6), QPointF(lx + 22, ly + 6));
      draw_marker(p(), QPointF(lx + 11, ly + 6), s.marker, s.color);
      p().setPen(Qt::black);
      text_at(QRectF(lx + 27, ly, legend_w - 28, text_h + 2), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, s.label, lf);
      ly += std::max(14.0, text_h + 4);
    }
    if (c.threshold) {
      p().setPen(QPen(Qt::black, 1.2, Qt::DashLine));
      p().drawLine(QPointF(lx, ly + 6), QPointF(lx + 22, ly + 6));
      p().setPen(Qt::black);
      text_at(QRectF(lx + 27, ly, legend_w - 28, 14), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, c.threshold_label, lf);
    }
    p().restore();
    y_ = top + height + 8;
  }

  // Square x-y plots on equal scales, two to a row: the COP traces of a stance test before (blue,
  // dashed) and after (vermilion, solid): apart in black and white by the dash.
  static constexpr double kCopGap = 18;
  static constexpr double kCopPanelW = (kContentW - kCopGap) / 2;
  static constexpr double kCopPlot = kCopPanelW - 48;  // the plot square
  static constexpr double kCopRowH = 16 + 28 + kCopPlot + 34;
  void cop_panels(const std::vector<CopPanel>& panels) {
    const double gap = kCopGap;
    const double w = kCopPanelW;
    const double side = kCopPlot;
    const double height = kCopRowH;
    const QPen pens[2] = {QPen(QColor(0, 114, 178), 1.0, Qt::DashLine), QPen(QColor(213, 94, 0), 1.2, Qt::SolidLine)};
    const QFont tf = font(7.5);
    for (std::size_t i = 0; i < panels.size(); i += 2) {
      ensure(height);
      const double top = y_;
      for (std::size_t k = i; k < std::min(panels.size(), i + 2); ++k) {
        const CopPanel& c = panels[k];
        const double x0 = kMargin + static_cast<double>(k - i) * (w + gap);
        text_at(QRectF(x0, top, w, 14), Qt::AlignLeft | Qt::AlignVCenter, c.title, font(9, true));
        // Legend: a stretch of each pen and the session it stands for.
        for (std::size_t s = 0; s < static_cast<std::size_t>(c.labels.size()) && s < 2; ++s) {
          const double ly = top + 16 + 13 * static_cast<double>(s);
          p().setPen(pens[s]);
          p().drawLine(QPointF(x0 + 44, ly + 6), QPointF(x0 + 74, ly + 6));
          p().setPen(Qt::black);
          text_at(QRectF(x0 + 80, ly, w - 80, 12), Qt::AlignLeft | Qt::AlignVCenter, c.labels[static_cast<qsizetype>(s)], tf);
        }
        const QRectF plot(x0 + 44, top + 16 + 28, side, side);
        const double half = c.half_range;
        const auto map = [&](const QPointF& q) {
          return QPointF(plot.center().x() + q.x() / half * side / 2, plot.center().y() - q.y() / half * side / 2);
        };
        p().save();
        p().setPen(QPen(Qt::black, 0.8));
        p().setBrush(Qt::NoBrush);
        p().drawRect(plot);
        const double step = nice_ceil(half / 2.5);
        for (double v = -std::floor(half / step) * step; v <= half + 1e-9; v += step) {
          const QPointF a = map(QPointF(v, v));
          p().setPen(QPen(QColor(215, 215, 215), 0.4));
          p().drawLine(QPointF(a.x(), plot.top()), QPointF(a.x(), plot.bottom()));
          p().drawLine(QPointF(plot.left(), a.y()), QPointF(plot.right(), a.y()));
          p().setPen(Qt::black);
          text_at(QRectF(a.x() - 20, plot.bottom() + 2, 40, 10), Qt::AlignHCenter | Qt::AlignTop, num(v), tf);
          text_at(QRectF(plot.left() - 32, a.y() - 5, 29, 10), Qt::AlignRight | Qt::AlignVCenter, num(v), tf);
        }
        text_at(QRectF(x0, plot.bottom() + 13, w, 11), Qt::AlignHCenter | Qt::AlignTop, c.x_label, font(7.5, true));
        p().save();
        p().translate(x0 + 6, plot.center().y());
        p().rotate(-90);
        text_at(QRectF(-side / 2 - 20, -6, side + 40, 12), Qt::AlignCenter, c.y_label, font(7.5, true));
        p().restore();
        p().setClipRect(plot);
        for (std::size_t s = 0; s < c.traces.size() && s < 2; ++s) {
          QPolygonF line;
          line.reserve(static_cast<qsizetype>(c.traces[s].size()));
          for (const QPointF& q : c.traces[s]) line << map(q);
          p().setPen(pens[s]);
          p().drawPolyline(line);
        }
        p().restore();
      }
      y_ = top + height + 6;
    }
  }

 private:
  PageTarget& target_;
  QString title_;
  QString running_header_;
  int total_pages_;
  QString footer_left_;
  QStringList text_;
  int page_ = 1;
  double y_ = 0;
};

// ------------------------------------------------------------------ report content

QString footer_text(const ReportOptions& o, const QString& what) {
  const QString version = o.software_version.empty() ? QStringLiteral(FP_SOFTWARE_VERSION) : qs(o.software_version);
  const QString when = o.generated_at.empty() ? QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                              : qs(o.generated_at);
  return QStringLiteral("forceplate %1 · %2 · generated %3").arg(version, what, when);
}

std::vector<std::pair<QString, QString>> patient_items(const data::Patient& pt) {
  const QString dob = pt.date_of_birth.empty() ? QStringLiteral("unknown") : qs(pt.date_of_birth);
  std::vector<std::pair<QString, QString>> items = {
      {QStringLiteral("Patient"), qs(pt.name)},
      {QStringLiteral("Patient ID"), qs(pt.id)},
      {QStringLiteral("Date of birth"), dob},
      {QStringLiteral("Sex"), qs(pt.sex)},
      {QStringLiteral("Involved side"), qs(pt.involved_side)},
      {QStringLiteral("Diagnosis"), pt.diagnosis.empty() ? QStringLiteral("–") : qs(pt.diagnosis)},
  };
  if (pt.height_m > 0) items.emplace_back(QStringLiteral("Height"), num(pt.height_m) + QStringLiteral(" m"));
  if (pt.mass_kg > 0) items.emplace_back(QStringLiteral("Body mass"), num(pt.mass_kg) + QStringLiteral(" kg"));
  return items;
}

QString running_header(const data::Patient& pt) {
  return QStringLiteral("%1 (ID %2), DOB %3").arg(qs(pt.name), qs(pt.id),
                                                  pt.date_of_birth.empty() ? QStringLiteral("unknown") : qs(pt.date_of_birth));
}

// Everything the session report shows, read once.
struct SessionData {
  data::Patient patient;
  workflow::SessionResults results;
  workflow::SessionSummary summary;
};

SessionData load_session(const data::Archive& archive, const std::string& session_id,
                         const workflow::DefinitionSet& defs, const workflow::MeasureCatalog& catalog,
                         const ReportOptions& o) {
  SessionData d;
  d.results = workflow::session_results(archive, session_id, defs);
  d.patient = archive.patient(d.results.session.patient_id);
  d.summary = workflow::summarize_session(d.results.record, defs, catalog, workflow::involved_side(d.patient),
                                          o.lsi_threshold_percent);
  return d;
}

const workflow::CombinedMeasure* find_measure(const workflow::TestSummary* t, const std::string& m) {
  if (t == nullptr) return nullptr;
  for (const auto& c : t->measures)
    if (c.measure == m) return &c;
  return nullptr;
}

std::size_t trial_count(const workflow::SessionRecord& r, const std::string& test, std::optional<analysis::Side> side) {
  for (const auto& t : r.tests)
    if (t.test == test && t.side == side) return t.trials.size();
  return 0;
}

void paint_session(Document& doc, const SessionData& d, const workflow::DefinitionSet& defs) {
  const data::Session& s = d.results.session;
  doc.title(QStringLiteral("Session %1 · %2").arg(qs(s.id), date_of(s.started_at_utc)));
  auto items = patient_items(d.patient);
  items.emplace_back(QStringLiteral("Session date"), date_of(s.started_at_utc));
  items.emplace_back(QStringLiteral("Session ID"), qs(s.id));
  items.emplace_back(QStringLiteral("Pain last 24 h"),
                     s.pain_24h >= 0 ? QStringLiteral("%1 / 10").arg(s.pain_24h) : QStringLiteral("not asked"));
  items.emplace_back(QStringLiteral("Trials used"), QStringLiteral("%1 (%2 not used)")
                                                       .arg(static_cast<qulonglong>(s.trial_count - std::min(s.trial_count, d.results.skipped.size())))
                                                       .arg(static_cast<qulonglong>(d.results.skipped.size())));
  if (!s.notes.empty()) items.emplace_back(QStringLiteral("Notes"), qs(s.notes));
  doc.key_values(items);

  doc.heading(QStringLiteral("Results per test"));
  doc.paragraph(QStringLiteral(
      "Values are the combined value of the accepted trials (mean, best or median, as the test defines). "
      "LSI = limb symmetry index, involved / uninvolved × 100 %; for measures where lower is better the threshold is "
      "compared with uninvolved / involved × 100 % (shown as \"inverted\"). Marks: ● pass, ⊗ below threshold (shaded, bold)."));
  const double general_lsi = d.summary.lsi_threshold_percent;

  // Tests in order of first appearance, both sides together.
  std::vector<std::string> order;
  for (const auto& t : d.summary.tests)
    if (std::find(order.begin(), order.end(), t.test) == order.end()) order.push_back(t.test);

  for (const std::string& test : order) {
    const workflow::TestDefinition* def = defs.find(test);
    const workflow::TestSummary* left = nullptr;
    const workflow::TestSummary* right = nullptr;
    const workflow::TestSummary* both = nullptr;
    for (const auto& t : d.summary.tests) {
      if (t.test != test) continue;
      if (!t.side) both = &t;
      else if (*t.side == analysis::Side::left) left = &t;
      else right = &t;
    }
    const QString name = def ? qs(def->name) : qs(test);
    QString trials;
    const auto combine = def ? qs(workflow::to_string(def->combine)) : QString();
    if (both) {
      trials = QStringLiteral("%1 trial(s)").arg(static_cast<qulonglong>(trial_count(d.results.record, test, std::nullopt)));
    } else {
      trials = QStringLiteral("left %1, right %2 trial(s)")
                   .arg(static_cast<qulonglong>(trial_count(d.results.record, test, analysis::Side::left)))
                   .arg(static_cast<qulonglong>(trial_count(d.results.record, test, analysis::Side::right)));
    }
    doc.heading(name, 2);
    doc.paragraph(QStringLiteral("%1 · %2 · combined: %3").arg(qs(test), trials, combine), 7.5, true);

    Table t;
    t.caption = name;
    const workflow::TestSummary* any = both ? both : (left ? left : right);
    if (both) {
      t.headers = {QStringLiteral("Measure"), QStringLiteral("Unit"), QStringLiteral("Value"), QStringLiteral("Trials"),
                   QStringLiteral("Threshold"), QStringLiteral("Result")};
      t.widths = {0.34, 0.1, 0.14, 0.1, 0.16, 0.16};
      t.right_aligned = {2, 3};
    } else {
      t.headers = {QStringLiteral("Measure"), QStringLiteral("Unit"), QStringLiteral("Left"), QStringLiteral("Right"),
                   QStringLiteral("LSI %"), QStringLiteral("Threshold"), QStringLiteral("Result")};
      t.widths = {0.3, 0.09, 0.11, 0.11, 0.1, 0.14, 0.15};
      t.right_aligned = {2, 3, 4};
    }
    for (const auto& m : any->measures) {
      std::vector<Cell> row;
      row.push_back({qs(m.measure), Mark::none});
      row.push_back({unit_text(m.unit), Mark::none});
      QString threshold;
      Cell result{QStringLiteral("–"), Mark::none};
      const workflow::SymmetryRow* sym = nullptr;
      for (const auto& r : d.summary.symmetry)
        if (r.test == test && r.measure == m.measure) sym = &r;
      // The definition's own pass marks for this measure.
      bool has_def_threshold = false;
      if (def) {
        for (const auto& pass : def->pass) {
          if (pass.measure != m.measure) continue;
          if (pass.kind == workflow::ThresholdKind::lsi && sym) {
            has_def_threshold = true;
            threshold = QStringLiteral("LSI %1 %2 %").arg(op_text(pass.op), num(pass.value));
            if (std::isfinite(sym->lsi_oriented)) {
              const bool ok = workflow::satisfies(sym->lsi_oriented, pass.op, pass.value);
              result = {(ok ? QStringLiteral("pass") : QStringLiteral("below")) + oriented_note(sym->lsi, sym->lsi_oriented),
                        ok ? Mark::pass : Mark::fail};
            } else {
              result = {QStringLiteral("not assessed"), Mark::none};
            }
          } else if (pass.kind == workflow::ThresholdKind::measure) {
            has_def_threshold = true;
            threshold = QStringLiteral("%1 %2 %3").arg(op_text(pass.op), num(pass.value), unit_text(m.unit));
            if (both) {
              const bool ok = workflow::satisfies(m.value, pass.op, pass.value);
              result = {ok ? QStringLiteral("pass") : QStringLiteral("fail"), ok ? Mark::pass : Mark::fail};
            } else {
              const auto* lm = find_measure(left, m.measure);
              const auto* rm = find_measure(right, m.measure);
              const bool lok = lm && workflow::satisfies(lm->value, pass.op, pass.value);
              const bool rok = rm && workflow::satisfies(rm->value, pass.op, pass.value);
              result = {QStringLiteral("L %1, R %2").arg(lok ? QStringLiteral("pass") : QStringLiteral("fail"),
                                                          rok ? QStringLiteral("pass") : QStringLiteral("fail")),
                        lok && rok ? Mark::pass : Mark::fail};
            }
          }
        }
      }
      if (!has_def_threshold && sym && std::isfinite(sym->lsi_oriented)) {
        threshold = QStringLiteral("LSI ≥ %1 %").arg(num(general_lsi));
        result = {(sym->meets_threshold ? QStringLiteral("pass") : QStringLiteral("below")) + oriented_note(sym->lsi, sym->lsi_oriented),
                  sym->meets_threshold ? Mark::pass : Mark::fail};
      }
      if (threshold.isEmpty()) threshold = QStringLiteral("–");
      if (both) {
        row.push_back({num(m.value), Mark::none});
        row.push_back({QStringLiteral("%1").arg(static_cast<qulonglong>(m.trials)), Mark::none});
      } else {
        const auto* lm = find_measure(left, m.measure);
        const auto* rm = find_measure(right, m.measure);
        row.push_back({lm ? num(lm->value) : QStringLiteral("–"), Mark::none});
        row.push_back({rm ? num(rm->value) : QStringLiteral("–"), Mark::none});
        row.push_back({sym ? num(sym->lsi) : QStringLiteral("–"), Mark::none});
      }
      row.push_back({threshold, Mark::none});
      row.push_back(result);
      t.rows.push_back(std::move(row));
    }
    doc.table(t);
  }

  // Pain ratings.
  doc.heading(QStringLiteral("Pain ratings (0–10)"));
  Table pain;
  pain.caption = QStringLiteral("Pain ratings");
  pain.headers = {QStringLiteral("Test"), QStringLiteral("Side"), QStringLiteral("Before"), QStringLiteral("After"),
                  QStringLiteral("Threshold"), QStringLiteral("Result")};
  pain.widths = {0.4, 0.1, 0.1, 0.1, 0.14, 0.16};
  pain.right_aligned = {2, 3};
  for (const auto& t : d.summary.tests) {
    if (!t.pain_before && !t.pain_after) continue;
    const workflow::TestDefinition* def = defs.find(t.test);
    QString threshold = QStringLiteral("–");
    Cell result{QStringLiteral("–"), Mark::none};
    if (def && t.pain_after) {
      bool done = false;
      for (const auto& pass : def->pass) {
        if (pass.kind != workflow::ThresholdKind::pain) continue;
        threshold = QStringLiteral("pain %1 %2").arg(op_text(pass.op), num(pass.value));
        const bool ok = workflow::satisfies(*t.pain_after, pass.op, pass.value);
        result = {ok ? QStringLiteral("pass") : QStringLiteral("positive"), ok ? Mark::pass : Mark::fail};
        done = true;
      }
      if (!done && def->pain_rating) {
        threshold = QStringLiteral("positive at ≥ %1").arg(num(def->pain_rating->positive_at));
        const bool positive = *t.pain_after >= def->pain_rating->positive_at;
        result = {positive ? QStringLiteral("positive") : QStringLiteral("negative"), positive ? Mark::fail : Mark::pass};
      }
    }
    pain.rows.push_back({{def ? qs(def->name) : qs(t.test), Mark::none},
                         {t.side ? side_name(t.side) : QStringLiteral("both"), Mark::none},
                         {t.pain_before ? num(*t.pain_before) : QStringLiteral("–"), Mark::none},
                         {t.pain_after ? num(*t.pain_after) : QStringLiteral("–"), Mark::none},
                         {threshold, Mark::none},
                         result});
  }
  if (pain.rows.empty()) {
    doc.paragraph(QStringLiteral("No pain ratings were recorded with the trials of this session."), 8.5, true);
  } else {
    doc.table(pain);
  }
  if (!d.results.skipped.empty()) {
    doc.heading(QStringLiteral("Trials not included"));
    for (const auto& k : d.results.skipped) doc.paragraph(QStringLiteral("• ") + qs(k), 8);
  }
}

// ------------------------------------------------------------------ comparison

struct ComparisonData {
  data::Patient patient;
  std::vector<workflow::SessionResults> sessions;
  workflow::ComparisonReport report;
  double threshold = 90;
  std::vector<CopPanel> cop;  // stance tests in both sessions (cop_overlay.hpp)
};

// The COP panels of the stance tests both sessions have: as the comparison page draws them
// (CopOverlayWidget), low-pass filtered as analysed, each centred on its own mean.
std::vector<CopPanel> load_cop_panels(const data::Archive& archive, const std::string& from, const std::string& to,
                                      const workflow::DefinitionSet& defs, const QString& from_date,
                                      const QString& to_date) {
  std::vector<CopPanel> out;
  for (const StanceTrialPair& pair : stance_trial_pairs(archive, from, to, defs)) {
    CopPanel c;
    c.title = qs(pair.name) + (pair.side.empty() ? QString() : QStringLiteral(" — ") + qs(pair.side));
    c.x_label = QStringLiteral("Mediolateral x (mm from mean, + right%1)")
                    .arg(pair.side == "left" ? QStringLiteral(" = medial")
                                             : pair.side == "right" ? QStringLiteral(" = lateral") : QString());
    c.y_label = QStringLiteral("Anteroposterior y (mm from mean, + forward)");
    c.labels = {QStringLiteral("Before: %1 (dashed)").arg(from_date), QStringLiteral("After: %1 (solid)").arg(to_date)};
    std::vector<std::vector<TracePoint>> traces;
    double reach = 0;
    for (const std::string& id : {pair.from_trial, pair.to_trial}) {
      const data::Trial t = archive.read_trial(id);
      traces.push_back(centred(lowpass_trace(stance_cop_mm(t, pair.side), t.sample_rate_hz)));
      for (const TracePoint& q : traces.back()) reach = std::max({reach, std::abs(q.x), std::abs(q.y)});
    }
    c.half_range = nice_ceil(std::max(5.0, 1.1 * reach) / 5) * 5;
    for (const auto& tr : traces) {
      std::vector<QPointF> pts;
      // A 190 pt square: 1/400 of its width is finer than the pen.
      for (const TracePoint& q : thinned(tr, c.half_range / 200, 4000)) pts.emplace_back(q.x, q.y);
      c.traces.push_back(std::move(pts));
    }
    out.push_back(std::move(c));
  }
  return out;
}

ComparisonData load_comparison(const data::Archive& archive, const std::string& patient_id, const std::string& from,
                               const std::string& to, const workflow::DefinitionSet& defs,
                               const workflow::MeasureCatalog& catalog, const workflow::MdcTable& mdc,
                               const ReportOptions& o) {
  ComparisonData d;
  d.patient = archive.patient(patient_id);
  d.sessions = workflow::patient_results(archive, patient_id, defs);
  if (d.sessions.size() < 2) {
    throw std::runtime_error("patient " + patient_id + " has " + std::to_string(d.sessions.size()) +
                             " session(s) with results; a comparison needs two");
  }
  std::vector<workflow::SessionRecord> records;
  for (const auto& s : d.sessions) records.push_back(s.record);
  workflow::CompareOptions co;
  co.from_session = from;
  co.to_session = to;
  co.involved_side = workflow::involved_side(d.patient);
  co.lsi_threshold_percent = o.lsi_threshold_percent;
  d.threshold = o.lsi_threshold_percent;
  d.report = workflow::compare_sessions(records, defs, catalog, mdc, co);
  std::map<std::string, std::string> date_of_session;
  for (const auto& s : d.sessions) date_of_session[s.session.id] = s.session.started_at_utc;
  d.cop = load_cop_panels(archive, d.report.from_session, d.report.to_session, defs,
                          day_of(date_of_session[d.report.from_session]), day_of(date_of_session[d.report.to_session]));
  return d;
}

Mark mark_of(workflow::ChangeClass c) {
  switch (c) {
    case workflow::ChangeClass::improved: return Mark::better;
    case workflow::ChangeClass::worse: return Mark::worse;
    case workflow::ChangeClass::within_noise: return Mark::noise;
    case workflow::ChangeClass::changed: return Mark::changed;
    case workflow::ChangeClass::not_assessed: return Mark::none;
  }
  return Mark::none;
}

QString class_text(workflow::ChangeClass c) {
  switch (c) {
    case workflow::ChangeClass::improved: return QStringLiteral("better");
    case workflow::ChangeClass::worse: return QStringLiteral("worse");
    case workflow::ChangeClass::within_noise: return QStringLiteral("within noise");
    case workflow::ChangeClass::changed: return QStringLiteral("changed (no direction)");
    case workflow::ChangeClass::not_assessed: return QStringLiteral("not assessed");
  }
  return {};
}

void paint_comparison(Document& doc, const ComparisonData& d, const workflow::DefinitionSet& defs) {
  std::map<std::string, std::string> date_of_session;
  for (const auto& s : d.sessions) date_of_session[s.session.id] = s.session.started_at_utc;
  const auto date_label = [&](const std::string& id) {
    const auto it = date_of_session.find(id);
    return it == date_of_session.end() ? qs(id) : day_of(it->second);
  };
  const auto& rep = d.report;
  doc.title(QStringLiteral("Before / after: %1 → %2").arg(date_label(rep.from_session), date_label(rep.to_session)));
  auto items = patient_items(d.patient);
  items.emplace_back(QStringLiteral("From session"),
                     QStringLiteral("%1 (%2)").arg(qs(rep.from_session), date_of(date_of_session[rep.from_session])));
  items.emplace_back(QStringLiteral("To session"),
                     QStringLiteral("%1 (%2)").arg(qs(rep.to_session), date_of(date_of_session[rep.to_session])));
  items.emplace_back(QStringLiteral("Sessions"),
                     QStringLiteral("%1 with results").arg(static_cast<qulonglong>(d.sessions.size())));
  items.emplace_back(QStringLiteral("LSI threshold"), QStringLiteral("%1 %").arg(num(d.threshold)));
  doc.key_values(items);

  // Citations of published MDC values, numbered in order of appearance.
  std::vector<std::string> citations;
  const auto cite = [&](const std::string& c) {
    auto it = std::find(citations.begin(), citations.end(), c);
    if (it == citations.end()) {
      citations.push_back(c);
      return citations.size();
    }
    return static_cast<std::size_t>(it - citations.begin()) + 1;
  };

  doc.heading(QStringLiteral("Change per measure"));
  doc.paragraph(QStringLiteral(
      "Change = to − from. A change larger than the minimal detectable change (MDC95) counts as real: better or worse "
      "in the measure's direction of improvement; smaller changes are within the measurement noise. MDC95 is a "
      "published value [n] (references below) or the patient's own between-trial variability. "
      "Marks: ▲ better, ▽ worse (shaded, bold), = within noise, □ changed (no direction)."));
  std::size_t i = 0;
  while (i < rep.measures.size()) {
    const auto& first = rep.measures[i];
    std::size_t j = i;
    while (j < rep.measures.size() && rep.measures[j].test == first.test && rep.measures[j].side == first.side) ++j;
    const workflow::TestDefinition* def = defs.find(first.test);
    QString heading = def ? qs(def->name) : qs(first.test);
    if (first.side) heading += QStringLiteral(" — ") + side_name(first.side);
    doc.heading(heading, 2);
    Table t;
    t.caption = heading;
    t.headers = {QStringLiteral("Measure"), QStringLiteral("Unit"), QStringLiteral("From"), QStringLiteral("To"),
                 QStringLiteral("Change"), QStringLiteral("MDC95"), QStringLiteral("MDC source"), QStringLiteral("Result")};
    t.widths = {0.22, 0.07, 0.09, 0.09, 0.12, 0.08, 0.15, 0.18};
    t.right_aligned = {2, 3, 4, 5};
    for (std::size_t k = i; k < j; ++k) {
      const auto& m = rep.measures[k];
      QString source = qs(workflow::to_string(m.mdc.source));
      if (m.mdc.source == workflow::MdcSource::published && !m.mdc.citation.empty()) {
        source += QStringLiteral(" [%1]").arg(static_cast<qulonglong>(cite(m.mdc.citation)));
      } else if (m.mdc.source == workflow::MdcSource::own_variability) {
        source += QStringLiteral(" (df %1)").arg(static_cast<qulonglong>(m.mdc.df));
      }
      QString change = signed_num(m.overall.change);
      if (std::isfinite(m.overall.percent_change)) change += QStringLiteral("\n(") + signed_num(m.overall.percent_change) + QStringLiteral(" %)");
      t.rows.push_back({{qs(m.measure) + QStringLiteral("\n") + better_text(m.better), Mark::none},
                        {unit_text(m.unit), Mark::none},
                        {num(m.overall.from), Mark::none},
                        {num(m.overall.to), Mark::none},
                        {change, Mark::none},
                        {num(m.mdc.mdc95), Mark::none},
                        {source, Mark::none},
                        {class_text(m.overall.classification), mark_of(m.overall.classification)}});
    }
    doc.table(t);
    i = j;
  }

  // Limb symmetry over the sessions.
  doc.heading(QStringLiteral("Limb symmetry index over the sessions"), 1, rep.symmetry.empty() ? 60 : 240);
  QStringList ticks;
  std::map<std::string, double> x_of;
  for (const auto& s : d.sessions) {
    x_of[s.session.id] = static_cast<double>(ticks.size());
    ticks.push_back(day_of(s.session.started_at_utc));
  }
  if (rep.symmetry.empty()) {
    doc.paragraph(QStringLiteral("No limb symmetry index: it needs the involved side of the patient and a one-sided "
                                 "test done on both sides."),
                  8.5, true);
  } else {
    // Only measures with a direction (an oriented LSI) are plotted; at most five lines per chart.
    std::vector<const workflow::LsiTrend*> plotted;
    for (const auto& tr : rep.symmetry)
      if (std::any_of(tr.points.begin(), tr.points.end(), [](const workflow::LsiPoint& pt) { return std::isfinite(pt.lsi_oriented); }))
        plotted.push_back(&tr);
    for (std::size_t start = 0; start < plotted.size(); start += 5) {
      ChartSpec c;
      c.title = QStringLiteral("LSI per session (involved %1)").arg(qs(d.patient.involved_side));
      c.x_label = QStringLiteral("Session date");
      c.y_label = QStringLiteral("LSI (%)");
      c.x_ticks = ticks;
      c.threshold = d.threshold;
      c.threshold_label = QStringLiteral("threshold %1 %").arg(num(d.threshold));
      for (std::size_t k = start; k < std::min(plotted.size(), start + 5); ++k) {
        const auto& tr = *plotted[k];
        Series s;
        const workflow::TestDefinition* def = defs.find(tr.test);
        s.label = QStringLiteral("%1: %2").arg(def ? qs(def->name) : qs(tr.test), qs(tr.measure));
        const std::size_t n = k - start;
        s.marker = static_cast<int>(n % 5);
        s.style = kSeriesStyles[n % 6];
        s.color = kSeriesColors[n % 6];
        for (const auto& pt : tr.points) {
          const auto it = x_of.find(pt.session);
          if (it != x_of.end()) s.points.emplace_back(it->second, pt.lsi_oriented);
        }
        c.series.push_back(std::move(s));
      }
      doc.chart(c);
    }
    doc.paragraph(QStringLiteral("Plotted: the LSI oriented so that higher is better (uninvolved / involved for "
                                 "lower-is-better measures); measures without a direction are only in the table."),
                  7.5, true);
    Table t;
    t.caption = QStringLiteral("Limb symmetry index");
    t.headers = {QStringLiteral("Test / measure"), QStringLiteral("Session"), QStringLiteral("Involved"),
                 QStringLiteral("Uninvolved"), QStringLiteral("LSI %"), QStringLiteral("vs threshold"),
                 QStringLiteral("Trend")};
    t.widths = {0.27, 0.11, 0.1, 0.11, 0.08, 0.18, 0.15};
    t.right_aligned = {2, 3, 4};
    for (const auto& tr : rep.symmetry) {
      const workflow::TestDefinition* def = defs.find(tr.test);
      bool first_row = true;
      for (const auto& pt : tr.points) {
        Cell meets{QStringLiteral("not assessed"), Mark::none};
        if (std::isfinite(pt.lsi_oriented)) {
          meets = {(pt.meets_threshold ? QStringLiteral("at or above") : QStringLiteral("below")) + oriented_note(pt.lsi, pt.lsi_oriented),
                   pt.meets_threshold ? Mark::pass : Mark::fail};
        }
        t.rows.push_back({{first_row ? (def ? qs(def->name) : qs(tr.test)) + QStringLiteral("\n") + qs(tr.measure) : QString(), Mark::none},
                          {date_label(pt.session), Mark::none},
                          {num(pt.involved), Mark::none},
                          {num(pt.uninvolved), Mark::none},
                          {num(pt.lsi), Mark::none},
                          meets,
                          {first_row ? qs(tr.trend) : QString(), Mark::none}});
        first_row = false;
      }
    }
    doc.table(t);
  }

  // Balance before / after: the COP traces of the stance tests both sessions have.
  if (!d.cop.empty()) {
    doc.heading(QStringLiteral("Centre of pressure, before / after"), 1, 50 + Document::kCopRowH);
    doc.paragraph(QStringLiteral("The statokinesigram of the first valid trial of each stance test in both sessions, "
                                 "low-pass filtered at 10 Hz as analysed. Each trace is centred on its own mean, so the "
                                 "shapes and spreads overlay whatever the foot position; equal scales on both axes."),
                  8.5);
    doc.cop_panels(d.cop);
  }

  // Pain over time.
  doc.heading(QStringLiteral("Pain over time (0–10)"), 1, rep.pain.empty() ? 60 : 240);
  if (rep.pain.empty()) {
    doc.paragraph(QStringLiteral("No pain ratings were recorded with these sessions' trials."), 8.5, true);
  } else {
    ChartSpec c;
    c.title = QStringLiteral("Pain rating after the test, per session");
    c.x_label = QStringLiteral("Session date");
    c.y_label = QStringLiteral("Pain (0–10)");
    c.x_ticks = ticks;
    c.y_min = 0;
    c.y_max = 10;
    std::size_t n = 0;
    for (const auto& ps : rep.pain) {
      if (n >= 6) break;
      Series s;
      const workflow::TestDefinition* def = defs.find(ps.test);
      s.label = def ? qs(def->name) : qs(ps.test);
      if (ps.side) s.label += QStringLiteral(" (") + side_name(ps.side) + QStringLiteral(")");
      s.marker = static_cast<int>(n % 5);
      s.style = kSeriesStyles[n % 6];
      s.color = kSeriesColors[n % 6];
      for (const auto& pt : ps.points) {
        const auto it = x_of.find(pt.session);
        if (it != x_of.end()) s.points.emplace_back(it->second, pt.after);
      }
      c.series.push_back(std::move(s));
      ++n;
    }
    doc.chart(c);
    Table t;
    t.caption = QStringLiteral("Pain over time");
    t.headers = {QStringLiteral("Test"), QStringLiteral("Session"), QStringLiteral("Before"), QStringLiteral("After"),
                 QStringLiteral("Positive"), QStringLiteral("Change of 'after'")};
    t.widths = {0.34, 0.14, 0.1, 0.1, 0.12, 0.2};
    t.right_aligned = {2, 3};
    for (const auto& ps : rep.pain) {
      const workflow::TestDefinition* def = defs.find(ps.test);
      QString name = def ? qs(def->name) : qs(ps.test);
      if (ps.side) name += QStringLiteral(" (") + side_name(ps.side) + QStringLiteral(")");
      bool first_row = true;
      for (const auto& pt : ps.points) {
        t.rows.push_back({{first_row ? name : QString(), Mark::none},
                          {date_label(pt.session), Mark::none},
                          {num(pt.before), Mark::none},
                          {num(pt.after), Mark::none},
                          {pt.positive ? QStringLiteral("yes") : QStringLiteral("no"), pt.positive ? Mark::fail : Mark::none},
                          first_row ? Cell{signed_num(ps.change_after) + QStringLiteral(": ") + class_text(ps.classification),
                                           mark_of(ps.classification)}
                                    : Cell{}});
        first_row = false;
      }
    }
    doc.table(t);
  }
  std::vector<QString> pain24;
  for (const auto& s : d.sessions)
    if (s.record.pain_last_24h) pain24.push_back(QStringLiteral("%1: %2").arg(day_of(s.session.started_at_utc), num(*s.record.pain_last_24h)));
  if (!pain24.empty()) {
    QString line = QStringLiteral("Pain over the last 24 h (0–10): ");
    for (std::size_t k = 0; k < pain24.size(); ++k) line += (k ? QStringLiteral("; ") : QString()) + pain24[k];
    doc.paragraph(line, 8.5);
  }

  if (!citations.empty()) {
    doc.heading(QStringLiteral("References for the MDC95 values"));
    for (std::size_t k = 0; k < citations.size(); ++k) {
      doc.paragraph(QStringLiteral("[%1] ").arg(static_cast<qulonglong>(k + 1)) + qs(citations[k]), 7.5);
    }
  }
  if (!rep.notes.empty()) {
    doc.heading(QStringLiteral("Notes"));
    for (const auto& n : rep.notes) doc.paragraph(QStringLiteral("• ") + qs(n), 7.5);
  }
}

// Lays the report out twice: once to count the pages (for "Page n of N"), then on the target.
RenderedReport render_twice(const std::function<void(Document&)>& paint, const QString& title, const QString& header,
                            const QString& footer, const std::function<std::unique_ptr<PageTarget>()>& make_target,
                            std::vector<QImage>* images) {
  int total = 0;
  {
    ImageTarget counting(1);
    Document doc(counting, title, header, 0, footer);
    paint(doc);
    doc.finish();
    total = doc.pages();
  }
  std::unique_ptr<PageTarget> target = make_target();
  Document doc(*target, title, header, total, footer);
  paint(doc);
  doc.finish();
  RenderedReport out;
  out.text = doc.text();
  out.page_count = doc.pages();
  if (images) {
    auto* img = dynamic_cast<ImageTarget*>(target.get());
    if (img) *images = img->take();
  }
  return out;
}

}  // namespace

// ------------------------------------------------------------------ public

namespace {

RenderedReport session_report(const data::Archive& archive, const std::string& session_id,
                              const workflow::DefinitionSet& defs, const workflow::MeasureCatalog& catalog,
                              const ReportOptions& o, const std::function<std::unique_ptr<PageTarget>()>& make_target,
                              std::vector<QImage>* images) {
  const SessionData d = load_session(archive, session_id, defs, catalog, o);
  const QString title = QStringLiteral("Force-plate session report");
  return render_twice([&](Document& doc) { paint_session(doc, d, defs); }, title, running_header(d.patient),
                      footer_text(o, QStringLiteral("session report")), make_target, images);
}

RenderedReport comparison_report(const data::Archive& archive, const std::string& patient_id, const std::string& from,
                                 const std::string& to, const workflow::DefinitionSet& defs,
                                 const workflow::MeasureCatalog& catalog, const workflow::MdcTable& mdc,
                                 const ReportOptions& o, const std::function<std::unique_ptr<PageTarget>()>& make_target,
                                 std::vector<QImage>* images) {
  const ComparisonData d = load_comparison(archive, patient_id, from, to, defs, catalog, mdc, o);
  const QString title = QStringLiteral("Force-plate comparison report");
  return render_twice([&](Document& doc) { paint_comparison(doc, d, defs); }, title, running_header(d.patient),
                      footer_text(o, QStringLiteral("comparison report")), make_target, images);
}

}  // namespace

int write_session_report(const std::filesystem::path& path, const data::Archive& archive, const std::string& session_id,
                         const workflow::DefinitionSet& definitions, const workflow::MeasureCatalog& catalog,
                         const ReportOptions& options) {
  return session_report(
             archive, session_id, definitions, catalog, options,
             [&] { return std::make_unique<PdfTarget>(path, QStringLiteral("Session report")); }, nullptr)
      .page_count;
}

int write_comparison_report(const std::filesystem::path& path, const data::Archive& archive,
                            const std::string& patient_id, const std::string& from, const std::string& to,
                            const workflow::DefinitionSet& definitions, const workflow::MeasureCatalog& catalog,
                            const workflow::MdcTable& mdc, const ReportOptions& options) {
  return comparison_report(
             archive, patient_id, from, to, definitions, catalog, mdc, options,
             [&] { return std::make_unique<PdfTarget>(path, QStringLiteral("Comparison report")); }, nullptr)
      .page_count;
}

RenderedReport render_session_report(const data::Archive& archive, const std::string& session_id,
                                     const workflow::DefinitionSet& definitions,
                                     const workflow::MeasureCatalog& catalog, const ReportOptions& options, double dpi) {
  std::vector<QImage> images;
  RenderedReport r = session_report(
      archive, session_id, definitions, catalog, options, [&] { return std::make_unique<ImageTarget>(dpi); }, &images);
  r.pages = std::move(images);
  return r;
}

RenderedReport render_comparison_report(const data::Archive& archive, const std::string& patient_id,
                                        const std::string& from, const std::string& to,
                                        const workflow::DefinitionSet& definitions,
                                        const workflow::MeasureCatalog& catalog, const workflow::MdcTable& mdc,
                                        const ReportOptions& options, double dpi) {
  std::vector<QImage> images;
  RenderedReport r = comparison_report(archive, patient_id, from, to, definitions, catalog, mdc, options,
                                       [&] { return std::make_unique<ImageTarget>(dpi); }, &images);
  r.pages = std::move(images);
  return r;
}

}  // namespace fp::gui
