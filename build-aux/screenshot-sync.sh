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
BUILD_DIR=${BUILD_DIR:-_build}

if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson setup "$BUILD_DIR"
fi
ninja -C "$BUILD_DIR" tests/test-window-sync data/gschemas.compiled

mkdir -p data/screenshots

# shoot OUTPUT COLOR_SCHEME PAGE: runs inside Xvfb (build-aux/run-headless.sh);
# the test writes BCS_SCREENSHOT_READY once the page shows what it should
shoot () {
  ready=$(mktemp -u "${TMPDIR:-/tmp}/bcs-shot-ready.XXXXXX")
  GSETTINGS_SCHEMA_DIR="$PWD/$BUILD_DIR/data" GSETTINGS_BACKEND=memory \
  GTK_A11Y=none GDK_BACKEND=x11 LC_ALL=C.UTF-8 LANGUAGE= \
  ADW_DEBUG_COLOR_SCHEME="$2" BCS_SCREENSHOT_PAGE="$3" \
  BCS_SCREENSHOT_READY="$ready" \
    build-aux/run-headless.sh sh -c '
      out=$1; exe=$2; ready=$3
      mkdir -p "$XDG_CONFIG_HOME/gtk-4.0"
      printf "[Settings]\ngtk-decoration-layout=appmenu:close\n" >"$XDG_CONFIG_HOME/gtk-4.0/settings.ini"
      "$exe" >/dev/null 2>&1 &
      pid=$!
      id=""
      tries=0
      while [ -z "$id" ] && [ "$tries" -lt 100 ]; do
        sleep 0.2
        tries=$((tries + 1))
        id=$(xwininfo -root -tree | awk "/\"Contact Sync\"/ && / [0-9]+x[0-9]+\\+/ { print \$1; exit }")
      done
      if [ -z "$id" ]; then
        echo "screenshot-sync.sh: the window did not appear" >&2
        kill "$pid"
        exit 1
      fi
      tries=0
      while [ ! -e "$ready" ] && [ "$tries" -lt 300 ]; do
        sleep 0.2
        tries=$((tries + 1))
      done
      if [ ! -e "$ready" ]; then
        echo "screenshot-sync.sh: the page did not get ready" >&2
        kill "$pid"
        exit 1
      fi
      # let it draw the page
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
    ' sh "$1" "$PWD/$BUILD_DIR/tests/test-window-sync" "$ready"
  rm -f "$ready"
  echo "wrote $1 ($2)"
}

shoot data/screenshots/sync-overview.png default overview
shoot data/screenshots/sync-overview-dark.png prefer-dark overview
shoot data/screenshots/sync-running.png default running
shoot data/screenshots/sync-running-dark.png prefer-dark running
shoot data/screenshots/results.png default results
shoot data/screenshots/results-dark.png prefer-dark results
