#include "forceplate/simulator/simulator.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <stdexcept>

#include "forceplate/firmware/device_core.hpp"
#include "forceplate/simulator/pty.hpp"

namespace fp::sim {

namespace {

constexpr std::size_t kOutputQueueBytes = 64 * 1024;  // like a USB serial chip's buffer, roughly

protocol::DeviceInfoMsg make_info(const SimulatorConfig& c) {
  protocol::DeviceInfoMsg info{};
  std::strncpy(info.firmware_version, "sim-1.0", protocol::kTextSize);
  std::strncpy(info.serial, c.serial.c_str(), protocol::kTextSize);
  info.plate_count = static_cast<std::uint8_t>(c.plate_count);
  info.adc_bits = 24;
  info.nominal_rate_hz = static_cast<std::uint16_t>(c.rate_hz);
  info.current_rate_hz = info.nominal_rate_hz;
  for (int k = 0; k < c.plate_count; ++k) {
    const PlateModel& p = c.plates[static_cast<std::size_t>(k)];
    info.plate_width_mm[k] = static_cast<float>(p.geometry.width_m * 1000);
    info.plate_length_mm[k] = static_cast<float>(p.geometry.length_m * 1000);
    for (int i = 0; i < kCellsPerPlate; ++i) {
      const auto u = static_cast<std::size_t>(i);
      protocol::CellInfo& cell = info.cells[k * kCellsPerPlate + i];
      cell.x_mm = static_cast<float>(p.geometry.cell_x_m[u] * 1000);
      cell.y_mm = static_cast<float>(p.geometry.cell_y_m[u] * 1000);
      // The plate's stored calibration: what its maker measured (here, the truth).
      cell.gain_n_per_count = static_cast<float>(p.cells[u].gain_n_per_count);
      cell.offset_counts = static_cast<std::int32_t>(std::lround(p.cells[u].offset_counts));
    }
  }
  return info;
}

}  // namespace

// The simulated board: implements the firmware's hardware interface over the body model and the
// pseudo-terminal.
class Simulator::Board final : public firmware::Hardware {
 public:
  Board(Simulator& owner)
      : owner_(owner),
        body_(owner.config_.body, owner.config_.rate_hz, owner.config_.plate_count),
        counts_(owner.config_.noise_seed),
        core_(*this, firmware::DeviceConfig{make_info(owner.config_), 10, 2000}),
        start_(std::chrono::steady_clock::now()) {}

  std::uint32_t micros() override {
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    const double us = std::chrono::duration<double, std::micro>(elapsed).count() * owner_.config_.speed;
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(us));
  }

  bool read_cells(std::int32_t* counts, int cell_count) override {
    const std::uint64_t seq = core_.next_sequence();
    // Advance the body through every slot since the last read (slots skipped by a stall included).
    BodyState state = last_state_;
    const std::uint64_t steps = have_state_ ? seq - last_seq_ : 1;
    for (std::uint64_t i = 0; i < steps; ++i) state = body_.next();
    have_state_ = true;
    last_seq_ = seq;
    last_state_ = state;
    for (int k = 0; k * kCellsPerPlate < cell_count; ++k) {
      counts_.counts(owner_.config_.plates[static_cast<std::size_t>(k)], state.plates[static_cast<std::size_t>(k)],
                     counts + k * kCellsPerPlate);
    }
    if (owner_.config_.keep_truth) {
      std::lock_guard lock(owner_.truth_mutex_);
      owner_.truth_.push_back(TruthSample{seq, body_.time_s(), state});
    }
    owner_.generated_.fetch_add(1);
    return true;
  }

  bool write_frame(const std::uint8_t* bytes, std::size_t size) override {
    if (out_.size() + size > kOutputQueueBytes) return false;
    out_.insert(out_.end(), bytes, bytes + size);
    return true;
  }

  bool supports_rate(std::uint16_t) override { return true; }
  void set_rate(std::uint16_t rate_hz) override { body_.set_rate(rate_hz); }

  firmware::DeviceCore& core() { return core_; }

  // Moves queued bytes to the pseudo-terminal as far as it takes them. False when it is gone.
  bool flush(int fd) {
    while (!out_.empty()) {
      const std::size_t chunk = std::min<std::size_t>(out_.size(), 4096);
      std::uint8_t buf[4096];
      std::copy_n(out_.begin(), chunk, buf);
      const ssize_t n = ::write(fd, buf, chunk);
      if (n < 0) return errno == EAGAIN || errno == EINTR;
      out_.erase(out_.begin(), out_.begin() + n);
    }
    return true;
  }

  PseudoTerminal pty;

 private:
  Simulator& owner_;
  QuietStanceBody body_;
  CountGenerator counts_;
  firmware::DeviceCore core_;
  std::chrono::steady_clock::time_point start_;
  std::deque<std::uint8_t> out_;
  bool have_state_ = false;
  std::uint64_t last_seq_ = 0;
  BodyState last_state_{};
};

Simulator::Simulator(SimulatorConfig config) : config_(std::move(config)) {
  if (config_.plate_count < 1 || config_.plate_count > kMaxPlates) {
    throw std::invalid_argument("simulator: plate count must be 1 or 2");
  }
  if (!(config_.rate_hz >= 10 && config_.rate_hz <= 2000)) {
    throw std::invalid_argument("simulator: rate must be between 10 and 2000 Hz");
  }
  if (!(config_.speed > 0)) throw std::invalid_argument("simulator: speed must be positive");
}

Simulator::~Simulator() { stop(); }

void Simulator::start() {
  if (running_) return;
  board_ = std::make_unique<Board>(*this);
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void Simulator::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  if (board_) board_->pty.close();
}

const std::string& Simulator::port_path() const {
  static const std::string none;
  return board_ ? board_->pty.slave_path() : none;
}

std::vector<TruthSample> Simulator::truth() const {
  std::lock_guard lock(truth_mutex_);
  return truth_;
}

void Simulator::run() {
  Board& b = *board_;
  const int fd = b.pty.master_fd();
  b.core().begin();
  std::uint8_t buf[4096];
  while (running_) {
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, 1);
    if (p.revents & POLLIN) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) b.core().on_bytes(buf, static_cast<std::size_t>(n));
    }
    b.core().tick();
    if (!b.flush(fd)) break;
  }
}

}  // namespace fp::sim
