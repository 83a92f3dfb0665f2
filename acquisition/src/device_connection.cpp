// DeviceConnection's public side: opening, commands with acknowledgement, consumers, status.
#include "forceplate/acquisition/device_connection.hpp"

#include <algorithm>
#include <future>

#include <sys/ioctl.h>
#include <termios.h>

#include "connection_impl.hpp"

namespace fp::acq {

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
                   static_cast<double>(cell.gain_n_per_count), static_cast<double>(cell.offset_counts)};
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

PlateSpec default_text_plate() {
  // The 500 mm reference plate with cells 400 mm apart; 1 N per count until calibrated.
  PlateSpec p;
  p.width_m = p.length_m = 0.5;
  const double xs[4] = {-0.2, 0.2, 0.2, -0.2};
  const double ys[4] = {0.2, 0.2, -0.2, -0.2};
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) p.cells[c] = CellSpec{xs[c], ys[c], 1.0, 0.0};
  return p;
}

void DeviceConnection::Impl::place_plates(DeviceDescription& d) const {
  if (d.plates.size() != 2) return;
  const double half = (d.plates[0].width_m + d.plates[1].width_m) / 4 + options.plate_gap_m / 2;
  d.plates[0].origin_x_m = -half;
  d.plates[1].origin_x_m = half;
}

void DeviceConnection::Impl::send(const proto::CommandMsg& cmd) {
  std::array<std::uint8_t, proto::kMaxWireFrame> wire{};
  const std::size_t n = proto::encode_command(cmd, wire.data(), wire.size());
  asio::post(io, [this, wire, n] {
    boost::system::error_code ec;
    asio::write(port, asio::buffer(wire.data(), n), ec);
    if (ec) {
      std::lock_guard lock(mutex);
      mark_lost("cannot write to the device: " + ec.message());
    }
  });
}

// Sends a command and waits for its acknowledgement; a command (or reply) lost on the line is sent
// again, which is safe because every command is idempotent.
void DeviceConnection::Impl::command(proto::FrameType type, std::uint16_t rate_hz,
                                     std::optional<std::chrono::milliseconds> timeout) {
  proto::CommandMsg cmd{type, 0, rate_hz};
  {
    std::lock_guard lock(mutex);
    cmd.request_id = next_request++;
    if (next_request == 0) next_request = 1;
  }
  const int attempts = std::max(1, options.command_attempts);
  const auto per_attempt = timeout.value_or(options.reply_timeout) / attempts;
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
  const std::string& path = status.port;
  if (status.lost) {
    throw AcquisitionError(path + ": device lost while waiting for '" + command_name(type) + "': " +
                           status.last_error);
  }
  if (!answered) {
    throw AcquisitionError(path + ": no reply to '" + command_name(type) + "' within " +
                           std::to_string(timeout.value_or(options.reply_timeout).count()) + " ms");
  }
  const proto::ReplyMsg r = replies[cmd.request_id];
  replies.erase(cmd.request_id);
  if (r.result != proto::ReplyResult::ack) {
    throw AcquisitionError(path + ": device refused '" + command_name(type) + "': " +
                           (r.text[0] ? r.text : "no reason given"));
  }
}

bool DeviceConnection::Impl::open_port(const std::string& path, std::string& error) {
  return on_io([&] {
    boost::system::error_code ec;
    port.open(path, ec);
    if (!ec) port.set_option(asio::serial_port_base::baud_rate(options.baud), ec);
    if (!ec) port.set_option(asio::serial_port_base::character_size(8), ec);
    if (!ec) port.set_option(asio::serial_port_base::parity(asio::serial_port_base::parity::none), ec);
    if (!ec) port.set_option(asio::serial_port_base::stop_bits(asio::serial_port_base::stop_bits::one), ec);
    if (!ec) {
      port.set_option(asio::serial_port_base::flow_control(asio::serial_port_base::flow_control::none), ec);
    }
    if (ec) {
      error = ec.message();
      boost::system::error_code ignored;
      port.close(ignored);
      return false;
    }
    // Exclusive: a second program opening the same plate gets "busy" instead of half the bytes.
    ::ioctl(port.native_handle(), TIOCEXCL);
    // Whatever the line buffered before we opened it is stale (and possibly at another speed).
    ::tcflush(port.native_handle(), TCIFLUSH);
    decoder.reset();
    read_next();
    std::lock_guard lock(mutex);
    status.port = path;
    status.lost = false;
    status.connected = true;
    return true;
  });
}

