// Message payloads of protocol 1.0: round trips of every message type, the byte offsets printed in
// docs/protocol.md (read back with the tests' own little-endian readers), and rejection of short
// or inconsistent payloads.
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "forceplate/protocol/messages.hpp"
#include "protocol_test_support.hpp"

namespace fp::protocol::test {
namespace {

// Encodes with the library and decodes with the stream decoder, returning the one frame.
Decoded through_the_wire(const Bytes& wire) {
  const DecodeResult r = decode_whole(wire);
  EXPECT_EQ(r.frames.size(), 1U) << describe(r.stats);
  EXPECT_EQ(r.stats.frames, 1U);
  return r.frames.empty() ? Decoded{} : r.frames[0];
}

DeviceInfoMsg example_info(int plates) {
  DeviceInfoMsg m;
  std::strcpy(m.firmware_version, "fp-ref 1.0.0");
  std::strcpy(m.serial, "0123456789ABCDEF");  // exactly 16 characters: no terminator on the wire
  m.plate_count = static_cast<std::uint8_t>(plates);
  m.adc_bits = 24;
  m.nominal_rate_hz = 1000;
  m.current_rate_hz = 2000;
  m.calibration_unix_time = 1717243200U;
  const float xs[4] = {-180.0F, 180.0F, -180.0F, 180.0F};
  const float ys[4] = {280.0F, 280.0F, -280.0F, -280.0F};
  for (int k = 0; k < plates; ++k) {
    m.plate_width_mm[k] = 400.0F + static_cast<float>(k);
    m.plate_length_mm[k] = 600.5F;
    for (int c = 0; c < 4; ++c) {
      CellInfo& cell = m.cells[k * 4 + c];
      cell.x_mm = xs[c] + 0.25F * static_cast<float>(k);
      cell.y_mm = ys[c];
      cell.gain_n_per_count = 0.0123F + 0.001F * static_cast<float>(c);
      cell.offset_counts = (c % 2 == 0 ? -1 : 1) * (81234 + c + 10 * k);
    }
  }
  return m;
}

void expect_same_info(const DeviceInfoMsg& a, const DeviceInfoMsg& b) {
  EXPECT_EQ(a.protocol_major, b.protocol_major);
  EXPECT_EQ(a.protocol_minor, b.protocol_minor);
  EXPECT_STREQ(a.firmware_version, b.firmware_version);
  EXPECT_STREQ(a.serial, b.serial);
  EXPECT_EQ(a.plate_count, b.plate_count);
  EXPECT_EQ(a.cells_per_plate, b.cells_per_plate);
  EXPECT_EQ(a.adc_bits, b.adc_bits);
  EXPECT_EQ(a.nominal_rate_hz, b.nominal_rate_hz);
  EXPECT_EQ(a.current_rate_hz, b.current_rate_hz);
  EXPECT_EQ(a.calibration_unix_time, b.calibration_unix_time);
  for (int k = 0; k < a.plate_count; ++k) {
    EXPECT_EQ(float_bits(a.plate_width_mm[k]), float_bits(b.plate_width_mm[k]));
    EXPECT_EQ(float_bits(a.plate_length_mm[k]), float_bits(b.plate_length_mm[k]));
  }
  for (int c = 0; c < a.plate_count * a.cells_per_plate; ++c) {
    EXPECT_EQ(float_bits(a.cells[c].x_mm), float_bits(b.cells[c].x_mm)) << c;
    EXPECT_EQ(float_bits(a.cells[c].y_mm), float_bits(b.cells[c].y_mm)) << c;
    EXPECT_EQ(float_bits(a.cells[c].gain_n_per_count), float_bits(b.cells[c].gain_n_per_count)) << c;
    EXPECT_EQ(a.cells[c].offset_counts, b.cells[c].offset_counts) << c;
  }
}

// ---- device_info ----

TEST(DeviceInfo, OnePlateRoundTripsExactly) {
  const DeviceInfoMsg in = example_info(1);
  const Decoded d = through_the_wire(wire_of(in));
  EXPECT_EQ(d.type, 0x01);
  EXPECT_EQ(d.payload.size(), 46U + 8U + 4U * 16U);
  DeviceInfoMsg out;
  ASSERT_TRUE(parse_device_info(d.view(), out));
  expect_same_info(in, out);
}

TEST(DeviceInfo, TwoPlatesRoundTripExactly) {
  const DeviceInfoMsg in = example_info(2);
  const Decoded d = through_the_wire(wire_of(in));
  EXPECT_EQ(d.payload.size(), 46U + 2U * 8U + 8U * 16U);
  DeviceInfoMsg out;
  ASSERT_TRUE(parse_device_info(d.view(), out));
  expect_same_info(in, out);
}

TEST(DeviceInfo, PayloadBytesSitAtTheDocumentedOffsets) {
  const DeviceInfoMsg in = example_info(2);
  const Bytes p = through_the_wire(wire_of(in)).payload;
  ASSERT_EQ(p.size(), 190U);
  EXPECT_EQ(p[0], 1);  // protocol major
  EXPECT_EQ(p[1], 0);  // protocol minor
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(&p[2])), "fp-ref 1.0.0");  // zero padded
  for (std::size_t i = 2 + 12; i < 18; ++i) EXPECT_EQ(p[i], 0) << i;
  EXPECT_EQ(std::string(p.begin() + 18, p.begin() + 34), "0123456789ABCDEF");
  EXPECT_EQ(p[34], 2);   // plate count
  EXPECT_EQ(p[35], 4);   // cells per plate
  EXPECT_EQ(p[36], 24);  // ADC bits
  EXPECT_EQ(p[37], 0);   // reserved
  EXPECT_EQ(rd_u16(p, 38), 1000);
  EXPECT_EQ(rd_u16(p, 40), 2000);
  EXPECT_EQ(rd_u32(p, 42), 1717243200U);
  EXPECT_EQ(rd_u32(p, 46), float_bits(400.0F));  // plate 0 width
  EXPECT_EQ(rd_u32(p, 50), float_bits(600.5F));  // plate 0 length
  EXPECT_EQ(rd_u32(p, 54), float_bits(401.0F));  // plate 1 width
  EXPECT_EQ(rd_u32(p, 58), float_bits(600.5F));
  // Cells start after the plates: 46 + 8 * plates; 16 bytes each.
  EXPECT_EQ(rd_u32(p, 62), float_bits(-180.0F));  // cell 0 x
  EXPECT_EQ(rd_u32(p, 66), float_bits(280.0F));   // cell 0 y
  EXPECT_EQ(rd_u32(p, 70), float_bits(0.0123F));  // cell 0 gain
  EXPECT_EQ(rd_i32(p, 74), -81234);               // cell 0 offset
  EXPECT_EQ(rd_u32(p, 62 + 7 * 16), float_bits(180.25F));  // cell 7 x (plate 1, cell 3)
  EXPECT_EQ(rd_i32(p, 62 + 7 * 16 + 12), 81234 + 3 + 10);
  EXPECT_EQ(float_bits(1.5F), 0x3FC00000U);  // IEEE-754 binary32, little-endian on the wire
}

