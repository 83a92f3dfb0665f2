#pragma once
// PDF reports (issue 9 item 6): a session's results and a before/after comparison of two sessions,
// on A4, drawn with QPainter on Qt's PDF writer. Readable in black and white: pass / fail and
// better / worse are written out and marked by shapes, chart series differ by marker and line
// style, not only by colour.
//
// The same painting code also renders into images (render_*), which is how tests and screenshots
// look at the pages without a PDF reader; it also records every piece of text it draws.
#include <filesystem>
#include <string>
#include <vector>

#include <QImage>
#include <QStringList>

#include "forceplate/data/archive.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"

namespace fp::gui {

struct ReportOptions {
  double lsi_threshold_percent = 90;  // return-to-function threshold for the limb symmetry index
  std::string software_version = {};  // empty: this build's version
  std::string generated_at = {};      // shown in the footer; empty: the current local date and time
};

// What the painting produced: one image per page (render_* only) and every text drawn, in order.
struct RenderedReport {
  std::vector<QImage> pages;
  QStringList text;
  int page_count = 0;
};

// Throws std::runtime_error (or the archive's / workflow's errors) when the data cannot be read or
// the file cannot be written. Returns the number of pages written.
int write_session_report(const std::filesystem::path& path, const data::Archive& archive,
                         const std::string& session_id, const workflow::DefinitionSet& definitions,
                         const workflow::MeasureCatalog& catalog, const ReportOptions& options = {});

// from / to: session ids; empty: the first / the latest session with results.
int write_comparison_report(const std::filesystem::path& path, const data::Archive& archive,
                            const std::string& patient_id, const std::string& from, const std::string& to,
                            const workflow::DefinitionSet& definitions, const workflow::MeasureCatalog& catalog,
                            const workflow::MdcTable& mdc, const ReportOptions& options = {});

// The same pages as images, `dpi` dots per inch (A4 at 72 dpi: 595 x 842 pixels).
RenderedReport render_session_report(const data::Archive& archive, const std::string& session_id,
                                     const workflow::DefinitionSet& definitions,
                                     const workflow::MeasureCatalog& catalog, const ReportOptions& options = {},
                                     double dpi = 96);
RenderedReport render_comparison_report(const data::Archive& archive, const std::string& patient_id,
                                        const std::string& from, const std::string& to,
                                        const workflow::DefinitionSet& definitions,
                                        const workflow::MeasureCatalog& catalog, const workflow::MdcTable& mdc,
                                        const ReportOptions& options = {}, double dpi = 96);

}  // namespace fp::gui
