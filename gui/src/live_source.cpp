#include "forceplate/gui/live_source.hpp"

#include <algorithm>

namespace fp::gui {

LiveSource::LiveSource(const SourceSpec& spec, double ring_seconds) {
  if (spec.simulator) {
    simulator_ = std::make_unique<sim::Simulator>(spec.simulator_config);
    simulator_->start();
    port_ = simulator_->port_path();
  } else {
    if (spec.path.empty()) throw acq::AcquisitionError("no serial port chosen");
    port_ = spec.path;
  }
  acq::ConnectionOptions options{port_};
  if (simulator_) {
    // A simulated plate plugged in again comes back on a new pseudo-terminal, which no port
    // listing shows: the simulator says where it is.
    sim::Simulator* simulator = simulator_.get();
    options.find_ports = [simulator](const std::string&) {
      const std::string path = simulator->port_path();
      return path.empty() ? std::vector<std::string>{} : std::vector<std::string>{path};
    };
  }
  connection_ = std::make_unique<acq::DeviceConnection>(options);
  device_ = connection_->connect();
  const double rate = std::max(device_.current_rate_hz, device_.nominal_rate_hz);
  const auto capacity = static_cast<std::size_t>(std::max(2048.0, rate * ring_seconds));
  ring_ = connection_->subscribe_lossy(capacity);
  if (spec.before_streaming) spec.before_streaming(*connection_);
  connection_->start_streaming();
}

LiveSource::~LiveSource() {
  if (connection_) {
    if (ring_) connection_->unsubscribe(ring_);
    connection_->close();
  }
  if (simulator_) simulator_->stop();
}

std::size_t LiveSource::drain(std::vector<acq::Sample>& out) {
  return ring_->pop_into(out, ring_->capacity());
}

}  // namespace fp::gui
