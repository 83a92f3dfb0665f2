#include "forceplate/simulator/simulator.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <optional>
#include <random>
#include <stdexcept>

#include "forceplate/firmware/device_core.hpp"
#include "forceplate/simulator/pty.hpp"
#include "wire_faults.hpp"

namespace fp::sim {

namespace {

constexpr std::size_t kOutputQueueBytes = 64 * 1024;  // like a USB serial chip's buffer, roughly
constexpr double kMaxClockStep = 0.02;  // s of device time per loop: < 64 samples even at 2 kHz

protocol::DeviceInfoMsg make_info(const SimulatorConfig& c) {
  protocol::DeviceInfoMsg info{};
  std::strncpy(info.firmware_version, "sim-1.0", protocol::kTextSize);
  std::strncpy(info.serial, c.serial.c_str(), protocol::kTextSize);
  info.plate_count = static_cast<std::uint8_t>(c.plate_count);
  info.adc_bits = 24;
  info.nominal_rate_hz = static_cast<std::uint16_t>(c.rate_hz);
  info.current_rate_hz = info.nominal_rate_hz;
  for (int k = 0; k < c.plate_count; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    const PlateModel& p = c.plates[uk];
    info.plate_width_mm[k] = static_cast<float>(p.geometry.width_m * 1000);
    info.plate_length_mm[k] = static_cast<float>(p.geometry.length_m * 1000);
    for (int i = 0; i < kCellsPerPlate; ++i) {
      const auto u = static_cast<std::size_t>(i);
      protocol::CellInfo& cell = info.cells[k * kCellsPerPlate + i];
      cell.x_mm = static_cast<float>(p.geometry.cell_x_m[u] * 1000);
      cell.y_mm = static_cast<float>(p.geometry.cell_y_m[u] * 1000);
      // The plate's stored calibration: what its maker measured (by default, the truth).
      const CellModel& stored = c.stored_calibration ? (*c.stored_calibration)[uk][u] : p.cells[u];
      cell.gain_n_per_count = static_cast<float>(stored.gain_n_per_count);
      cell.offset_counts = static_cast<std::int32_t>(std::lround(stored.offset_counts));
    }
  }
  return info;
}

}  // namespace

// The simulated board: implements the firmware's hardware interface over the scenario, the plate
// model and the pseudo-terminal, and injects the configured faults.
class Simulator::Board final : public firmware::Hardware {
 public:
  explicit Board(Simulator& owner)
      : owner_(owner),
        cfg_(owner.config_),
        scenario_config_(cfg_.scenario),
        rate_hz_(cfg_.rate_hz),
        scenario_(make_scenario(scenario_config_, rate_hz_)),
        counts_(cfg_.noise_seed),
        wire_(cfg_.faults),
        overrun_rng_(cfg_.faults.seed + 1),
        start_(std::chrono::steady_clock::now()) {
    boot();
  }

  void boot() {
    core_.emplace(*this, firmware::DeviceConfig{make_info(cfg_), 10, 2000});
    have_state_ = false;
    core_->begin();
  }

  // Copies the core's counters where other threads may read them (the core itself is unlocked).
  void sync_stats() {
    std::lock_guard lock(mutex_);
    device_dropped_ = dropped_before_reboots_ + core_->samples_dropped();
  }

  // Advances the device clock towards real time (scaled by speed and drift). It moves at most
  // kMaxClockStep per loop, so a simulator thread the OS did not schedule for a while slows
  // down instead of losing samples: only injected faults lose samples.
  void advance_clock() {
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    const double target = std::chrono::duration<double>(elapsed).count() * cfg_.speed *
                          (1.0 + cfg_.faults.clock_drift_ppm * 1e-6);
    device_s_ = std::min(target, device_s_ + kMaxClockStep);
  }

  // Device time in seconds, as the device's own (possibly drifting) clock counts it.
  double device_seconds() const { return device_s_; }

  std::uint32_t micros() override {
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(device_s_ * 1e6));
  }

  bool read_cells(std::int32_t* counts, int cell_count) override {
    const std::uint64_t seq = core_->next_sequence();
    // The body lives on through slots the device skipped (stalls): advance it once per slot.
    const std::uint64_t steps = have_state_ ? seq - last_seq_ : 1;
    BodyState state = last_state_;
    double scenario_time = 0;
    {
      std::lock_guard lock(mutex_);
      for (std::uint64_t i = 0; i < steps; ++i) state = scenario_->next();
      scenario_time = scenario_->time_s();
    }
    {
      // A load placed with place_load() replaces the scenario's state (which keeps its clock).
      std::lock_guard lock(owner_.load_mutex_);
      if (owner_.placed_load_) state = *owner_.placed_load_;
    }
    have_state_ = true;
    last_seq_ = seq;
    last_state_ = state;
    for (int k = 0; k * kCellsPerPlate < cell_count; ++k) {
      const auto uk = static_cast<std::size_t>(k);
      counts_.counts(cfg_.plates[uk], state.plates[uk], scenario_time, counts + k * kCellsPerPlate);
    }
    if (cfg_.keep_truth) {
      std::lock_guard lock(owner_.truth_mutex_);
      owner_.truth_.push_back(TruthSample{seq, scenario_time, state});
    }
    owner_.generated_.fetch_add(1);
    return true;
  }

