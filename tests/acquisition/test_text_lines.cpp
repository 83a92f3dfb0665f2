// The plain-text line format of DIY plates: parsing, and a text plate on a pseudo-terminal.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <string>
#include <thread>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/acquisition/text_line_decoder.hpp"
#include "forceplate/simulator/pty.hpp"
#include "stream_check.hpp"

namespace fp::acq {
namespace {

using Kind = TextLineDecoder::LineKind;

Kind parse(const std::string& line, TextSample& s, TextIdentity& id) {
  std::string reason;
  return TextLineDecoder::parse(line, s, id, reason);
}

TEST(TextLineParse, FourSignedCounts_IsASampleWithoutTime) {
  TextSample s;
  TextIdentity id;
  ASSERT_EQ(parse("120,-35, 7,+40\r", s, id), Kind::sample);
  EXPECT_FALSE(s.has_time);
  EXPECT_EQ(s.cell_count, 4);
  EXPECT_EQ(s.counts[0], 120);
  EXPECT_EQ(s.counts[1], -35);
  EXPECT_EQ(s.counts[2], 7);
  EXPECT_EQ(s.counts[3], 40);
}

TEST(TextLineParse, TimestampAndEightCounts_IsATwoPlateSampleWithTime) {
  TextSample s;
  TextIdentity id;
  ASSERT_EQ(parse("t=4294967295,1,2,3,4,5,6,7,8", s, id), Kind::sample);
  EXPECT_TRUE(s.has_time);
  EXPECT_EQ(s.time_us, 4294967295u);
  EXPECT_EQ(s.cell_count, 8);
  EXPECT_EQ(s.counts[7], 8);
}

TEST(TextLineParse, IdentityComment_GivesSerialCellsAndRate) {
  TextSample s;
  TextIdentity id;
  ASSERT_EQ(parse("# forceplate-text v1 serial=DIY-42 cells=4 rate=80", s, id), Kind::identity);
  EXPECT_EQ(id.serial, "DIY-42");
  EXPECT_EQ(id.cells, 4);
  EXPECT_DOUBLE_EQ(id.rate_hz, 80);
  EXPECT_EQ(parse("# tare done", s, id), Kind::comment);
  EXPECT_EQ(parse("   ", s, id), Kind::empty);
}

TEST(TextLineParse, BrokenLines_AreMalformedWithAReason) {
  TextSample s;
  TextIdentity id;
  std::string reason;
  EXPECT_EQ(TextLineDecoder::parse("1,2,3", s, id, reason), Kind::malformed);
  EXPECT_NE(reason.find("3 values"), std::string::npos) << reason;
  EXPECT_EQ(TextLineDecoder::parse("1,2,x,4", s, id, reason), Kind::malformed);
  EXPECT_NE(reason.find("value 3"), std::string::npos) << reason;
  EXPECT_EQ(TextLineDecoder::parse("1,2,3,4,5,6,7,8,9", s, id, reason), Kind::malformed);
  EXPECT_EQ(TextLineDecoder::parse("t=abc,1,2,3,4", s, id, reason), Kind::malformed);
  EXPECT_EQ(TextLineDecoder::parse("1,2,99999999999,4", s, id, reason), Kind::malformed);  // > int32
}

struct Collector {
  int samples = 0, identities = 0, malformed = 0;
  void on_sample(const TextSample&) { ++samples; }
  void on_identity(const TextIdentity&) { ++identities; }
  void on_malformed(std::string_view) { ++malformed; }
};

TEST(TextLineDecoder, ByteAtATimeAndOverlongLines_SameResultAsWhole) {
  const std::string stream = "# forceplate-text v1 serial=A\n1,2,3,4\n" + std::string(300, '7') + "\n5,6,7,8\n";
  Collector whole, bytes;
  TextLineDecoder a, b;
  a.feed(reinterpret_cast<const std::uint8_t*>(stream.data()), stream.size(), whole);
  for (char c : stream) b.feed(reinterpret_cast<const std::uint8_t*>(&c), 1, bytes);
  EXPECT_EQ(whole.samples, 2);
  EXPECT_EQ(whole.identities, 1);
  EXPECT_EQ(whole.malformed, 1);
  EXPECT_EQ(bytes.samples, whole.samples);
  EXPECT_EQ(bytes.malformed, whole.malformed);
}

// A DIY text plate on a pseudo-terminal: prints `lines` sample lines at about 500 lines/s.
class TextPlate {
 public:
  explicit TextPlate(std::function<std::string(int)> line) : line_(std::move(line)) {
    thread_ = std::thread([this] {
      for (int i = 0; !stop_; ++i) {
        // The identity is repeated, since a host may open the port at any time.
        if (i % 50 == 0) write("# forceplate-text v1 serial=DIY-7 cells=4 rate=500\n");
        write(line_(i));
        std::this_thread::sleep_for(std::chrono::microseconds(2000));
      }
    });
  }
  ~TextPlate() {
    stop_ = true;
    thread_.join();
  }
  const std::string& path() const { return pty_.slave_path(); }

