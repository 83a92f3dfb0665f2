// main() for the GUI tests: a QApplication on the offscreen platform (no display needed), then
// GoogleTest.
#include <gtest/gtest.h>

#include <QApplication>

#include <unistd.h>

#include <filesystem>
#include <string>

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  // The window opens (and on a first start creates) the per-user archive and calibration store:
  // in tests they are a folder of this process, never the user's own.
  const std::filesystem::path home = std::filesystem::temp_directory_path() / ("fp-gui-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(home);
  qputenv("XDG_DATA_HOME", (home / "data").string().c_str());
  qputenv("XDG_CONFIG_HOME", (home / "config").string().c_str());
  qputenv("FORCEPLATE_ARCHIVE", (home / "archive").string().c_str());
  QApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  const int result = RUN_ALL_TESTS();
  std::error_code ec;
  std::filesystem::remove_all(home, ec);
  return result;
}
