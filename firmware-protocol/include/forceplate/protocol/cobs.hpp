#pragma once
// Consistent Overhead Byte Stuffing (Cheshire & Baker 1999): removes every 0x00 from a frame so
// that 0x00 can delimit frames, at a cost of at most one byte per 254.
#include <cstddef>
#include <cstdint>

namespace fp::protocol {

constexpr std::size_t cobs_max_encoded_size(std::size_t raw_size) {
  return raw_size + raw_size / 254 + 1;
}

// Encodes `size` bytes into `out` (capacity `out_capacity`); returns the encoded length, or 0 if
// `out` is too small. The delimiter is not written.
std::size_t cobs_encode(const std::uint8_t* in, std::size_t size, std::uint8_t* out,
                        std::size_t out_capacity);

// Decodes one encoded frame (without delimiter). `out` may equal `in` (in-place decoding).
// Returns the decoded length, or -1 if the input is not valid COBS (a zero byte, a code that runs
// past the end) or `out` is too small.
long cobs_decode(const std::uint8_t* in, std::size_t size, std::uint8_t* out,
                 std::size_t out_capacity);

}  // namespace fp::protocol
