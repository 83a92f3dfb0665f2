#include "forceplate/acquisition/device_connection.hpp"

#include <array>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "forceplate/acquisition/sequence_tracker.hpp"
#include "forceplate/acquisition/signal.hpp"
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

struct DeviceConnection::Impl {
  explicit Impl(ConnectionOptions o) : options(std::move(o)), port(io), guard(io.get_executor()) {}

  ConnectionOptions options;
  asio::io_context io;
  asio::serial_port port;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::thread thread;
  std::array<std::uint8_t, 4096> rx{};

  // Touched only on the I/O thread.
  proto::StreamDecoder decoder;
  SequenceTracker tracker;
  std::optional<SignalConverter> converter;
  proto::SampleBlockMsg block{};

  mutable std::mutex mutex;  // everything below
  std::condition_variable changed;
  ConnectionStatus status;
  std::optional<DeviceDescription> device;
  std::map<std::uint16_t, proto::ReplyMsg> replies;
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
    decoder.feed(rx.data(), n, [this](const proto::FrameView& f) { on_frame(f); });
    const proto::DecoderStats& d = decoder.stats();
    std::lock_guard lock(mutex);
    status.bytes_received += n;
    status.frames = d.frames;
    status.crc_errors = d.crc_errors;
    status.framing_errors = d.framing_errors + d.oversize_frames + d.version_mismatches;
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
      const auto placed = tracker.place(block.first_sequence + static_cast<std::uint32_t>(i), block.time_us[i]);
      Sample s;
      s.sequence = placed.sequence;
      s.device_time_s = placed.device_time_s;
      s.gap_before = placed.gap_before;
      for (int c = 0; c < block.cell_count; ++c) s.counts[static_cast<std::size_t>(c)] = block.counts[i][c];
      converter->convert(s);
      for (auto& r : lossless) r->try_push(s);
      for (auto& r : lossy) {
        if (!r->try_push(s)) ++status.display_drops;
      }
    }
    status.samples = tracker.samples_seen();
    status.samples_missing = tracker.samples_missing();
    status.device_restarts = tracker.restarts();
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

  // Sends a command and waits for its acknowledgement.
  void command(proto::FrameType type, std::uint16_t rate_hz = 0) {
    proto::CommandMsg cmd{type, 0, rate_hz};
    {
      std::lock_guard lock(mutex);
      cmd.request_id = next_request++;
      if (next_request == 0) next_request = 1;
    }
    send(cmd);
    std::unique_lock lock(mutex);
    const bool answered = changed.wait_for(lock, options.reply_timeout, [&] {
      return replies.count(cmd.request_id) > 0 || status.lost;
    });
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
  try {
    m.command(proto::FrameType::get_info);
  } catch (const AcquisitionError&) {
    const ConnectionStatus s = status();
    if (s.frames == 0) {
      throw AcquisitionError("no valid frames from " + path + " within " +
                             std::to_string(m.options.reply_timeout.count()) + " ms (" +
                             std::to_string(s.bytes_received) +
                             " bytes received): is it a force plate speaking protocol 1 at " +
                             std::to_string(m.options.baud) + " baud?");
    }
    throw;
  }
  std::unique_lock lock(m.mutex);
  if (!m.device) throw AcquisitionError(path + ": device acknowledged get_info but sent no device information");
  return *m.device;
}

void DeviceConnection::start_streaming() {
  impl_->command(proto::FrameType::start);
  std::lock_guard lock(impl_->mutex);
  impl_->streaming = true;
}

void DeviceConnection::stop_streaming() {
  impl_->command(proto::FrameType::stop);
  std::lock_guard lock(impl_->mutex);
  impl_->streaming = false;
}

void DeviceConnection::ping() { impl_->command(proto::FrameType::ping); }

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
