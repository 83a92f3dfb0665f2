#pragma once
// Inside a DeviceConnection: the I/O thread's state (decoders, numbering, conversion), the state
// shared with callers under `mutex`, and the watchdog that finds a lost device again.
#include <array>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "forceplate/acquisition/clock_mapper.hpp"
#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/acquisition/sequence_tracker.hpp"
#include "forceplate/acquisition/signal.hpp"
#include "forceplate/acquisition/text_line_decoder.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace fp::acq {

namespace asio = boost::asio;
namespace proto = fp::protocol;

double host_seconds();  // steady clock
DeviceDescription describe(const proto::DeviceInfoMsg& m);
const char* command_name(proto::FrameType t);

struct DeviceConnection::Impl {
  explicit Impl(ConnectionOptions o)
      : options(std::move(o)), port(io), guard(io.get_executor()), format(options.format) {}

  ConnectionOptions options;
  asio::io_context io;
  asio::serial_port port;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::thread thread;
  std::array<std::uint8_t, 4096> rx{};

  // ---- touched only on the I/O thread ----
  proto::StreamDecoder decoder;
  TextLineDecoder text;
  WireFormat format;  // as asked, or (automatic) decided by what the device sends
  std::uint64_t text_index = 0;  // text plates: line number, the sample's sequence
  bool text_have_time = false;
  std::uint32_t text_last_time_us = 0;
  int text_valid_lines = 0;
  TextIdentity text_identity;
  SequenceTracker tracker;
  ClockMapper clock;
  std::optional<SignalConverter> converter;
  proto::SampleBlockMsg block{};
  double rate_window_start = 0;
  std::uint64_t rate_window_samples = 0;

  // ---- shared, under `mutex` ----
  mutable std::mutex mutex;
  std::condition_variable changed;
  ConnectionStatus status;
  std::optional<DeviceDescription> device;
  std::optional<std::vector<double>> tare_offsets;  // host-side zero, kept across reconnects
  std::optional<CalibrationRecord> calibration;     // host-side gains, kept across reconnects
  std::map<std::uint16_t, proto::ReplyMsg> replies;
  std::set<std::uint16_t> unawaited;  // commands the I/O thread sent itself
  std::uint16_t next_request = 1;
  std::vector<std::shared_ptr<SampleRing>> lossless, lossy;
  bool streaming = false;
  bool closing = false;
  double last_data_host_s = 0;

  // ---- watchdog thread ----
  std::thread watchdog;

  // I/O thread (connection_io.cpp)
  void read_next();
  void on_bytes(std::size_t n);
  void on_frame(const proto::FrameView& f);
  void on_samples();
  void on_device_info(const proto::DeviceInfoMsg& m);
  void on_identity(const TextIdentity& id);
  void on_malformed(std::string_view);
  void on_sample(const TextSample& t);
  void become_text(int cells);
  void place_and_deliver(std::uint32_t seq, std::uint32_t time_us, const std::int32_t* counts, int cells,
                         double host_s);
  void send_unawaited(proto::FrameType type);
  void mark_lost(const std::string& why);  // caller holds `mutex`

  // Callers' threads (device_connection.cpp)
  void send(const proto::CommandMsg& cmd);
  void command(proto::FrameType type, std::uint16_t rate_hz = 0,
               std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  template <class F>
  auto on_io(F&& f) -> decltype(f());  // runs f on the I/O thread and waits for it
  bool open_port(const std::string& path, std::string& error);
  void close_port();
  void place_plates(DeviceDescription& d) const;

  // Watchdog (reconnect.cpp)
  void watch();
  bool try_reconnect(const std::string& path, const std::string& serial);
  std::vector<std::string> candidate_ports(const std::string& serial) const;
};

template <class F>
auto DeviceConnection::Impl::on_io(F&& f) -> decltype(f()) {
  std::packaged_task<decltype(f())()> task(std::forward<F>(f));
  auto result = task.get_future();
  asio::post(io, [&task] { task(); });
  return result.get();
}

}  // namespace fp::acq
