// Corruption: the acceptance test of issue 3 ("for a stream with 1 corrupted byte per 1,000, every
// intact frame is decoded, no corrupt frame is accepted, and the lost-sample count equals the
// number of samples in damaged frames exactly"), plus exhaustive single-error sweeps of one frame.
//
// Which frames does a corrupted byte damage? A frame is the bytes between two 0x00 delimiters, so
// its wire bytes are: the delimiter before it, its COBS bytes, and its own delimiter. Spoiling a
// delimiter therefore damages the two frames it separates (they merge into one invalid run).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"
#include "protocol_test_support.hpp"

namespace fp::protocol::test {
namespace {

struct SampleStream {
  Bytes bytes;
  std::vector<SampleBlockMsg> blocks;
  std::vector<std::size_t> delimiter_at;  // index in `bytes` of each frame's closing 0x00
  std::uint32_t first_sequence = 0;
  std::uint32_t end_sequence = 0;  // one past the last sample
};

// `frames` sample frames of `cells` cells with 1..8 samples each and consecutive sequence numbers
// starting at `first_sequence` (the numbering wraps at 2^32 partway when started near the top).
SampleStream make_stream(int frames, int cells, std::uint32_t first_sequence, std::uint32_t seed) {
  std::mt19937 rng(seed);
  SampleStream st;
  st.first_sequence = first_sequence;
  std::uint32_t seq = first_sequence;
  for (int k = 0; k < frames; ++k) {
    SampleBlockMsg m;
    m.first_sequence = seq;
    m.sample_count = static_cast<std::uint8_t>(1 + rng() % 8);
    m.cell_count = static_cast<std::uint8_t>(cells);
    for (int s = 0; s < m.sample_count; ++s) {
      m.time_us[s] = (seq + static_cast<std::uint32_t>(s)) * 500U;  // 2 kHz, wraps like the device clock
      for (int c = 0; c < cells; ++c) {
        switch (rng() % 4) {
          case 0:  // a 24-bit ADC reading, sign-extended
            m.counts[s][c] = static_cast<std::int32_t>(rng() % 16777216U) - 8388608;
            break;
          case 1:  // a small value near zero (many zero bytes)
            m.counts[s][c] = static_cast<std::int32_t>(rng() % 201U) - 100;
            break;
          default:  // any 32-bit value (long runs without a zero byte)
            m.counts[s][c] = static_cast<std::int32_t>(rng());
        }
      }
    }
    seq += m.sample_count;
    const Bytes w = wire_of(m);
    st.bytes.insert(st.bytes.end(), w.begin(), w.end());
    st.delimiter_at.push_back(st.bytes.size() - 1);
    st.blocks.push_back(m);
  }
  st.end_sequence = seq;
  return st;
}

enum class Damage { bit_flip, byte_replacement };

// Corrupts bytes.size() / 1000 distinct random positions; returns which frames were damaged.
std::vector<bool> corrupt(SampleStream& st, Damage how, std::uint32_t seed, std::size_t* corrupted) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> pos(0, st.bytes.size() - 1);
  std::set<std::size_t> positions;
  const std::size_t count = st.bytes.size() / 1000;
  while (positions.size() < count) positions.insert(pos(rng));
  std::vector<bool> damaged(st.blocks.size(), false);
  for (std::size_t p : positions) {
    std::uint8_t& b = st.bytes[p];
    if (how == Damage::bit_flip) {
      b = static_cast<std::uint8_t>(b ^ (1U << (rng() % 8)));
    } else {
      b = static_cast<std::uint8_t>(b + 1 + rng() % 255);  // any other value, 0x00 included
    }
    const auto k = static_cast<std::size_t>(
        std::lower_bound(st.delimiter_at.begin(), st.delimiter_at.end(), p) - st.delimiter_at.begin());
    damaged[k] = true;
    if (st.delimiter_at[k] == p && k + 1 < damaged.size()) damaged[k + 1] = true;
  }
  *corrupted = positions.size();
  return damaged;
}

struct AcceptanceCase {
  Damage how;
  std::uint32_t seed;
};

class CorruptedStream : public ::testing::TestWithParam<AcceptanceCase> {};

TEST_P(CorruptedStream, IntactFramesAllArriveNoDamagedFrameIsAcceptedAndGapsCountExactlyTheLostSamples) {
  const AcceptanceCase param = GetParam();
  constexpr int kFrames = 20000;
  // Start 40,000 samples below 2^32 so the numbering wraps in the middle of the stream.
  SampleStream st = make_stream(kFrames, 8, 0xFFFFFFFFU - 40000U, 1000U + param.seed);
  std::size_t corrupted = 0;
  const std::vector<bool> damaged = corrupt(st, param.how, param.seed, &corrupted);
  ASSERT_EQ(corrupted, st.bytes.size() / 1000);

  std::unordered_map<std::uint32_t, std::size_t> index_of;
  for (std::size_t k = 0; k < st.blocks.size(); ++k) index_of.emplace(st.blocks[k].first_sequence, k);

  // The host: decode in random chunks as a serial port would deliver them.
  const DecodeResult r = decode_random_chunks(st.bytes, param.seed * 7919U, 4096);

  std::vector<bool> delivered(st.blocks.size(), false);
  std::size_t altered = 0;
  std::size_t out_of_order = 0;
  std::size_t last = 0;
  bool any = false;
  std::uint64_t lost_by_gaps = 0;
  std::uint32_t expected_next = st.first_sequence;
  for (const Decoded& d : r.frames) {
    SampleBlockMsg m;
    if (d.type != 0x02 || d.major != 1 || d.minor != 0 || !parse_samples(d.view(), m)) {
      ++altered;
      continue;
    }
    const auto it = index_of.find(m.first_sequence);
    if (it == index_of.end() || !same_samples(m, st.blocks[it->second])) {
      ++altered;
      continue;
    }
    if (any && it->second <= last) ++out_of_order;
    any = true;
    last = it->second;
    delivered[it->second] = true;
    lost_by_gaps += static_cast<std::uint32_t>(m.first_sequence - expected_next);  // mod 2^32
    expected_next = m.first_sequence + m.sample_count;
  }
  lost_by_gaps += static_cast<std::uint32_t>(st.end_sequence - expected_next);

  std::size_t damaged_frames = 0;
  std::size_t intact_lost = 0;
  std::size_t damaged_accepted = 0;
  std::uint64_t samples_in_damaged = 0;
  for (std::size_t k = 0; k < st.blocks.size(); ++k) {
    if (damaged[k]) {
      ++damaged_frames;
      samples_in_damaged += st.blocks[k].sample_count;
      if (delivered[k]) ++damaged_accepted;
    } else if (!delivered[k]) {
      ++intact_lost;
    }
  }

  EXPECT_EQ(altered, 0U) << "frames accepted with content that was never sent";
  EXPECT_EQ(out_of_order, 0U);
  EXPECT_EQ(intact_lost, 0U) << "untouched frames that were not decoded";
  EXPECT_EQ(damaged_accepted, 0U) << "touched frames that were accepted";
  EXPECT_EQ(lost_by_gaps, samples_in_damaged);
  EXPECT_EQ(r.stats.frames, st.blocks.size() - damaged_frames);
  // The test is not vacuous: thousands of bytes were spoilt and nearly as many frames lost.
  EXPECT_GT(corrupted, 2500U);
  EXPECT_GE(damaged_frames, corrupted * 3 / 4);  // some frames are hit twice
  EXPECT_GT(r.stats.crc_errors + r.stats.framing_errors, corrupted / 2);
  std::cout << "[ stream   ] " << st.bytes.size() << " bytes, " << corrupted << " corrupted, "
            << damaged_frames << " of " << st.blocks.size() << " frames damaged, " << samples_in_damaged
            << " samples lost; " << describe(r.stats) << "\n";
}

std::string case_name(const ::testing::TestParamInfo<AcceptanceCase>& info) {
  return std::string(info.param.how == Damage::bit_flip ? "BitFlips" : "ByteReplacements") + "Seed" +
         std::to_string(info.param.seed);
}

INSTANTIATE_TEST_SUITE_P(OneBytePerThousand, CorruptedStream,
                         ::testing::Values(AcceptanceCase{Damage::bit_flip, 1}, AcceptanceCase{Damage::bit_flip, 2},
                                           AcceptanceCase{Damage::bit_flip, 3},
                                           AcceptanceCase{Damage::byte_replacement, 4},
                                           AcceptanceCase{Damage::byte_replacement, 5},
                                           AcceptanceCase{Damage::byte_replacement, 6}),
                         case_name);

// ---- Exhaustive single errors in one frame between intact neighbours ----

// A samples frame long enough to contain a full 254-byte COBS block, and a short command frame.
std::vector<Bytes> sweep_targets() {
  SampleBlockMsg big;
  big.first_sequence = 0x01020304U;
  big.sample_count = 8;
  big.cell_count = 8;
  for (int s = 0; s < 8; ++s) {
    big.time_us[s] = 0x11223344U + static_cast<std::uint32_t>(s);
    for (int c = 0; c < 8; ++c) big.counts[s][c] = static_cast<std::int32_t>(0x51525354U + static_cast<std::uint32_t>(c));
  }
  return {wire_of(big), wire_of(CommandMsg{FrameType::set_rate, 0x0102, 0x0304})};
}

struct Neighbours {
  Bytes before = wire_of(make_block(10, 3, 8, 10));
  Bytes after = wire_of(make_block(20, 3, 8, 20));
  Bytes last = wire_of(make_block(30, 3, 8, 30));
};

// Decodes before + target + after + last; returns the first sequences of the sample frames that
// arrived and whether any other frame arrived.
std::vector<std::uint32_t> arrivals(const Neighbours& n, const Bytes& target, bool* foreign, DecoderStats* stats) {
  const DecodeResult r = decode_whole(concat({n.before, target, n.after, n.last}));
  std::vector<std::uint32_t> seqs;
  *foreign = false;
  for (const Decoded& d : r.frames) {
    SampleBlockMsg m;
    if (d.type == 0x02 && parse_samples(d.view(), m)) {
      seqs.push_back(m.first_sequence);
    } else {
      *foreign = true;
    }
  }
  *stats = r.stats;
  return seqs;
}

TEST(SingleErrorSweep, EverySingleBitFlipLosesExactlyTheFramesItTouches) {
  const Neighbours n;
  for (const Bytes& target : sweep_targets()) {
    ASSERT_GT(target.size(), 8U);
    for (std::size_t i = 0; i < target.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes t = target;
        t[i] = static_cast<std::uint8_t>(t[i] ^ (1U << bit));
        bool foreign = false;
        DecoderStats stats;
        const auto seqs = arrivals(n, t, &foreign, &stats);
        const bool delimiter = i + 1 == target.size();
        // A spoilt delimiter merges the target with the frame after it.
        const std::vector<std::uint32_t> want =
            delimiter ? std::vector<std::uint32_t>{10, 30} : std::vector<std::uint32_t>{10, 20, 30};
        ASSERT_EQ(seqs, want) << "byte " << i << " bit " << bit;
        ASSERT_FALSE(foreign) << "byte " << i << " bit " << bit;
        ASSERT_GE(stats.crc_errors + stats.framing_errors, 1U);
      }
    }
  }
}

