#include "forceplate/acquisition/device_connection.hpp"

#include <array>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <algorithm>
#include <thread>

#include "forceplate/acquisition/sequence_tracker.hpp"
#include "forceplate/acquisition/signal.hpp"
#include "forceplate/acquisition/text_line_decoder.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace fp::acq {

namespace asio = boost::asio;
namespace proto = fp::protocol;

namespace {

DeviceDescription describe(const proto::DeviceInfoMsg& m) {
  DeviceDescription d;
  d.serial = m.serial;
  d.firmware_version = m.firmware_version;
  d.protocol_major = m.protocol_major;
  d.protocol_minor = m.protocol_minor;
  d.adc_bits = m.adc_bits;
  d.nominal_rate_hz = m.nominal_rate_hz;
  d.current_rate_hz = m.current_rate_hz;
  d.calibration_unix_time = m.calibration_unix_time;
  for (int k = 0; k < m.plate_count; ++k) {
    PlateSpec p;
    p.width_m = static_cast<double>(m.plate_width_mm[k]) / 1000.0;
    p.length_m = static_cast<double>(m.plate_length_mm[k]) / 1000.0;
    for (int c = 0; c < kCellsPerPlate; ++c) {
      const proto::CellInfo& cell = m.cells[k * kCellsPerPlate + c];
      p.cells[static_cast<std::size_t>(c)] =
          CellSpec{static_cast<double>(cell.x_mm) / 1000.0, static_cast<double>(cell.y_mm) / 1000.0,
                   static_cast<double>(cell.gain_n_per_count),
                   static_cast<double>(cell.offset_counts)};
    }
    d.plates.push_back(p);
  }
  return d;
}

const char* command_name(proto::FrameType t) {
  switch (t) {
    case proto::FrameType::get_info: return "get_info";
    case proto::FrameType::start: return "start";
    case proto::FrameType::stop: return "stop";
    case proto::FrameType::set_rate: return "set_rate";
    case proto::FrameType::tare: return "tare";
    case proto::FrameType::ping: return "ping";
    default: return "command";
  }
}

}  // namespace

PlateSpec default_text_plate() {
  // The 500 mm reference plate with cells 400 mm apart; 1 N per count until calibrated.
  PlateSpec p;
  p.width_m = p.length_m = 0.5;
  const double xs[4] = {-0.2, 0.2, 0.2, -0.2};
  const double ys[4] = {0.2, 0.2, -0.2, -0.2};
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) p.cells[c] = CellSpec{xs[c], ys[c], 1.0, 0.0};
  return p;
}

struct DeviceConnection::Impl {
  explicit Impl(ConnectionOptions o)
      : options(std::move(o)), port(io), guard(io.get_executor()), format(options.format) {}

  ConnectionOptions options;
  asio::io_context io;
  asio::serial_port port;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::thread thread;
  std::array<std::uint8_t, 4096> rx{};

  // Touched only on the I/O thread.
  proto::StreamDecoder decoder;
  TextLineDecoder text;
  WireFormat format;  // as asked, or (automatic) decided by what the device sends
  std::uint64_t text_index = 0;               // text plates: line number, the sample's sequence
  bool text_have_time = false;
  std::uint32_t text_last_time_us = 0;
  int text_valid_lines = 0;
  TextIdentity text_identity;
  SequenceTracker tracker;
  std::optional<SignalConverter> converter;
  proto::SampleBlockMsg block{};

  mutable std::mutex mutex;  // everything below
  std::condition_variable changed;
  ConnectionStatus status;
  std::optional<DeviceDescription> device;
  std::map<std::uint16_t, proto::ReplyMsg> replies;
  std::set<std::uint16_t> unawaited;  // commands the I/O thread sent itself
  std::uint16_t next_request = 1;
  std::vector<std::shared_ptr<SampleRing>> lossless, lossy;
  bool streaming = false;

  void read_next() {
    port.async_read_some(asio::buffer(rx), [this](const boost::system::error_code& ec, std::size_t n) {
      if (ec) {
        if (ec == asio::error::operation_aborted) return;
        std::lock_guard lock(mutex);
        status.lost = true;
        status.connected = false;
        status.last_error = ec == asio::error::eof ? "device closed the connection" : ec.message();
        changed.notify_all();
        return;
      }
      on_bytes(n);
      read_next();
    });
  }

