// COBS: the published examples (Cheshire & Baker 1999; the Wikipedia article's table, which is
// also the test table of Craig McQueen's reference implementations), in-place decoding, and
// rejection of everything that is not valid COBS.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "forceplate/protocol/cobs.hpp"
#include "protocol_test_support.hpp"

namespace fp::protocol::test {
namespace {

Bytes lib_encode(const Bytes& in) {
  Bytes out(cobs_max_encoded_size(in.size()));
  const std::size_t n = cobs_encode(in.data(), in.size(), out.data(), out.size());
  EXPECT_GT(n, 0U);
  out.resize(n);
  return out;
}

// Returns nullopt when the decoder rejects the input.
std::optional<Bytes> lib_decode(const Bytes& in, std::size_t capacity) {
  Bytes out(capacity);
  const long n = cobs_decode(in.data(), in.size(), out.data(), out.size());
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n));
  return out;
}
std::optional<Bytes> lib_decode(const Bytes& in) { return lib_decode(in, in.size() + 1); }

Bytes range(int first, int last) {  // inclusive
  Bytes b;
  for (int v = first; v <= last; ++v) b.push_back(static_cast<std::uint8_t>(v));
  return b;
}

struct Example {
  const char* name;
  Bytes raw;
  Bytes encoded;  // without the 0x00 delimiter
};

std::vector<Example> published_examples() {
  std::vector<Example> ex;
  ex.push_back({"empty", {}, {0x01}});
  ex.push_back({"00", {0x00}, {0x01, 0x01}});
  ex.push_back({"00 00", {0x00, 0x00}, {0x01, 0x01, 0x01}});
  ex.push_back({"00 11 00", {0x00, 0x11, 0x00}, {0x01, 0x02, 0x11, 0x01}});
  ex.push_back({"11 22 00 33", {0x11, 0x22, 0x00, 0x33}, {0x03, 0x11, 0x22, 0x02, 0x33}});
  ex.push_back({"11 22 33 44", {0x11, 0x22, 0x33, 0x44}, {0x05, 0x11, 0x22, 0x33, 0x44}});
  ex.push_back({"11 00 00 00", {0x11, 0x00, 0x00, 0x00}, {0x02, 0x11, 0x01, 0x01, 0x01}});
  // 01 02 .. FE (254 non-zero bytes) -> FF 01 02 .. FE
  ex.push_back({"01..FE", range(0x01, 0xFE), concat({{0xFF}, range(0x01, 0xFE)})});
  // 00 01 .. FE (255 bytes) -> 01 FF 01 .. FE
  ex.push_back({"00..FE", range(0x00, 0xFE), concat({{0x01, 0xFF}, range(0x01, 0xFE)})});
  // 01 02 .. FF (255 non-zero bytes) -> FF 01 .. FE 02 FF
  ex.push_back({"01..FF", range(0x01, 0xFF), concat({{0xFF}, range(0x01, 0xFE), {0x02, 0xFF}})});
  // 02 03 .. FF 00 (255 bytes) -> FF 02 .. FF 01 01
  ex.push_back(
      {"02..FF 00", concat({range(0x02, 0xFF), {0x00}}), concat({{0xFF}, range(0x02, 0xFF), {0x01, 0x01}})});
  // 03 04 .. FF 00 01 (255 bytes) -> FE 03 .. FF 02 01
  ex.push_back({"03..FF 00 01", concat({range(0x03, 0xFF), {0x00, 0x01}}),
                concat({{0xFE}, range(0x03, 0xFF), {0x02, 0x01}})});
  return ex;
}

TEST(Cobs, PublishedExamplesEncodeExactly) {
  for (const Example& e : published_examples()) {
    EXPECT_EQ(hex(lib_encode(e.raw)), hex(e.encoded)) << e.name;
  }
}

TEST(Cobs, PublishedExamplesDecodeExactly) {
  for (const Example& e : published_examples()) {
    const auto d = lib_decode(e.encoded);
    ASSERT_TRUE(d.has_value()) << e.name;
    EXPECT_EQ(hex(*d), hex(e.raw)) << e.name;
  }
}

TEST(Cobs, TheTestsOwnReferenceEncoderReproducesThePublishedExamples) {
  // Guards the reference encoder the other tests use to build frames by hand.
  for (const Example& e : published_examples()) {
    EXPECT_EQ(hex(reference_cobs_encode(e.raw)), hex(e.encoded)) << e.name;
  }
}

