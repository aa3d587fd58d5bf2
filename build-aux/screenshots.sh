#!/bin/sh
# Takes data/screenshots/main-window.png and main-window-dark.png: the
# application's window under Xvfb, in the light and the dark style
# (ADW_DEBUG_COLOR_SCHEME, which libadwaita 1.2 reads), with fresh settings
# (default size) and English text. Look at the files before committing them.
set -eu

cd "$(dirname "$0")/.."
. build-aux/screenshot-common.sh

build-aux/install-deps.sh
shot_build src/bc-contact-sync

# shoot OUTPUT COLOR_SCHEME
shoot () {
  shot_window "$1" "$2" "$PWD/$BUILD_DIR/src/bc-contact-sync" "Contact Sync" none
}

shoot data/screenshots/main-window.png default
shoot data/screenshots/main-window-dark.png prefer-dark