  void on_bytes(std::size_t n) {
    if (format != WireFormat::text) {
      decoder.feed(rx.data(), n, [this](const proto::FrameView& f) { on_frame(f); });
      if (format == WireFormat::automatic && decoder.stats().frames > 0) format = WireFormat::binary;
    }
    if (format != WireFormat::binary) text.feed(rx.data(), n, *this);
    const proto::DecoderStats& d = decoder.stats();
    std::lock_guard lock(mutex);
    status.bytes_received += n;
    status.frames = d.frames;
    status.crc_errors = d.crc_errors;
    status.framing_errors = d.framing_errors + d.oversize_frames + d.version_mismatches;
    status.malformed_lines = format == WireFormat::text ? text.stats().malformed : 0;
  }

  // --- the plain-text line format (TextLineDecoder handler) ---
  void on_identity(const TextIdentity& id) { text_identity = id; }

  void on_malformed(std::string_view) {
    if (format == WireFormat::text) ++text_index;  // a damaged line is a lost sample: it keeps its number
  }

  void on_sample(const TextSample& t) {
    if (format == WireFormat::automatic) {
      // Two good lines and no binary frame yet: this plate speaks text.
      if (++text_valid_lines < 2) return;
      become_text(t.cell_count);
    } else if (format == WireFormat::text && !converter) {
      become_text(t.cell_count);
    }
    if (format != WireFormat::text) return;
    const double rate = converter->device().current_rate_hz;
    const auto period_us = static_cast<std::uint32_t>(1e6 / rate);
    std::uint32_t time_us;
    if (t.has_time) {
      // With time stamps, lines lost whole show as time jumps of whole periods.
      if (text_have_time) {
        const double periods = static_cast<double>(t.time_us - text_last_time_us) / period_us;
        text_index += periods > 1.5 ? static_cast<std::uint64_t>(periods + 0.5) - 1 : 0;
      }
      text_have_time = true;
      text_last_time_us = t.time_us;
      time_us = t.time_us;
    } else {
      time_us = static_cast<std::uint32_t>(text_index * period_us);
    }
    const std::uint64_t seq = text_index++;
    if (t.cell_count != converter->device().cell_count()) return;
    std::lock_guard lock(mutex);
    if (!streaming) return;
    Sample s;
    place_and_deliver(s, static_cast<std::uint32_t>(seq), time_us, t.counts, t.cell_count);
  }

  void become_text(int cells) {
    format = WireFormat::text;
    DeviceDescription d;
    d.serial = text_identity.serial.empty() ? "text:" + options.path : text_identity.serial;
    d.firmware_version = "text-line-v1";
    d.nominal_rate_hz = d.current_rate_hz = text_identity.rate_hz > 0 ? text_identity.rate_hz : options.text_rate_hz;
    d.adc_bits = 24;
    for (int k = 0; k < cells / kCellsPerPlate; ++k) d.plates.push_back(options.text_plate);
    converter.emplace(d, options.min_cop_force_n);
    std::lock_guard lock(mutex);
    device = d;
    status.text_format = true;
    changed.notify_all();
  }

  // Numbers, converts and hands one sample to every consumer. Caller holds `mutex`.
  void place_and_deliver(Sample& s, std::uint32_t seq, std::uint32_t time_us, const std::int32_t* counts, int cells) {
    const auto placed = tracker.place(seq, time_us);
    s.sequence = placed.sequence;
    s.device_time_s = placed.device_time_s;
    s.gap_before = placed.gap_before;
    for (int c = 0; c < cells; ++c) s.counts[static_cast<std::size_t>(c)] = counts[c];
    converter->convert(s);
    for (auto& r : lossless) r->try_push(s);
    for (auto& r : lossy) {
      if (!r->try_push(s)) ++status.display_drops;
    }
    status.samples = tracker.samples_seen();
    status.samples_missing = tracker.samples_missing();
    status.device_restarts = tracker.restarts();
  }

