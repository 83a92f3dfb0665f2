#include "journal_format.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <system_error>

#include <nlohmann/json.hpp>

#include "trial_validate.hpp"

namespace fp::data::journal {

namespace {

using json = nlohmann::ordered_json;  // keys in the order written: format and version first

std::string errno_text(int error) { return std::generic_category().message(error); }

TrialFileError read_error(const std::filesystem::path& path, const std::string& problem) {
  return TrialFileError("cannot read journal '" + path.string() + "': " + problem);
}

std::string hex32(std::uint32_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text = "0x00000000";
  for (int i = 9; i >= 2; --i, value >>= 4) text[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
  return text;
}

// --- little-endian fields ---

template <class T>
void put(std::vector<unsigned char>& out, T value) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(&value);
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

template <class T>
void put_array(std::vector<unsigned char>& out, const std::vector<T>& values) {
  if (values.empty()) return;
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  out.insert(out.end(), bytes, bytes + values.size() * sizeof(T));
}

template <class T>
T get(const unsigned char* data) {
  T value;
  std::memcpy(&value, data, sizeof(T));
  return value;
}

// Reads `count` values from `data` at `pos` into `values` and advances `pos`.
template <class T>
void get_array(const unsigned char* data, std::size_t& pos, std::size_t count, std::vector<T>& values) {
  values.resize(count);
  if (count > 0) std::memcpy(values.data(), data + pos, count * sizeof(T));
  pos += count * sizeof(T);
}

void write_record_header(unsigned char* header, RecordType type, const unsigned char* payload,
                         std::size_t size) {
  std::memcpy(header, kRecordSignature, 4);
  const auto type_value = static_cast<std::uint32_t>(type);
  const auto length = static_cast<std::uint32_t>(size);
  std::memcpy(header + 4, &type_value, 4);
  std::memcpy(header + 8, &length, 4);
  const std::uint32_t crc = crc32(crc32(0, header + 4, 8), payload, size);
  std::memcpy(header + 12, &crc, 4);
}

// --- metadata as JSON: numbers that JSON cannot hold (NaN, infinities) as strings ---

json number(double value) {
  if (std::isfinite(value)) return value;
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}

double number_of(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  throw std::runtime_error("expected a number, found " + value.dump());
}

json numbers(const std::vector<double>& values) {
  json array = json::array();
  for (double v : values) array.push_back(number(v));
  return array;
}

std::vector<double> numbers_of(const json& array) {
  std::vector<double> values;
  for (const json& v : array) values.push_back(number_of(v));
  return values;
}

}  // namespace

// --- blocks ---

void Block::clear() {
  sequence.clear();
  time_s.clear();
  counts.clear();
  cell_force_n.clear();
  fz_n.clear();
  cop_x_m.clear();
  cop_y_m.clear();
  fx_n.clear();
  fy_n.clear();
  gaps.clear();
}

void Block::push(const JournalSample& sample, const Layout& layout) {
  const auto cells = static_cast<std::ptrdiff_t>(layout.cells);
  const auto plates = static_cast<std::ptrdiff_t>(layout.plates);
  sequence.push_back(sample.sequence);
  time_s.push_back(sample.time_s);
  counts.insert(counts.end(), sample.counts.begin(), sample.counts.begin() + cells);
  cell_force_n.insert(cell_force_n.end(), sample.cell_force_n.begin(), sample.cell_force_n.begin() + cells);
  fz_n.insert(fz_n.end(), sample.fz_n.begin(), sample.fz_n.begin() + plates);
  cop_x_m.insert(cop_x_m.end(), sample.cop_x_m.begin(), sample.cop_x_m.begin() + plates);
  cop_y_m.insert(cop_y_m.end(), sample.cop_y_m.begin(), sample.cop_y_m.begin() + plates);
  if (layout.horizontal) {
    fx_n.insert(fx_n.end(), sample.fx_n.begin(), sample.fx_n.begin() + plates);
    fy_n.insert(fy_n.end(), sample.fy_n.begin(), sample.fy_n.begin() + plates);
  }
}

std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t size) {
  // zlib's CRC-32 (ISO-HDLC, as Python's zlib.crc32); its length is 32 bits, payloads are < 64 MiB.
  const auto* bytes = static_cast<const Bytef*>(data);
  while (size > 0) {
    const auto step = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc = static_cast<std::uint32_t>(::crc32(crc, bytes, step));
    bytes += step;
    size -= step;
  }
  return crc;
}

Layout layout_of(const Trial& metadata, bool horizontal) {
  return {metadata.plates.size(), metadata.plates.size() * static_cast<std::size_t>(metadata.cells_per_plate),
          horizontal};
}

// --- metadata ---

std::string encode_metadata(const Trial& m, bool horizontal) {
  json plates = json::array();
  for (const PlateInfo& p : m.plates) {
    plates.push_back({{"width_m", number(p.width_m)},
                      {"length_m", number(p.length_m)},
                      {"origin_x_m", number(p.origin_x_m)},
                      {"origin_y_m", number(p.origin_y_m)},
                      {"cell_x_m", numbers(p.cell_x_m)},
                      {"cell_y_m", numbers(p.cell_y_m)},
                      {"gain_n_per_count", numbers(p.gain_n_per_count)},
                      {"offset_counts", numbers(p.offset_counts)}});
  }
  json results = json::array();
  for (const Measurement& r : m.results) {
    results.push_back({{"name", r.name}, {"value", number(r.value)}, {"unit", r.unit}});
  }
  json header = {
      {"format", "forceplate-journal"},
      {"format_version", kFormatVersion},
      {"test_name", m.test_name},
      {"start_time_utc", m.start_time_utc},
      {"software_version", m.software_version},
      {"sample_rate_hz", number(m.sample_rate_hz)},
      {"plate_count", m.plates.size()},
      {"cells_per_plate", m.cells_per_plate},
      {"horizontal_forces", horizontal},
      {"device",
       {{"serial", m.device.serial},
        {"firmware_version", m.device.firmware_version},
        {"protocol_major", m.device.protocol_major},
        {"protocol_minor", m.device.protocol_minor},
        {"adc_bits", m.device.adc_bits}}},
      {"plates", plates},
      {"analysis_version", m.analysis_version},
      {"results", results},
      {"import_notes", m.import_notes},
  };
  // Clinical context known when the recording starts (optional keys: older journals lack them).
  json events = json::array();
  for (const RunnerEvent& e : m.runner_events) {
    events.push_back({{"device_time_s", number(e.device_time_s)}, {"state", e.state}, {"message", e.message}});
  }
  json pain = json::array();
  for (const PainRating& p : m.pain) pain.push_back({{"when", p.when}, {"rating", p.rating}});
  header["clinical"] = {{"side", m.side},
                        {"test_definition", m.test_definition},
                        {"runner_events", events},
                        {"pain", pain},
                        {"notes", m.notes},
                        {"invalid_reason", m.invalid_reason},
                        {"analysis_processing", m.analysis_processing},
                        {"analysis_warnings", m.analysis_warnings}};
  return header.dump(1);  // one key per line: readable with `head` in an emergency
}

Trial decode_metadata(std::string_view text, bool& horizontal) {
  try {
    const json j = json::parse(text);
    if (j.at("format").get<std::string>() != "forceplate-journal") {
      throw std::runtime_error("format is " + j.at("format").dump() + ", expected \"forceplate-journal\"");
    }
    Trial m;
    m.test_name = j.at("test_name").get<std::string>();
    m.start_time_utc = j.at("start_time_utc").get<std::string>();
    m.software_version = j.at("software_version").get<std::string>();
    m.sample_rate_hz = number_of(j.at("sample_rate_hz"));
    m.cells_per_plate = j.at("cells_per_plate").get<int>();
    horizontal = j.at("horizontal_forces").get<bool>();
    const json& d = j.at("device");
    m.device.serial = d.at("serial").get<std::string>();
    m.device.firmware_version = d.at("firmware_version").get<std::string>();
    m.device.protocol_major = d.at("protocol_major").get<int>();
    m.device.protocol_minor = d.at("protocol_minor").get<int>();
    m.device.adc_bits = d.at("adc_bits").get<int>();
    for (const json& p : j.at("plates")) {
      PlateInfo plate;
      plate.width_m = number_of(p.at("width_m"));
      plate.length_m = number_of(p.at("length_m"));
      if (p.contains("origin_x_m")) plate.origin_x_m = number_of(p.at("origin_x_m"));
      if (p.contains("origin_y_m")) plate.origin_y_m = number_of(p.at("origin_y_m"));
      plate.cell_x_m = numbers_of(p.at("cell_x_m"));
      plate.cell_y_m = numbers_of(p.at("cell_y_m"));
      plate.gain_n_per_count = numbers_of(p.at("gain_n_per_count"));
      plate.offset_counts = numbers_of(p.at("offset_counts"));
      m.plates.push_back(std::move(plate));
    }
    if (j.at("plate_count").get<std::size_t>() != m.plates.size()) {
      throw std::runtime_error("plate_count disagrees with the plates listed");
    }
    m.analysis_version = j.at("analysis_version").get<std::string>();
    for (const json& r : j.at("results")) {
      m.results.push_back({r.at("name").get<std::string>(), number_of(r.at("value")), r.at("unit").get<std::string>()});
    }
    m.import_notes = j.at("import_notes").get<std::vector<std::string>>();
    if (j.contains("clinical")) {
      const json& c = j.at("clinical");
      m.side = c.at("side").get<std::string>();
      m.test_definition = c.at("test_definition").get<std::string>();
      for (const json& e : c.at("runner_events")) {
        m.runner_events.push_back(
            {number_of(e.at("device_time_s")), e.at("state").get<std::string>(), e.at("message").get<std::string>()});
      }
      for (const json& p : c.at("pain")) m.pain.push_back({p.at("when").get<std::string>(), p.at("rating").get<int>()});
      m.notes = c.at("notes").get<std::string>();
      m.invalid_reason = c.at("invalid_reason").get<std::string>();
      m.analysis_processing = c.at("analysis_processing").get<std::vector<std::string>>();
      m.analysis_warnings = c.at("analysis_warnings").get<std::vector<std::string>>();
    }
    return m;
  } catch (const json::exception& e) {
    throw std::runtime_error(e.what());
  }
}

// --- records ---

void append_file_header(std::vector<unsigned char>& out) {
  out.insert(out.end(), std::begin(kSignature), std::end(kSignature));
  put<std::uint32_t>(out, kFormatVersion);
  put<std::uint32_t>(out, 0);
}

void append_record(std::vector<unsigned char>& out, RecordType type, const void* payload, std::size_t size) {
  const std::size_t start = out.size();
  out.resize(start + kRecordHeaderSize);
  const auto* bytes = static_cast<const unsigned char*>(payload);
  out.insert(out.end(), bytes, bytes + size);
  write_record_header(out.data() + start, type, out.data() + start + kRecordHeaderSize, size);
}

void append_block_record(std::vector<unsigned char>& out, const Block& block, const Layout& layout,
                         std::uint64_t index, std::uint64_t first_sample) {
  const std::size_t start = out.size();
  out.resize(start + kRecordHeaderSize);
  put<std::uint64_t>(out, index);
  put<std::uint64_t>(out, first_sample);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(block.samples()));
  put<std::uint32_t>(out, static_cast<std::uint32_t>(block.gaps.size()));
  put_array(out, block.sequence);
  put_array(out, block.time_s);
  put_array(out, block.counts);
  put_array(out, block.cell_force_n);
  put_array(out, block.fz_n);
  put_array(out, block.cop_x_m);
  put_array(out, block.cop_y_m);
  if (layout.horizontal) {
    put_array(out, block.fx_n);
    put_array(out, block.fy_n);
  }
  for (const Gap& gap : block.gaps) {
    put<std::uint64_t>(out, gap.first_missing_sequence);
    put<std::uint64_t>(out, gap.count);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(gap.reason.size()));
    out.insert(out.end(), gap.reason.begin(), gap.reason.end());
  }
  const std::size_t payload = start + kRecordHeaderSize;
  write_record_header(out.data() + start, RecordType::samples, out.data() + payload, out.size() - payload);
}

