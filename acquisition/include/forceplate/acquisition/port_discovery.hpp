#pragma once
// Serial ports on this machine, with the USB identity that lets a re-plugged plate be found again.
#include <string>
#include <vector>

namespace fp::acq {

struct PortInfo {
  std::string path;         // /dev/ttyACM0
  std::string description;
  std::string transport;    // "usb", "native", "bluetooth"
  int usb_vendor_id = -1;   // -1 where not a USB device
  int usb_product_id = -1;
  std::string usb_serial;
  std::string manufacturer;
};

// Lists serial ports through libserialport. Throws std::runtime_error if enumeration fails.
std::vector<PortInfo> list_serial_ports();

}  // namespace fp::acq
