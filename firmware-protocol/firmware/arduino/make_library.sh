#!/usr/bin/env bash
# Assembles the Arduino library "forceplate" (wire protocol + reference firmware core) from
# firmware-protocol/, for arduino-cli's --libraries option:
#
#   firmware-protocol/firmware/arduino/make_library.sh [OUT_DIR]      (default: build-arduino/libraries)
#   arduino-cli compile --fqbn rp2040:rp2040:rpipico --libraries build-arduino/libraries \
#       firmware-protocol/firmware/arduino/hx711_4cell
#
# Copies (not symlinks: the Arduino builder does not reliably follow them) into
#   OUT_DIR/forceplate/library.properties
#   OUT_DIR/forceplate/src/forceplate.h                      umbrella header the sketches include
#   OUT_DIR/forceplate/src/forceplate/protocol/*.hpp         firmware-protocol/include/…
#   OUT_DIR/forceplate/src/forceplate/firmware/*.hpp         firmware-protocol/firmware/include/…
#   OUT_DIR/forceplate/src/protocol/*.cpp, src/firmware/*.cpp
# The library's src/ is on the include path, so the sources' own #include "forceplate/…" resolve.
# Run it again after changing firmware-protocol/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="${1:-$repo/build-arduino/libraries}"
lib="$out/forceplate"

rm -rf "$lib"
mkdir -p "$lib/src/forceplate/protocol" "$lib/src/forceplate/firmware" "$lib/src/protocol" "$lib/src/firmware"
cp "$here/library/library.properties" "$lib/"
cp "$here/library/src/forceplate.h" "$lib/src/"
cp "$repo"/firmware-protocol/include/forceplate/protocol/*.hpp "$lib/src/forceplate/protocol/"
cp "$repo"/firmware-protocol/firmware/include/forceplate/firmware/*.hpp "$lib/src/forceplate/firmware/"
cp "$repo"/firmware-protocol/src/*.cpp "$lib/src/protocol/"
cp "$repo"/firmware-protocol/firmware/src/*.cpp "$lib/src/firmware/"
echo "make_library.sh: Arduino library written to $lib"
