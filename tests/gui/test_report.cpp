// The PDF reports (issue 9 item 6): written from an archive with known results; the PDF is checked
// for its header and pages, and the same painting, rendered to images, for what it says and that
// every page has something on it. The pages are saved as PNG under <build>/screenshots/ to look at.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include <QDir>
#include <QImage>
#include <QTemporaryDir>

#include "forceplate/gui/report.hpp"
#include "forceplate/workflow/comparison.hpp"
#include "report_fixture.hpp"

namespace {

using namespace fp;

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int pdf_pages(const std::string& pdf) {
  static const std::regex page(R"(/Type\s*/Page[^s])");
  return static_cast<int>(std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

// Share of pixels that are not white.
double ink(const QImage& img) {
  long dark = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x)
      if (qGray(img.pixel(x, y)) < 200) ++dark;
  return static_cast<double>(dark) / (static_cast<double>(img.width()) * img.height());
}

bool has(const QStringList& text, const QString& s) {
  for (const auto& t : text)
    if (t.contains(s)) return true;
  return false;
}

std::filesystem::path screenshot_dir() {
  const std::filesystem::path dir = std::filesystem::path(FP_BINARY_DIR) / "screenshots";
  std::filesystem::create_directories(dir);
  return dir;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.isValid());
    data_ = std::make_unique<gui::test::ReportArchive>(
        gui::test::make_report_archive(std::filesystem::path(tmp_.path().toStdString()) / "archive"));
  }
  QTemporaryDir tmp_;
  std::unique_ptr<gui::test::ReportArchive> data_;
  workflow::DefinitionSet defs_ = workflow::load_definitions({workflow::built_in_definitions_dir()});
  workflow::MeasureCatalog catalog_ = workflow::MeasureCatalog::built_in();
  workflow::MdcTable mdc_ = workflow::MdcTable::load(workflow::built_in_mdc_table());
  gui::ReportOptions options_{90, "9.9.9-test", "2026-03-09 10:15"};
};

TEST_F(ReportTest, SessionReportPdfAndPages) {
  const auto pdf = std::filesystem::path(tmp_.path().toStdString()) / "session.pdf";
  const int pages = gui::write_session_report(pdf, data_->archive, data_->first_session, defs_, catalog_, options_);
  ASSERT_GE(pages, 1);
  const std::string bytes = read_all(pdf);
  ASSERT_GT(bytes.size(), 1000U);
  EXPECT_EQ(bytes.substr(0, 4), "%PDF");
  EXPECT_EQ(pdf_pages(bytes), pages);
  EXPECT_NE(bytes.find("/MediaBox [0 0 595"), std::string::npos);  // A4 portrait: 595 x 842 pt
  EXPECT_NE(bytes.find(" 842"), std::string::npos);
  EXPECT_NE(bytes.find("/FontName"), std::string::npos);  // text as text, with its font embedded
  std::filesystem::copy_file(pdf, screenshot_dir() / "report_session.pdf",
                             std::filesystem::copy_options::overwrite_existing);

  const gui::RenderedReport r =
      gui::render_session_report(data_->archive, data_->first_session, defs_, catalog_, options_, 110);
  ASSERT_EQ(static_cast<int>(r.pages.size()), pages);
  EXPECT_EQ(r.page_count, pages);
  for (std::size_t i = 0; i < r.pages.size(); ++i) {
    EXPECT_GT(ink(r.pages[i]), 0.005) << "page " << i + 1 << " looks empty";
    r.pages[i].save(QString::fromStdString((screenshot_dir() / ("report_session_p" + std::to_string(i + 1) + ".png")).string()));
  }
  // Patient header.
  EXPECT_TRUE(has(r.text, "Anna Example"));
  EXPECT_TRUE(has(r.text, "P001"));
  EXPECT_TRUE(has(r.text, "1990-04-12"));
  EXPECT_TRUE(has(r.text, "ACL reconstruction, left knee"));
  EXPECT_TRUE(has(r.text, "2026-01-12 09:00 UTC"));
  EXPECT_TRUE(has(r.text, "3 / 10"));  // pain over the last 24 h
  // The tables: left 0.15 m, right 0.21 m (best of 3), LSI 71.43 % below the definition's 90 %.
  EXPECT_TRUE(has(r.text, "Single-leg countermovement jump"));
  EXPECT_TRUE(r.text.contains("jump_height_impulse"));
  EXPECT_TRUE(r.text.contains("0.15"));
  EXPECT_TRUE(r.text.contains("0.21"));
  EXPECT_TRUE(r.text.contains("71.43"));
  EXPECT_TRUE(r.text.contains(QStringLiteral("LSI ≥ 90 %")));
  EXPECT_TRUE(r.text.contains("below"));
  EXPECT_TRUE(r.text.contains("LSI %"));
  // Double-leg test: combined value only.
  EXPECT_TRUE(r.text.contains("12.45"));  // mean of 12.5 and 12.4 mm/s
  // Pain: hip provocation, left 4/10 after: positive (threshold pain < 2).
  EXPECT_TRUE(has(r.text, "Pain ratings"));
  EXPECT_TRUE(r.text.contains("positive"));
  // Footer: version and page numbers.
  EXPECT_TRUE(has(r.text, "forceplate 9.9.9-test"));
  EXPECT_TRUE(r.text.contains(QStringLiteral("Page %1 of %1").arg(pages)));
}

