#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "forceplate/acquisition/port_discovery.hpp"

namespace fp::cli {

void add_devices(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("devices", "List serial ports with their USB identity");
  cmd->callback([] {
    const auto ports = acq::list_serial_ports();
    if (ports.empty()) std::cout << "no serial ports found\n";
    for (const acq::PortInfo& p : ports) {
      std::cout << p.path << "  " << p.transport;
      if (p.usb_vendor_id >= 0) {
        std::cout << "  " << std::hex << std::setfill('0') << std::setw(4) << p.usb_vendor_id << ":"
                  << std::setw(4) << p.usb_product_id << std::dec << std::setfill(' ');
      }
      if (!p.usb_serial.empty()) std::cout << "  serial " << p.usb_serial;
      if (!p.description.empty()) std::cout << "  " << p.description;
      std::cout << "\n";
    }
  });
}

}  // namespace fp::cli