TEST(DeviceInfo, EncoderRefusesUnsupportedGeometry) {
  DeviceInfoMsg m = example_info(1);
  m.plate_count = 0;
  EXPECT_TRUE(wire_of(m).empty());
  m.plate_count = 3;
  EXPECT_TRUE(wire_of(m).empty());
  m.plate_count = 1;
  m.cells_per_plate = 3;
  EXPECT_TRUE(wire_of(m).empty());
}

TEST(DeviceInfo, ParserRejectsShortPayloadsAndBadGeometry) {
  const Bytes p = through_the_wire(wire_of(example_info(2))).payload;
  DeviceInfoMsg out;
  for (std::size_t n = 0; n < p.size(); ++n) {
    EXPECT_FALSE(parse_device_info(FrameView{1, 0, 0x01, p.data(), n}, out)) << n;
  }
  EXPECT_TRUE(parse_device_info(FrameView{1, 0, 0x01, p.data(), p.size()}, out));
  Bytes bad = p;
  bad[34] = 3;  // three plates
  EXPECT_FALSE(parse_device_info(FrameView{1, 0, 0x01, bad.data(), bad.size()}, out));
  bad[34] = 0;
  EXPECT_FALSE(parse_device_info(FrameView{1, 0, 0x01, bad.data(), bad.size()}, out));
  bad = p;
  bad[35] = 8;  // eight cells per plate
  EXPECT_FALSE(parse_device_info(FrameView{1, 0, 0x01, bad.data(), bad.size()}, out));
  EXPECT_FALSE(parse_device_info(FrameView{1, 0, 0x02, p.data(), p.size()}, out));  // wrong type
}

