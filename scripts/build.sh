#!/usr/bin/env bash
# Configure and build into build/ (warnings are errors for the project's own code).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFP_WERROR=ON "$@" >/dev/null
cmake --build build -j"$(nproc)"
