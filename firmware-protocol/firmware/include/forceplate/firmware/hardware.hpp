#pragma once
// What the reference firmware needs from a board. A real board implements this over its ADC and
// USB serial; the simulator implements it over a simulated body and a pseudo-terminal.
#include <cstddef>
#include <cstdint>

namespace fp::firmware {

class Hardware {
 public:
  virtual ~Hardware() = default;
  // Microseconds since boot; wraps at 2^32.
  virtual std::uint32_t micros() = 0;
  // One conversion of every cell. Returns false on an ADC fault.
  virtual bool read_cells(std::int32_t* counts, int cell_count) = 0;
  // Queues one whole frame for sending. Returns false, sending nothing, if it does not fit now.
  virtual bool write_frame(const std::uint8_t* bytes, std::size_t size) = 0;
  // Whether the ADC can run at this rate.
  virtual bool supports_rate(std::uint16_t rate_hz) = 0;
  virtual void set_rate(std::uint16_t rate_hz) = 0;
};

}  // namespace fp::firmware