// ---- samples ----

TEST(Samples, EveryCountFrom1To16SamplesWith4And8CellsRoundTripsExactly) {
  std::uint32_t seed = 100;
  for (int cells : {4, 8}) {
    for (int n = 1; n <= kMaxSamplesPerFrame; ++n) {
      SampleBlockMsg in = make_block(0xFFFFFFF0U + static_cast<std::uint32_t>(n), n, cells, ++seed);
      // Extremes and signs in every block.
      in.counts[0][0] = std::numeric_limits<std::int32_t>::min();
      in.counts[0][1] = std::numeric_limits<std::int32_t>::max();
      in.counts[n - 1][cells - 1] = -1;
      in.counts[n - 1][cells - 2] = 0;
      in.counts[n / 2][2] = -8388608;  // most negative 24-bit count
      in.time_us[0] = 0xFFFFFFFFU;
      const Decoded d = through_the_wire(wire_of(in));
      EXPECT_EQ(d.type, 0x02);
      EXPECT_EQ(d.payload.size(), 8U + static_cast<std::size_t>(n) * (4U + 4U * static_cast<std::size_t>(cells)));
      SampleBlockMsg out;
      ASSERT_TRUE(parse_samples(d.view(), out)) << n << "x" << cells;
      EXPECT_TRUE(same_samples(in, out)) << n << "x" << cells;
    }
  }
}

TEST(Samples, SequenceZeroAndMaximumRoundTrip) {
  for (std::uint32_t seq : {0U, 1U, 0x7FFFFFFFU, 0x80000000U, 0xFFFFFFFFU}) {
    const SampleBlockMsg in = make_block(seq, 3, 4, seq ^ 0x55U);
    SampleBlockMsg out;
    ASSERT_TRUE(parse_samples(through_the_wire(wire_of(in)).view(), out));
    EXPECT_TRUE(same_samples(in, out)) << seq;
  }
}

TEST(Samples, PayloadBytesSitAtTheDocumentedOffsets) {
  SampleBlockMsg in = make_block(0x12345678U, 2, 8, 77);
  in.time_us[1] = 0xA1B2C3D4U;
  in.counts[1][7] = -123456789;
  const Bytes p = through_the_wire(wire_of(in)).payload;
  ASSERT_EQ(p.size(), 8U + 2U * 36U);
  EXPECT_EQ(rd_u32(p, 0), 0x12345678U);
  EXPECT_EQ(p[4], 2);
  EXPECT_EQ(p[5], 8);
  EXPECT_EQ(p[6], 0);
  EXPECT_EQ(p[7], 0);
  EXPECT_EQ(rd_u32(p, 8), in.time_us[0]);
  for (int c = 0; c < 8; ++c) EXPECT_EQ(rd_i32(p, 12 + 4 * static_cast<std::size_t>(c)), in.counts[0][c]);
  EXPECT_EQ(rd_u32(p, 8 + 36), 0xA1B2C3D4U);
  EXPECT_EQ(rd_i32(p, 8 + 36 + 4 + 7 * 4), -123456789);
}

TEST(Samples, EncoderRefusesOutOfRangeCounts) {
  SampleBlockMsg m = make_block(1, 1, 4, 1);
  m.sample_count = 0;
  EXPECT_TRUE(wire_of(m).empty());
  m.sample_count = 17;
  EXPECT_TRUE(wire_of(m).empty());
  m.sample_count = 1;
  m.cell_count = 0;
  EXPECT_TRUE(wire_of(m).empty());
  m.cell_count = 9;
  EXPECT_TRUE(wire_of(m).empty());
}

