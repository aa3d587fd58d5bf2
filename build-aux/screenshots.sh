#!/bin/sh
# Takes data/screenshots/main-window.png and main-window-dark.png: the
# application's window under Xvfb, in the light and the dark style
# (ADW_DEBUG_COLOR_SCHEME, which libadwaita 1.2 reads), with fresh settings
# (default size) and English text. Look at the files before committing them.
set -eu

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-_build}

build-aux/install-deps.sh
if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson setup "$BUILD_DIR"
fi
ninja -C "$BUILD_DIR" src/bc-contact-sync data/gschemas.compiled

mkdir -p data/screenshots

# shoot OUTPUT COLOR_SCHEME: runs inside Xvfb (build-aux/run-headless.sh)
shoot () {
  GSETTINGS_SCHEMA_DIR="$PWD/$BUILD_DIR/data" GSETTINGS_BACKEND=memory \
  GTK_A11Y=none GDK_BACKEND=x11 LC_ALL=C.UTF-8 LANGUAGE= \
  ADW_DEBUG_COLOR_SCHEME="$2" \
    build-aux/run-headless.sh sh -c '
      out=$1; app=$2
      # GNOME'"'"'s default title bar buttons (no settings daemon runs here)
      mkdir -p "$XDG_CONFIG_HOME/gtk-4.0"
      printf "[Settings]\ngtk-decoration-layout=appmenu:close\n" >"$XDG_CONFIG_HOME/gtk-4.0/settings.ini"
      "$app" &
      pid=$!
      id=""
      tries=0
      while [ -z "$id" ] && [ "$tries" -lt 100 ]; do
        sleep 0.2
        tries=$((tries + 1))
        id=$(xwininfo -root -tree | awk "/\"Contact Sync\"/ && / [0-9]+x[0-9]+\\+/ { print \$1; exit }")
      done
      if [ -z "$id" ]; then
        echo "screenshots.sh: the window did not appear" >&2
        kill "$pid"
        exit 1
      fi
      sleep 2   # let it draw its first frames
      import -window "$id" "$out"
      kill "$pid"
      wait "$pid" 2>/dev/null || true
    ' sh "$1" "$PWD/$BUILD_DIR/src/bc-contact-sync"
  echo "wrote $1 ($2)"
}

shoot data/screenshots/main-window.png default
shoot data/screenshots/main-window-dark.png prefer-dark
