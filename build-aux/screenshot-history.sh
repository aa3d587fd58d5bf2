#!/bin/sh
# Takes data/screenshots/history.png and details.png (and their -dark
# variants): the run history of a profile with a week of runs, and the
# details dialog of a contact's update with each field before and after,
# over the results of that run — under Xvfb in the light and the dark
# style. The window is shown by the GUI test in its screenshot mode
# (BCS_SCREENSHOT_PAGE), with fresh in-memory settings and English text.
# Without a window manager a dialog is not placed over its window: the
# dialog is shot on its own and laid over the dimmed window.
# Look at the files before committing them.
#   BUILD_DIR=build build-aux/screenshot-history.sh
set -eu

cd "$(dirname "$0")/.."
. build-aux/screenshot-common.sh

shot_build tests/test-history-view

# shoot OUTPUT COLOR_SCHEME PAGE [VAR=VALUE…]
shoot () {
  out=$1
  scheme=$2
  page=$3
  shift 3
  shot_window "$out" "$scheme" "$PWD/$BUILD_DIR/tests/test-history-view" "Contact Sync" file \
    BCS_SCREENSHOT_PAGE="$page" "$@"
}

shoot data/screenshots/history.png default history
shoot data/screenshots/history-dark.png prefer-dark history
shoot data/screenshots/details.png default details BCS_SHOT_DIALOG=1
shoot data/screenshots/details-dark.png prefer-dark details BCS_SHOT_DIALOG=1
