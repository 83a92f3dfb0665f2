#include "forceplate/workflow/recorder.hpp"

#include "forceplate/data/journal.hpp"
#include "forceplate/workflow/trial_samples.hpp"

#include <chrono>
#include <ctime>
#include <optional>
#include <thread>

namespace fp::workflow {

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void describe_device(const acq::DeviceDescription& device, data::Trial& trial) {
  trial.device.serial = device.serial;
  trial.device.firmware_version = device.firmware_version;
  trial.device.protocol_major = device.protocol_major;
  trial.device.protocol_minor = device.protocol_minor;
  trial.device.adc_bits = device.adc_bits;
  trial.sample_rate_hz = device.current_rate_hz;
  trial.cells_per_plate = acq::kCellsPerPlate;
  trial.plates.clear();
  for (const acq::PlateSpec& p : device.plates) {
    data::PlateInfo info;
    info.width_m = p.width_m;
    info.length_m = p.length_m;
    info.origin_x_m = p.origin_x_m;
    info.origin_y_m = p.origin_y_m;
    for (const acq::CellSpec& c : p.cells) {
      info.cell_x_m.push_back(c.x_m);
      info.cell_y_m.push_back(c.y_m);
      info.gain_n_per_count.push_back(c.gain_n_per_count);
      info.offset_counts.push_back(c.offset_counts);
    }
    trial.plates.push_back(info);
  }
}

namespace {

// The recording loop shared by record_trial and record_to_file: streams until `duration_s` of
// device time, handing every sample to `keep`, waiting for a lost device, failing loudly.
void record_loop(acq::DeviceConnection& device, const RecordOptions& options, double rate_hz,
                 const std::function<void(const acq::Sample&)>& keep) {
  // Ten seconds of headroom: the recorder only falls that far behind if the machine stalls.
  const auto capacity = static_cast<std::size_t>(rate_hz * 10) + 1024;
  auto ring = device.subscribe(capacity);
  struct Unsubscribe {
    acq::DeviceConnection& d;
    std::shared_ptr<acq::SampleRing> r;
    ~Unsubscribe() { d.unsubscribe(r); }
  } unsubscribe{device, ring};

  device.start_streaming();
  const auto timeout = std::chrono::duration<double>(options.no_data_timeout_s);
  const auto lost_timeout = std::chrono::duration<double>(options.device_lost_timeout_s);
  auto last_data = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> lost_since;
  double first_time = -1;
  acq::Sample s;
  for (;;) {
    bool got = false;
    while (ring->try_pop(s)) {
      got = true;
      if (first_time < 0) first_time = s.device_time_s;
      if (s.device_time_s - first_time >= options.duration_s) {
        device.stop_streaming();
        return;
      }
      keep(s);
    }
    if (ring->rejected() > 0) {
      throw RecordingError("the recorder fell behind and " + std::to_string(ring->rejected()) +
                           " samples could not be kept; the trial was stopped");
    }
    const auto st = device.status();
    const auto now = std::chrono::steady_clock::now();
    if (got) {
      last_data = now;
      lost_since.reset();
    } else if (st.lost) {
      // The connection's watchdog is looking for the device; the trial waits for it, and the
      // break becomes a gap in the recording when it comes back.
      if (!lost_since) lost_since = now;
      if (now - *lost_since > lost_timeout) {
        throw RecordingError("device lost during the recording and not found again within " +
                             std::to_string(options.device_lost_timeout_s) + " s: " + st.last_error);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } else if (now - last_data > timeout && !lost_since) {
      throw RecordingError("no samples from the device for " + std::to_string(options.no_data_timeout_s) + " s");
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

data::Trial new_trial(acq::DeviceConnection& device, const RecordOptions& options) {
  if (!(options.duration_s > 0)) throw RecordingError("recording duration must be positive");
  data::Trial trial;
  describe_device(device.device(), trial);
  trial.test_name = options.test_name;
  trial.start_time_utc = utc_now_iso8601();
  trial.software_version = FP_SOFTWARE_VERSION;
  return trial;
}

}  // namespace

data::Trial record_trial(acq::DeviceConnection& device, const RecordOptions& options,
                         const std::function<void(const acq::Sample&)>& on_sample) {
  data::Trial trial = new_trial(device, options);
  record_loop(device, options, trial.sample_rate_hz, [&](const acq::Sample& s) {
    append_sample(s, trial);
    if (on_sample) on_sample(s);
  });
  return trial;
}

RecordedFile record_to_file(acq::DeviceConnection& device, const RecordOptions& options,
                            const std::filesystem::path& h5_path,
                            const std::function<void(const acq::Sample&)>& on_sample) {
  const data::Trial metadata = new_trial(device, options);
  const std::filesystem::path journal_path = h5_path.string() + data::kJournalExtension;
  RecordedFile out;
  {
    data::JournalWriter journal(journal_path, metadata);
    const auto plates = static_cast<std::size_t>(metadata.plate_count());
    const auto cells = static_cast<std::size_t>(metadata.total_cells());
    record_loop(device, options, metadata.sample_rate_hz, [&](const acq::Sample& s) {
      if (s.gap_before > 0) {
        journal.append_gap(data::Gap{s.sequence - s.gap_before, s.gap_before, acq::gap_kind_name(s.gap_kind)});
        ++out.gaps;
        out.samples_missing += s.gap_before;
      }
      data::JournalSample j;
      j.sequence = s.sequence;
      j.time_s = s.device_time_s;
      for (std::size_t c = 0; c < cells; ++c) {
        j.counts[c] = s.counts[c];
        j.cell_force_n[c] = s.cell_force_n[c];
      }
      for (std::size_t k = 0; k < plates; ++k) {
        j.fz_n[k] = s.fz_n[k];
        j.cop_x_m[k] = s.cop_x_m[k];
        j.cop_y_m[k] = s.cop_y_m[k];
      }
      journal.append(j);
      ++out.samples;
      if (on_sample) on_sample(s);
    });
    journal.finish();
  }
  data::journal_to_trial_file(journal_path, h5_path);
  std::filesystem::remove(journal_path);  // only now that the trial file is in place
  return out;
}

}  // namespace fp::workflow
