#pragma once
// Arduino library umbrella header for the force-plate firmware: the wire protocol
// (docs/protocol.md) and the reference firmware core. A sketch includes this first, so that the
// Arduino build finds the library; make_library.sh puts the sources next to it.
#include "forceplate/firmware/device_core.hpp"
#include "forceplate/firmware/hardware.hpp"
#include "forceplate/protocol/messages.hpp"