  void on_frame(const proto::FrameView& f) {
    switch (static_cast<proto::FrameType>(f.type)) {
      case proto::FrameType::samples:
        if (proto::parse_samples(f, block)) on_samples();
        return;
      case proto::FrameType::device_info: {
        proto::DeviceInfoMsg m{};
        if (!proto::parse_device_info(f, m)) return;
        DeviceDescription d = describe(m);
        converter.emplace(d, options.min_cop_force_n);
        std::lock_guard lock(mutex);
        device = d;
        changed.notify_all();
        return;
      }
      case proto::FrameType::reply: {
        proto::ReplyMsg r{};
        if (!proto::parse_reply(f, r)) return;
        std::lock_guard lock(mutex);
        if (unawaited.erase(r.request_id) > 0) return;
        replies[r.request_id] = r;
        changed.notify_all();
        return;
      }
      case proto::FrameType::status: {
        proto::StatusMsg s{};
        if (!proto::parse_status(f, s)) return;
        std::lock_guard lock(mutex);
        if (s.code == proto::StatusCode::overrun) status.device_reported_drops += s.dropped;
        if (s.code == proto::StatusCode::adc_fault) status.last_error = "device reports an ADC fault";
        if (s.code == proto::StatusCode::boot && streaming) {
          // The device restarted under us and waits to be told to start again.
          status.last_error = "device restarted";
          send_unawaited(proto::FrameType::start);
        }
        return;
      }
      default: {
        std::lock_guard lock(mutex);
        ++status.unknown_frames;  // skip and count: a newer device may send types we do not know
        return;
      }
    }
  }

  void on_samples() {
    if (!converter || block.cell_count != converter->device().cell_count()) {
      std::lock_guard lock(mutex);
      ++status.unknown_frames;  // samples that do not match the described plate cannot be used
      return;
    }
    std::lock_guard lock(mutex);
    for (int i = 0; i < block.sample_count; ++i) {
      Sample s;
      place_and_deliver(s, block.first_sequence + static_cast<std::uint32_t>(i), block.time_us[i],
                        block.counts[i], block.cell_count);
    }
  }

  // Sends a command from the I/O thread without waiting for its reply. Caller holds `mutex`.
  void send_unawaited(proto::FrameType type) {
    proto::CommandMsg cmd{type, next_request++, 0};
    if (next_request == 0) next_request = 1;
    unawaited.insert(cmd.request_id);
    send(cmd);
  }

  void send(const proto::CommandMsg& cmd) {
    std::array<std::uint8_t, proto::kMaxWireFrame> wire{};
    const std::size_t n = proto::encode_command(cmd, wire.data(), wire.size());
    asio::post(io, [this, wire, n] {
      boost::system::error_code ec;
      asio::write(port, asio::buffer(wire.data(), n), ec);
      if (ec) {
        std::lock_guard lock(mutex);
        status.lost = true;
        status.last_error = "cannot write to the device: " + ec.message();
        changed.notify_all();
      }
    });
  }

  // Sends a command and waits for its acknowledgement; a command (or reply) lost on the line is
  // sent again, which is safe because every command is idempotent.
  void command(proto::FrameType type, std::uint16_t rate_hz = 0) {
    proto::CommandMsg cmd{type, 0, rate_hz};
    {
      std::lock_guard lock(mutex);
      cmd.request_id = next_request++;
      if (next_request == 0) next_request = 1;
    }
    const int attempts = std::max(1, options.command_attempts);
    const auto per_attempt = options.reply_timeout / attempts;
    std::unique_lock lock(mutex);
    bool answered = false;
    for (int a = 0; a < attempts && !answered && !status.lost; ++a) {
      lock.unlock();
      send(cmd);
      lock.lock();
      answered = changed.wait_for(lock, per_attempt, [&] {
        return replies.count(cmd.request_id) > 0 || status.lost || status.text_format;
      }) && !status.lost && !status.text_format;
      if (status.text_format) return;  // it is a text plate after all: it takes no commands
    }
    if (status.lost) {
      throw AcquisitionError(options.path + ": device lost while waiting for '" + command_name(type) +
                             "': " + status.last_error);
    }
    if (!answered) {
      throw AcquisitionError(options.path + ": no reply to '" + command_name(type) + "' within " +
                             std::to_string(options.reply_timeout.count()) + " ms");
    }
    const proto::ReplyMsg r = replies[cmd.request_id];
    replies.erase(cmd.request_id);
    if (r.result != proto::ReplyResult::ack) {
      throw AcquisitionError(options.path + ": device refused '" + command_name(type) + "': " +
                             (r.text[0] ? r.text : "no reason given"));
    }
  }
};

