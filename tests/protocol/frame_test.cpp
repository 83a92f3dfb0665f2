// The frame layer (docs/protocol.md, "Framing") and the worked examples printed in the document:
// these tests are the source of the hex bytes in docs/protocol.md, so the document cannot go stale.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <random>

#include "forceplate/protocol/frame.hpp"
#include "forceplate/protocol/messages.hpp"
#include "protocol_test_support.hpp"

namespace fp::protocol::test {
namespace {

Bytes lib_frame(FrameType type, const Bytes& payload) {
  std::uint8_t buf[kMaxWireFrame];
  const std::size_t n = encode_frame(type, payload.data(), payload.size(), buf, sizeof buf);
  return Bytes(buf, buf + n);
}

TEST(Frame, ConstantsMatchTheDocumentedSizes) {
  EXPECT_EQ(kVersionByte, 0x10);
  EXPECT_EQ(kHeaderSize, 4U);
  EXPECT_EQ(kCrcSize, 4U);
  EXPECT_EQ(kMaxPayload, 1024U);
  EXPECT_EQ(kMaxRawFrame, 1032U);
  EXPECT_EQ(kMaxEncodedFrame, 1037U);
  EXPECT_EQ(kMaxWireFrame, 1038U);
  EXPECT_EQ(kDelimiter, 0x00);
  EXPECT_EQ(static_cast<int>(FrameType::device_info), 0x01);
  EXPECT_EQ(static_cast<int>(FrameType::samples), 0x02);
  EXPECT_EQ(static_cast<int>(FrameType::status), 0x03);
  EXPECT_EQ(static_cast<int>(FrameType::reply), 0x04);
  EXPECT_EQ(static_cast<int>(FrameType::get_info), 0x10);
  EXPECT_EQ(static_cast<int>(FrameType::start), 0x11);
  EXPECT_EQ(static_cast<int>(FrameType::stop), 0x12);
  EXPECT_EQ(static_cast<int>(FrameType::set_rate), 0x13);
  EXPECT_EQ(static_cast<int>(FrameType::tare), 0x14);
  EXPECT_EQ(static_cast<int>(FrameType::ping), 0x15);
}

TEST(Frame, OnlyTheTenDocumentedTypesAreKnown) {
  int known = 0;
  for (int t = 0; t < 256; ++t) known += is_known_frame_type(static_cast<std::uint8_t>(t)) ? 1 : 0;
  EXPECT_EQ(known, 10);
  EXPECT_FALSE(is_known_frame_type(0x00));
  EXPECT_FALSE(is_known_frame_type(0x05));
  EXPECT_FALSE(is_known_frame_type(0x16));
  EXPECT_FALSE(is_known_frame_type(0xFF));
}

TEST(Frame, EncoderOutputEqualsAFrameBuiltByHandFromTheDocumentedLayout) {
  std::mt19937 rng(21);
  for (std::size_t n : {0U, 1U, 2U, 17U, 250U, 251U, 254U, 255U, 600U, 1023U, 1024U}) {
    for (int variant = 0; variant < 3; ++variant) {
      Bytes payload(n);
      for (auto& b : payload) {
        b = variant == 0 ? static_cast<std::uint8_t>(rng())
                         : (variant == 1 ? std::uint8_t{0} : static_cast<std::uint8_t>(1 + rng() % 255));
      }
      const Bytes ours = lib_frame(FrameType::samples, payload);
      const Bytes theirs = hand_frame(0x10, 0x02, payload);
      ASSERT_EQ(ours, theirs) << "payload " << n << " variant " << variant;
      ASSERT_LE(ours.size(), kMaxWireFrame);
      ASSERT_EQ(ours.back(), 0x00);
    }
  }
}

TEST(Frame, EncoderRefusesAPayloadAbove1024BytesAndATooSmallBuffer) {
  const Bytes big(kMaxPayload + 1, 0x33);
  std::uint8_t buf[kMaxWireFrame + 16];
  EXPECT_EQ(encode_frame(FrameType::samples, big.data(), big.size(), buf, sizeof buf), 0U);
  const Bytes small = {1, 2, 3};
  EXPECT_EQ(encode_frame(FrameType::ping, small.data(), small.size(), buf, 0), 0U);
  EXPECT_EQ(encode_frame(FrameType::ping, small.data(), small.size(), buf, 5), 0U);
}

TEST(Frame, TheLargestFrameFitsTheDocumentedWireSize) {
  const Bytes payload(kMaxPayload, 0xAB);  // no zero anywhere: COBS adds its maximum overhead
  const Bytes w = lib_frame(FrameType::samples, payload);
  ASSERT_FALSE(w.empty());
  EXPECT_LE(w.size(), kMaxWireFrame);
  const DecodeResult r = decode_whole(w);
  ASSERT_EQ(r.frames.size(), 1U);
  EXPECT_EQ(r.frames[0].payload, payload);
}

// ---- The worked examples of docs/protocol.md ("Worked example") ----

TEST(WorkedExample, PingWithRequestId1HasTheBytesPrintedInTheDocument) {
  CommandMsg ping;
  ping.type = FrameType::ping;
  ping.request_id = 1;
  const Bytes w = wire_of(ping);
  std::cout << "[ wire     ] ping request_id=1: " << hex(w) << "\n";
  EXPECT_EQ(hex(w), "04 10 15 02 02 01 01 04 42 06 A9 00");
  // The unstuffed frame, as the document lists it before COBS.
  EXPECT_EQ(hex(hand_raw_frame(0x10, 0x15, {0x01, 0x00})), "10 15 02 00 01 00 00 42 06 A9");
}

SampleBlockMsg worked_example_block() {
  SampleBlockMsg m;
  m.first_sequence = 7;
  m.sample_count = 1;
  m.cell_count = 4;
  m.time_us[0] = 5000;
  m.counts[0][0] = 1000;
  m.counts[0][1] = -1000;
  m.counts[0][2] = 123456;
  m.counts[0][3] = -2;
  return m;
}

TEST(WorkedExample, OneSampleOfFourCellsHasTheBytesPrintedInTheDocument) {
  const Bytes w = wire_of(worked_example_block());
  std::cout << "[ wire     ] samples seq=7 t=5000us counts=1000,-1000,123456,-2: " << hex(w) << "\n";
  EXPECT_EQ(hex(w),
            "04 10 02 1C 02 07 01 01 03 01 04 01 03 88 13 01 03 E8 03 01 08 18 FC FF FF 40 E2 01 "
            "09 FE FF FF FF 5C 99 25 55 00");
  Bytes payload;
  push_u32(payload, 7);
  payload.insert(payload.end(), {0x01, 0x04, 0x00, 0x00});
  push_u32(payload, 5000);
  for (std::int32_t c : {1000, -1000, 123456, -2}) push_u32(payload, static_cast<std::uint32_t>(c));
  EXPECT_EQ(hex(hand_raw_frame(0x10, 0x02, payload)),
            "10 02 1C 00 07 00 00 00 01 04 00 00 88 13 00 00 E8 03 00 00 18 FC FF FF 40 E2 01 00 "
            "FE FF FF FF 5C 99 25 55");
  const DecodeResult r = decode_bytewise(w);
  ASSERT_EQ(r.frames.size(), 1U);
  EXPECT_TRUE(same_samples(parsed_samples(r.frames[0]), worked_example_block()));
}

}  // namespace
}  // namespace fp::protocol::test