  bool write_frame(const std::uint8_t* bytes, std::size_t size) override {
    // Faster than real time the buffer holds the same time's worth of data as it would at 1x.
    if (out_.size() + size > static_cast<std::size_t>(static_cast<double>(kOutputQueueBytes) * std::max(1.0, cfg_.speed))) {
      return false;
    }
    const double now = device_seconds();
    const bool active = now >= cfg_.faults.start_s && (cfg_.faults.end_s < 0 || now < cfg_.faults.end_s);
    if (active && cfg_.faults.overrun_rate > 0 && samples_in_wire_frame(bytes, size) > 0 &&
        std::uniform_real_distribution<double>(0, 1)(overrun_rng_) < cfg_.faults.overrun_rate) {
      return false;  // the device's own buffer is full: it drops the block and reports it
    }
    {
      std::lock_guard lock(mutex_);
      wire_.pass(bytes, size, active, out_, stats_);
    }
    if (cfg_.on_frame_sent) {
      std::uint32_t first = 0;
      const int n = samples_in_wire_frame(bytes, size, &first);
      if (n > 0) cfg_.on_frame_sent(first, n);
    }
    return true;
  }

  bool supports_rate(std::uint16_t) override { return true; }
  void set_rate(std::uint16_t rate_hz) override {
    // A new rate restarts the scenario at the new sample period.
    std::lock_guard lock(mutex_);
    rate_hz_ = rate_hz;
    scenario_ = make_scenario(scenario_config_, rate_hz);
    have_state_ = false;
  }

  // Another scenario from the next sample on, its clock starting at zero.
  void play(const ScenarioSettings& scenario) {
    auto next = make_scenario(scenario, rate_hz_);  // throws before anything changes
    std::lock_guard lock(mutex_);
    scenario_config_ = scenario;
    scenario_ = std::move(next);
    have_state_ = false;
  }

  firmware::DeviceCore& core() { return *core_; }
  FaultStats stats() const {
    std::lock_guard lock(mutex_);
    FaultStats s = stats_;
    s.samples_dropped_on_device = device_dropped_;
    return s;
  }
  std::vector<TruthEvent> events() const {
    std::lock_guard lock(mutex_);
    return scenario_->events();
  }

  void reboot() {
    {
      std::lock_guard lock(mutex_);
      dropped_before_reboots_ += core_->samples_dropped();
      ++stats_.reboots;
    }
    boot();
  }
  void mark_disconnected() {
    std::lock_guard lock(mutex_);
    stats_.disconnected = true;
  }

  // Moves queued bytes to the pseudo-terminal as far as it takes them. False when it is gone.
  bool flush(int fd) {
    std::uint8_t buf[4096];
    const unsigned host = pty->host_baud();
    const bool garbled = host != 0 && host != cfg_.baud;
    while (!out_.empty()) {
      const std::size_t chunk = std::min<std::size_t>(out_.size(), sizeof buf);
      std::copy_n(out_.begin(), chunk, buf);
      // At the wrong speed a UART samples each bit at the wrong moment: bytes arrive as noise.
      if (garbled) {
        for (std::size_t i = 0; i < chunk; ++i) buf[i] = static_cast<std::uint8_t>(baud_noise_() | 1U);
      }
      const ssize_t n = ::write(fd, buf, chunk);
      if (n < 0) return errno == EAGAIN || errno == EINTR;
      out_.erase(out_.begin(), out_.begin() + n);
    }
    return true;
  }

  std::unique_ptr<PseudoTerminal> pty = std::make_unique<PseudoTerminal>();
  std::string path = pty->slave_path();  // guarded by the owner's truth_mutex_ once running

  // Unplugged: nothing reaches the line, output not yet sent is gone.
  void unplug() {
    pty->close();
    out_.clear();
    mark_disconnected();
  }