TEST(Cobs, EncodedOutputNeverContainsZeroAndStaysWithinTheDocumentedBound) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t n = rng() % 1100;
    Bytes raw(n);
    const unsigned zero_every = 1 + rng() % 600;  // from dense zeros to (almost) none
    for (auto& b : raw) b = (rng() % zero_every == 0) ? 0 : static_cast<std::uint8_t>(1 + rng() % 255);
    const Bytes enc = lib_encode(raw);
    ASSERT_LE(enc.size(), cobs_max_encoded_size(n));
    ASSERT_GE(enc.size(), n + 1);
    for (std::uint8_t b : enc) ASSERT_NE(b, 0);
    ASSERT_EQ(enc, reference_cobs_encode(raw)) << "length " << n;
    const auto dec = lib_decode(enc);
    ASSERT_TRUE(dec.has_value());
    ASSERT_EQ(*dec, raw);
  }
}

TEST(Cobs, WorstCaseOverheadIsOneBytePer254) {
  for (std::size_t n : {1U, 253U, 254U, 255U, 508U, 509U, 1032U}) {
    const Bytes raw(n, 0x5A);
    const Bytes enc = lib_encode(raw);
    EXPECT_EQ(enc.size(), n + (n + 253) / 254) << n;  // ceil(n/254) code bytes
    EXPECT_LE(enc.size(), cobs_max_encoded_size(n));
  }
}

TEST(Cobs, DecodesInPlace) {
  std::mt19937 rng(9);
  for (int trial = 0; trial < 300; ++trial) {
    Bytes raw(rng() % 700);
    for (auto& b : raw) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0 : rng());
    Bytes buf = lib_encode(raw);
    const long n = cobs_decode(buf.data(), buf.size(), buf.data(), buf.size());
    ASSERT_EQ(n, static_cast<long>(raw.size()));
    buf.resize(static_cast<std::size_t>(n));
    ASSERT_EQ(buf, raw);
  }
}

TEST(Cobs, AcceptsTheRedundantTrailingCodeSomeEncodersAppendAfterAFullBlock) {
  // FF 01..FE 01: a naive encoder's form of 254 non-zero bytes; it means the same data.
  const auto d = lib_decode(concat({{0xFF}, range(0x01, 0xFE), {0x01}}));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, range(0x01, 0xFE));
}

TEST(Cobs, RejectsAZeroByteInsideTheEncodedData) {
  EXPECT_FALSE(lib_decode({0x00}).has_value());
  EXPECT_FALSE(lib_decode({0x00, 0x11, 0x22}).has_value());
  EXPECT_FALSE(lib_decode({0x05, 0x11, 0x00, 0x33, 0x44}).has_value());
  EXPECT_FALSE(lib_decode({0x02, 0x11, 0x00}).has_value());
}

TEST(Cobs, RejectsACodeThatRunsPastTheEnd) {
  EXPECT_FALSE(lib_decode({0x05, 0x11, 0x22, 0x33}).has_value());
  EXPECT_FALSE(lib_decode({0x02}).has_value());
  EXPECT_FALSE(lib_decode({0x03, 0x11}).has_value());
  EXPECT_FALSE(lib_decode({0x02, 0x11, 0x04, 0x22, 0x33}).has_value());  // second block
  EXPECT_FALSE(lib_decode(concat({{0xFF}, range(0x01, 0xFD)})).has_value());  // 253 of 254
}

TEST(Cobs, RejectsOutputThatDoesNotFitAndEncoderRefusesASmallBuffer) {
  EXPECT_FALSE(lib_decode({0x05, 0x11, 0x22, 0x33, 0x44}, 3).has_value());
  EXPECT_TRUE(lib_decode({0x05, 0x11, 0x22, 0x33, 0x44}, 4).has_value());
  EXPECT_FALSE(lib_decode({0x03, 0x11, 0x22, 0x02, 0x33}, 3).has_value());  // the zero does not fit
  const Bytes raw = {0x11, 0x22, 0x00, 0x33};
  std::uint8_t out[8];
  EXPECT_EQ(cobs_encode(raw.data(), raw.size(), out, cobs_max_encoded_size(raw.size()) - 1), 0U);
}

TEST(Cobs, EmptyEncodedInputDecodesToNothing) {
  const auto d = lib_decode({});
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->empty());
}

}  // namespace
}  // namespace fp::protocol::test