DeviceConnection::DeviceConnection(ConnectionOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

DeviceConnection::~DeviceConnection() { close(); }

DeviceDescription DeviceConnection::connect() {
  Impl& m = *impl_;
  const std::string& path = m.options.path;
  try {
    m.port.open(path);
    m.port.set_option(asio::serial_port_base::baud_rate(m.options.baud));
    m.port.set_option(asio::serial_port_base::character_size(8));
    m.port.set_option(asio::serial_port_base::parity(asio::serial_port_base::parity::none));
    m.port.set_option(asio::serial_port_base::stop_bits(asio::serial_port_base::stop_bits::one));
    m.port.set_option(asio::serial_port_base::flow_control(asio::serial_port_base::flow_control::none));
  } catch (const boost::system::system_error& e) {
    throw AcquisitionError("cannot open serial port " + path + ": " + e.code().message());
  }
  m.read_next();
  m.thread = std::thread([&m] { m.io.run(); });
  {
    std::lock_guard lock(m.mutex);
    m.status.connected = true;
  }
  const std::string within = " within " + std::to_string(m.options.reply_timeout.count()) + " ms";
  if (m.options.format == WireFormat::text) {
    std::unique_lock lock(m.mutex);
    if (!m.changed.wait_for(lock, m.options.reply_timeout, [&] { return m.device.has_value() || m.status.lost; })) {
      throw AcquisitionError("no valid text lines from " + path + within + " (" +
                             std::to_string(m.status.bytes_received) +
                             " bytes received): does the plate print 'c1,c2,c3,c4' lines at " +
                             std::to_string(m.options.baud) + " baud?");
    }
  } else {
    try {
      m.command(proto::FrameType::get_info);
    } catch (const AcquisitionError&) {
      const ConnectionStatus s = status();
      if (s.frames == 0 && !s.text_format) {
        throw AcquisitionError("no valid frames from " + path + within + " (" +
                               std::to_string(s.bytes_received) +
                               " bytes received): is it a force plate speaking protocol 1 (or the text line format) at " +
                               std::to_string(m.options.baud) + " baud?");
      }
      throw;
    }
  }
  std::unique_lock lock(m.mutex);
  if (m.status.lost) throw AcquisitionError(path + ": device lost while connecting: " + m.status.last_error);
  if (!m.device) throw AcquisitionError(path + ": device acknowledged get_info but sent no device information");
  return *m.device;
}

bool DeviceConnection::is_text_plate() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->status.text_format;
}

void DeviceConnection::start_streaming() {
  // A text plate streams all the time; "start" only opens the gate to the consumers.
  if (!is_text_plate()) impl_->command(proto::FrameType::start);
  std::lock_guard lock(impl_->mutex);
  impl_->streaming = true;
}

void DeviceConnection::stop_streaming() {
  if (!is_text_plate()) impl_->command(proto::FrameType::stop);
  std::lock_guard lock(impl_->mutex);
  impl_->streaming = false;
}

void DeviceConnection::ping() {
  if (!is_text_plate()) impl_->command(proto::FrameType::ping);
}

void DeviceConnection::close() {
  Impl& m = *impl_;
  if (!m.thread.joinable()) return;
  bool stop_first;
  {
    std::lock_guard lock(m.mutex);
    stop_first = m.streaming && !m.status.lost;
  }
  if (stop_first) {
    try {
      stop_streaming();
    } catch (const AcquisitionError&) {
      // closing anyway
    }
  }
  asio::post(m.io, [&m] {
    boost::system::error_code ec;
    m.port.close(ec);
    m.guard.reset();
  });
  m.thread.join();
  std::lock_guard lock(m.mutex);
  m.status.connected = false;
}

std::shared_ptr<SampleRing> DeviceConnection::subscribe(std::size_t capacity) {
  auto ring = std::make_shared<SampleRing>(capacity);
  std::lock_guard lock(impl_->mutex);
  impl_->lossless.push_back(ring);
  return ring;
}

std::shared_ptr<SampleRing> DeviceConnection::subscribe_lossy(std::size_t capacity) {
  auto ring = std::make_shared<SampleRing>(capacity);
  std::lock_guard lock(impl_->mutex);
  impl_->lossy.push_back(ring);
  return ring;
}

void DeviceConnection::unsubscribe(const std::shared_ptr<SampleRing>& ring) {
  std::lock_guard lock(impl_->mutex);
  std::erase(impl_->lossless, ring);
  std::erase(impl_->lossy, ring);
}

void DeviceConnection::tare(const std::vector<Sample>& empty_plate) {
  if (!impl_->thread.joinable()) throw AcquisitionError("tare: not connected");
  std::promise<void> done;
  asio::post(impl_->io, [&] {
    if (impl_->converter) impl_->converter->tare(empty_plate);
    done.set_value();
  });
  done.get_future().wait();
}

ConnectionStatus DeviceConnection::status() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->status;
}

const DeviceDescription& DeviceConnection::device() const {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->device) throw AcquisitionError("not connected");
  return *impl_->device;
}

}  // namespace fp::acq
