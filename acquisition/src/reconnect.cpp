// The watchdog: notices a device that failed or fell silent, and finds it again (by its serial
// number, wherever it comes back) with back-off, resuming streaming where it was.
#include <chrono>

#include "connection_impl.hpp"
#include "forceplate/acquisition/port_discovery.hpp"

namespace fp::acq {

namespace {
constexpr auto kTick = std::chrono::milliseconds(50);
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kProbeTimeout = std::chrono::milliseconds(600);
}  // namespace

std::vector<std::string> DeviceConnection::Impl::candidate_ports(const std::string& serial) const {
  if (options.find_ports) return options.find_ports(serial);
  std::vector<std::string> out{options.path};
  try {
    for (const PortInfo& p : list_serial_ports()) {
      if (p.path != options.path) out.push_back(p.path);
    }
  } catch (const std::exception&) {
    // enumeration failing must not stop us retrying the known path
  }
  return out;
}

bool DeviceConnection::Impl::try_reconnect(const std::string& path, const std::string& serial) {
  std::string error;
  if (!open_port(path, error)) return false;
  std::optional<DeviceDescription> known;
  {
    std::lock_guard lock(mutex);
    if (status.text_format) return true;  // a text plate cannot be asked; its lines will tell
    known = device;
    device.reset();
  }
  bool ours = false;
  try {
    command(proto::FrameType::get_info, 0, kProbeTimeout);
    std::lock_guard lock(mutex);
    ours = device && device->serial == serial;
  } catch (const AcquisitionError&) {
    ours = false;
  }
  if (!ours) {
    // Silent, or another plate (or not a plate) answered on this port: not ours.
    close_port();
    std::lock_guard lock(mutex);
    device = known;
    // Still lost (not lost again): opening the port for the probe only looked like a connection.
    status.lost = true;
    status.connected = false;
  }
  return ours;
}

void DeviceConnection::Impl::watch() {
  const double timeout_s = std::chrono::duration<double>(options.no_data_timeout).count();
  std::unique_lock lock(mutex);
  while (!closing) {
    changed.wait_for(lock, kTick);
    if (closing) return;
    if (streaming && !status.lost && host_seconds() - last_data_host_s > timeout_s) {
      mark_lost("no data from the device for " + std::to_string(options.no_data_timeout.count()) + " ms");
    }
    if (!status.lost) continue;

    const std::string serial = device ? device->serial : std::string();
    const std::string why = status.last_error;
    const bool resume = streaming;
    const bool text_plate = status.text_format;
    lock.unlock();
    if (options.on_lost_or_found) options.on_lost_or_found(true, why);
    close_port();
    auto backoff = kFirstBackoff;
    std::string found_on;
    while (found_on.empty()) {
      for (const std::string& path : candidate_ports(serial)) {
        if (try_reconnect(path, serial)) {
          found_on = path;
          break;
        }
      }
      if (found_on.empty()) {
        std::unique_lock l(mutex);
        if (changed.wait_for(l, backoff, [&] { return closing; })) return;
        backoff = std::min(backoff * 2, options.max_backoff);
      }
    }
    // The numbering starts a new stretch: what was missed is estimated from the host clock.
    on_io([&] {
      tracker.begin_new_stretch();
      return 0;
    });
    bool resumed = true;
    if (resume && !text_plate) {
      try {
        command(proto::FrameType::start);
      } catch (const AcquisitionError&) {
        resumed = false;  // lost again at once: the next round looks again
      }
    }
    if (resumed && options.on_lost_or_found) options.on_lost_or_found(false, "found again on " + found_on);
    lock.lock();
    if (resumed) ++status.reconnects;
    last_data_host_s = host_seconds();
  }
}

}  // namespace fp::acq