TEST_F(ReportTest, ComparisonReportPdfAndPages) {
  const auto pdf = std::filesystem::path(tmp_.path().toStdString()) / "comparison.pdf";
  const int pages =
      gui::write_comparison_report(pdf, data_->archive, data_->patient_id, "", "", defs_, catalog_, mdc_, options_);
  ASSERT_GE(pages, 2);
  const std::string bytes = read_all(pdf);
  EXPECT_EQ(bytes.substr(0, 4), "%PDF");
  EXPECT_EQ(pdf_pages(bytes), pages);
  std::filesystem::copy_file(pdf, screenshot_dir() / "report_comparison.pdf",
                             std::filesystem::copy_options::overwrite_existing);

  const gui::RenderedReport r = gui::render_comparison_report(data_->archive, data_->patient_id, "", "", defs_,
                                                              catalog_, mdc_, options_, 110);
  ASSERT_EQ(static_cast<int>(r.pages.size()), pages);
  for (std::size_t i = 0; i < r.pages.size(); ++i) {
    EXPECT_GT(ink(r.pages[i]), 0.005) << "page " << i + 1 << " looks empty";
    r.pages[i].save(
        QString::fromStdString((screenshot_dir() / ("report_comparison_p" + std::to_string(i + 1) + ".png")).string()));
    // As printed in black and white.
    r.pages[i].convertToFormat(QImage::Format_Grayscale8)
        .save(QString::fromStdString(
            (screenshot_dir() / ("report_comparison_p" + std::to_string(i + 1) + "_gray.png")).string()));
  }
  EXPECT_TRUE(has(r.text, "Anna Example"));
  EXPECT_TRUE(has(r.text, QStringLiteral("2026-01-12 → 2026-03-09")));
  EXPECT_TRUE(has(r.text, "Change per measure"));
  // Left jump height 0.15 -> 0.19 m: +0.04, better than the MDC.
  EXPECT_TRUE(r.text.contains("0.15"));
  EXPECT_TRUE(r.text.contains("0.19"));
  EXPECT_TRUE(r.text.contains("+0.04\n(+26.67 %)"));
  EXPECT_TRUE(r.text.contains("better"));
  EXPECT_TRUE(r.text.contains("within noise"));
  EXPECT_TRUE(has(r.text, "published") || has(r.text, "own variability"));
  // LSI chart and table: 71.43 % -> 90.48 %, against the threshold, axes labelled with units.
  EXPECT_TRUE(r.text.contains("LSI (%)"));
  EXPECT_TRUE(r.text.contains("Session date"));
  EXPECT_TRUE(r.text.contains("threshold 90 %"));
  EXPECT_TRUE(has(r.text, "(continued)"));  // long tables go on over page breaks, their caption repeated
  EXPECT_TRUE(r.text.contains("71.43"));
  EXPECT_TRUE(r.text.contains("90.48"));
  EXPECT_TRUE(r.text.contains("2026-01-12"));
  // Pain over time: hip provocation left 4 -> 1.
  EXPECT_TRUE(r.text.contains(QStringLiteral("Pain (0–10)")));
  EXPECT_TRUE(has(r.text, "-3: better"));
  EXPECT_TRUE(r.text.contains(QStringLiteral("Page %1 of %1").arg(pages)));
}

TEST_F(ReportTest, UnwritablePathThrows) {
  EXPECT_ANY_THROW(gui::write_session_report("/nonexistent-dir/x/report.pdf", data_->archive, data_->first_session, defs_,
                                             catalog_, options_));
}

}  // namespace
