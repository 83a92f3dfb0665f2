#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "forceplate/acquisition/port_discovery.hpp"

namespace fp::cli {

void add_devices(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("devices", "List serial ports with their USB identity");
  auto probe = std::make_shared<bool>(false);
  auto extra = std::make_shared<std::vector<std::string>>();
  cmd->add_flag("--probe", *probe, "ask each port which plate it is (sends get_info)");
  cmd->add_option("--port", *extra, "also look at this port (e.g. a simulator's pseudo-terminal); repeatable");
  cmd->callback([probe, extra] {
    auto ports = acq::list_serial_ports();
    for (const std::string& path : *extra) {
      acq::PortInfo given;
      given.path = path;
      given.description = "given on the command line";
      given.transport = "native";
      ports.push_back(given);
    }
    if (ports.empty()) std::cout << "no serial ports found\n";
    for (const acq::PortInfo& p : ports) {
      std::cout << p.path << "  " << p.transport;
      if (p.usb_vendor_id >= 0) {
        std::cout << "  " << std::hex << std::setfill('0') << std::setw(4) << p.usb_vendor_id << ":"
                  << std::setw(4) << p.usb_product_id << std::dec << std::setfill(' ');
      }
      if (!p.usb_serial.empty()) std::cout << "  serial " << p.usb_serial;
      if (!p.description.empty()) std::cout << "  " << p.description;
      if (*probe) {
        const auto d = acq::probe_port(p.path);
        if (d) {
          std::cout << "  -> plate " << d->serial << ", firmware " << d->firmware_version << ", " << d->plates.size()
                    << " plate(s), " << d->current_rate_hz << " Hz";
        } else {
          std::cout << "  -> no plate answers";
        }
      }
      std::cout << "\n";
    }
  });
}

}  // namespace fp::cli
