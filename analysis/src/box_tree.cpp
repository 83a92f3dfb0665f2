#include "box_tree.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fp::analysis::detail {

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
}

BoxTree::BoxTree(std::span<const double> x, std::span<const double> y) : x_(x), y_(y) {
  const std::size_t blocks = (x.size() + block - 1) / block;
  while (leaves_ < blocks) leaves_ *= 2;
  nodes_.assign(2 * leaves_, Box{inf, -inf, inf, -inf});  // empty boxes hold nothing
  for (std::size_t i = 0; i < x.size(); ++i) {
    Box& b = nodes_[leaves_ + i / block];
    b.min_x = std::min(b.min_x, x[i]);
    b.max_x = std::max(b.max_x, x[i]);
    b.min_y = std::min(b.min_y, y[i]);
    b.max_y = std::max(b.max_y, y[i]);
  }
  for (std::size_t v = leaves_ - 1; v >= 1; --v) {
    const Box& l = nodes_[2 * v];
    const Box& r = nodes_[2 * v + 1];
    nodes_[v] = {std::min(l.min_x, r.min_x), std::max(l.max_x, r.max_x), std::min(l.min_y, r.min_y),
                 std::max(l.max_y, r.max_y)};
  }
}

bool BoxTree::may_hold_far(const Box& b, double cx, double cy, double r2) const {
  if (b.min_x > b.max_x) return false;  // empty
  const double dx = std::max(cx - b.min_x, b.max_x - cx);
  const double dy = std::max(cy - b.min_y, b.max_y - cy);
  return dx * dx + dy * dy > r2;
}

std::size_t BoxTree::scan(std::size_t from, std::size_t to, bool forward, double cx, double cy,
                          double r2) const {
  for (std::size_t k = 0; k < to - from; ++k) {
    const std::size_t j = forward ? from + k : to - 1 - k;
    const double dx = x_[j] - cx;
    const double dy = y_[j] - cy;
    if (dx * dx + dy * dy > r2) return j;
  }
  return none;
}

// First (forward) or last (backward) far sample inside the subtree of `node`.
std::size_t BoxTree::search(std::size_t node, bool forward, double cx, double cy, double r2) const {
  if (!may_hold_far(nodes_[node], cx, cy, r2)) return none;
  if (node >= leaves_) {
    const std::size_t first = (node - leaves_) * block;
    return scan(first, std::min(first + block, x_.size()), forward, cx, cy, r2);
  }
  const std::size_t near = forward ? 2 * node : 2 * node + 1;
  const std::size_t far = forward ? 2 * node + 1 : 2 * node;
  const std::size_t j = search(near, forward, cx, cy, r2);
  return j != none ? j : search(far, forward, cx, cy, r2);
}

std::size_t BoxTree::first_far_after(std::size_t i, double r) const {
  const double cx = x_[i], cy = y_[i], r2 = r * r;
  const std::size_t block_end = std::min((i / block + 1) * block, x_.size());
  if (const std::size_t j = scan(i + 1, block_end, true, cx, cy, r2); j != none) return j;
  // Subtrees to the right of i's leaf, left to right: climb while a right child, step right.
  std::size_t v = leaves_ + i / block;
  while (true) {
    while (v != 1 && v % 2 == 1) v /= 2;
    if (v == 1) return none;
    ++v;
    if (const std::size_t j = search(v, true, cx, cy, r2); j != none) return j;
  }
}

std::size_t BoxTree::last_far_before(std::size_t i, double r) const {
  const double cx = x_[i], cy = y_[i], r2 = r * r;
  const std::size_t block_begin = i / block * block;
  if (const std::size_t j = scan(block_begin, i, false, cx, cy, r2); j != none) return j;
  std::size_t v = leaves_ + i / block;
  while (true) {
    while (v != 1 && v % 2 == 0) v /= 2;
    if (v == 1) return none;
    --v;
    if (const std::size_t j = search(v, false, cx, cy, r2); j != none) return j;
  }
}

}  // namespace fp::analysis::detail