void append_end_record(std::vector<unsigned char>& out, std::uint64_t blocks, std::uint64_t samples,
                       std::uint64_t gaps) {
  std::vector<unsigned char> payload;
  put(payload, blocks);
  put(payload, samples);
  put(payload, gaps);
  append_record(out, RecordType::end, payload.data(), payload.size());
}

// --- quick checks on whole files ---

namespace {

class ReadOnlyFile {
 public:
  explicit ReadOnlyFile(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error(errno_text(errno));
  }
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
  ~ReadOnlyFile() { ::close(fd_); }
  int fd() const { return fd_; }
  std::uint64_t size() const {
    struct stat info {};
    if (::fstat(fd_, &info) != 0) throw std::runtime_error(errno_text(errno));
    return static_cast<std::uint64_t>(info.st_size);
  }
  // Reads up to `size` bytes at `offset`; returns how many (fewer only at the end of the file).
  std::size_t read(std::uint64_t offset, void* data, std::size_t size) const {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t got = ::pread(fd_, static_cast<char*>(data) + done, size - done,
                                  static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw std::runtime_error(errno_text(errno));
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }

 private:
  int fd_;
};

}  // namespace

bool starts_with_signature(const std::filesystem::path& path) {
  const ReadOnlyFile file(path);
  unsigned char start[sizeof kSignature];
  return file.read(0, start, sizeof start) == sizeof start && std::memcmp(start, kSignature, sizeof start) == 0;
}

bool ends_with_end_record(const std::filesystem::path& path) {
  const ReadOnlyFile file(path);
  const std::uint64_t size = file.size();
  if (size < kFileHeaderSize + kEndRecordSize) return false;
  unsigned char record[kEndRecordSize];
  if (file.read(size - kEndRecordSize, record, sizeof record) != sizeof record) return false;
  return std::memcmp(record, kRecordSignature, 4) == 0 &&
         get<std::uint32_t>(record + 4) == static_cast<std::uint32_t>(RecordType::end) &&
         get<std::uint32_t>(record + 8) == kEndPayloadSize &&
         get<std::uint32_t>(record + 12) ==
             crc32(crc32(0, record + 4, 8), record + kRecordHeaderSize, kEndPayloadSize);
}

// --- the reader ---

Reader::Reader(const std::filesystem::path& path) : path_(path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) throw read_error(path, "no such file");
  if (std::filesystem::is_directory(status)) throw read_error(path, "is a directory");
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw read_error(path, errno_text(errno));
  try {
    struct stat info {};
    if (::fstat(fd_, &info) != 0) throw read_error(path, errno_text(errno));
    size_ = static_cast<std::uint64_t>(info.st_size);

    const std::string never_started =
        "the recording was cut off while its journal was being created, before any sample (it holds no samples)";
    unsigned char file_header[kFileHeaderSize] = {};
    const std::size_t have = static_cast<std::size_t>(std::min<std::uint64_t>(size_, kFileHeaderSize));
    read_at(0, file_header, have);
    if (std::memcmp(file_header, kSignature, std::min(have, sizeof kSignature)) != 0) {
      throw read_error(path, "not a journal (no journal signature at the start)");
    }
    if (size_ < kFileHeaderSize) throw read_error(path, "its file header is incomplete: " + never_started);
    const auto version = get<std::uint32_t>(file_header + 8);
    if (version > kFormatVersion) {
      throw read_error(path, "journal format version " + std::to_string(version) +
                                 " is newer than this program understands (" + std::to_string(kFormatVersion) +
                                 "); update the software");
    }
    if (version == 0) throw read_error(path, "invalid journal format version 0");
    offset_ = kFileHeaderSize;

    // The header record: without it the samples cannot be interpreted.
    const std::uint64_t left = size_ - offset_;
    if (left < kRecordHeaderSize) throw read_error(path, "its header record is incomplete: " + never_started);
    unsigned char header[kRecordHeaderSize];
    read_at(offset_, header, sizeof header);
    const auto length = get<std::uint32_t>(header + 8);
    if (std::memcmp(header, kRecordSignature, 4) != 0 ||
        get<std::uint32_t>(header + 4) != static_cast<std::uint32_t>(RecordType::header) || length > kMaxPayload) {
      throw read_error(path, "its header record is damaged (at byte " + std::to_string(offset_) +
                                 "); without it the samples cannot be interpreted");
    }
    if (length > left - kRecordHeaderSize) {
      throw read_error(path, "its header record is incomplete: " + never_started);
    }
    payload_.resize(length);
    read_at(offset_ + kRecordHeaderSize, payload_.data(), length);
    const std::uint32_t crc = crc32(crc32(0, header + 4, 8), payload_.data(), length);
    if (crc != get<std::uint32_t>(header + 12)) {
      throw read_error(path, "its header record is damaged (checksum mismatch at byte " + std::to_string(offset_) +
                                 "); without it the samples cannot be interpreted");
    }
    bool horizontal = false;
    try {
      metadata_ = decode_metadata(std::string_view(reinterpret_cast<const char*>(payload_.data()), length),
                                  horizontal);
    } catch (const std::exception& e) {
      throw read_error(path, std::string("its header record cannot be understood: ") + e.what());
    }
    if (const std::string problem = trial_inconsistency(metadata_); !problem.empty()) {
      throw read_error(path, "inconsistent metadata in its header record: " + problem);
    }
    layout_ = layout_of(metadata_, horizontal);
    offset_ += kRecordHeaderSize + length;
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

Reader::~Reader() { ::close(fd_); }

void Reader::read_at(std::uint64_t offset, void* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got =
        ::pread(fd_, static_cast<char*>(data) + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    // A read error is not damage to recover from: the caller must keep the journal and try again.
    if (got < 0)
      throw read_error(path_,
                       "reading at byte " + std::to_string(offset + done) + " failed: " + errno_text(errno));
    if (got == 0) throw read_error(path_, "the file became shorter while it was being read");
    done += static_cast<std::size_t>(got);
  }
}

void Reader::stop(std::uint64_t at, const std::string& why) {
  stopped_ = true;
  discarded_ = size_ - at;
  note_ = why;
}

bool Reader::decode_block(const unsigned char* payload, std::size_t size, Block& block, std::string& problem) const {
  if (size < kBlockPrefixSize) {
    problem = "its samples record is too short (" + std::to_string(size) + " bytes)";
    return false;
  }
  const auto index = get<std::uint64_t>(payload);
  const auto first_sample = get<std::uint64_t>(payload + 8);
  const std::size_t n = get<std::uint32_t>(payload + 16);
  const std::size_t gap_count = get<std::uint32_t>(payload + 20);
  if (index != blocks_ || first_sample != samples_) {
    problem = "it is samples record " + std::to_string(index) + " starting at sample " +
              std::to_string(first_sample) + ", but record " + std::to_string(blocks_) + " starting at sample " +
              std::to_string(samples_) + " was expected (records out of order)";
    return false;
  }
  const std::size_t rows_bytes = n * layout_.row_bytes();  // n < 2^32, row_bytes < 2^10: no overflow
  if (kBlockPrefixSize + rows_bytes > size) {
    problem = "its sample count (" + std::to_string(n) + ") does not fit its length";
    return false;
  }
  std::size_t pos = kBlockPrefixSize;
  block.clear();
  get_array(payload, pos, n, block.sequence);
  get_array(payload, pos, n, block.time_s);
  get_array(payload, pos, n * layout_.cells, block.counts);
  get_array(payload, pos, n * layout_.cells, block.cell_force_n);
  get_array(payload, pos, n * layout_.plates, block.fz_n);
  get_array(payload, pos, n * layout_.plates, block.cop_x_m);
  get_array(payload, pos, n * layout_.plates, block.cop_y_m);
  if (layout_.horizontal) {
    get_array(payload, pos, n * layout_.plates, block.fx_n);
    get_array(payload, pos, n * layout_.plates, block.fy_n);
  }
  for (std::size_t i = 0; i < gap_count; ++i) {
    if (size - pos < 20) {
      problem = "its gap " + std::to_string(i) + " does not fit its length";
      return false;
    }
    Gap gap;
    gap.first_missing_sequence = get<std::uint64_t>(payload + pos);
    gap.count = get<std::uint64_t>(payload + pos + 8);
    const std::size_t reason = get<std::uint32_t>(payload + pos + 16);
    pos += 20;
    if (reason > size - pos) {
      problem = "the reason of its gap " + std::to_string(i) + " does not fit its length";
      return false;
    }
    gap.reason.assign(reinterpret_cast<const char*>(payload + pos), reason);
    pos += reason;
    block.gaps.push_back(std::move(gap));
  }
  if (pos != size) {
    problem = "its length is " + std::to_string(size) + " bytes but its contents take " + std::to_string(pos);
    return false;
  }
  return true;
}

bool Reader::next(Block& block) {
  if (stopped_) return false;
  const std::string kept = " The " + std::to_string(samples_) + " samples before it are kept.";
  const std::uint64_t at = offset_;
  const std::uint64_t left = size_ - at;
  const std::string where = "at byte " + std::to_string(at);
  if (left == 0) {
    stop(at, "The journal has no end record: the recording was interrupted (a crash, a power loss, a full disk "
             "or a recording that was never finished) after " +
                 std::to_string(samples_) + " samples, which are all kept.");
    return false;
  }
  const std::string torn = "The journal ends with an incomplete record (the last " + std::to_string(left) +
                           " bytes, from byte " + std::to_string(at) +
                           "): the recording was interrupted while it was being written; those bytes were "
                           "discarded." +
                           kept;
  if (left < kRecordHeaderSize) {
    stop(at, torn);
    return false;
  }
  unsigned char header[kRecordHeaderSize];
  read_at(at, header, sizeof header);
  const auto type = get<std::uint32_t>(header + 4);
  const auto length = get<std::uint32_t>(header + 8);
  const std::string damaged = "The record " + where + " is damaged (";
  const std::string lost = "); reading stopped there and the " + std::to_string(left) +
                           " bytes from there to the end of the file were discarded." + kept +
                           " Any samples recorded after it are lost.";
  if (std::memcmp(header, kRecordSignature, 4) != 0) {
    stop(at, damaged + "it does not start with the record signature" + lost);
    return false;
  }
  if (length > kMaxPayload) {
    stop(at, damaged + "its length field says " + std::to_string(length) + " bytes, more than any record" + lost);
    return false;
  }
  if (length > left - kRecordHeaderSize) {
    stop(at, torn);
    return false;
  }
  payload_.resize(length);
  read_at(at + kRecordHeaderSize, payload_.data(), length);
  const std::uint32_t stored = get<std::uint32_t>(header + 12);
  const std::uint32_t computed = crc32(crc32(0, header + 4, 8), payload_.data(), length);
  if (stored != computed) {
    stop(at, damaged + "checksum mismatch: stored " + hex32(stored) + ", computed " + hex32(computed) + lost);
    return false;
  }
  if (type == static_cast<std::uint32_t>(RecordType::samples)) {
    std::string problem;
    if (!decode_block(payload_.data(), length, block, problem)) {
      stop(at, damaged + problem + lost);
      return false;
    }
    offset_ = at + kRecordHeaderSize + length;
    ++blocks_;
    samples_ += block.samples();
    gaps_ += block.gaps.size();
    return true;
  }
  if (type == static_cast<std::uint32_t>(RecordType::end) && length == kEndPayloadSize) {
    const auto blocks = get<std::uint64_t>(payload_.data());
    const auto samples = get<std::uint64_t>(payload_.data() + 8);
    const auto gaps = get<std::uint64_t>(payload_.data() + 16);
    if (blocks != blocks_ || samples != samples_ || gaps != gaps_) {
      stop(at, damaged + "the end record counts " + std::to_string(blocks) + " records, " + std::to_string(samples) +
                   " samples and " + std::to_string(gaps) + " gaps, but " + std::to_string(blocks_) + ", " +
                   std::to_string(samples_) + " and " + std::to_string(gaps_) + " were read" + lost);
      return false;
    }
    complete_ = true;
    offset_ = at + kRecordHeaderSize + length;
    if (offset_ < size_) {
      stop(offset_, "The " + std::to_string(size_ - offset_) + " bytes after the end record (from byte " +
                        std::to_string(offset_) + ") were ignored; the recording itself is complete.");
    } else {
      stop(offset_, "");
    }
    return false;
  }
  stop(at, damaged + "unexpected record type " + std::to_string(type) + " of " + std::to_string(length) + " bytes" +
               lost);
  return false;
}

}  // namespace fp::data::journal
