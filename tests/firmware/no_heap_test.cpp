// The firmware core promises "no heap" (it must run on a microcontroller without malloc). This
// test binary replaces the global operator new/delete with counting versions and checks that
// DeviceCore makes no allocation at all over a busy session: construction, begin(), every command,
// streaming with overruns, a stall and ADC faults, stop. Allocations made by the fake board itself
// (it records frames in std::vectors) are not the core's and are excluded by pausing the count
// while the core is inside a Hardware call.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "fake_hardware.hpp"
#include "forceplate/firmware/device_core.hpp"

// GCC sees operator new (our malloc) and operator delete (our free) inlined into each other and
// warns of a mismatch that is not one: both sides are these replacements.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {

std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};

void* counted_alloc(std::size_t size, std::size_t align = 0) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (size == 0) size = 1;
  void* p = nullptr;
  if (align > alignof(std::max_align_t)) {
    p = std::aligned_alloc(align, (size + align - 1) / align * align);
  } else {
    p = std::malloc(size);
  }
  return p;
}

}  // namespace

// ---- replaceable global allocation functions (all forms) ----
void* operator new(std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = counted_alloc(n, static_cast<std::size_t>(a))) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  if (void* p = counted_alloc(n, static_cast<std::size_t>(a))) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_alloc(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_alloc(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace fp::firmware::test {
namespace {

// Counts allocations from construction to stop() (or destruction).
class AllocationCounter {
 public:
  AllocationCounter() {
    g_allocations = 0;
    g_counting = true;
  }
  ~AllocationCounter() { g_counting = false; }
  long stop() {
    g_counting = false;
    return g_allocations.load();
  }
};

// Stops counting while the core is inside the board (the fake board allocates, the core must not).
class PauseCounting {
 public:
  PauseCounting() : was_(g_counting.exchange(false)) {}
  ~PauseCounting() { g_counting = was_; }
  PauseCounting(const PauseCounting&) = delete;
  PauseCounting& operator=(const PauseCounting&) = delete;

 private:
  bool was_;
};

class NotCountedHardware : public Hardware {
 public:
  explicit NotCountedHardware(FakeHardware& inner) : inner_(inner) {}
  std::uint32_t micros() override {
    PauseCounting p;
    return inner_.micros();
  }
  bool read_cells(std::int32_t* counts, int cell_count) override {
    PauseCounting p;
    return inner_.read_cells(counts, cell_count);
  }
  bool write_frame(const std::uint8_t* bytes, std::size_t size) override {
    PauseCounting p;
    return inner_.write_frame(bytes, size);
  }
  bool supports_rate(std::uint16_t rate_hz) override {
    PauseCounting p;
    return inner_.supports_rate(rate_hz);
  }
  void set_rate(std::uint16_t rate_hz) override {
    PauseCounting p;
    inner_.set_rate(rate_hz);
  }

 private:
  FakeHardware& inner_;
};

TEST(DeviceCoreNoHeap, TheCounterSeesAnAllocationMadeWhileCounting) {
  // Guards the test below against counting nothing at all.
  AllocationCounter counter;
  void* volatile p = ::operator new(24);
  ::operator delete(p);
  {
    PauseCounting paused;
    void* volatile q = ::operator new(24);
    ::operator delete(q);
  }
  EXPECT_EQ(counter.stop(), 1);
}

TEST(DeviceCoreNoHeap, ConstructionBeginCommandsAndAStreamingRunWithFaults_AllocateNothing) {
  FakeHardware fake;
  NotCountedHardware hw(fake);
  const DeviceConfig cfg = make_config(2, 2000);
  fake.fault_on_read = {40, 3000};
  // Every command a host sends, encoded before counting starts.
  const Bytes get_info = command_bytes(FrameType::get_info, 1);
  const Bytes tare = command_bytes(FrameType::tare, 2);
  const Bytes bad_rate = command_bytes(FrameType::set_rate, 3, 5);
  const Bytes set_rate = command_bytes(FrameType::set_rate, 4, 2000);
  const Bytes start = command_bytes(FrameType::start, 5);
  const Bytes ping = command_bytes(FrameType::ping, 6);
  const Bytes stop = command_bytes(FrameType::stop, 7);
  const Bytes junk = {0x11, 0x22, 0x00, 0x00, 0x05, 0xFF, 0x00};
  std::uint8_t unknown[protocol::kMaxWireFrame];
  const std::uint8_t id[2] = {8, 0};
  const std::size_t unknown_size = protocol::encode_frame(static_cast<FrameType>(0x42), id, 2,
                                                          unknown, sizeof unknown);
  fake.now_us = 0xFFFF0000U;

  long allocations = -1;
  {
    AllocationCounter counter;
    DeviceCore core(hw, cfg);
    core.begin();
    core.on_bytes(junk.data(), junk.size());
    core.on_bytes(get_info.data(), get_info.size());
    core.on_bytes(tare.data(), tare.size());
    core.on_bytes(bad_rate.data(), bad_rate.size());
    core.on_bytes(set_rate.data(), set_rate.size());
    core.on_bytes(unknown, unknown_size);
    for (std::size_t i = 0; i < start.size(); ++i) core.on_bytes(&start[i], 1);  // byte by byte
    for (int t = 0; t < 4000; ++t) {  // 2 s at 2 kHz, ticked every 500 µs …
      fake.now_us += 500;
      if (t == 1001) fake.line_full = true;   // … with an overrun …
      if (t == 1100) fake.line_full = false;
      if (t == 2000) fake.now_us += 100000;   // … a 100 ms stall …
      if (t % 250 == 0) core.on_bytes(ping.data(), ping.size());
      core.tick();
    }
    core.on_bytes(get_info.data(), get_info.size());
    core.on_bytes(stop.data(), stop.size());
    allocations = counter.stop();
  }
  EXPECT_EQ(allocations, 0) << "DeviceCore allocated on the heap";

  // The run really went through all of that.
  EXPECT_GT(fake.samples().size(), 3000U);
  bool overrun = false;
  bool adc_fault = false;
  for (const StatusMsg& s : fake.statuses()) {
    overrun = overrun || s.code == StatusCode::overrun;
    adc_fault = adc_fault || s.code == StatusCode::adc_fault;
  }
  EXPECT_TRUE(overrun);
  EXPECT_TRUE(adc_fault);
  EXPECT_EQ(fake.replies().size(), 8U + 16U);
  EXPECT_EQ(fake.infos().size(), 2U);
}

}  // namespace
}  // namespace fp::firmware::test
