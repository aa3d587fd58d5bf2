#!/bin/sh
# Takes data/screenshots/contact-sync-setup.png and contact-sync-setup-dark.png:
# Contact Sync. Setup on its Filters page, with sample filters and one
# expression still being corrected, under Xvfb in the light and the dark style.
# The window is shown by the GUI test in its screenshot mode
# (BCS_SCREENSHOT_PAGE), with fresh in-memory settings and English text.
# Look at the files before committing them.
#   BUILD_DIR=build build-aux/screenshot-preferences.sh [PAGE]   (outlook, filters, sync)
set -eu

cd "$(dirname "$0")/.."
. build-aux/screenshot-common.sh
PAGE=${1:-filters}

shot_build tests/test-contact-sync-setup

# shoot OUTPUT COLOR_SCHEME
shoot () {
  shot_window "$1" "$2" "$PWD/$BUILD_DIR/tests/test-contact-sync-setup" "Contact Sync. Setup" none \
    BCS_SCREENSHOT_PAGE="$PAGE"
}

shoot data/screenshots/contact-sync-setup.png default
shoot data/screenshots/contact-sync-setup-dark.png prefer-dark
