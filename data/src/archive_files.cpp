// Archive files: names, validation, durable writes, checksums.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

#include "archive_impl.hpp"
#include "durable_file.hpp"

namespace fp::data::archive_detail {

namespace {

[[noreturn]] void fail_errno(const std::string& what, int error) {
  throw ArchiveError(what + ": " + std::generic_category().message(error));
}

bool is_digits(const std::string& s, std::size_t from, std::size_t count) {
  if (s.size() < from + count) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int number_at(const std::string& s, std::size_t from, std::size_t count) {
  return std::stoi(s.substr(from, count));
}

bool valid_ymd(int y, int m, int d) {
  if (y < 1800 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  return ymd.ok();
}

}  // namespace

fs::path patient_dir(const std::string& patient_id) { return fs::path(kPatientsDir) / patient_id; }
fs::path session_dir(const std::string& patient_id, const std::string& session_id) {
  return patient_dir(patient_id) / "sessions" / session_id;
}
fs::path trial_file(const std::string& patient_id, const std::string& session_id, const std::string& trial_id) {
  return session_dir(patient_id, session_id) / "trials" / (trial_id + ".h5");
}
fs::path trial_record_file(const fs::path& trial_h5) {
  fs::path p = trial_h5;
  p.replace_extension(".json");
  return p;
}

void check_id(const std::string& id, const std::string& what) {
  if (id.empty() || id.size() > 64) {
    throw ArchiveError("invalid " + what + " '" + id + "': it must be 1 to 64 characters long");
  }
  if (id[0] == '.' || id[0] == '-') {
    throw ArchiveError("invalid " + what + " '" + id + "': it must not start with '.' or '-'");
  }
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) {
      throw ArchiveError("invalid " + what + " '" + id + "': only letters A-Z a-z, digits and . _ - are allowed");
    }
  }
}

void check_side(const std::string& side, const std::string& what) {
  if (side != "left" && side != "right" && side != "both" && side != "none") {
    throw ArchiveError("invalid " + what + " '" + side + "': expected left, right, both or none");
  }
}

void check_date(const std::string& date, const std::string& what) {
  const bool shape = date.size() == 10 && is_digits(date, 0, 4) && date[4] == '-' && is_digits(date, 5, 2) &&
                     date[7] == '-' && is_digits(date, 8, 2);
  if (!shape || !valid_ymd(number_at(date, 0, 4), number_at(date, 5, 2), number_at(date, 8, 2))) {
    throw ArchiveError("invalid " + what + " '" + date + "': expected a date YYYY-MM-DD");
  }
}

void check_time_utc(const std::string& time, const std::string& what) {
  const bool shape = time.size() == 20 && time[10] == 'T' && is_digits(time, 11, 2) && time[13] == ':' &&
                     is_digits(time, 14, 2) && time[16] == ':' && is_digits(time, 17, 2) && time[19] == 'Z';
  if (!shape || number_at(time, 11, 2) > 23 || number_at(time, 14, 2) > 59 || number_at(time, 17, 2) > 60) {
    throw ArchiveError("invalid " + what + " '" + time + "': expected a UTC time YYYY-MM-DDTHH:MM:SSZ");
  }
  check_date(time.substr(0, 10), what);
}

void check_patient(const Patient& p) {
  check_id(p.id, "patient id");
  if (!p.date_of_birth.empty()) check_date(p.date_of_birth, "date of birth of patient '" + p.id + "'");
  if (p.sex != "female" && p.sex != "male" && p.sex != "other" && p.sex != "unknown") {
    throw ArchiveError("invalid sex '" + p.sex + "' of patient '" + p.id + "': expected female, male, other or unknown");
  }
  if (!(p.height_m >= 0 && p.height_m < 3)) {
    throw ArchiveError("invalid height of patient '" + p.id + "': " + std::to_string(p.height_m) +
                       " m (expected 0 for unknown, or metres below 3)");
  }
  if (!(p.mass_kg >= 0 && p.mass_kg < 500)) {
    throw ArchiveError("invalid mass of patient '" + p.id + "': " + std::to_string(p.mass_kg) +
                       " kg (expected 0 for unknown, or kilograms below 500)");
  }
  check_side(p.involved_side, "involved side of patient '" + p.id + "'");
}

std::string now_utc() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{now - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return text;
}

std::optional<long> day_number(const std::string& date_or_time) {
  if (date_or_time.size() < 10) return std::nullopt;
  const std::string date = date_or_time.substr(0, 10);
  if (!(is_digits(date, 0, 4) && date[4] == '-' && is_digits(date, 5, 2) && date[7] == '-' && is_digits(date, 8, 2))) {
    return std::nullopt;
  }
  const int y = number_at(date, 0, 4), m = number_at(date, 5, 2), d = number_at(date, 8, 2);
  if (!valid_ymd(y, m, d)) return std::nullopt;
  const std::chrono::sys_days days{std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} /
                                   std::chrono::day{static_cast<unsigned>(d)}};
  return static_cast<long>(days.time_since_epoch().count());
}

