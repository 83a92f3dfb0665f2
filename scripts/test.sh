#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite; fails on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DFP_BUILD_TESTS=ON -DFP_BUILD_BENCH=ON -DFP_BUILD_GUI=ON
cd build
ctest --output-on-failure --timeout 600 -j2
