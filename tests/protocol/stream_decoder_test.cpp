// The streaming decoder: any chunking gives the same frames, and every kind of damage the
// document lists is skipped and counted exactly (DecoderStats).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"
#include "protocol_test_support.hpp"

namespace fp::protocol::test {
namespace {

void expect_stats(const DecoderStats& s, std::uint64_t frames, std::uint64_t crc, std::uint64_t framing,
                  std::uint64_t oversize, std::uint64_t version, std::uint64_t discarded) {
  DecoderStats want;
  want.frames = frames;
  want.crc_errors = crc;
  want.framing_errors = framing;
  want.oversize_frames = oversize;
  want.version_mismatches = version;
  want.bytes_discarded = discarded;
  EXPECT_EQ(describe(s), describe(want));
}

// A stream with every message type, idle delimiters, an unknown type and a newer minor version.
Bytes mixed_stream() {
  Bytes s = {0x00};  // devices send one delimiter first
  DeviceInfoMsg info;
  std::strcpy(info.firmware_version, "1.0.0");
  std::strcpy(info.serial, "SN-1");
  info.plate_count = 2;
  info.nominal_rate_hz = 1000;
  info.current_rate_hz = 1000;
  for (int c = 0; c < 8; ++c) info.cells[c] = CellInfo{10.0F * static_cast<float>(c), -5.0F, 0.01F, c};
  s = concat({s, wire_of(info)});
  ReplyMsg ack;
  ack.request_id = 1;
  ack.command = 0x10;
  s = concat({s, wire_of(ack)});
  std::uint32_t seq = 0xFFFFFF00U;
  for (int k = 0; k < 60; ++k) {
    const int n = 1 + k % 16;
    s = concat({s, wire_of(make_block(seq, n, k % 3 == 0 ? 4 : 8, 1000U + static_cast<std::uint32_t>(k)))});
    seq += static_cast<std::uint32_t>(n);
    if (k % 17 == 5) s = concat({s, wire_of(StatusMsg{StatusCode::heartbeat, seq, 0})});
    if (k % 13 == 7) s = concat({s, Bytes{0x00, 0x00, 0x00}});
  }
  for (FrameType t : {FrameType::get_info, FrameType::start, FrameType::stop, FrameType::set_rate,
                      FrameType::tare, FrameType::ping}) {
    s = concat({s, wire_of(CommandMsg{t, 7, 500})});
  }
  s = concat({s, hand_frame(0x10, 0x7E, {1, 2, 3, 0, 5})});
  s = concat({s, hand_frame(0x1F, 0x03, Bytes(20, 0x01))});
  return s;
}

TEST(StreamDecoder, ByteAtATimeRandomChunksAndWholeStreamGiveIdenticalFrames) {
  const Bytes s = mixed_stream();
  const DecodeResult whole = decode_whole(s);
  ASSERT_EQ(whole.frames.size(), 2U + 60U + 4U + 6U + 2U);
  expect_stats(whole.stats, whole.frames.size(), 0, 0, 0, 0, 0);
  EXPECT_EQ(whole.pending, 0U);

  const DecodeResult bytewise = decode_bytewise(s);
  EXPECT_EQ(bytewise.frames, whole.frames);
  EXPECT_EQ(describe(bytewise.stats), describe(whole.stats));

  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    for (std::size_t max_chunk : {2U, 3U, 7U, 64U, 300U, 1100U, 5000U}) {
      const DecodeResult r = decode_random_chunks(s, seed, max_chunk);
      ASSERT_EQ(r.frames, whole.frames) << "seed " << seed << " max chunk " << max_chunk;
      ASSERT_EQ(describe(r.stats), describe(whole.stats));
    }
  }
  for (std::size_t fixed = 1; fixed <= 40; ++fixed) {
    ASSERT_EQ(decode_in_chunks(s, {fixed}).frames, whole.frames) << "chunks of " << fixed;
  }
}

TEST(StreamDecoder, FramesDecodedFromTheStreamEqualWhatWasEncoded) {
  const Bytes s = mixed_stream();
  const DecodeResult r = decode_random_chunks(s, 42, 50);
  std::uint32_t seq = 0xFFFFFF00U;
  int blocks = 0;
  for (const Decoded& d : r.frames) {
    if (d.type != 0x02) continue;
    const int n = 1 + blocks % 16;
    const SampleBlockMsg want = make_block(seq, n, blocks % 3 == 0 ? 4 : 8, 1000U + static_cast<std::uint32_t>(blocks));
    EXPECT_TRUE(same_samples(parsed_samples(d), want)) << "block " << blocks;
    seq += static_cast<std::uint32_t>(n);
    ++blocks;
  }
  EXPECT_EQ(blocks, 60);
}

TEST(StreamDecoder, EverySplitPointOfAStreamGivesTheSameFrames) {
  const Bytes s = concat({wire_of(make_block(1, 9, 8, 1)), wire_of(CommandMsg{FrameType::ping, 3, 0}),
                          wire_of(make_block(10, 16, 8, 2))});
  const DecodeResult whole = decode_whole(s);
  ASSERT_EQ(whole.frames.size(), 3U);
  for (std::size_t cut = 0; cut <= s.size(); ++cut) {
    const DecodeResult r = decode_in_chunks(s, {cut == 0 ? s.size() : cut, s.size()});
    ASSERT_EQ(r.frames, whole.frames) << "cut at " << cut;
  }
}

TEST(StreamDecoder, BackToBackDelimitersAreIgnoredWithoutError) {
  const Bytes f = wire_of(CommandMsg{FrameType::ping, 1, 0});
  const Bytes s = concat({Bytes(5, 0x00), f, Bytes(3, 0x00), f, Bytes(1, 0x00)});
  for (const DecodeResult& r : {decode_whole(s), decode_bytewise(s)}) {
    EXPECT_EQ(r.frames.size(), 2U);
    expect_stats(r.stats, 2, 0, 0, 0, 0, 0);
  }
}

TEST(StreamDecoder, TruncatedFrameFollowedByADelimiterLosesOnlyThatFrame) {
  const Bytes a = wire_of(make_block(100, 4, 8, 3));
  const Bytes b = wire_of(make_block(104, 4, 8, 4));
  for (std::size_t keep = 1; keep + 1 < a.size(); ++keep) {
    // The device reset in the middle of `a` and sent a 0x00 on boot.
    const Bytes s = concat({Bytes(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(keep)), {0x00}, b});
    const DecodeResult r = decode_whole(s);
    ASSERT_EQ(r.frames.size(), 1U) << keep;
    EXPECT_EQ(parsed_samples(r.frames[0]).first_sequence, 104U);
    expect_stats(r.stats, 1, 0, 1, 0, 0, keep);
  }
}

TEST(StreamDecoder, TruncatedFrameWithoutADelimiterAlsoTakesTheNextFrame) {
  const Bytes a = wire_of(make_block(100, 4, 8, 3));
  const Bytes b = wire_of(make_block(104, 4, 8, 4));
  const Bytes c = wire_of(make_block(108, 4, 8, 5));
  const std::size_t keep = a.size() / 2;
  const Bytes s = concat({Bytes(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(keep)), b, c});
  const DecodeResult r = decode_bytewise(s);
  ASSERT_EQ(r.frames.size(), 1U);
  EXPECT_EQ(parsed_samples(r.frames[0]).first_sequence, 108U);
  EXPECT_EQ(r.stats.crc_errors + r.stats.framing_errors, 1U);
  EXPECT_EQ(r.stats.bytes_discarded, keep + b.size() - 1);
}

TEST(StreamDecoder, AFrameEndingWithoutItsDelimiterStaysPendingUntilReset) {
  const Bytes a = wire_of(make_block(1, 2, 4, 1));
  StreamDecoder dec;
  int frames = 0;
  dec.feed(a.data(), a.size() - 1, [&](const FrameView&) { ++frames; });
  EXPECT_EQ(frames, 0);
  EXPECT_EQ(dec.pending_bytes(), a.size() - 1);
  dec.reset();
  EXPECT_EQ(dec.pending_bytes(), 0U);
  EXPECT_EQ(dec.stats().bytes_discarded, a.size() - 1);
  dec.feed(a.data(), a.size(), [&](const FrameView&) { ++frames; });
  EXPECT_EQ(frames, 1);
  EXPECT_EQ(dec.stats().frames, 1U);
}

TEST(StreamDecoder, GarbageEndedByADelimiterBetweenFramesLosesNoFrame) {
  const Bytes a = wire_of(make_block(1, 2, 4, 1));
  const Bytes b = wire_of(make_block(3, 2, 4, 2));
  const Bytes garbage = {0x41, 0x54, 0x0D, 0x0A, 0xFF, 0x13, 0x37, 0x00, 0x99, 0x00};
  const Bytes s = concat({a, garbage, b});
  const DecodeResult r = decode_bytewise(s);
  ASSERT_EQ(r.frames.size(), 2U);
  // Both runs are invalid COBS: 0x41 and 0x99 announce blocks longer than what follows them.
  expect_stats(r.stats, 2, 0, 2, 0, 0, 8);
}

TEST(StreamDecoder, GarbageInsertedInsideAFrameLosesOnlyThatFrame) {
  const Bytes a = wire_of(make_block(1, 2, 4, 1));
  const Bytes b = wire_of(make_block(3, 2, 4, 2));
  const Bytes c = wire_of(make_block(5, 2, 4, 3));
  const Bytes garbage = {0x12, 0x34, 0x56};
  Bytes damaged = b;
  damaged.insert(damaged.begin() + 10, garbage.begin(), garbage.end());
  const DecodeResult r = decode_whole(concat({a, damaged, c}));
  ASSERT_EQ(r.frames.size(), 2U);
  EXPECT_EQ(parsed_samples(r.frames[0]).first_sequence, 1U);
  EXPECT_EQ(parsed_samples(r.frames[1]).first_sequence, 5U);
  EXPECT_EQ(r.stats.crc_errors + r.stats.framing_errors, 1U);
  EXPECT_EQ(r.stats.bytes_discarded, damaged.size() - 1);
}

TEST(StreamDecoder, OversizeRunWithoutDelimiterIsDiscardedAndCountedOnce) {
  const Bytes f = wire_of(make_block(1, 16, 8, 1));
  const Bytes noise(5000, 0x55);
  const Bytes s = concat({noise, {0x00}, f});
  for (const DecodeResult& r : {decode_whole(s), decode_bytewise(s), decode_random_chunks(s, 3, 700)}) {
    ASSERT_EQ(r.frames.size(), 1U);
    expect_stats(r.stats, 1, 0, 0, 1, 0, 5000);
  }
  // One byte more than the largest encoded frame is already oversize; the largest is not.
  const Bytes just_too_long(kMaxEncodedFrame + 1, 0x55);
  expect_stats(decode_bytewise(concat({just_too_long, {0x00}})).stats, 0, 0, 0, 1, 0, kMaxEncodedFrame + 1);
  expect_stats(decode_whole(concat({just_too_long, {0x00}})).stats, 0, 0, 0, 1, 0, kMaxEncodedFrame + 1);
  const Bytes longest_garbage(kMaxEncodedFrame, 0x55);
  expect_stats(decode_bytewise(concat({longest_garbage, {0x00}})).stats, 0, 0, 1, 0, 0, kMaxEncodedFrame);
}

TEST(StreamDecoder, FrameWithAnotherMajorVersionIsCountedNotDelivered) {
  const Bytes payload = {0x01, 0x00};
  const Bytes v2 = hand_frame(0x20, 0x15, payload);
  const Bytes v0 = hand_frame(0x05, 0x15, payload);
  const Bytes ok = hand_frame(0x10, 0x15, payload);
  const DecodeResult r = decode_bytewise(concat({v2, ok, v0}));
  ASSERT_EQ(r.frames.size(), 1U);
  expect_stats(r.stats, 1, 0, 0, 0, 2, v2.size() - 1 + v0.size() - 1);
}

TEST(StreamDecoder, FrameWithANewerMinorVersionAndExtraPayloadIsDelivered) {
  const SampleBlockMsg block = make_block(77, 3, 8, 77);
  Decoded d = decode_whole(wire_of(block)).frames.at(0);
  Bytes payload = d.payload;
  payload.insert(payload.end(), {0xAA, 0xBB, 0x00, 0xCC});  // a field appended by version 1.3
  const DecodeResult r = decode_bytewise(hand_frame(0x13, 0x02, payload));
  ASSERT_EQ(r.frames.size(), 1U);
  EXPECT_EQ(r.frames[0].major, 1);
  EXPECT_EQ(r.frames[0].minor, 3);
  EXPECT_EQ(r.frames[0].payload.size(), payload.size());
  EXPECT_TRUE(same_samples(parsed_samples(r.frames[0]), block));
  expect_stats(r.stats, 1, 0, 0, 0, 0, 0);
}

TEST(StreamDecoder, UnknownFrameTypeWithValidCrcIsDeliveredSoTheHostCanSkipAndCountIt) {
  const Bytes unknown = hand_frame(0x10, 0x7E, {9, 8, 7});
  const Bytes s = concat({wire_of(CommandMsg{FrameType::ping, 1, 0}), unknown, wire_of(StatusMsg{})});
  const DecodeResult r = decode_bytewise(s);
  ASSERT_EQ(r.frames.size(), 3U);
  EXPECT_EQ(r.frames[1].type, 0x7E);
  EXPECT_EQ(r.frames[1].payload, (Bytes{9, 8, 7}));
  int skipped = 0;
  for (const Decoded& d : r.frames) skipped += is_known_frame_type(d.type) ? 0 : 1;
  EXPECT_EQ(skipped, 1);
  SampleBlockMsg sm;
  DeviceInfoMsg im;
  StatusMsg st;
  ReplyMsg rp;
  CommandMsg cm;
  const FrameView v = r.frames[1].view();
  EXPECT_FALSE(parse_samples(v, sm) || parse_device_info(v, im) || parse_status(v, st) ||
               parse_reply(v, rp) || parse_command(v, cm));
  expect_stats(r.stats, 3, 0, 0, 0, 0, 0);
}

TEST(StreamDecoder, WrongCrcIsCountedAsACrcError) {
  const Bytes bad = hand_frame(0x10, 0x15, {0x01, 0x00}, {.length_field = {}, .crc_xor = 0x00010000U});
  const DecodeResult r = decode_whole(concat({bad, wire_of(StatusMsg{})}));
  ASSERT_EQ(r.frames.size(), 1U);
  expect_stats(r.stats, 1, 1, 0, 0, 0, bad.size() - 1);
}

TEST(StreamDecoder, LengthFieldThatDisagreesWithTheFrameIsAFramingError) {
  for (std::uint16_t lie : {std::uint16_t{0}, std::uint16_t{1}, std::uint16_t{3}, std::uint16_t{0xFFFF}}) {
    const Bytes bad = hand_frame(0x10, 0x15, {0x01, 0x00}, {.length_field = lie, .crc_xor = 0});
    expect_stats(decode_whole(bad).stats, 0, 0, 1, 0, 0, bad.size() - 1);
  }
}

TEST(StreamDecoder, FrameShorterThanHeaderAndCrcIsAFramingError) {
  for (std::size_t n = 0; n < 8; ++n) {
    Bytes raw(n, 0x10);
    Bytes w = reference_cobs_encode(raw);
    w.push_back(0x00);
    expect_stats(decode_whole(w).stats, 0, 0, 1, 0, 0, w.size() - 1);
  }
}

TEST(StreamDecoder, PayloadLongerThan1024BytesIsRefusedEvenWithAValidCrc) {
  // Zero payload bytes cost COBS one byte each, so these frames still fit the decoder's buffer;
  // the protocol forbids them all the same.
  for (std::size_t n : {kMaxPayload + 1, kMaxPayload + 4}) {
    const Bytes w = hand_frame(0x10, 0x02, Bytes(n, 0x00));
    ASSERT_LE(w.size() - 1, kMaxEncodedFrame);
    expect_stats(decode_whole(w).stats, 0, 0, 1, 0, 0, w.size() - 1);
  }
  const Bytes w = hand_frame(0x10, 0x02, Bytes(kMaxPayload, 0x00));
  expect_stats(decode_whole(w).stats, 1, 0, 0, 0, 0, 0);
}

TEST(StreamDecoder, EveryCounterIsExactForAStreamWithOneOfEachFault) {
  const Bytes good = wire_of(make_block(1, 4, 8, 11));
  const Bytes crc_bad = hand_frame(0x10, 0x15, {0x02, 0x00}, {.length_field = {}, .crc_xor = 1});
  const Bytes len_bad = hand_frame(0x10, 0x15, {0x02, 0x00}, {.length_field = 5, .crc_xor = 0});
  const Bytes cobs_bad = {0x09, 0x01, 0x02, 0x00};  // code runs past the end
  const Bytes oversize(3000, 0x77);
  const Bytes major2 = hand_frame(0x21, 0x02, {1, 2, 3, 4});
  const Bytes unknown = hand_frame(0x10, 0x55, {});
  const Bytes s = concat({{0x00, 0x00}, good, crc_bad, good, len_bad, {0x00, 0x00, 0x00}, cobs_bad,
                          oversize, {0x00}, major2, unknown, good});
  for (const DecodeResult& r : {decode_whole(s), decode_bytewise(s), decode_random_chunks(s, 9, 100)}) {
    EXPECT_EQ(r.frames.size(), 4U);
    expect_stats(r.stats, 4, 1, 2, 1, 1,
                 (crc_bad.size() - 1) + (len_bad.size() - 1) + (cobs_bad.size() - 1) + oversize.size() +
                     (major2.size() - 1));
  }
}

}  // namespace
}  // namespace fp::protocol::test
