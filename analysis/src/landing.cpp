#include "forceplate/analysis/landing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "checks.hpp"
#include "stabilisation.hpp"

namespace fp::analysis {

namespace {

constexpr const char* where = "analyze_landing";
constexpr const char* bw_band = "bw-band";
constexpr const char* sequential_average = "sequential-average";
constexpr const char* polynomial = "polynomial";
constexpr double min_peak_bw = 1.2;  // below this the loading is a step-on, not a landing

struct Stats {
  double mean = 0;
  double sd = 0;
};

Stats stats(std::span<const double> f, std::size_t b, std::size_t e) {
  double sum = 0;
  for (std::size_t i = b; i < e; ++i) sum += f[i];
  const double mean = sum / static_cast<double>(e - b);
  double sq = 0;
  for (std::size_t i = b; i < e; ++i) sq += (f[i] - mean) * (f[i] - mean);
  return {mean, std::sqrt(sq / static_cast<double>(e - b))};
}

// Integral of the straight lines between samples from (fractional) index a to b, in N x samples.
double integral(std::span<const double> f, double a, double b) {
  const auto value = [&](double x) {
    const auto i = static_cast<std::size_t>(x);
    if (i + 1 >= f.size()) return f.back();
    const double w = x - static_cast<double>(i);
    return f[i] + w * (f[i + 1] - f[i]);
  };
  double sum = 0;
  double x = a;
  while (x < b) {
    const double next = std::min(b, std::floor(x) + 1);
    sum += 0.5 * (value(x) + value(next)) * (next - x);
    x = next;
  }
  return sum;
}

void check_method(const std::string& name, bool vertical) {
  if (name == sequential_average || name == polynomial) return;
  if (name == bw_band) {
    if (vertical) return;
    detail::fail(where, "method 'bw-band' is for the vertical force only (COP has no body-weight "
                        "band); use 'sequential-average' or 'polynomial' for the COP");
  }
  detail::fail(where, "unknown time-to-stabilisation method '" + name +
                          "' (known: bw-band, sequential-average, polynomial)");
}

// The first unloaded run of at least min_len samples below `threshold` that ends in loading.
// Returns false when there is none.
bool find_unloaded_then_loaded(std::span<const double> f, double threshold, std::size_t min_len,
                               std::size_t& run_begin, std::size_t& run_end) {
  const std::size_t n = f.size();
  std::size_t i = 0;
  while (i < n) {
    while (i < n && f[i] >= threshold) ++i;
    const std::size_t b = i;
    while (i < n && f[i] < threshold) ++i;
    if (i == n) return false;
    if (i - b >= min_len) {
      run_begin = b;
      run_end = i;
      return true;
    }
  }
  return false;
}

struct Tts {
  std::optional<double> index;  // from the start of the series, samples
  double threshold = 0;
  std::string detail;  // for the processing line
};

Tts settle(std::span<const double> x, const std::string& method, double reference,
           double band_half_width, double band_tolerance, double sd_fraction,
           double poly_threshold, const char* unit) {
  Tts t;
  if (method == bw_band) {
    t.index = detail::band_settling(x, reference, band_half_width, band_tolerance);
    t.threshold = band_half_width;
    t.detail = "stays within reference +- " + detail::str(band_half_width) + " " + unit +
               " (edge tolerance " + detail::str(band_tolerance) + " " + unit +
               "), reference " + detail::str(reference) + " " + unit;
  } else if (method == sequential_average) {
    t.index = detail::sequential_average_settling(x, sd_fraction);
    const Stats s = stats(x, 0, x.size());
    t.threshold = sd_fraction * s.sd;
    t.detail = "sequential average stays within the window mean " + detail::str(s.mean) + " " +
               unit + " +- " + detail::str(sd_fraction) + " SD (" + detail::str(t.threshold) +
               " " + unit + ")";
  } else {
    t.index = detail::polynomial_settling(x, reference, poly_threshold);
    t.threshold = poly_threshold;
    t.detail = "cubic fit of |x - " + detail::str(reference) + " " + unit +
               "| falls to the range of variation " + detail::str(poly_threshold) + " " + unit;
  }
  return t;
}

}  // namespace

std::vector<std::string> stabilisation_methods() {
  return {bw_band, sequential_average, polynomial};
}

LandingResult analyze_landing(std::span<const double> fz_n, double rate_hz,
                              const LandingOptions& options) {
  LandingSignals s;
  s.fz_n = fz_n;
  return analyze_landing(s, rate_hz, options);
}

LandingResult analyze_landing(const LandingSignals& sig, double rate_hz, const LandingOptions& o) {
  detail::check_rate(where, rate_hz);
  if (rate_hz < 100 || rate_hz > 2000) {
    detail::fail(where, "sampling rate " + detail::str(rate_hz) +
                            " Hz is outside 100 Hz - 2 kHz (landing events need >= 100 Hz)");
  }
  const std::span<const double> f = sig.fz_n;
  const std::size_t n = f.size();
  detail::check_duration(where, n, rate_hz, 1.0, 100);
  detail::check_finite(where, "fz", f);
  const bool has_cop = !sig.cop_x_m.empty() || !sig.cop_y_m.empty();
  if (has_cop) {
    detail::check_same_length(where, "fz", n, "cop_x", sig.cop_x_m.size());
    detail::check_same_length(where, "fz", n, "cop_y", sig.cop_y_m.size());
    detail::check_finite(where, "cop_x", sig.cop_x_m);
    detail::check_finite(where, "cop_y", sig.cop_y_m);
    detail::check_cop_metres(where, "cop_x", sig.cop_x_m);
    detail::check_cop_metres(where, "cop_y", sig.cop_y_m);
  }
  const bool has_shear = !sig.fx_n.empty() || !sig.fy_n.empty();
  if (has_shear) {
    detail::check_same_length(where, "fz", n, "fx", sig.fx_n.size());
    detail::check_same_length(where, "fz", n, "fy", sig.fy_n.size());
    detail::check_finite(where, "fx", sig.fx_n);
    detail::check_finite(where, "fy", sig.fy_n);
  }
  check_method(o.vertical_method, true);
  check_method(o.cop_method, false);
  const auto samples = [&](double sec) {
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(sec * rate_hz)));
  };
  const auto at = [&](double index) { return index / rate_hz; };  // s from the trial start

  LandingResult out;
  LandingEvents& ev = out.events;
  AnalysisResult& r = out.result;
  r.test = "landing";
  ev.rate_hz = rate_hz;

  // 1. Touchdown: an unloaded part (the person is off the plate), then loading.
  const double thr0 = o.touchdown_threshold_min_n;
  std::size_t run_b = 0, run_e = 0;
  double filtered_noise_sd = 0;
  if (!find_unloaded_then_loaded(f, thr0, samples(o.min_unloaded_s), run_b, run_e)) {
    const double largest = *std::max_element(f.begin(), f.end());
    if (largest < thr0) {
      detail::fail(where, "no landing: the plate is never loaded (largest force " +
                              detail::str(largest) + " N < " + detail::str(thr0) + " N)");
    }
    detail::fail(where, "no landing: no unloaded part of at least " +
                            detail::str(o.min_unloaded_s) + " s (force below " +
                            detail::str(thr0) +
                            " N) followed by loading; the plate is loaded from the start or the "
                            "person leaves it and never lands");
  }
  {
    // Noise of the unloaded part: its last second, without the last 10 ms (the rise may begin
    // below the provisional threshold).
    const std::size_t guard = std::min(samples(0.01), (run_e - run_b) / 2);
    const std::size_t e = run_e - guard;
    const std::size_t b = std::max(run_b, e > samples(1.0) ? e - samples(1.0) : 0);
    const Stats noise = stats(f, b, e);
    ev.noise_mean_n = noise.mean;
    ev.noise_sd_n = noise.sd;
    // The same noise after the low-pass used for the time to stabilisation: how far the filtered
    // force can be off by measurement noise alone (it widens the band-edge tolerance).
    if (e - b >= 4) {
      const std::vector<double> nf = zero_phase_lowpass(f.subspan(b, e - b), rate_hz, o.filter);
      filtered_noise_sd = stats(nf, 0, nf.size()).sd;
    }
    ev.touchdown_threshold_n = std::max(thr0, noise.mean + o.touchdown_noise_sd * noise.sd);
  }
  std::size_t crossing = run_e;  // first sample at or above the refined threshold
  while (crossing < n && f[crossing] < ev.touchdown_threshold_n) ++crossing;
  if (crossing == n) {
    detail::fail(where, "no landing: the force never reaches the touchdown threshold " +
                            detail::str(ev.touchdown_threshold_n) + " N (noise mean " +
                            detail::str(ev.noise_mean_n) + " N + " +
                            detail::str(o.touchdown_noise_sd) + " SD)");
  }
  {
    // The instant of initial contact, between samples. Back from the crossing to the first sample
    // clearly above the noise (mean + touchdown_walkback_sd SD); the samples from well before it
    // up to twice the threshold are then fitted by least squares with a contact that starts at t0
    // and rises smoothly as c (t - t0)^2 (zero before t0), t0 on a grid of 1/50 sample. The fit
    // uses the samples still inside the noise too, so a rise that stays below the noise for a few
    // samples (a soft landing at 2 kHz) is still found at its start. An abrupt (linear) contact
    // is placed early by at most about the time it takes to reach twice the threshold.
    const double clear = ev.noise_mean_n + o.touchdown_walkback_sd * ev.noise_sd_n;
    std::size_t a = crossing;
    while (a > run_b && f[a - 1] > clear) --a;
    std::size_t e = crossing;
    while (e + 1 < n && f[e] < 2 * ev.touchdown_threshold_n) ++e;
    e = std::min(n - 1, std::max(e, a + 1));
    const std::size_t span = e - a + 1;
    const std::size_t wb = std::max(run_b, a - std::min(a, 2 * span + 2));
    ev.touchdown_index = static_cast<double>(a) - 1;  // fallback: the last sample in the noise
    double best = std::numeric_limits<double>::infinity();
    constexpr int steps_per_sample = 50;
    {
      for (std::size_t g = 0; g <= (a - wb) * steps_per_sample; ++g) {
        const double t0 = static_cast<double>(wb) + static_cast<double>(g) / steps_per_sample;
        double sgg = 0, sgy = 0, syy = 0;
        for (std::size_t i = wb; i <= e; ++i) {
          const double d = std::max(0.0, static_cast<double>(i) - t0);
          const double basis = d * d;
          const double y = f[i] - ev.noise_mean_n;
          sgg += basis * basis;
          sgy += basis * y;
          syy += y * y;
        }
        if (sgg <= 0) continue;
        const double sse = syy - sgy * sgy / sgg;  // with the best c = sgy / sgg
        if (sgy > 0 && sse < best) {
          best = sse;
          ev.touchdown_index = t0;
        }
      }
    }
    ev.touchdown = static_cast<std::size_t>(std::lround(ev.touchdown_index));
  }

  // 2. The contact must last to the end: no unloading (step-off) and no second touchdown.
  {
    const std::size_t min_gap = samples(o.min_gap_s);
    std::size_t i = crossing;
    while (i < n) {
      while (i < n && f[i] >= ev.touchdown_threshold_n) ++i;
      const std::size_t b = i;
      while (i < n && f[i] < ev.touchdown_threshold_n) ++i;
      if (b == n) break;
      const std::string when = detail::str(at(static_cast<double>(b))) + " s (" +
                               detail::str(at(static_cast<double>(b - ev.touchdown))) +
                               " s after touchdown)";
      if (i == n) {
        detail::fail(where, "step-off during the landing hold: the force falls below " +
                                detail::str(ev.touchdown_threshold_n) + " N at " + when +
                                " and stays there to the end");
      }
      if (i - b >= min_gap) {
        detail::fail(where, "double contact: the force falls below " +
                                detail::str(ev.touchdown_threshold_n) + " N at " + when +
                                " and the person lands again at " +
                                detail::str(at(static_cast<double>(i))) + " s");
      }
    }
  }

  // 3. Landing peak (unfiltered: the impact is too brief for a posturography low-pass).
  {
    const std::size_t stop = std::min(n, ev.touchdown + samples(o.peak_search_s));
    ev.peak = ev.touchdown;
    for (std::size_t k = ev.touchdown; k < stop; ++k) {
      if (f[k] > f[ev.peak]) ev.peak = k;
    }
    ev.peak_force_n = f[ev.peak];
  }

  // 4. Body weight: given, or the steadiest window after the peak.
  const std::size_t w = samples(o.body_weight_window_s);
  if (o.body_weight_n) {
    const double bw = *o.body_weight_n;
    if (!std::isfinite(bw) || bw <= 0) {
      detail::fail(where, "given body weight must be positive and finite, got " +
                              detail::str(bw) + " N");
    }
    ev.body_weight_n = bw;
    ev.body_weight_source = "given";
    r.warnings.push_back("body weight given by the caller: " + detail::str(bw) + " N");
    r.processing.push_back("body weight: given, " + detail::str(bw) + " N");
  } else {
    if (ev.peak + 1 + w > n) {
      detail::fail(where, "too short a hold after the landing to weigh the person: " +
                              detail::str(at(static_cast<double>(n - ev.peak - 1))) +
                              " s after the peak, need " + detail::str(o.body_weight_window_s) +
                              " s of standing (or give the body weight)");
    }
    const double ref = f[n - 1];  // shifted sums keep the variance accurate
    std::vector<double> s1(n - ev.peak, 0.0), s2(n - ev.peak, 0.0);
    for (std::size_t i = ev.peak + 1; i < n; ++i) {
      const std::size_t k = i - ev.peak;
      s1[k] = s1[k - 1] + (f[i] - ref);
      s2[k] = s2[k - 1] + (f[i] - ref) * (f[i] - ref);
    }
    double best_var = std::numeric_limits<double>::infinity();
    std::size_t best = 0;  // offset from peak + 1 of the window start
    for (std::size_t b = 0; b + w <= n - ev.peak - 1; ++b) {
      const double m = (s1[b + w] - s1[b]) / static_cast<double>(w);
      const double var = (s2[b + w] - s2[b]) / static_cast<double>(w) - m * m;
      if (var <= best_var) {  // ties go to the later window (nearer the end of the trial)
        best_var = var;
        best = b;
      }
    }
    ev.body_weight_begin = ev.peak + 1 + best;
    ev.body_weight_end = ev.body_weight_begin + w;
    const Stats q = stats(f, ev.body_weight_begin, ev.body_weight_end);
    if (!(q.sd <= o.quiet_max_sd_fraction * q.mean)) {
      detail::fail(where, "no steady window of " + detail::str(o.body_weight_window_s) +
                              " s after the landing to weigh the person: the steadiest has SD " +
                              detail::str(q.sd) + " N for a mean of " + detail::str(q.mean) +
                              " N (give the body weight)");
    }
    ev.body_weight_n = q.mean;
    ev.body_weight_source = "end-window";
    r.warnings.push_back("body weight from the steadiest " + detail::str(o.body_weight_window_s) +
                         " s after the landing (" +
                         detail::str(at(static_cast<double>(ev.body_weight_begin))) + " - " +
                         detail::str(at(static_cast<double>(ev.body_weight_end))) +
                         " s), not from a given mass");
    r.processing.push_back(
        "body weight: mean of the steadiest " + detail::str(o.body_weight_window_s) +
        " s window after the peak, " + detail::str(at(static_cast<double>(ev.body_weight_begin))) +
        " - " + detail::str(at(static_cast<double>(ev.body_weight_end))) + " s: " +
        detail::str(q.mean) + " N (SD " + detail::str(q.sd) + " N)");
  }
  const double bw = ev.body_weight_n;
  if (ev.peak_force_n < min_peak_bw * bw) {
    detail::fail(where, "no landing impact: the force after touchdown peaks at " +
                            detail::str(ev.peak_force_n / bw) + " BW (< " +
                            detail::str(min_peak_bw) + " BW): the person stepped on, not landed");
  }
  r.processing.push_back("touchdown: threshold " + detail::str(ev.touchdown_threshold_n) +
                         " N (unloaded noise " + detail::str(ev.noise_mean_n) + " N, SD " +
                         detail::str(ev.noise_sd_n) + " N), start of the rise extrapolated to " +
                         detail::str(at(ev.touchdown_index)) + " s");

  // 5. Loading: time to peak, loading rates, impulse over the first 100 ms (unfiltered force).
  const double ttp = at(std::max(1.0, static_cast<double>(ev.peak) - ev.touchdown_index));
  double peak_rate = 0;  // central differences over touchdown .. peak
  for (std::size_t i = std::max<std::size_t>(1, ev.touchdown);
       i <= ev.peak && i + 1 < n; ++i) {
    peak_rate = std::max(peak_rate, (f[i + 1] - f[i - 1]) * rate_hz / 2);
  }
  const double impulse_end = ev.touchdown_index + o.impulse_window_s * rate_hz;
  if (impulse_end > static_cast<double>(n - 1)) {
    detail::fail(where, "too short: the trial ends within " + detail::str(o.impulse_window_s) +
                            " s of touchdown");
  }
  const double impulse = integral(f, ev.touchdown_index, impulse_end) / rate_hz;

  // 6. Low-passed force and COP from touchdown (for the phases after the peak and the TTS).
  const std::span<const double> tail = f.subspan(ev.touchdown);
  const std::vector<double> ff = zero_phase_lowpass(tail, rate_hz, o.filter);
  r.processing.push_back("low-pass: zero-phase Butterworth, order " + std::to_string(o.filter.order) +
                         ", " + detail::str(o.filter.cutoff_hz) +
                         " Hz, on Fz (and COP) from touchdown for the attenuation end and the "
                         "time to stabilisation; peak, rates, impulse and stability indices use "
                         "the unfiltered force");
  {
    // Attenuation ends where the low-passed force is back at body weight after the peak, or at
    // its first minimum if it does not come down that far.
    std::size_t j = ev.peak - ev.touchdown;
    while (j + 1 < ff.size() && ff[j + 1] >= ff[j] ) ++j;  // the low-passed peak
    std::size_t k = j;
    while (k < ff.size() && ff[k] > bw) ++k;
    if (k == ff.size()) {
      k = j;
      while (k + 1 < ff.size() && ff[k + 1] < ff[k]) ++k;
    }
    ev.attenuation_end = ev.touchdown + k;
  }

  // The reference window for the COP and the polynomial threshold: the body-weight window, or the
  // last body_weight_window_s of the trial when the body weight was given.
  const std::size_t ref_b = ev.body_weight_source == "given" ? (n > w ? n - w : 0)
                                                             : ev.body_weight_begin;
  const std::size_t ref_e = ev.body_weight_source == "given" ? n : ev.body_weight_end;
  const auto range_of_variation = [&](std::span<const double> x, double reference) {
    double rov = 0;
    for (std::size_t i = std::max(ref_b, ev.touchdown); i < ref_e; ++i) {
      rov = std::max(rov, std::abs(x[i - ev.touchdown] - reference));
    }
    return rov;
  };

  // 7. Vertical time to stabilisation.
  {
    const double tolerance = (ev.body_weight_source == "given" ? o.band_tolerance_bw
                                                               : o.band_tolerance_end_window_bw) *
                                 bw +
                             2 * filtered_noise_sd;
    const Tts t = settle(ff, o.vertical_method, bw, o.band_bw * bw, tolerance,
                         o.sequential_sd_fraction, range_of_variation(ff, bw), "N");
    if (!t.index) {
      detail::fail(where, "too short a hold: the vertical force has not stabilised by the end of "
                          "the trial (method " + o.vertical_method + ")");
    }
    const double end_s = at(static_cast<double>(n - 1));
    ev.stabilised_s = at(static_cast<double>(ev.touchdown) + *t.index);
    if (end_s - ev.stabilised_s < o.min_hold_after_stable_s) {
      detail::fail(where, "too short a hold after the landing to see it stabilise: the vertical "
                          "force settles at " + detail::str(ev.stabilised_s) +
                          " s and the trial ends at " + detail::str(end_s) + " s (need " +
                          detail::str(o.min_hold_after_stable_s) + " s more)");
    }
    Stabilisation st;
    st.signal = "fz";
    st.method = o.vertical_method;
    st.window_begin_s = at(static_cast<double>(ev.touchdown));
    st.window_end_s = at(static_cast<double>(n));
    st.threshold = t.threshold;
    st.time_s = ev.stabilised_s - at(ev.touchdown_index);
    out.stabilisation.push_back(st);
    r.processing.push_back("time_to_stabilisation: method " + o.vertical_method + ", window " +
                           detail::str(st.window_begin_s) + " - " + detail::str(st.window_end_s) +
                           " s (touchdown to end of trial), " + t.detail);
  }

  // 8. COP time to stabilisation (from the threshold crossing: before it the COP is undefined).
  if (has_cop) {
    const std::size_t b = crossing;
    const char* names[2] = {"cop_ml", "cop_ap"};
    const std::span<const double> cop[2] = {sig.cop_x_m, sig.cop_y_m};
    for (int a = 0; a < 2; ++a) {
      const std::vector<double> xf =
          zero_phase_lowpass(cop[a].subspan(b), rate_hz, o.filter);
      const double reference =
          stats(cop[a], std::max(ref_b, b), std::max(ref_e, std::max(ref_b, b) + 1)).mean;
      double rov = 0;
      for (std::size_t i = std::max(ref_b, b); i < ref_e; ++i) {
        rov = std::max(rov, std::abs(xf[i - b] - reference));
      }
      const Tts t = settle(xf, o.cop_method, reference, 0, 0, o.sequential_sd_fraction, rov, "m");
      Stabilisation st;
      st.signal = names[a];
      st.method = o.cop_method;
      st.window_begin_s = at(static_cast<double>(b));
      st.window_end_s = at(static_cast<double>(n));
      st.threshold = t.threshold;
      if (t.index) {
        st.time_s = at(static_cast<double>(b) + *t.index - ev.touchdown_index);
      } else {
        st.time_s = std::numeric_limits<double>::quiet_NaN();
        r.warnings.push_back(std::string(names[a]) + " did not stabilise by the end of the trial");
      }
      out.stabilisation.push_back(st);
      r.processing.push_back(std::string("time_to_stabilisation_") + (a == 0 ? "ml" : "ap") +
                             ": method " + o.cop_method + ", window " +
                             detail::str(st.window_begin_s) + " - " +
                             detail::str(st.window_end_s) + " s, " + t.detail);
    }
  }

  // 9. Stability indices (Wikstrom et al. 2005) over the first 3 s after touchdown.
  const std::size_t si_end = std::min(n, ev.touchdown + samples(o.stability_index_window_s));
  if (si_end - ev.touchdown < samples(o.stability_index_window_s)) {
    r.warnings.push_back("stability indices over " +
                         detail::str(at(static_cast<double>(si_end - ev.touchdown))) +
                         " s only: the trial ends less than " +
                         detail::str(o.stability_index_window_s) + " s after touchdown");
  }
  double sz = 0, sx = 0, sy = 0;
  for (std::size_t i = ev.touchdown; i < si_end; ++i) {
    sz += (bw - f[i]) * (bw - f[i]);
    if (has_shear) {
      sx += sig.fx_n[i] * sig.fx_n[i];
      sy += sig.fy_n[i] * sig.fy_n[i];
    }
  }
  const double count = static_cast<double>(si_end - ev.touchdown);
  r.processing.push_back("stability indices: unfiltered forces over " +
                         detail::str(at(static_cast<double>(ev.touchdown))) + " - " +
                         detail::str(at(static_cast<double>(si_end))) + " s, divided by body weight");

  // 10. Measures.
  const double stabilised_rel = out.stabilisation.front().time_s;
  const double att_rel = at(static_cast<double>(ev.attenuation_end) - ev.touchdown_index);
  const double control = stabilised_rel - att_rel;
  if (control < 0) {
    r.warnings.push_back("the vertical force is stable (" + o.vertical_method +
                         ") before the attenuation phase ends: control phase set to 0");
  }
  r.measures = {
      {"body_weight", bw, Unit::newton},
      {"peak_landing_force", ev.peak_force_n, Unit::newton},
      {"peak_landing_force_bw", ev.peak_force_n / bw, Unit::body_weight},
      {"time_to_peak", ttp, Unit::second},
      {"loading_rate_bw", ev.peak_force_n / bw / ttp, Unit::body_weight_per_second},
      {"peak_loading_rate_bw", peak_rate / bw, Unit::body_weight_per_second},
      {"loading_rate", ev.peak_force_n / ttp, Unit::newton_per_second},
      {"peak_loading_rate", peak_rate, Unit::newton_per_second},
      {"impulse_100ms", impulse, Unit::newton_second},
      {"impulse_100ms_bw", impulse / bw, Unit::body_weight_second},
      {"loading_phase_time", ttp, Unit::second},
      {"attenuation_phase_time", at(static_cast<double>(ev.attenuation_end - ev.peak)),
       Unit::second},
      {"control_phase_time", std::max(0.0, control), Unit::second},
      {"time_to_stabilisation", stabilised_rel, Unit::second},
      {"vertical_stability_index", std::sqrt(sz / count) / bw, Unit::dimensionless},
  };
  if (has_cop) {
    r.measures.push_back({"time_to_stabilisation_ml", out.stabilisation[1].time_s, Unit::second});
    r.measures.push_back({"time_to_stabilisation_ap", out.stabilisation[2].time_s, Unit::second});
  }
  if (has_shear) {
    r.measures.push_back(
        {"mlsi", std::sqrt(sx / count) / bw, Unit::dimensionless});
    r.measures.push_back(
        {"apsi", std::sqrt(sy / count) / bw, Unit::dimensionless});
    r.measures.push_back({"dpsi",
                          std::sqrt((sx + sy + sz) / count) / bw, Unit::dimensionless});
  }
  return out;
}

}  // namespace fp::analysis
