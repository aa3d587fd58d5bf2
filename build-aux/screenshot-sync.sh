#!/bin/sh
# Takes data/screenshots/sync-overview.png, sync-running.png and results.png
# (and their -dark variants): the main window after a real sync against the
# in-process sandbox, during a full sync (the sandbox answers slowly), and
# the results of a sync — under Xvfb in the light and the dark style.
# The window is shown by the GUI test in its screenshot mode
# (BCS_SCREENSHOT_PAGE), with fresh in-memory settings and English text.
# Look at the files before committing them.
#   BUILD_DIR=build build-aux/screenshot-sync.sh
set -eu

cd "$(dirname "$0")/.."
. build-aux/screenshot-common.sh

shot_build tests/test-window-sync

# shoot OUTPUT COLOR_SCHEME PAGE
shoot () {
  shot_window "$1" "$2" "$PWD/$BUILD_DIR/tests/test-window-sync" "Contact Sync" file \
    BCS_SCREENSHOT_PAGE="$3"
}

shoot data/screenshots/sync-overview.png default overview
shoot data/screenshots/sync-overview-dark.png prefer-dark overview
shoot data/screenshots/sync-running.png default running
shoot data/screenshots/sync-running-dark.png prefer-dark running
shoot data/screenshots/results.png default results
shoot data/screenshots/results-dark.png prefer-dark results
