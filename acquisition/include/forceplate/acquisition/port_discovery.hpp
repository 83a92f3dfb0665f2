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

#include <chrono>
#include <optional>

#include "forceplate/acquisition/sample.hpp"

namespace fp::acq {

// Asks the device on `path` who it is (protocol get_info), or recognises a text plate; nullopt if
// nothing answers within `timeout` or the port cannot be opened.
std::optional<DeviceDescription> probe_port(const std::string& path, unsigned baud = 921600,
                                            std::chrono::milliseconds timeout = std::chrono::milliseconds(800));

// The port where the plate with this serial number is now, among `candidates` (default: every
// port list_serial_ports() finds), or nullopt.
std::optional<std::string> find_port_by_serial(const std::string& serial, unsigned baud = 921600,
                                               const std::vector<std::string>& candidates = {});

}  // namespace fp::acq