TEST(SingleErrorSweep, EveryReplacementOfEveryByteLosesExactlyTheFramesItTouches) {
  const Neighbours n;
  for (const Bytes& target : sweep_targets()) {
    for (std::size_t i = 0; i < target.size(); ++i) {
      for (int v = 0; v < 256; ++v) {
        if (v == target[i]) continue;
        Bytes t = target;
        t[i] = static_cast<std::uint8_t>(v);
        bool foreign = false;
        DecoderStats stats;
        const auto seqs = arrivals(n, t, &foreign, &stats);
        const bool delimiter = i + 1 == target.size();
        const std::vector<std::uint32_t> want =
            delimiter ? std::vector<std::uint32_t>{10, 30} : std::vector<std::uint32_t>{10, 20, 30};
        ASSERT_EQ(seqs, want) << "byte " << i << " value " << v;
        ASSERT_FALSE(foreign) << "byte " << i << " value " << v;
      }
    }
  }
}

TEST(SingleErrorSweep, DroppingAnyByteLosesExactlyTheFramesItTouches) {
  const Neighbours n;
  for (const Bytes& target : sweep_targets()) {
    for (std::size_t i = 0; i < target.size(); ++i) {
      Bytes t = target;
      t.erase(t.begin() + static_cast<std::ptrdiff_t>(i));
      bool foreign = false;
      DecoderStats stats;
      const auto seqs = arrivals(n, t, &foreign, &stats);
      const bool delimiter = i + 1 == target.size();
      const std::vector<std::uint32_t> want =
          delimiter ? std::vector<std::uint32_t>{10, 30} : std::vector<std::uint32_t>{10, 20, 30};
      ASSERT_EQ(seqs, want) << "dropped byte " << i;
      ASSERT_FALSE(foreign);
      ASSERT_EQ(stats.crc_errors + stats.framing_errors, 1U) << "dropped byte " << i;
    }
  }
}

TEST(SingleErrorSweep, InsertingAnyByteAnywhereInAFrameLosesOnlyThatFrame) {
  const Neighbours n;
  for (const Bytes& target : sweep_targets()) {
    for (std::size_t i = 0; i < target.size(); ++i) {  // before byte i; never after the delimiter
      for (int v : {0x00, 0x01, 0x02, 0x7F, 0xFE, 0xFF}) {
        // A 0x00 just before the frame or just before its own delimiter is an idle delimiter,
        // not damage: the frame then arrives intact, which the other sweeps already cover.
        if (v == 0x00 && (i == 0 || i + 1 == target.size())) continue;
        Bytes t = target;
        t.insert(t.begin() + static_cast<std::ptrdiff_t>(i), static_cast<std::uint8_t>(v));
        bool foreign = false;
        DecoderStats stats;
        const auto seqs = arrivals(n, t, &foreign, &stats);
        ASSERT_EQ(seqs, (std::vector<std::uint32_t>{10, 20, 30})) << "inserted " << v << " before " << i;
        ASSERT_FALSE(foreign);
      }
    }
  }
}

}  // namespace
}  // namespace fp::protocol::test
