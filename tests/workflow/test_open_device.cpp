// Opening a plate applies its stored calibration, keeps it across a re-plug, and says when it is old.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "forceplate/acquisition/calibration_store.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "forceplate/workflow/open_device.hpp"

namespace fp::workflow {
namespace {

using namespace std::chrono_literals;

// A plate whose cells are really 6 % more sensitive than the gains it reports.
sim::SimulatorConfig miscalibrated_plate() {
  sim::SimulatorConfig cfg;
  cfg.serial = "SIM-STORED-CAL";
  cfg.speed = 4;
  std::array<std::array<sim::CellModel, sim::kCellsPerPlate>, sim::kMaxPlates> reported{};
  for (int i = 0; i < sim::kCellsPerPlate; ++i) {
    cfg.plates[0].cells[static_cast<std::size_t>(i)].gain_n_per_count = 0.0005 * 1.06;
    reported[0][static_cast<std::size_t>(i)].gain_n_per_count = 0.0005;
  }
  cfg.stored_calibration = reported;
  return cfg;
}

double mean_fz(acq::DeviceConnection& d, double after_s) {
  auto ring = d.subscribe(1 << 15);
  d.start_streaming();
  double sum = 0;
  int n = 0;
  acq::Sample s;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (n < 200 && std::chrono::steady_clock::now() < deadline) {
    if (!ring->try_pop(s)) {
      std::this_thread::sleep_for(1ms);
    } else if (s.device_time_s >= after_s) {
      sum += s.fz_n[0];
      ++n;
    }
  }
  d.stop_streaming();
  d.unsubscribe(ring);
  return n ? sum / n : 0;
}

acq::CalibrationRecord record_with_true_gains(const std::string& date) {
  acq::CalibrationRecord r;
  r.serial = "SIM-STORED-CAL";
  r.date_utc = date;
  acq::PlateCalibration p;
  p.fit.gains_n_per_count = {0.0005 * 1.06, 0.0005 * 1.06, 0.0005 * 1.06, 0.0005 * 1.06};
  r.plates.push_back(p);
  return r;
}

TEST(OpenDevice, StoredCalibrationOfThisPlate_IsUsedAndTheForceIsRightAgain) {
  const auto dir = std::filesystem::path(FP_BINARY_DIR) / "open-device-cal";
  std::filesystem::remove_all(dir);
  const double weight = 75 * 9.80665;

  sim::Simulator simulator(miscalibrated_plate());
  simulator.start();
  {
    // Without a stored calibration: the reported gains read 6 % low, and the note says so.
    OpenedDevice raw = open_device(simulator.port_path(), OpenOptions{921600, dir, true});
    EXPECT_NEAR(mean_fz(*raw.connection, 3.0) / weight, 1 / 1.06, 0.005);
  }
  acq::save_calibration(record_with_true_gains(acq::iso8601_utc(std::chrono::system_clock::now())), dir);
  OpenedDevice opened = open_device(simulator.port_path(), OpenOptions{921600, dir, true});
  ASSERT_FALSE(opened.notes.empty());
  EXPECT_NE(opened.notes[0].find("in use"), std::string::npos) << opened.notes[0];
  EXPECT_NEAR(mean_fz(*opened.connection, 3.0) / weight, 1.0, 0.005);
}

TEST(OpenDevice, OldStoredCalibration_IsUsedButTheNotesWarnAboutItsAge) {
  const auto dir = std::filesystem::path(FP_BINARY_DIR) / "open-device-old-cal";
  std::filesystem::remove_all(dir);
  acq::save_calibration(record_with_true_gains("2024-01-01T09:00:00Z"), dir);
  sim::Simulator simulator(miscalibrated_plate());
  simulator.start();
  const OpenedDevice opened = open_device(simulator.port_path(), OpenOptions{921600, dir, true});
  bool warned = false;
  for (const auto& n : opened.notes) warned = warned || n.find("days old") != std::string::npos;
  EXPECT_TRUE(warned) << (opened.notes.empty() ? "" : opened.notes.back());
}

TEST(OpenDevice, SerialNumberNobodyAnswersTo_OneLineError) {
  try {
    (void)open_device("NO-SUCH-PLATE");
    ADD_FAILURE() << "opened a plate that does not exist";
  } catch (const acq::AcquisitionError& e) {
    EXPECT_NE(std::string(e.what()).find("NO-SUCH-PLATE"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fp::workflow
