// The results and comparison pages against the report archive (report_fixture.hpp): what the cells
// say, choosing other sessions, and the Export PDF button. Screenshots: <build>/screenshots/
// session_results_page.png and comparison_page.png.
#include <gtest/gtest.h>

#include <fstream>

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest/QTest>

#include "forceplate/gui/session_pages.hpp"
#include "forceplate/workflow/comparison.hpp"
#include "report_fixture.hpp"

namespace {

using namespace fp;

std::filesystem::path shots() {
  const auto dir = std::filesystem::path(FP_BINARY_DIR) / "screenshots";
  std::filesystem::create_directories(dir);
  return dir;
}

QString cell(const QTableWidget* t, int row, int col) {
  const QTableWidgetItem* it = t->item(row, col);
  return it ? it->text() : QString();
}

int row_of(const QTableWidget* t, int col, const QString& text, int from = 0) {
  for (int r = from; r < t->rowCount(); ++r)
    if (cell(t, r, col) == text) return r;
  return -1;
}

std::string head(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  std::string s(4, '\0');
  in.read(s.data(), 4);
  return s;
}

class SessionPagesTest : public ::testing::Test {
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
};

TEST_F(SessionPagesTest, ResultsPageShowsTablesPerTest) {
  gui::SessionResultsPage page;
  page.resize(1000, 760);
  page.show_session(data_->archive, data_->first_session, defs_, catalog_);
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  EXPECT_TRUE(page.header_label()->text().contains("Anna Example"));
  EXPECT_TRUE(page.header_label()->text().contains("2026-01-12"));
  ASSERT_EQ(page.tables().size(), 4U);
  EXPECT_TRUE(page.table_titles()[0].startsWith("Single-leg countermovement jump"));
  EXPECT_TRUE(page.table_titles()[0].contains(QStringLiteral("left 1 → 2")));  // pain before → after

  const QTableWidget* cmj = page.tables()[0];
  ASSERT_EQ(cmj->columnCount(), 6);
  EXPECT_EQ(cmj->horizontalHeaderItem(4)->text(), "LSI %");
  const int r = row_of(cmj, 0, "jump_height_impulse");
  ASSERT_GE(r, 0);
  EXPECT_EQ(cell(cmj, r, 1), "m");
  EXPECT_EQ(cell(cmj, r, 2), "0.15");   // best of 0.14, 0.15, 0.145
  EXPECT_EQ(cell(cmj, r, 3), "0.21");
  EXPECT_EQ(cell(cmj, r, 4), "71.43");
  EXPECT_EQ(cell(cmj, r, 5), QStringLiteral("⊗ below (LSI ≥ 90 %)"));
  EXPECT_TRUE(cmj->item(r, 5)->font().bold());

  // Double-leg test: a value column, no LSI.
  const QTableWidget* qs = page.tables()[2];
  ASSERT_EQ(qs->columnCount(), 4);
  EXPECT_EQ(cell(qs, row_of(qs, 0, "cop_mean_velocity"), 2), "12.45");
  EXPECT_EQ(cell(qs, row_of(qs, 0, "cop_ellipse95_area"), 1), QStringLiteral("mm²"));

  EXPECT_TRUE(page.grab().save(QString::fromStdString((shots() / "session_results_page.png").string())));

  // Export through the button, the file name from the (test) chooser.
  const QString pdf = tmp_.filePath("session.pdf");
  page.set_save_path_chooser([&](QWidget*, const QString& suggested) {
    EXPECT_TRUE(suggested.endsWith(".pdf"));
    return pdf;
  });
  ASSERT_TRUE(page.export_button()->isEnabled());
  QTest::mouseClick(page.export_button(), Qt::LeftButton);
  EXPECT_EQ(head(pdf), "%PDF");
  EXPECT_TRUE(page.status_label()->text().startsWith("Saved ")) << page.status_label()->text().toStdString();
}

TEST_F(SessionPagesTest, ResultsPageUnknownSessionShowsError) {
  gui::SessionResultsPage page;
  page.show_session(data_->archive, "no-such-session", defs_, catalog_);
  EXPECT_TRUE(page.tables().empty());
  EXPECT_FALSE(page.export_button()->isEnabled());
  EXPECT_TRUE(page.status_label()->text().startsWith("Cannot show the session"));
}

TEST_F(SessionPagesTest, ComparisonPageShowsChangeAndClassification) {
  gui::ComparisonPage page;
  page.resize(1250, 760);
  page.show_comparison(data_->archive, data_->patient_id, defs_, catalog_, mdc_);
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  ASSERT_EQ(page.from_box()->count(), 2);
  EXPECT_EQ(page.from_box()->currentData().toString().toStdString(), data_->first_session);
  EXPECT_EQ(page.to_box()->currentData().toString().toStdString(), data_->second_session);

  const QTableWidget* t = page.table();
  using P = gui::ComparisonPage;
  int r = -1;
  for (int i = 0; i < t->rowCount(); ++i)
    if (cell(t, i, P::kMeasure) == "jump_height_impulse" && cell(t, i, P::kSide) == "left") r = i;
  ASSERT_GE(r, 0);
  EXPECT_EQ(cell(t, r, P::kTest), "Single-leg countermovement jump");
  EXPECT_EQ(cell(t, r, P::kFrom), "0.15");
  EXPECT_EQ(cell(t, r, P::kTo), "0.19");
  EXPECT_EQ(cell(t, r, P::kChange), "+0.04 (+26.67 %)");
  EXPECT_FALSE(cell(t, r, P::kMdc).isEmpty());
  EXPECT_NE(cell(t, r, P::kMdc), QStringLiteral("–"));
  EXPECT_TRUE(cell(t, r, P::kSource) == "published" || cell(t, r, P::kSource) == "own variability");
  EXPECT_EQ(cell(t, r, P::kResult), QStringLiteral("▲ better"));
  // The right side did not change.
  for (int i = 0; i < t->rowCount(); ++i) {
    if (cell(t, i, P::kMeasure) == "jump_height_impulse" && cell(t, i, P::kSide) == "right") {
      EXPECT_EQ(cell(t, i, P::kResult), QStringLiteral("= within noise"));
    }
  }
  EXPECT_TRUE(page.symmetry_label()->text().contains(QStringLiteral("71.43 % → 90.48 %")));
  EXPECT_TRUE(page.symmetry_label()->text().contains("Pain after"));

  EXPECT_TRUE(page.grab().save(QString::fromStdString((shots() / "comparison_page.png").string())));

  // The same session twice: a refusal in the status line, no rows.
  page.from_box()->setCurrentIndex(1);
  EXPECT_EQ(t->rowCount(), 0);
  EXPECT_TRUE(page.status_label()->text().startsWith("Cannot compare")) << page.status_label()->text().toStdString();
  EXPECT_FALSE(page.export_button()->isEnabled());
  page.from_box()->setCurrentIndex(0);
  EXPECT_GT(t->rowCount(), 0);

  const QString pdf = tmp_.filePath("comparison.pdf");
  page.set_save_path_chooser([&](QWidget*, const QString&) { return pdf; });
  QTest::mouseClick(page.export_button(), Qt::LeftButton);
  EXPECT_EQ(head(pdf), "%PDF");
  EXPECT_TRUE(page.status_label()->text().startsWith("Saved ")) << page.status_label()->text().toStdString();
}

}  // namespace