 private:
  void write(const std::string& s) { [[maybe_unused]] auto n = ::write(pty_.master_fd(), s.data(), s.size()); }
  sim::PseudoTerminal pty_;
  std::function<std::string(int)> line_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(TextPlate, AutomaticFormat_RecognisesTheTextPlateAndItsIdentity) {
  TextPlate plate([](int) { return std::string("100,100,100,100\n"); });
  DeviceConnection d(ConnectionOptions{plate.path()});
  const DeviceDescription info = d.connect();
  EXPECT_TRUE(d.is_text_plate());
  EXPECT_EQ(info.plates.size(), 1u);
  EXPECT_EQ(info.firmware_version, "text-line-v1");
  double fz = 0;
  testing::stream(d, [&](const Sample& s) { fz = s.fz_n[0]; }, [](const Sample& s) { return s.sequence > 120; },
                  std::chrono::seconds(10));
  EXPECT_DOUBLE_EQ(fz, 400.0);  // 4 x 100 counts at the uncalibrated 1 N/count
  // The identity line (printed every 50 lines) names the plate and its rate.
  EXPECT_EQ(d.device().serial, "DIY-7");
  EXPECT_DOUBLE_EQ(d.device().current_rate_hz, 500);
}

TEST(TextPlate, MalformedLines_EachCountsAsExactlyOneLostSample) {
  // Every 25th line is damaged on the wire.
  TextPlate plate([](int i) { return i % 25 == 24 ? std::string("10#,1?0,100\n") : std::string("50,150,150,50\n"); });
  ConnectionOptions o{plate.path()};
  o.format = WireFormat::text;
  DeviceConnection d(o);
  d.connect();
  std::uint64_t gaps = 0;
  double cop_x = 0;
  testing::stream(
      d, [&](const Sample& s) { gaps += s.gap_before; cop_x = s.cop_x_m[0]; },
      [](const Sample& s) { return s.sequence >= 300; }, std::chrono::seconds(10));
  const ConnectionStatus st = d.status();
  EXPECT_GT(st.malformed_lines, 5u);
  EXPECT_EQ(st.samples_missing, gaps);
  EXPECT_GE(gaps + 1, st.malformed_lines);  // a damaged line after the last sample seen has no gap yet
  EXPECT_LE(gaps, st.malformed_lines);
  EXPECT_NEAR(cop_x, 0.2 * (150 + 150 - 50 - 50) / 400.0, 1e-12);  // right cells carry more
}

TEST(TextPlate, TimeStampedLinesWithAWholeLineMissing_GapOfExactlyOne) {
  // Line 150 never arrives at all; its neighbours' time stamps (2 ms apart at 500 Hz) show it.
  TextPlate plate([](int i) {
    if (i == 150) return std::string();
    return "t=" + std::to_string(1000000 + i * 2000) + ",100,100,100,100\n";
  });
  DeviceConnection d(ConnectionOptions{plate.path()});
  d.connect();
  std::uint64_t gaps = 0;
  std::uint64_t first = 0;
  bool have_first = false;
  testing::stream(
      d,
      [&](const Sample& s) {
        gaps += s.gap_before;
        if (!have_first) first = s.sequence;
        have_first = true;
      },
      [&](const Sample& s) { return s.sequence >= first + 250; }, std::chrono::seconds(10));
  EXPECT_EQ(gaps, 1u);
}

TEST(TextPlate, TextFormatAskedButNothingPrinted_ClearError) {
  sim::PseudoTerminal silent;
  ConnectionOptions o{silent.slave_path()};
  o.format = WireFormat::text;
  o.reply_timeout = std::chrono::milliseconds(300);
  DeviceConnection d(o);
  try {
    d.connect();
    FAIL() << "connected to a silent port";
  } catch (const AcquisitionError& e) {
    EXPECT_NE(std::string(e.what()).find("no valid text lines"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fp::acq