TEST(Samples, ParserRejectsShortPayloadsAndImpossibleCounts) {
  const Bytes p = through_the_wire(wire_of(make_block(5, 3, 8, 3))).payload;
  SampleBlockMsg out;
  for (std::size_t n = 0; n < p.size(); ++n) {
    EXPECT_FALSE(parse_samples(FrameView{1, 0, 0x02, p.data(), n}, out)) << n;
  }
  EXPECT_TRUE(parse_samples(FrameView{1, 0, 0x02, p.data(), p.size()}, out));
  for (auto [at, value] : {std::pair<int, int>{4, 0}, {4, 17}, {5, 0}, {5, 9}}) {
    Bytes bad = p;
    bad.resize(2000, 0);  // long enough for any count: only the range check can refuse it
    bad[static_cast<std::size_t>(at)] = static_cast<std::uint8_t>(value);
    EXPECT_FALSE(parse_samples(FrameView{1, 0, 0x02, bad.data(), bad.size()}, out)) << at << "=" << value;
  }
  EXPECT_FALSE(parse_samples(FrameView{1, 0, 0x03, p.data(), p.size()}, out));
}

// ---- status ----

TEST(Status, EveryCodeRoundTripsWithSequenceAndDroppedCount) {
  for (StatusCode code : {StatusCode::heartbeat, StatusCode::adc_fault, StatusCode::overrun, StatusCode::boot}) {
    StatusMsg in;
    in.code = code;
    in.sequence = 0xFFFFFFFEU - static_cast<std::uint32_t>(code);
    in.dropped = 1000U * static_cast<std::uint32_t>(code) + 1U;
    const Decoded d = through_the_wire(wire_of(in));
    EXPECT_EQ(d.type, 0x03);
    ASSERT_EQ(d.payload.size(), 12U);
    EXPECT_EQ(d.payload[0], static_cast<std::uint8_t>(code));
    EXPECT_EQ(d.payload[1], 0);
    EXPECT_EQ(d.payload[2], 0);
    EXPECT_EQ(d.payload[3], 0);
    EXPECT_EQ(rd_u32(d.payload, 4), in.sequence);
    EXPECT_EQ(rd_u32(d.payload, 8), in.dropped);
    StatusMsg out;
    ASSERT_TRUE(parse_status(d.view(), out));
    EXPECT_EQ(out.code, in.code);
    EXPECT_EQ(out.sequence, in.sequence);
    EXPECT_EQ(out.dropped, in.dropped);
  }
  EXPECT_EQ(static_cast<int>(StatusCode::heartbeat), 0);
  EXPECT_EQ(static_cast<int>(StatusCode::adc_fault), 1);
  EXPECT_EQ(static_cast<int>(StatusCode::overrun), 2);
  EXPECT_EQ(static_cast<int>(StatusCode::boot), 3);
}

TEST(Status, ParserRejectsShortPayloads) {
  const Bytes p(12, 0);
  StatusMsg out;
  for (std::size_t n = 0; n < 12; ++n) EXPECT_FALSE(parse_status(FrameView{1, 0, 0x03, p.data(), n}, out));
  EXPECT_TRUE(parse_status(FrameView{1, 0, 0x03, p.data(), 12}, out));
}

// ---- reply ----

