// Exports of one trial or one session: CSV (time series and measures) or a verified HDF5 copy.
#include <charconv>
#include <cmath>

#include "archive_export.hpp"
#include "archive_impl.hpp"
#include "forceplate/data/trial_file.hpp"

namespace fp::data {

namespace ad = archive_detail;
namespace fs = std::filesystem;

namespace archive_detail {

std::string csv_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char text[64];
  const auto result = std::to_chars(text, text + sizeof text, v);
  return std::string(text, result.ptr);
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string trial_series_csv(const Trial& t, const std::vector<std::string>& comments) {
  std::string out;
  for (const auto& c : comments) out += "# " + c + "\n";
  const int plates = t.plate_count();
  const bool horizontal = !t.fx_n.empty() && !t.fy_n.empty();
  auto suffix = [&](int k) { return plates == 1 ? std::string() : (k == 0 ? "_left" : "_right"); };
  out += "time[s]";
  for (int k = 0; k < plates; ++k) {
    out += ",fz" + suffix(k) + "[N],copx" + suffix(k) + "[mm],copy" + suffix(k) + "[mm]";
    if (horizontal) out += ",fx" + suffix(k) + "[N],fy" + suffix(k) + "[N]";
  }
  out += "\n";
  const std::size_t n = t.sample_count();
  const auto P = static_cast<std::size_t>(plates);
  for (std::size_t i = 0; i < n; ++i) {
    out += csv_number(t.time_s[i]);
    for (std::size_t k = 0; k < P; ++k) {
      const std::size_t j = i * P + k;
      out += "," + csv_number(t.fz_n[j]) + "," + csv_number(t.cop_x_m[j] * 1000.0) + "," +
             csv_number(t.cop_y_m[j] * 1000.0);
      if (horizontal) out += "," + csv_number(t.fx_n[j]) + "," + csv_number(t.fy_n[j]);
    }
    out += "\n";
  }
  return out;
}

std::string trial_measures_csv(const Trial& t) {
  std::string out = "measure,value,unit\n";
  for (const auto& m : t.results) out += csv_field(m.name) + "," + csv_number(m.value) + "," + csv_field(m.unit) + "\n";
  return out;
}

}  // namespace archive_detail

namespace {

std::vector<fs::path> export_one(const Archive::Impl& impl, const TrialRecord& r, const fs::path& folder,
                                 ExportFormat format) {
  const fs::path source = impl.root / r.path;
  std::uint64_t size = 0;
  if (!fs::exists(source)) throw ArchiveError("trial '" + r.id + "': file '" + r.path + "' is missing");
  if (ad::file_crc32(source, &size) != r.crc32 || size != r.size_bytes) {
    throw ArchiveError("trial '" + r.id + "': file '" + r.path +
                       "' does not match its checksum; not exported (run 'forceplate archive verify')");
  }
  std::vector<fs::path> written;
  if (format == ExportFormat::hdf5) {
    const fs::path target = folder / (r.id + ".h5");
    ad::write_file_durably(target, ad::read_text_file(source), /*must_be_new=*/true);
    if (ad::file_crc32(target) != r.crc32) throw ArchiveError("the copy '" + target.string() + "' does not match the archived file");
    written.push_back(target);
    return written;
  }
  Trial trial;
  try {
    trial = read_trial(source);
  } catch (const std::exception& e) {
    throw ArchiveError(e.what());
  }
  const std::vector<std::string> comments = {
      "forceplate trial " + r.id + ", test " + trial.test_name + ", recorded " + r.recorded_at_utc,
      "sample rate " + ad::csv_number(trial.sample_rate_hz) + " Hz; COP in mm from the plate centre; NaN: not available"};
  const fs::path series = folder / (r.id + ".csv");
  const fs::path measures = folder / (r.id + "_measures.csv");
  ad::write_file_durably(series, ad::trial_series_csv(trial, comments), /*must_be_new=*/true);
  written.push_back(series);
  ad::write_file_durably(measures, ad::trial_measures_csv(trial), /*must_be_new=*/true);
  written.push_back(measures);
  return written;
}

void make_folder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw ArchiveError("cannot create folder '" + folder.string() + "': " + ec.message());
}

const char* format_name(ExportFormat f) { return f == ExportFormat::csv ? "csv" : "hdf5"; }

}  // namespace

std::vector<fs::path> Archive::export_trial(const std::string& trial_id, const fs::path& folder, ExportFormat format) {
  std::vector<fs::path> written;
  {
    ad::LockGuard guard(*impl_->lock, false, "export trial '" + trial_id + "'");
    const TrialRecord r = impl_->trial(trial_id);
    make_folder(folder);
    written = export_one(*impl_, r, folder, format);
  }
  ad::LockGuard guard(*impl_->lock, true, "record an export in the audit log");
  ad::audit(impl_->root, std::string("export-trial-") + format_name(format), "trial " + trial_id, "", 1,
            fs::absolute(folder));
  return written;
}

std::vector<fs::path> Archive::export_session(const std::string& session_id, const fs::path& folder,
                                              ExportFormat format) {
  std::vector<fs::path> written;
  std::size_t trials = 0;
  {
    ad::LockGuard guard(*impl_->lock, false, "export session '" + session_id + "'");
    impl_->session(session_id);
    make_folder(folder);
    TrialQuery q;
    q.session_id = session_id;
    for (const auto& r : impl_->index->trials(q)) {
      for (auto& f : export_one(*impl_, r, folder, format)) written.push_back(std::move(f));
      ++trials;
    }
  }
  ad::LockGuard guard(*impl_->lock, true, "record an export in the audit log");
  ad::audit(impl_->root, std::string("export-session-") + format_name(format), "session " + session_id, "", trials,
            fs::absolute(folder));
  return written;
}

}  // namespace fp::data
