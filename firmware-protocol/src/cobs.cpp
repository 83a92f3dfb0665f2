#include "forceplate/protocol/cobs.hpp"

#include <cstring>

namespace fp::protocol {

std::size_t cobs_encode(const std::uint8_t* in, std::size_t size, std::uint8_t* out,
                        std::size_t out_capacity) {
  if (out_capacity < cobs_max_encoded_size(size)) return 0;
  std::size_t code_at = 0;  // where the current block's code byte goes
  std::size_t w = 1;
  std::uint8_t code = 1;
  for (std::size_t r = 0; r < size; ++r) {
    if (in[r] == 0) {
      out[code_at] = code;
      code_at = w++;
      code = 1;
      continue;
    }
    out[w++] = in[r];
    if (++code == 0xFF) {
      out[code_at] = code;
      // A full block stands for no zero, so a frame that ends exactly here needs no further code
      // byte: FF + 254 bytes, as in the published examples (a trailing 01 would be redundant).
      if (r + 1 == size) return w;
      code_at = w++;
      code = 1;
    }
  }
  out[code_at] = code;
  return w;
}

long cobs_decode(const std::uint8_t* in, std::size_t size, std::uint8_t* out,
                 std::size_t out_capacity) {
  std::size_t r = 0;
  std::size_t w = 0;
  while (r < size) {
    const std::uint8_t code = in[r++];
    if (code == 0) return -1;
    const std::size_t run = static_cast<std::size_t>(code) - 1;
    if (r + run > size || w + run > out_capacity) return -1;
    if (std::memchr(in + r, 0, run) != nullptr) return -1;
    std::memmove(out + w, in + r, run);
    r += run;
    w += run;
    // A block shorter than 254 bytes stands for a zero, except at the very end of the frame.
    if (code != 0xFF && r < size) {
      if (w >= out_capacity) return -1;
      out[w++] = 0;
    }
  }
  return static_cast<long>(w);
}

}  // namespace fp::protocol
