#!/usr/bin/env bash
# Screenshots (PNG) of each main screen with realistic data, and the PDF report, for looking at
# before a release: a patient with two visits recorded through the trial runner on the built-in
# simulator (single-leg stance both sides, hop-and-stick both sides, countermovement jumps), the
# session screen while a trial runs and at its result, and the calibration wizard.
# Usage: scripts/screenshots.sh [OUT_DIR]   (needs a build in build/ with the GUI; headless is fine)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/screenshots}
build=${FP_BUILD_DIR:-build}
fp=$build/cli/forceplate
gui=$build/gui/forceplate-gui
[ -x "$fp" ] && [ -x "$gui" ] || { echo "screenshots: build first (bash scripts/build.sh)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
export FORCEPLATE_ARCHIVE="$out/archive"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
"$fp" archive init >/dev/null
"$fp" archive add-patient P001 --name "Example Patient" --dob 1984-05-02 --sex female --height 1.68 --mass 75 \
  --involved-side left --diagnosis "lateral hip pain (gluteal tendinopathy)" >/dev/null
visit() {  # visit JUMP_HEIGHT_M SWAY_LEFT_MM SWAY_RIGHT_MM PAIN_24H PAIN_AFTER SEED STARTED_AT
  local s
  s=$("$fp" session start --patient P001 --pain-24h "$4" --started-at "$7")
  for side in left right; do
    local sway=$2
    [ "$side" = right ] && sway=$3
    "$fp" run --test single-leg-stance-eyes-open --side $side --patient P001 --session "$s" --speed 10 --yes \
      --param sway_ml_mm=$sway --seed "$6" --pain-before 2 --pain-after "$5" >/dev/null
    "$fp" run --test single-leg-hop-and-stick --side $side --patient P001 --session "$s" --speed 10 --yes --seed "$6" >/dev/null
  done
  for i in 1 2; do
    "$fp" run --test countermovement-jump --patient P001 --session "$s" --speed 10 --yes --param jump_height_m=$1 \
      --seed "$6$i" >/dev/null
  done
}
# Six weeks apart, as a clinic would see them: better balance and jump, less pain at the second.
visit 0.22 6.0 4.6 5 4 11 "$(date -u -d '-42 days' +%Y-%m-%dT09:30:00Z)"
visit 0.30 4.5 4.0 2 2 23 "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
shot() {  # shot NAME ARGS...
  local name=$1
  shift
  "$gui" --archive "$FORCEPLATE_ARCHIVE" --screenshot "$out/$name.png" "$@"
  echo "$out/$name.png"
}
shot live --simulator --sim-plates 2 --quit-after 4
# The session screen while a trial records and once it has its result (the simulated patient does
# the test; faster than real time so that the 30 s stance takes 10 s).
shot session-recording --simulator --sim-plates 2 --sim-speed 3 --tab session --patient P001 \
  --start-test single-leg-stance-eyes-open --side left --screenshot-at recording
shot session-result --simulator --sim-plates 2 --sim-speed 3 --tab session --patient P001 \
  --start-test single-leg-hop-and-stick --side left --screenshot-at result
shot calibration --simulator --calibrate --calibration-step 3
shot training --tab training --quit-after 1
shot clinic-patients --tab clinic --quit-after 1
shot clinic-session --tab clinic --patient P001 --clinic-page session --quit-after 1
shot clinic-comparison --tab clinic --patient P001 --clinic-page comparison --quit-after 1
shot clinic-history --tab clinic --patient P001 --clinic-page history --quit-after 1
"$gui" --archive "$FORCEPLATE_ARCHIVE" --patient P001 --report "$out/report.pdf"
# Every page of the PDF as a PNG too, to look at it as printed (poppler-utils, in install-deps).
if command -v pdftoppm >/dev/null; then
  pdftoppm -r 70 -png "$out/report.pdf" "$out/report-page"
  ls "$out"/report-page-*.png
fi
