#pragma once
// Archives for the archive tests: a fresh archive in a scratch folder, patients and sessions.
#include <sys/stat.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "forceplate/data/archive.hpp"
#include "scratch_dir.hpp"

namespace fp::data::test {

inline Patient make_patient(const std::string& id, const std::string& name, const std::string& dob = "1980-05-17") {
  Patient p;
  p.id = id;
  p.name = name;
  p.date_of_birth = dob;
  p.sex = "female";
  p.height_m = 1.68;
  p.mass_kg = 61.5;
  p.involved_side = "left";
  p.diagnosis = "ankle sprain";
  p.notes = "first visit";
  return p;
}

inline Session make_session(const std::string& patient_id, const std::string& started_at, int pain = 3) {
  Session s;
  s.patient_id = patient_id;
  s.started_at_utc = started_at;
  s.notes = "session notes";
  s.pain_24h = pain;
  return s;
}

// zlib's crc32 over the whole file, computed here independently of the archive code.
inline std::uint32_t crc_of(const std::filesystem::path& file) {
  const std::string bytes = file_bytes(file);
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

inline unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777u;
}

}  // namespace fp::data::test
