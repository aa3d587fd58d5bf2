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
BUILD_DIR=${BUILD_DIR:-_build}
PAGE=${1:-filters}

if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson setup "$BUILD_DIR"
fi
ninja -C "$BUILD_DIR" tests/test-contact-sync-setup data/gschemas.compiled

mkdir -p data/screenshots

# shoot OUTPUT COLOR_SCHEME: runs inside Xvfb (build-aux/run-headless.sh)
shoot () {
  GSETTINGS_SCHEMA_DIR="$PWD/$BUILD_DIR/data" GSETTINGS_BACKEND=memory \
  GTK_A11Y=none GDK_BACKEND=x11 LC_ALL=C.UTF-8 LANGUAGE= \
  ADW_DEBUG_COLOR_SCHEME="$2" BCS_SCREENSHOT_PAGE="$PAGE" \
    build-aux/run-headless.sh sh -c '
      out=$1; exe=$2
      mkdir -p "$XDG_CONFIG_HOME/gtk-4.0"
      printf "[Settings]\ngtk-decoration-layout=appmenu:close\n" >"$XDG_CONFIG_HOME/gtk-4.0/settings.ini"
      "$exe" &
      pid=$!
      id=""
      tries=0
      while [ -z "$id" ] && [ "$tries" -lt 100 ]; do
        sleep 0.2
        tries=$((tries + 1))
        id=$(xwininfo -root -tree | awk "/\"Contact Sync. Setup\"/ && / [0-9]+x[0-9]+\\+/ { print \$1; exit }")
      done
      if [ -z "$id" ]; then
        echo "screenshot-preferences.sh: the window did not appear" >&2
        kill "$pid"
        exit 1
      fi
      # let it draw its first frames: on a busy machine a window can still be
      # black seconds after it was mapped
      sleep 2
      import -window "$id" "$out"
      tries=0
      while [ "$(convert "$out" -format "%[fx:mean<0.02]" info:)" = 1 ] && [ "$tries" -lt 20 ]; do
        sleep 1
        tries=$((tries + 1))
        import -window "$id" "$out"
      done
      kill "$pid"
      wait "$pid" 2>/dev/null || true
    ' sh "$1" "$PWD/$BUILD_DIR/tests/test-contact-sync-setup"
  echo "wrote $1 ($2)"
}

shoot data/screenshots/contact-sync-setup.png default
shoot data/screenshots/contact-sync-setup-dark.png prefer-dark