TEST(Reply, AcknowledgementAndEveryRefusalReasonRoundTripWithText) {
  const RefusalReason reasons[] = {RefusalReason::none, RefusalReason::unknown_command,
                                   RefusalReason::bad_argument, RefusalReason::not_now,
                                   RefusalReason::hardware_fault};
  for (RefusalReason reason : reasons) {
    ReplyMsg in;
    in.request_id = static_cast<std::uint16_t>(0xFFFF - static_cast<int>(reason));
    in.command = static_cast<std::uint8_t>(FrameType::set_rate);
    in.result = reason == RefusalReason::none ? ReplyResult::ack : ReplyResult::refused;
    in.reason = reason;
    std::strcpy(in.text, reason == RefusalReason::none ? "" : "stop streaming first");
    const Decoded d = through_the_wire(wire_of(in));
    EXPECT_EQ(d.type, 0x04);
    ASSERT_EQ(d.payload.size(), 6U + std::strlen(in.text));
    EXPECT_EQ(rd_u16(d.payload, 0), in.request_id);
    EXPECT_EQ(d.payload[2], 0x13);
    EXPECT_EQ(d.payload[3], static_cast<std::uint8_t>(in.result));
    EXPECT_EQ(d.payload[4], static_cast<std::uint8_t>(reason));
    EXPECT_EQ(d.payload[5], std::strlen(in.text));
    ReplyMsg out;
    ASSERT_TRUE(parse_reply(d.view(), out));
    EXPECT_EQ(out.request_id, in.request_id);
    EXPECT_EQ(out.command, in.command);
    EXPECT_EQ(out.result, in.result);
    EXPECT_EQ(out.reason, in.reason);
    EXPECT_STREQ(out.text, in.text);
  }
  EXPECT_EQ(static_cast<int>(ReplyResult::ack), 0);
  EXPECT_EQ(static_cast<int>(ReplyResult::refused), 1);
  EXPECT_EQ(static_cast<int>(RefusalReason::unknown_command), 1);
  EXPECT_EQ(static_cast<int>(RefusalReason::bad_argument), 2);
  EXPECT_EQ(static_cast<int>(RefusalReason::not_now), 3);
  EXPECT_EQ(static_cast<int>(RefusalReason::hardware_fault), 4);
}

TEST(Reply, SixtyFourCharacterTextIsTheMaximumAndRoundTrips) {
  ReplyMsg in;
  in.request_id = 9;
  in.command = 0x14;
  in.result = ReplyResult::refused;
  in.reason = RefusalReason::hardware_fault;
  const std::string text(64, 'x');
  std::memcpy(in.text, text.data(), 64);
  in.text[64] = '\0';
  const Decoded d = through_the_wire(wire_of(in));
  EXPECT_EQ(d.payload.size(), 70U);
  ReplyMsg out;
  ASSERT_TRUE(parse_reply(d.view(), out));
  EXPECT_EQ(std::string(out.text), text);
}

TEST(Reply, ParserRejectsATextLongerThan64OrLongerThanThePayload) {
  Bytes p = {0x01, 0x00, 0x15, 0x00, 0x00, 0x03, 'a', 'b', 'c'};
  ReplyMsg out;
  EXPECT_TRUE(parse_reply(FrameView{1, 0, 0x04, p.data(), p.size()}, out));
  EXPECT_STREQ(out.text, "abc");
  EXPECT_FALSE(parse_reply(FrameView{1, 0, 0x04, p.data(), p.size() - 1}, out));
  for (std::size_t n = 0; n < 6; ++n) EXPECT_FALSE(parse_reply(FrameView{1, 0, 0x04, p.data(), n}, out));
  Bytes long_text(6 + 65, 'y');
  long_text[5] = 65;
  EXPECT_FALSE(parse_reply(FrameView{1, 0, 0x04, long_text.data(), long_text.size()}, out));
}

// ---- commands ----

TEST(Commands, EveryCommandRoundTripsWithItsRequestId) {
  const FrameType commands[] = {FrameType::get_info, FrameType::start, FrameType::stop,
                                FrameType::set_rate, FrameType::tare, FrameType::ping};
  for (FrameType t : commands) {
    for (std::uint16_t id : {std::uint16_t{0}, std::uint16_t{1}, std::uint16_t{0xBEEF}, std::uint16_t{0xFFFF}}) {
      CommandMsg in;
      in.type = t;
      in.request_id = id;
      in.rate_hz = t == FrameType::set_rate ? std::uint16_t{2000} : std::uint16_t{0};
      const Decoded d = through_the_wire(wire_of(in));
      EXPECT_EQ(d.type, static_cast<std::uint8_t>(t));
      ASSERT_EQ(d.payload.size(), t == FrameType::set_rate ? 4U : 2U);
      EXPECT_EQ(rd_u16(d.payload, 0), id);
      CommandMsg out;
      ASSERT_TRUE(parse_command(d.view(), out));
      EXPECT_EQ(out.type, t);
      EXPECT_EQ(out.request_id, id);
      EXPECT_EQ(out.rate_hz, in.rate_hz);
    }
  }
}

