#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "forceplate/acquisition/spsc_ring.hpp"

namespace fp::acq {
namespace {

TEST(SpscRing, CapacityRoundsUpToPowerOfTwo) { EXPECT_EQ(SpscRing<int>(100).capacity(), 128u); }

TEST(SpscRing, PushMoreThanCapacity_RefusesAndCountsTheRest) {
  SpscRing<int> ring(4);
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += ring.try_push(i) ? 1 : 0;
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(ring.rejected(), 6u);
  int v = -1;
  ASSERT_TRUE(ring.try_pop(v));
  EXPECT_EQ(v, 0);  // oldest first; refused items never overwrite kept ones
}

TEST(SpscRing, ProducerAndConsumerThreads_EveryItemArrivesOnceInOrder) {
  SpscRing<std::uint64_t> ring(1024);
  constexpr std::uint64_t kItems = 2'000'000;
  std::thread producer([&] {
    for (std::uint64_t i = 0; i < kItems;) {
      if (ring.try_push(i)) ++i;
    }
  });
  std::uint64_t expected = 0;
  std::uint64_t v = 0;
  while (expected < kItems) {
    if (ring.try_pop(v)) {
      ASSERT_EQ(v, expected);
      ++expected;
    }
  }
  producer.join();
  EXPECT_EQ(ring.size_approx(), 0u);
}

}  // namespace
}  // namespace fp::acq
