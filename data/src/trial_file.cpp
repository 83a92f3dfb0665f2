#include "forceplate/data/trial_file.hpp"

#include <hdf5.h>

#include <string>
#include <system_error>

#include "durable_file.hpp"
#include "h5_io.hpp"
#include "trial_schema.hpp"
#include "trial_validate.hpp"

namespace fp::data {

namespace {

TrialFileError write_error(const std::filesystem::path& path, const std::string& problem) {
  return TrialFileError("cannot write trial file '" + path.string() + "': " + problem);
}

TrialFileError read_error(const std::filesystem::path& path, const std::string& problem) {
  return TrialFileError("cannot read trial file '" + path.string() + "': " + problem);
}

}  // namespace

void write_hdf5_durably(const std::filesystem::path& path, const std::function<void(hid_t file)>& fill) {
  h5::silence_errors();
  // Same directory, so the rename is atomic and `path` is either the old file or the complete new one.
  const std::filesystem::path temp = path.string() + ".tmp";
  try {
    h5::Handle file(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                    "cannot create " + temp.string());
    fill(file.get());
    h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush " + temp.string());
    file.close_checked("cannot close " + temp.string());
    fsync_file(temp);
    rename_over(temp, path);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw write_error(path, e.what());
  }
  try {
    fsync_directory_of(path);
  } catch (const std::exception& e) {
    throw write_error(path, std::string(e.what()) + " (the file is complete but may not survive a power loss)");
  }
}

void write_trial(const std::filesystem::path& path, const Trial& trial) {
  if (const std::string problem = trial_inconsistency(trial); !problem.empty()) {
    throw write_error(path, "inconsistent trial: " + problem);
  }
  write_hdf5_durably(path, [&](hid_t file) { write_trial_contents(file, trial); });
}

Trial read_trial(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) throw read_error(path, "no such file");
  if (std::filesystem::is_directory(status)) throw read_error(path, "is a directory");

  h5::silence_errors();
  try {
    const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
    if (is_hdf5 < 0) h5::fail("cannot open");
    if (is_hdf5 == 0) throw read_error(path, "not an HDF5 file");

    const h5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open");
    if (!h5::has_attribute(file.get(), ".", "schema_version")) {
      throw read_error(path, "not a trial file (HDF5, but no schema_version attribute at the root)");
    }
    const std::int64_t version = h5::read_int_attribute(file.get(), ".", "schema_version");
    if (version > kTrialSchemaVersion) {
      throw read_error(path, "schema version " + std::to_string(version) +
                                 " is newer than this program understands (" +
                                 std::to_string(kTrialSchemaVersion) + "); update the software");
    }
    if (version < 1) throw read_error(path, "invalid schema version " + std::to_string(version));

    Trial trial = read_trial_contents(file.get());
    if (const std::string problem = trial_inconsistency(trial); !problem.empty()) {
      throw read_error(path, "inconsistent contents: " + problem);
    }
    return trial;
  } catch (const TrialFileError&) {
    throw;
  } catch (const std::exception& e) {
    throw read_error(path, e.what());
  }
}

}  // namespace fp::data