TEST(Commands, SetRateCarriesTheRateInHertzAfterTheRequestId) {
  for (std::uint16_t rate : {std::uint16_t{10}, std::uint16_t{100}, std::uint16_t{1000}, std::uint16_t{2000}}) {
    CommandMsg in;
    in.type = FrameType::set_rate;
    in.request_id = 42;
    in.rate_hz = rate;
    const Decoded d = through_the_wire(wire_of(in));
    EXPECT_EQ(rd_u16(d.payload, 2), rate);
  }
}

TEST(Commands, DeviceToHostTypesAreNotCommands) {
  for (FrameType t : {FrameType::device_info, FrameType::samples, FrameType::status, FrameType::reply}) {
    CommandMsg in;
    in.type = t;
    in.request_id = 1;
    EXPECT_TRUE(wire_of(in).empty());
    const Bytes p = {0x01, 0x00, 0x00, 0x00};
    CommandMsg out;
    EXPECT_FALSE(parse_command(FrameView{1, 0, static_cast<std::uint8_t>(t), p.data(), p.size()}, out));
  }
  const Bytes p = {0x01, 0x00};
  CommandMsg out;
  EXPECT_FALSE(parse_command(FrameView{1, 0, 0x16, p.data(), p.size()}, out));  // unknown type
  EXPECT_FALSE(parse_command(FrameView{1, 0, 0x15, p.data(), 1}, out));         // no request id
  EXPECT_FALSE(parse_command(FrameView{1, 0, 0x13, p.data(), 2}, out));         // set_rate without rate
}

// ---- newer minor version: appended fields are ignored ----

TEST(NewerMinorVersion, EveryMessageParsesItsKnownFieldsAndIgnoresAppendedBytes) {
  const Bytes extra = {0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01, 0x02};
  auto grow = [&](const Bytes& wire) {
    Decoded d = through_the_wire(wire);
    d.minor = 7;
    d.payload.insert(d.payload.end(), extra.begin(), extra.end());
    return d;
  };
  {
    const DeviceInfoMsg in = example_info(2);
    DeviceInfoMsg out;
    ASSERT_TRUE(parse_device_info(grow(wire_of(in)).view(), out));
    expect_same_info(in, out);
  }
  {
    const SampleBlockMsg in = make_block(99, 5, 8, 99);
    SampleBlockMsg out;
    ASSERT_TRUE(parse_samples(grow(wire_of(in)).view(), out));
    EXPECT_TRUE(same_samples(in, out));
  }
  {
    const StatusMsg in{StatusCode::overrun, 1234, 56};
    StatusMsg out;
    ASSERT_TRUE(parse_status(grow(wire_of(in)).view(), out));
    EXPECT_EQ(out.sequence, 1234U);
    EXPECT_EQ(out.dropped, 56U);
  }
  {
    ReplyMsg in;
    in.request_id = 5;
    in.command = 0x11;
    std::strcpy(in.text, "ok");
    ReplyMsg out;
    ASSERT_TRUE(parse_reply(grow(wire_of(in)).view(), out));
    EXPECT_STREQ(out.text, "ok");
    EXPECT_EQ(out.request_id, 5);
  }
  {
    CommandMsg in;
    in.type = FrameType::set_rate;
    in.request_id = 8;
    in.rate_hz = 500;
    CommandMsg out;
    ASSERT_TRUE(parse_command(grow(wire_of(in)).view(), out));
    EXPECT_EQ(out.rate_hz, 500);
    EXPECT_EQ(out.request_id, 8);
  }
}

}  // namespace
}  // namespace fp::protocol::test
