#pragma once
// Wait-free single-producer / single-consumer ring. The producer (the acquisition thread) never
// blocks: a full ring either refuses the item (the recorder's ring: that is an error the consumer
// must report) or drops it (display rings, which only want the latest data).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace fp::acq {

template <class T>
class SpscRing {
 public:
  explicit SpscRing(std::size_t min_capacity) {
    std::size_t cap = 2;
    while (cap < min_capacity) cap <<= 1;
    mask_ = cap - 1;
    items_ = std::make_unique<T[]>(cap);
  }

  std::size_t capacity() const { return mask_ + 1; }

  // Producer side. Returns false (and counts a rejection) if the ring is full.
  bool try_push(const T& item) {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_cache_ > mask_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head - tail_cache_ > mask_) {
        rejected_.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    }
    items_[head & mask_] = item;
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // Consumer side.
  bool try_pop(T& out) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail == head_.load(std::memory_order_acquire)) return false;
    out = items_[tail & mask_];
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Pops up to `max` items into `out`; returns how many.
  template <class Out>
  std::size_t pop_into(Out& out, std::size_t max = SIZE_MAX) {
    std::size_t n = 0;
    T item;
    while (n < max && try_pop(item)) {
      out.push_back(item);
      ++n;
    }
    return n;
  }

  std::size_t size_approx() const {
    return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire);
  }
  std::uint64_t rejected() const { return rejected_.load(std::memory_order_relaxed); }

 private:
  // Producer and consumer indices on separate cache lines so they do not false-share.
  alignas(64) std::atomic<std::size_t> head_{0};
  std::size_t tail_cache_ = 0;
  alignas(64) std::atomic<std::size_t> tail_{0};
  alignas(64) std::atomic<std::uint64_t> rejected_{0};
  std::size_t mask_ = 0;
  std::unique_ptr<T[]> items_;
};

}  // namespace fp::acq
