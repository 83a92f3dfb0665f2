// CRC-32 (zlib / IEEE 802.3): known answers from the published check values, and zlib itself.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "forceplate/protocol/crc32.hpp"
#include "protocol_test_support.hpp"

namespace fp::protocol::test {
namespace {

std::uint32_t crc_of(const std::string& s) {
  return crc32(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

// Bitwise CRC-32 straight from the definition (reflected polynomial 0xEDB88320, init and final
// xor 0xFFFFFFFF): slow, obviously right, and independent of the library's slicing tables.
std::uint32_t bitwise_crc32(const std::uint8_t* p, std::size_t n) {
  std::uint32_t c = 0xFFFFFFFFU;
  for (std::size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? (c >> 1) ^ 0xEDB88320U : c >> 1;
  }
  return ~c;
}

TEST(Crc32, StandardCheckValueOf123456789IsCBF43926) {
  EXPECT_EQ(crc_of("123456789"), 0xCBF43926U);
}

TEST(Crc32, EmptyInputGivesZero) {
  EXPECT_EQ(crc32(nullptr, 0), 0U);
  EXPECT_EQ(crc32_update(0, nullptr, 0), 0U);
  EXPECT_EQ(crc32_update(0xCBF43926U, nullptr, 0), 0xCBF43926U);
}

TEST(Crc32, PublishedValuesOfShortStringsMatch) {
  // Values as given by Python's zlib.crc32 (the CRC the protocol is defined by).
  EXPECT_EQ(crc_of("a"), 0xE8B7BE43U);
  EXPECT_EQ(crc_of("abc"), 0x352441C2U);
  EXPECT_EQ(crc_of("The quick brown fox jumps over the lazy dog"), 0x414FA339U);
  const std::uint8_t zero = 0;
  EXPECT_EQ(crc32(&zero, 1), 0xD202EF8DU);
  const std::uint8_t ones[4] = {0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_EQ(crc32(ones, 4), 0xFFFFFFFFU);
}

TEST(Crc32, ContinuingARunningCrcEqualsTheCrcOfTheConcatenation) {
  std::mt19937 rng(7);
  Bytes data(4099);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  const std::uint32_t whole = crc32(data.data(), data.size());
  for (std::size_t split = 0; split <= data.size(); split += (split < 16 ? 1 : 97)) {
    const std::uint32_t first = crc32(data.data(), split);
    EXPECT_EQ(crc32_update(first, data.data() + split, data.size() - split), whole)
        << "split at " << split;
  }
  // Three pieces of odd sizes (exercises the 4-byte and the byte-wise loops across calls).
  const std::uint32_t a = crc32_update(0, data.data(), 3);
  const std::uint32_t b = crc32_update(a, data.data() + 3, 1001);
  EXPECT_EQ(crc32_update(b, data.data() + 1004, data.size() - 1004), whole);
}

TEST(Crc32, EveryLengthAndAlignmentMatchesTheBitwiseDefinition) {
  std::mt19937 rng(11);
  Bytes data(600);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  for (std::size_t offset = 0; offset < 4; ++offset) {
    for (std::size_t n = 0; n + offset <= 300; ++n) {
      ASSERT_EQ(crc32(data.data() + offset, n), bitwise_crc32(data.data() + offset, n))
          << "offset " << offset << " length " << n;
    }
  }
}

#ifdef FP_TEST_HAVE_ZLIB
TEST(Crc32, RandomBuffersMatchZlib) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    Bytes data(static_cast<std::size_t>(rng() % 3000));
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    const auto z = static_cast<std::uint32_t>(
        ::crc32(::crc32(0L, Z_NULL, 0), data.data(), static_cast<uInt>(data.size())));
    ASSERT_EQ(crc32(data.data(), data.size()), z) << "length " << data.size();
  }
}

TEST(Crc32, ContinuationMatchesZlibContinuation) {
  const std::string a = "force plate ";
  const std::string b = "protocol 1.0";
  uLong z = ::crc32(0L, Z_NULL, 0);
  z = ::crc32(z, reinterpret_cast<const Bytef*>(a.data()), static_cast<uInt>(a.size()));
  const std::uint32_t ours = crc_of(a);
  EXPECT_EQ(ours, static_cast<std::uint32_t>(z));
  z = ::crc32(z, reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size()));
  EXPECT_EQ(crc32_update(ours, reinterpret_cast<const std::uint8_t*>(b.data()), b.size()),
            static_cast<std::uint32_t>(z));
}
#else
TEST(Crc32, ZlibComparisonSkipped) { GTEST_SKIP() << "zlib headers not installed"; }
#endif

}  // namespace
}  // namespace fp::protocol::test
