#!/usr/bin/env bash
# The single list of system packages this project needs (Debian 12).
# Idempotent: installs only what is missing; safe to run again.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config ninja-build
  # acquisition: Boost.Asio for serial I/O, libserialport for discovery
  libboost-dev libboost-math-dev libserialport-dev
  # storage and index
  libhdf5-dev libsqlite3-dev zlib1g-dev
  # research export: keyed study codes (HMAC-SHA-256 from OpenSSL's libcrypto)
  libssl-dev
  # small maintained libraries instead of hand-written code
  nlohmann-json3-dev libcli11-dev libfftw3-dev
  # calibration: least-squares cell gains
  libeigen3-dev
  # GUI
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev fonts-dejavu-core
  # tests and benchmarks: GoogleTest, Google Benchmark, h5py to read our files as a researcher
  # would, a display server for GUI checks
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-h5py python3-numpy xvfb xauth
  # the screenshots script renders every PDF report page to PNG (pdftoppm) for looking at it
  poppler-utils
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizers' runtime
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
