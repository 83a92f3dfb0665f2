#pragma once
// Before / after for balance (issue 9 item 5, "overlaid COP traces of the two sessions"): the
// centre-of-pressure trace of one stance test in each of two sessions on one chart. Each trace is
// centred on its own mean, so that the shapes and spreads overlay whatever the foot position was;
// the sessions differ by pen style *and* colour (dashed / solid: readable in black and white) and
// the legend names their dates.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <QWidget>

#include "forceplate/data/archive.hpp"
#include "forceplate/workflow/test_definition.hpp"

class QComboBox;
class QLabel;

namespace fp::gui {

class CopChart;

// A stance test (quiet stance, single-leg stance; per side) with a usable trial in both sessions.
struct StanceTrialPair {
  std::string test;        // definition id
  std::string name;        // definition name
  std::string side;        // "left", "right"; empty for double-leg stance
  std::string from_trial;  // trial ids: the first valid, complete trial with a COP of the test and
  std::string to_trial;    // side in each session (in the order recorded)
};

// Reads the sessions' stance trials (others are passed over by their test name without reading).
// Ordered by test name, then side. Throws the archive's errors for an unknown session.
std::vector<StanceTrialPair> stance_trial_pairs(const data::Archive& archive, const std::string& from_session,
                                                const std::string& to_session,
                                                const workflow::DefinitionSet& definitions);

class CopOverlayWidget : public QWidget {
  Q_OBJECT
 public:
  explicit CopOverlayWidget(QWidget* parent = nullptr);
  ~CopOverlayWidget() override;

  // Lists the stance tests both sessions have in the combo and draws the first. Keeps pointers to
  // the archive and the definitions (for choosing another test): the caller keeps them alive.
  void show_sessions(const data::Archive& archive, const std::string& from_session, const std::string& to_session,
                     const workflow::DefinitionSet& definitions);
  // Nothing to draw: an empty chart and `message`.
  void clear(const QString& message = {});

  // For tests and screenshots.
  QComboBox* test_box() const;
  CopChart* chart() const;
  QLabel* note_label() const;
  const std::vector<StanceTrialPair>& pairs() const;
  // The trials drawn (from, to); empty strings when none.
  std::pair<std::string, std::string> shown_trials() const;

 private:
  void show_current();

  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace fp::gui
