#pragma once
// Bounding boxes of a planar trajectory over index ranges, to find quickly the first sample
// before or after a given one that lies farther than r from a point; internal to fp_analysis.
#include <cstddef>
#include <span>
#include <vector>

namespace fp::analysis::detail {

class BoxTree {
 public:
  // x, y must outlive the tree.
  BoxTree(std::span<const double> x, std::span<const double> y);

  // The first index j > i (forward) or the last j < i (backward) with |p_j - c| > r, where c is
  // sample i; `none` if there is no such sample. Exact: boxes only skip samples that are
  // certainly inside (the box's farthest corner is within r) or lead the search to a block.
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t first_far_after(std::size_t i, double r) const;
  std::size_t last_far_before(std::size_t i, double r) const;

 private:
  struct Box {
    double min_x, max_x, min_y, max_y;
  };
  static constexpr std::size_t block = 16;  // samples per leaf

  bool may_hold_far(const Box& b, double cx, double cy, double r2) const;
  std::size_t scan(std::size_t from, std::size_t to, bool forward, double cx, double cy,
                   double r2) const;  // samples [from, to), in the given direction
  std::size_t search(std::size_t node, bool forward, double cx, double cy, double r2) const;

  std::span<const double> x_, y_;
  std::size_t leaves_ = 1;  // power of two >= number of blocks
  std::vector<Box> nodes_;  // heap order: 1 is the root, leaves at [leaves_, 2 leaves_)
};

}  // namespace fp::analysis::detail
