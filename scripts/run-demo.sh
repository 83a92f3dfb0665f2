#!/usr/bin/env bash
# Installs what is missing, builds, and runs the clinic window on the built-in simulated plate.
# Without a display it runs the same session headless: records a quiet-stance trial from the
# simulator through the real serial path, stores it and prints the measures and the file's path.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DFP_BUILD_GUI=ON
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/gui/forceplate-gui --simulator "$@"
else
  echo "no display: running the headless demo (forceplate demo)" >&2
  exec build/cli/forceplate demo "$@"
fi