std::optional<int> age_in_years(const std::string& date_of_birth, const std::string& on) {
  if (!day_number(date_of_birth) || !day_number(on)) return std::nullopt;
  const int by = number_at(date_of_birth, 0, 4), bm = number_at(date_of_birth, 5, 2),
            bd = number_at(date_of_birth, 8, 2);
  const int y = number_at(on, 0, 4), m = number_at(on, 5, 2), d = number_at(on, 8, 2);
  int age = y - by;
  if (m < bm || (m == bm && d < bd)) --age;
  if (age < 0) return std::nullopt;
  return age;
}

void make_private_dir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    fail_errno("cannot create folder '" + dir.string() + "'", errno);
  }
}

void write_file_durably(const fs::path& path, const std::string& bytes, bool must_be_new, unsigned mode) {
  if (must_be_new && fs::exists(path)) throw ArchiveError("'" + path.string() + "' already exists");
  const fs::path tmp = fs::path(path.string() + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) fail_errno("cannot write '" + path.string() + "'", errno);
  std::size_t done = 0;
  int error = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  ::close(fd);
  if (error != 0) {
    ::unlink(tmp.c_str());
    fail_errno("cannot write '" + path.string() + "'", error);
  }
  if (must_be_new) {
    // link() fails if the name exists, so two writers cannot both create it.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      error = errno;
      ::unlink(tmp.c_str());
      if (error == EEXIST) throw ArchiveError("'" + path.string() + "' already exists");
      fail_errno("cannot create '" + path.string() + "'", error);
    }
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
    error = errno;
    ::unlink(tmp.c_str());
    fail_errno("cannot rename '" + tmp.string() + "' to '" + path.string() + "'", error);
  }
  try {
    fsync_directory_of(path);
  } catch (const std::exception& e) {
    throw ArchiveError(e.what());
  }
}

std::string read_text_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ArchiveError("cannot read '" + path.string() + "': " + std::strerror(errno));
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw ArchiveError("cannot read '" + path.string() + "': " + ec.message());
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in) throw ArchiveError("cannot read '" + path.string() + "': read failed");
  return text;
}

void append_line_durably(const fs::path& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) fail_errno("cannot append to '" + path.string() + "'", errno);
  const std::string bytes = line + "\n";
  const ssize_t n = ::write(fd, bytes.data(), bytes.size());
  int error = n < 0 ? errno : (static_cast<std::size_t>(n) != bytes.size() ? ENOSPC : 0);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  ::close(fd);
  if (error != 0) fail_errno("cannot append to '" + path.string() + "'", error);
}

std::uint32_t file_crc32(const fs::path& path, std::uint64_t* size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_errno("cannot read '" + path.string() + "'", errno);
  uLong crc = crc32(0L, Z_NULL, 0);
  std::uint64_t total = 0;
  std::vector<unsigned char> buffer(1 << 16);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      fail_errno("cannot read '" + path.string() + "'", error);
    }
    if (n == 0) break;
    crc = crc32(crc, buffer.data(), static_cast<uInt>(n));
    total += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  if (size) *size = total;
  return static_cast<std::uint32_t>(crc);
}

std::string crc_hex(std::uint32_t crc) {
  char text[16];
  std::snprintf(text, sizeof text, "%08x", crc);
  return text;
}

std::optional<std::uint32_t> parse_crc_hex(const std::string& text) {
  if (text.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : text) {
    v <<= 4;
    if (c >= '0' && c <= '9') {
      v |= static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v |= static_cast<std::uint32_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
  }
  return v;
}

}  // namespace fp::data::archive_detail
