#pragma once
// One connection to a plate over a serial line. Reading, decoding and conversion run on the
// connection's own I/O thread; consumers take samples from their own SPSC ring and never make
// that thread wait.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "forceplate/acquisition/calibration.hpp"
#include "forceplate/acquisition/sample.hpp"
#include "forceplate/acquisition/spsc_ring.hpp"

namespace fp::acq {

class AcquisitionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Binary: the documented protocol (docs/protocol.md). Text: the plain-text line format of DIY
// plates. Automatic: whichever the device turns out to speak.
enum class WireFormat { automatic, binary, text };

// A text plate says nothing about its cells: where they are and how many newtons a count is.
PlateSpec default_text_plate();

struct ConnectionOptions {
  std::string path;  // e.g. /dev/ttyACM0 or a simulator's /dev/pts/N
  unsigned baud = 921600;
  std::chrono::milliseconds reply_timeout{1500};  // for the device to answer a command (or, for a
                                                  // text plate, to print its first lines)
  int command_attempts = 3;  // a command whose reply was lost on the line is sent again
  double min_cop_force_n = 20.0;
  WireFormat format = WireFormat::automatic;
  PlateSpec text_plate = default_text_plate();
  double text_rate_hz = 80;  // used when a text plate does not state its rate
  // Two plates stand side by side, plate 0 (left foot) at negative x, this far apart edge to edge.
  double plate_gap_m = 0.0;

  // Watchdog: a device that sends nothing for `no_data_timeout` while streaming, or whose port
  // fails, is "lost"; with `auto_reconnect` it is looked for again with back-off (up to
  // `max_backoff` between attempts) and streaming resumes where it was.
  bool auto_reconnect = true;
  std::chrono::milliseconds no_data_timeout{1000};
  std::chrono::milliseconds max_backoff{800};
  // Where to look for a lost device, given its serial number. Default: the same path, then every
  // serial port libserialport lists (each asked who it is).
  std::function<std::vector<std::string>(const std::string& serial)> find_ports = {};
  // Called on the watchdog thread when the device is lost (true) and found again (false).
  std::function<void(bool lost, const std::string& why)> on_lost_or_found = {};
};

using SampleRing = SpscRing<Sample>;

struct ConnectionStatus {
  bool connected = false;
  bool lost = false;            // the port failed or the device went silent; not yet found again
  std::string last_error;
  std::string port;             // where the device is now (changes when it is re-plugged)
  std::uint64_t times_lost = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t samples_missing_estimated = 0;  // across restarts and reconnects (host clock)
  double measured_rate_hz = 0;  // samples per second of host time over the last second
  double clock_drift_ppm = 0;   // device clock against the host's, estimated
  std::uint64_t samples = 0;    // delivered to consumers
  std::uint64_t samples_missing = 0;  // exact: numbered by the device, never received
  std::uint64_t device_reported_drops = 0;  // from the device's overrun status reports
  std::uint64_t device_restarts = 0;
  std::uint64_t frames = 0;
  std::uint64_t crc_errors = 0;
  std::uint64_t framing_errors = 0;
  std::uint64_t unknown_frames = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t display_drops = 0;  // samples lossy consumers had no room for
  std::uint64_t malformed_lines = 0;  // text plates: lines that were not a sample (each is a lost sample)
  bool text_format = false;
};

class DeviceConnection {
 public:
  explicit DeviceConnection(ConnectionOptions options);
  ~DeviceConnection();
  DeviceConnection(const DeviceConnection&) = delete;
  DeviceConnection& operator=(const DeviceConnection&) = delete;

  // Opens the port, starts the I/O thread and asks the device who it is.
  // Throws AcquisitionError naming the port and the problem.
  DeviceDescription connect();
  void start_streaming();
  void stop_streaming();
  void ping();
  void close();
  bool is_text_plate() const;

  // Consumers must subscribe before start_streaming(). A lossless ring that fills up is marked in
  // its rejected() count: the recorder treats that as a failed trial.
  std::shared_ptr<SampleRing> subscribe(std::size_t capacity);
  std::shared_ptr<SampleRing> subscribe_lossy(std::size_t capacity);
  void unsubscribe(const std::shared_ptr<SampleRing>& ring);

  // Host-side zeroing from samples taken on the empty plate.
  void tare(const std::vector<Sample>& empty_plate);
  // Convert with a stored calibration's gains from now on (kept across reconnections). Throws
  // CalibrationError if it belongs to another device or another number of cells.
  void use_calibration(const CalibrationRecord& record);

  ConnectionStatus status() const;
  DeviceDescription device() const;  // a copy: it changes on tare and reconnection

 private:
  DeviceDescription handshake();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fp::acq
