#include "forceplate/acquisition/port_discovery.hpp"

#include <libserialport.h>

#include <stdexcept>

namespace fp::acq {

namespace {
std::string text(const char* s) { return s ? s : ""; }
}

std::vector<PortInfo> list_serial_ports() {
  sp_port** ports = nullptr;
  if (sp_list_ports(&ports) != SP_OK) {
    throw std::runtime_error("cannot list serial ports: " + text(sp_last_error_message()));
  }
  std::vector<PortInfo> out;
  for (sp_port** p = ports; *p != nullptr; ++p) {
    PortInfo info;
    info.path = text(sp_get_port_name(*p));
    info.description = text(sp_get_port_description(*p));
    switch (sp_get_port_transport(*p)) {
      case SP_TRANSPORT_USB: {
        info.transport = "usb";
        int vid = -1, pid = -1;
        if (sp_get_port_usb_vid_pid(*p, &vid, &pid) == SP_OK) {
          info.usb_vendor_id = vid;
          info.usb_product_id = pid;
        }
        info.usb_serial = text(sp_get_port_usb_serial(*p));
        info.manufacturer = text(sp_get_port_usb_manufacturer(*p));
        break;
      }
      case SP_TRANSPORT_BLUETOOTH: info.transport = "bluetooth"; break;
      default: info.transport = "native"; break;
    }
    out.push_back(info);
  }
  sp_free_port_list(ports);
  return out;
}

}  // namespace fp::acq

#include "forceplate/acquisition/device_connection.hpp"

namespace fp::acq {

std::optional<DeviceDescription> probe_port(const std::string& path, unsigned baud, std::chrono::milliseconds timeout) {
  ConnectionOptions o{path, baud, timeout};
  o.auto_reconnect = false;
  o.command_attempts = 2;
  DeviceConnection d(o);
  try {
    return d.connect();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::string> find_port_by_serial(const std::string& serial, unsigned baud,
                                               const std::vector<std::string>& candidates) {
  std::vector<std::string> paths = candidates;
  if (paths.empty()) {
    for (const PortInfo& p : list_serial_ports()) paths.push_back(p.path);
  }
  for (const std::string& path : paths) {
    const auto d = probe_port(path, baud);
    if (d && d->serial == serial) return path;
  }
  return std::nullopt;
}

}  // namespace fp::acq
