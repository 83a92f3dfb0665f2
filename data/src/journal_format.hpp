#pragma once
// Internal: the byte layout of journals (docs/archive.md, "Journals") and a streaming reader.
// All numbers are little-endian; the code copies them with memcpy and so requires a little-endian
// host (checked at compile time).
#include <bit>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "forceplate/data/journal.hpp"
#include "forceplate/data/trial.hpp"

namespace fp::data::journal {

static_assert(std::endian::native == std::endian::little, "journals are written little-endian byte for byte");

// File header: 8 signature bytes (as PNG's: a non-ASCII byte, then CR LF, Ctrl-Z, LF, so that a
// text-mode transfer or a truncation to 7 bits is detected), format version (u32), flags (u32, 0).
inline constexpr unsigned char kSignature[8] = {0x89, 'F', 'P', 'J', '\r', '\n', 0x1A, '\n'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kFileHeaderSize = 16;

// Record: "FPJR", type (u32), payload length (u32), CRC-32 (u32) of the 8 bytes of type and length
// followed by the payload; then the payload.
inline constexpr unsigned char kRecordSignature[4] = {'F', 'P', 'J', 'R'};
inline constexpr std::size_t kRecordHeaderSize = 16;
// Larger payloads are taken for damage (a writer never makes one: JournalOptions::max_buffered_bytes
// is at most 32 MiB), so a damaged length field cannot make a reader allocate gigabytes.
inline constexpr std::uint32_t kMaxPayload = 64u << 20;

enum class RecordType : std::uint32_t { header = 1, samples = 2, end = 3 };

inline constexpr std::size_t kBlockPrefixSize = 24;  // u64 block index, u64 first sample, u32 n, u32 gaps
inline constexpr std::size_t kEndPayloadSize = 24;   // u64 blocks, u64 samples, u64 gaps
inline constexpr std::size_t kEndRecordSize = kRecordHeaderSize + kEndPayloadSize;
inline constexpr std::size_t kMaxGapReason = 64u << 10;

// What every sample of one journal holds, from its header record.
struct Layout {
  std::size_t plates = 1;
  std::size_t cells = 4;  // over all plates
  bool horizontal = false;
  std::size_t row_bytes() const { return 8 + 8 + cells * (4 + 8) + plates * 8 * (horizontal ? 5 : 3); }
};

// Samples and gaps of one record, arrays row-major as in a Trial (fx_n, fy_n empty without horizontal).
struct Block {
  std::vector<std::uint64_t> sequence;
  std::vector<double> time_s;
  std::vector<std::int32_t> counts;
  std::vector<double> cell_force_n;
  std::vector<double> fz_n;
  std::vector<double> cop_x_m;
  std::vector<double> cop_y_m;
  std::vector<double> fx_n;
  std::vector<double> fy_n;
  std::vector<Gap> gaps;

  std::size_t samples() const { return sequence.size(); }
  bool empty() const { return sequence.empty() && gaps.empty(); }
  void clear();  // keeps the capacity
  void push(const JournalSample& sample, const Layout& layout);
};

std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t size);

Layout layout_of(const Trial& metadata, bool horizontal);

// Metadata <-> the JSON text of the header record. decode throws std::runtime_error saying what is wrong.
std::string encode_metadata(const Trial& metadata, bool horizontal);
Trial decode_metadata(std::string_view json, bool& horizontal);

// Appends a whole record (header and payload) to `out`.
void append_record(std::vector<unsigned char>& out, RecordType type, const void* payload, std::size_t size);
void append_file_header(std::vector<unsigned char>& out);
// Appends a samples record for `block`, the `index`-th, whose first sample is sample `first_sample`.
void append_block_record(std::vector<unsigned char>& out, const Block& block, const Layout& layout,
                         std::uint64_t index, std::uint64_t first_sample);
void append_end_record(std::vector<unsigned char>& out, std::uint64_t blocks, std::uint64_t samples,
                       std::uint64_t gaps);

bool starts_with_signature(const std::filesystem::path& path);
// The last kEndRecordSize bytes are an intact end record. Throws std::runtime_error if unreadable.
bool ends_with_end_record(const std::filesystem::path& path);

// Reads a journal record by record. The constructor reads the file header and the header record and
// throws TrialFileError naming the file if either is missing or damaged. next() then yields the
// samples records in order until the end record, the end of the file or the first damaged or
// incomplete record; complete(), discarded_bytes() and note() then say which.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& path);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  const Trial& metadata() const { return metadata_; }
  const Layout& layout() const { return layout_; }
  bool horizontal() const { return layout_.horizontal; }

  // Replaces `block` with the next record's samples and gaps; false when there is none.
  bool next(Block& block);

  bool complete() const { return complete_; }
  std::uint64_t records() const { return blocks_; }
  std::uint64_t samples() const { return samples_; }
  std::uint64_t gaps() const { return gaps_; }
  std::uint64_t discarded_bytes() const { return discarded_; }
  const std::string& note() const { return note_; }

 private:
  // Reads exactly `size` bytes at `offset` (the file is known to be long enough).
  void read_at(std::uint64_t offset, void* data, std::size_t size);
  void stop(std::uint64_t at, const std::string& why);
  bool decode_block(const unsigned char* payload, std::size_t size, Block& block, std::string& problem) const;

  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::uint64_t offset_ = 0;
  Trial metadata_;
  Layout layout_;
  std::vector<unsigned char> payload_;
  bool stopped_ = false;
  bool complete_ = false;
  std::uint64_t blocks_ = 0;
  std::uint64_t samples_ = 0;
  std::uint64_t gaps_ = 0;
  std::uint64_t discarded_ = 0;
  std::string note_;
};

}  // namespace fp::data::journal
