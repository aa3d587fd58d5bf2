#!/bin/sh
# Takes data/screenshots/exchange-sync-setup.png and exchange-sync-setup-dark.png:
# Exchange Sync. Setup signed in to the in-process sandbox (device code,
# approved at once), a company chosen and Validate Connection's checks
# listed, under Xvfb in the light and the dark style. The window is shown by
# the GUI test in its screenshot mode (BCS_SCREENSHOT=1) with fresh in-memory
# settings, a fresh keyring and English text. Look at the files before
# committing them.
#   BUILD_DIR=build build-aux/screenshot-exchange-setup.sh [code]
# With "code": the device-code sign-in waiting for the user instead, written
# to $TMPDIR/exchange-sync-setup-code.png (for review; not kept).
set -eu

cd "$(dirname "$0")/.."
. build-aux/screenshot-common.sh
MODE=${1:-1}
# the window is taller than run-headless.sh's default screen
BCS_HEADLESS_SCREEN=1400x1300x24
export BCS_HEADLESS_SCREEN

shot_build tests/test-exchange-sync-setup

# shoot OUTPUT COLOR_SCHEME: the test prints "ready" once signed in and validated
shoot () {
  shot_window "$1" "$2" "$PWD/$BUILD_DIR/tests/test-exchange-sync-setup" "Exchange Sync. Setup" line \
    BCS_SCREENSHOT="$MODE"
}

if [ "$MODE" = code ]; then
  shoot "${TMPDIR:-/tmp}/exchange-sync-setup-code.png" default
  exit 0
fi
shoot data/screenshots/exchange-sync-setup.png default
shoot data/screenshots/exchange-sync-setup-dark.png prefer-dark
