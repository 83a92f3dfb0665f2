#pragma once
// Contact / flight segmentation of a vertical force trace, shared by the rebound tests (drop jump,
// repeated hops). Pure: samples in, phases out. Phases alternate between loaded (contact) and
// unloaded (off the plate, or a flight between two contacts).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fp::analysis {

struct ContactOptions {
  // Loaded: force at or above max(threshold_min_n, noise mean + threshold_noise_sd x noise SD),
  // the noise measured over the middle half of the longest unloaded run (the empty plate or a
  // flight), as in detect_jump_events.
  double threshold_min_n = 20.0;
  double threshold_noise_sd = 5.0;
  // An unloaded run between two contacts is a flight if it lasts min_flight_s .. max_flight_s.
  // Longer: the person was off the plate (a flight of 1 s is a 1.2 m jump). Shorter, but not
  // chatter: a double contact (the contacts either side are merged and the gap is listed).
  double min_flight_s = 0.1;
  double max_flight_s = 1.0;
  // Unloaded gaps shorter than this inside a contact are impact chatter (the foot and plate ring
  // at touchdown: 2 ms in the public drop jump) and are bridged; loaded blips shorter than this in
  // an unloaded run are noise spikes and are dropped. Both are counted.
  double chatter_s = 0.005;
};

enum class PhaseKind { off_plate, contact, flight };
const char* to_string(PhaseKind k);  // "off-plate", "contact", "flight"

struct Phase {
  PhaseKind kind = PhaseKind::contact;
  std::size_t begin = 0;  // samples [begin, end) on this side of the threshold
  std::size_t end = 0;
  // Edges in s from the first sample, refined below the threshold to where the force leaves the
  // flight noise (see segment_contacts). A trace's first and last sample are not refined.
  double begin_s = 0;
  double end_s = 0;
  double duration_s() const { return end_s - begin_s; }
};

// An unloaded gap inside a contact that is too long for chatter and too short for a flight.
struct DoubleContact {
  std::size_t begin = 0;  // samples [begin, end) below the threshold
  std::size_t end = 0;
  double duration_s = 0;  // (end - begin) / rate
};

struct Segmentation {
  double rate_hz = 0;
  double threshold_n = 0;
  double noise_mean_n = 0;  // of the unloaded plate (0 if no unloaded run was long enough)
  double noise_sd_n = 0;
  std::vector<Phase> phases;  // in time order, covering every sample, kinds alternating
  std::vector<DoubleContact> double_contacts;
  std::size_t chatter_gaps = 0;  // bridged
  std::size_t spikes = 0;        // dropped
};

// Edge refinement: the threshold crossing is late by the time the force needs to rise to the
// threshold (about 2.5 ms for a 4 BW landing of a 75 kg person: five samples at 2 kHz). Each
// contact edge is placed where the force leaves zero by a least-squares fit, in force, of
// F = a max(0, t - t0)^p (p = 1, 1.25 .. 2: a linear onset such as an impact or a rebound, up to a
// smooth one such as a soft landing or the end of a push) to the samples from the flight noise up
// to 8 x the threshold, with t0 kept between the last sample above the noise (mean + 3 SD) and the
// first sample at or below the noise mean - 1 SD. Without noise that bracket is one sample wide,
// so every edge is exact to one sample at any rate.
//
// Throws AnalysisError for a rate outside 100 Hz - 2 kHz, non-finite samples or fewer than 100
// samples.
Segmentation segment_contacts(std::span<const double> fz_n, double rate_hz,
                              const ContactOptions& options = {});

// The window of `length` samples within [begin, end) with the lowest SD; found = false if the
// range is shorter than `length`.
struct SteadyWindow {
  bool found = false;
  std::size_t begin = 0;
  std::size_t end = 0;
  double mean_n = 0;
  double sd_n = 0;  // population SD
};
SteadyWindow steadiest_window(std::span<const double> fz_n, std::size_t begin, std::size_t end,
                              std::size_t length);

// Building blocks shared by the rebound analyses (drop jump, hops). Each check throws
// AnalysisError whose message starts with `where` and names the problem.
namespace rebound {

// Rate within 100 Hz - 2 kHz, finite samples, at least 1 s of them.
void check_input(const std::string& where, std::span<const double> fz_n, double rate_hz);
// A double contact (see Segmentation) starting within samples [begin, end) is an invalid trial.
void check_no_double_contact(const std::string& where, const Segmentation& seg, std::size_t begin,
                             std::size_t end);
// segments.phases[landing] is the final landing contact: the person must stay on the plate for
// min_hold_s from its start (a step-off, or a trial cut short, is an invalid trial).
void check_landing_hold(const std::string& where, const Segmentation& seg, std::size_t landing,
                        double min_hold_s);
std::size_t argmax(std::span<const double> fz_n, std::size_t begin, std::size_t end);
std::size_t samples(double seconds, double rate_hz);  // rounded, at least 1

struct Weighing {
  double body_weight_n = 0;
  bool measured = false;  // found in the trial (false: given by the caller)
  std::size_t begin = 0, end = 0;
  std::string note;  // how body weight was obtained, for AnalysisResult::processing
};
// The caller's body weight if given (must be finite and positive), else the mean of the steadiest
// window_s within [begin, end) (`what` says where, for the messages): a warning says it was found
// automatically, another if its SD exceeds max_sd_fraction of its mean. Throws if the range is
// shorter than window_s.
Weighing weigh(const std::string& where, std::span<const double> fz_n, double rate_hz,
               const std::optional<double>& given_n, std::size_t begin, std::size_t end,
               double window_s, double max_sd_fraction, const std::string& what,
               std::vector<std::string>& warnings);
// One line each: threshold and noise, bridged chatter, dropped spikes, edge refinement.
std::vector<std::string> segmentation_notes(const Segmentation& seg);

}  // namespace rebound

}  // namespace fp::analysis
