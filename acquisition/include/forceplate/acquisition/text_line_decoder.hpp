#pragma once
// Decoder of the plain-text line format for DIY plates that only print text (docs/protocol.md,
// "Plain-text line format"): one sample per line, `c1,c2,c3,c4` or `t=<us>,c1,...`, 4 or 8 cells;
// `#` lines are comments, and `# forceplate-text v1 serial=... cells=4 rate=80` identifies the plate.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fp::acq {

struct TextSample {
  bool has_time = false;
  std::uint32_t time_us = 0;
  int cell_count = 0;
  std::int32_t counts[8] = {};
};

struct TextIdentity {
  std::string serial;
  int cells = 0;       // 0: not stated
  double rate_hz = 0;  // 0: not stated
};

struct TextDecoderStats {
  std::uint64_t lines = 0;
  std::uint64_t samples = 0;
  std::uint64_t malformed = 0;  // lines that are neither a sample nor a comment
  std::uint64_t comments = 0;
};

class TextLineDecoder {
 public:
  static constexpr std::size_t kMaxLine = 256;

  // Handler: on_sample(const TextSample&), on_identity(const TextIdentity&),
  // on_malformed(std::string_view reason).
  template <class Handler>
  void feed(const std::uint8_t* data, std::size_t size, Handler& h) {
    for (std::size_t i = 0; i < size; ++i) {
      const char c = static_cast<char>(data[i]);
      if (c == '\n') {
        finish_line(h);
        continue;
      }
      if (line_.size() < kMaxLine) {
        line_.push_back(c);
      } else {
        too_long_ = true;
      }
    }
  }

  const TextDecoderStats& stats() const { return stats_; }

  // Parses one line (without its newline). Exposed for tests.
  enum class LineKind { sample, comment, identity, empty, malformed };
  static LineKind parse(std::string_view line, TextSample& sample, TextIdentity& identity,
                        std::string& reason);

 private:
  template <class Handler>
  void finish_line(Handler& h) {
    ++stats_.lines;
    TextSample s;
    TextIdentity id;
    std::string reason;
    LineKind kind = too_long_ ? LineKind::malformed : parse(line_, s, id, reason);
    if (too_long_) reason = "line longer than 256 characters";
    line_.clear();
    too_long_ = false;
    switch (kind) {
      case LineKind::sample: ++stats_.samples; h.on_sample(s); break;
      case LineKind::identity: ++stats_.comments; h.on_identity(id); break;
      case LineKind::comment: ++stats_.comments; break;
      case LineKind::empty: break;
      case LineKind::malformed: ++stats_.malformed; h.on_malformed(reason); break;
    }
  }

  std::string line_;
  bool too_long_ = false;
  TextDecoderStats stats_;
};

}  // namespace fp::acq
