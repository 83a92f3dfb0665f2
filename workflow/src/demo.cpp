#include "forceplate/workflow/demo.hpp"

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/data/trial_file.hpp"
#include "forceplate/workflow/recorder.hpp"

namespace fp::workflow {

DemoResult run_demo(const DemoOptions& options, const std::function<void(const std::string&)>& progress) {
  const auto say = [&](const std::string& s) {
    if (progress) progress(s);
  };
  sim::Simulator simulator(options.simulator);
  simulator.start();
  say("simulated plate on " + simulator.port_path());

  acq::DeviceConnection device(acq::ConnectionOptions{simulator.port_path()});
  const acq::DeviceDescription d = device.connect();
  say("connected to " + d.serial + " (firmware " + d.firmware_version + ", " +
      std::to_string(static_cast<int>(d.current_rate_hz)) + " Hz)");

  DemoResult out;
  say("recording " + std::to_string(static_cast<int>(options.duration_s)) + " s of " + options.test_name);
  out.trial = record_trial(device, RecordOptions{options.duration_s, options.test_name, 2.0});
  device.close();
  simulator.stop();
  out.truth = simulator.truth();
  out.events = simulator.truth_events();

  out.analysis = analyze_trial(out.trial, options.analysis);
  out.trial.results = to_measurements(out.analysis.result);
  out.trial.analysis_version = FP_SOFTWARE_VERSION;
  if (options.output.has_parent_path()) std::filesystem::create_directories(options.output.parent_path());
  data::write_trial(options.output, out.trial);
  out.file = options.output;
  return out;
}

}  // namespace fp::workflow