 private:
  mutable std::mutex mutex_;  // scenario_ and stats_, which tests read while the device runs
  Simulator& owner_;
  const SimulatorConfig& cfg_;
  ScenarioSettings scenario_config_;  // what plays now (play() replaces it)
  double rate_hz_;
  std::unique_ptr<Scenario> scenario_;
  CountGenerator counts_;
  WireFaults wire_;
  std::mt19937_64 overrun_rng_;
  std::optional<firmware::DeviceCore> core_;
  std::chrono::steady_clock::time_point start_;
  double device_s_ = 0;
  std::deque<std::uint8_t> out_;
  std::minstd_rand baud_noise_{12345};
  FaultStats stats_;
  std::uint64_t dropped_before_reboots_ = 0;
  std::uint64_t device_dropped_ = 0;
  bool have_state_ = false;
  std::uint64_t last_seq_ = 0;
  BodyState last_state_{};
};

Simulator::Simulator(SimulatorConfig config) : config_(std::move(config)) {
  config_.scenario.plate_count = config_.plate_count;
  if (config_.plate_count < 1 || config_.plate_count > kMaxPlates) {
    throw std::invalid_argument("simulator: plate count must be 1 or 2");
  }
  if (!(config_.rate_hz >= 10 && config_.rate_hz <= 2000)) {
    throw std::invalid_argument("simulator: rate must be between 10 and 2000 Hz");
  }
  if (!(config_.speed > 0)) throw std::invalid_argument("simulator: speed must be positive");
  make_scenario(config_.scenario, config_.rate_hz);  // reject bad scenario settings now, not on the thread
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
  if (board_) board_->pty->close();
}

std::string Simulator::port_path() const {
  std::lock_guard lock(truth_mutex_);
  return board_ ? board_->path : std::string();
}

void Simulator::place_load(std::optional<BodyState> load) {
  std::lock_guard lock(load_mutex_);
  placed_load_ = load;
}

void Simulator::play_scenario(ScenarioSettings scenario) {
  scenario.plate_count = config_.plate_count;
  if (!board_) {
    make_scenario(scenario, config_.rate_hz);  // check it now, as the constructor does
    config_.scenario = std::move(scenario);
    return;
  }
  board_->play(scenario);
}

void Simulator::unplug() { unplug_requested_ = true; }
void Simulator::plug_in() { plug_requested_ = true; }

std::vector<TruthSample> Simulator::truth() const {
  std::lock_guard lock(truth_mutex_);
  return truth_;
}

std::vector<TruthEvent> Simulator::truth_events() const {
  return board_ ? board_->events() : std::vector<TruthEvent>{};
}

FaultStats Simulator::fault_stats() const {
  return board_ ? board_->stats() : FaultStats{};
}

void Simulator::run() {
  Board& b = *board_;
  const FaultConfig& f = config_.faults;
  bool rebooted = false;
  bool unplugged = false;
  bool disconnect_done = false;
  double unplugged_at = 0;
  std::uint8_t buf[4096];
  while (running_) {
    const int fd = unplugged ? -1 : b.pty->master_fd();
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, 1);
    b.advance_clock();
    const double now = b.device_seconds();
    const bool disconnect_due = f.disconnect_after_s >= 0 && now >= f.disconnect_after_s && !disconnect_done;
    if (!unplugged && (disconnect_due || unplug_requested_.exchange(false))) {
      disconnect_done = disconnect_done || disconnect_due;
      b.unplug();
      {
        std::lock_guard lock(truth_mutex_);
        b.path.clear();  // unplugged: there is no port (and its old name may soon be another's)
      }
      unplugged = true;
      unplugged_at = now;
      if (f.replug_after_s < 0 && disconnect_due) break;  // gone for good
    }
    if (unplugged) {
      const bool replug_due = f.replug_after_s >= 0 && now >= unplugged_at + f.replug_after_s;
      if (!(replug_due || plug_requested_.exchange(false))) continue;
      // Plugged in again: a new port (as a re-enumerated USB device gets) and a power-cycled device.
      auto fresh = std::make_unique<PseudoTerminal>();
      {
        std::lock_guard lock(truth_mutex_);
        b.pty = std::move(fresh);
        b.path = b.pty->slave_path();
      }
      b.reboot();
      unplugged = false;
      continue;
    }
    if (f.reboot_at_s >= 0 && !rebooted && now >= f.reboot_at_s) {
      b.reboot();
      rebooted = true;
    }
    if (p.revents & POLLIN) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) b.core().on_bytes(buf, static_cast<std::size_t>(n));
    }
    const bool stalled = f.stall_at_s >= 0 && now >= f.stall_at_s && now < f.stall_at_s + f.stall_s;
    if (!stalled) b.core().tick();
    b.sync_stats();
    if (!b.flush(fd)) break;
  }
  // Whatever ended the loop (stop, disconnect fault, the line gone), the device is gone now.
  b.pty->close();
  running_ = false;
}

}  // namespace fp::sim
