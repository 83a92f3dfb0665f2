#include "forceplate/simulator/pty.hpp"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace fp::sim {

PseudoTerminal::PseudoTerminal() {
  char name[256] = {};
  termios raw{};
  cfmakeraw(&raw);
  if (openpty(&master_, &slave_, name, &raw, nullptr) != 0) {
    throw std::runtime_error(std::string("cannot create a pseudo-terminal: ") + std::strerror(errno));
  }
  path_ = name;
  const int flags = fcntl(master_, F_GETFL);
  fcntl(master_, F_SETFL, flags | O_NONBLOCK);
}

PseudoTerminal::~PseudoTerminal() { close(); }

unsigned PseudoTerminal::host_baud() const {
  termios t{};
  if (slave_ < 0 || tcgetattr(slave_, &t) != 0) return 0;
  switch (cfgetospeed(&t)) {
    case B9600: return 9600;
    case B19200: return 19200;
    case B38400: return 38400;
    case B57600: return 57600;
    case B115200: return 115200;
    case B230400: return 230400;
    case B460800: return 460800;
    case B921600: return 921600;
    case B1000000: return 1000000;
    case B2000000: return 2000000;
    default: return 0;
  }
}

void PseudoTerminal::close() {
  if (master_ >= 0) ::close(master_);
  if (slave_ >= 0) ::close(slave_);
  master_ = slave_ = -1;
}

}  // namespace fp::sim