void DeviceConnection::Impl::close_port() {
  on_io([&] {
    boost::system::error_code ignored;
    port.close(ignored);
    return 0;
  });
}

DeviceConnection::DeviceConnection(ConnectionOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

DeviceConnection::~DeviceConnection() { close(); }

DeviceDescription DeviceConnection::connect() {
  Impl& m = *impl_;
  const std::string path = m.options.path;
  if (!m.thread.joinable()) m.thread = std::thread([&m] { m.io.run(); });
  std::string error;
  if (!m.open_port(path, error)) throw AcquisitionError("cannot open serial port " + path + ": " + error);
  try {
    return handshake();
  } catch (const AcquisitionError&) {
    m.close_port();  // a failed connection must not keep reading the port another may open
    throw;
  }
}

DeviceDescription DeviceConnection::handshake() {
  Impl& m = *impl_;
  const std::string path = m.options.path;
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
        throw AcquisitionError("no valid frames from " + path + within + " (" + std::to_string(s.bytes_received) +
                               " bytes received): is it a force plate speaking protocol 1 (or the text line "
                               "format) at " + std::to_string(m.options.baud) + " baud?");
      }
      throw;
    }
  }
  std::unique_lock lock(m.mutex);
  if (m.status.lost) throw AcquisitionError(path + ": device lost while connecting: " + m.status.last_error);
  if (!m.device) throw AcquisitionError(path + ": device acknowledged get_info but sent no device information");
  if (m.options.auto_reconnect && !m.watchdog.joinable()) m.watchdog = std::thread([&m] { m.watch(); });
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
  impl_->last_data_host_s = host_seconds();
}

void DeviceConnection::stop_streaming() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->streaming = false;  // first, so the watchdog does not take the quiet for a loss
  }
  if (!is_text_plate()) impl_->command(proto::FrameType::stop);
}

void DeviceConnection::ping() {
  if (!is_text_plate()) impl_->command(proto::FrameType::ping);
}

void DeviceConnection::close() {
  Impl& m = *impl_;
  bool stop_first;
  {
    std::lock_guard lock(m.mutex);
    stop_first = m.streaming && !m.status.lost;
    m.closing = true;
    m.changed.notify_all();
  }
  if (m.watchdog.joinable()) m.watchdog.join();
  if (!m.thread.joinable()) return;
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
  m.streaming = false;
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
  impl_->on_io([&] {
    if (!impl_->converter) return 0;
    impl_->converter->tare(empty_plate);
    std::vector<double> offsets;
    for (const PlateSpec& p : impl_->converter->device().plates) {
      for (const CellSpec& c : p.cells) offsets.push_back(c.offset_counts);
    }
    std::lock_guard lock(impl_->mutex);
    impl_->tare_offsets = offsets;
    impl_->device = impl_->converter->device();
    return 0;
  });
}

void DeviceConnection::use_calibration(const CalibrationRecord& record) {
  if (!impl_->thread.joinable()) throw AcquisitionError("use_calibration: not connected");
  impl_->on_io([&] {
    if (!impl_->converter) return 0;
    DeviceDescription d = impl_->converter->device();
    if (record.serial != d.serial) {
      throw CalibrationError("the calibration is of " + record.serial + ", this plate is " + d.serial);
    }
    apply_calibration(d, record);  // gains from the record; today's zero stays
    impl_->converter.emplace(d, impl_->options.min_cop_force_n);
    std::lock_guard lock(impl_->mutex);
    impl_->calibration = record;
    impl_->device = d;
    return 0;
  });
}

ConnectionStatus DeviceConnection::status() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->status;
}

DeviceDescription DeviceConnection::device() const {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->device) throw AcquisitionError("not connected");
  return *impl_->device;
}

}  // namespace fp::acq
