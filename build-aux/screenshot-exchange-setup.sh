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
BUILD_DIR=${BUILD_DIR:-_build}
MODE=${1:-1}

if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson setup "$BUILD_DIR"
fi
ninja -C "$BUILD_DIR" tests/test-exchange-sync-setup data/gschemas.compiled

mkdir -p data/screenshots

# shoot OUTPUT COLOR_SCHEME
shoot () {
  home=$(mktemp -d "${TMPDIR:-/tmp}/bcs-home.XXXXXX")
  mkdir -m 700 "$home/runtime"
  mkdir -p "$home/.config/gtk-4.0"
  printf "[Settings]\ngtk-decoration-layout=appmenu:close\n" >"$home/.config/gtk-4.0/settings.ini"
  status=0
  env -u DBUS_SESSION_BUS_ADDRESS -u WAYLAND_DISPLAY \
    HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    XDG_STATE_HOME="$home/.local/state" XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/runtime" \
    GSETTINGS_SCHEMA_DIR="$PWD/$BUILD_DIR/data" GSETTINGS_BACKEND=memory \
    GTK_A11Y=none GDK_BACKEND=x11 GIO_USE_PROXY_RESOLVER=dummy LC_ALL=C.UTF-8 LANGUAGE= \
    ADW_DEBUG_COLOR_SCHEME="$2" BCS_SCREENSHOT="$MODE" \
    xvfb-run -a -s '-screen 0 1400x1300x24' dbus-run-session -- sh -c '
      echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
      out=$1; exe=$2; log=$3
      "$exe" >"$log" 2>&1 &
      pid=$!
      tries=0
      # the test prints "ready" once signed in and validated
      while ! grep -q "^ready" "$log" && [ "$tries" -lt 150 ]; do
        sleep 0.2
        tries=$((tries + 1))
      done
      id=$(xwininfo -root -tree | awk "/\"Exchange Sync. Setup\"/ && / [0-9]+x[0-9]+\\+/ { print \$1; exit }")
      if [ -z "$id" ] || ! grep -q "^ready" "$log"; then
        echo "screenshot-exchange-setup.sh: the window did not get ready" >&2
        cat "$log" >&2
        kill "$pid"
        exit 1
      fi
      # let it draw: on a busy machine a window can still be black after it was mapped
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
    ' sh "$1" "$PWD/$BUILD_DIR/tests/test-exchange-sync-setup" "$home/log" </dev/null || status=$?
  rm -rf "$home"
  [ "$status" -eq 0 ] || exit "$status"
  echo "wrote $1 ($2)"
}

if [ "$MODE" = code ]; then
  shoot "${TMPDIR:-/tmp}/exchange-sync-setup-code.png" default
  exit 0
fi
shoot data/screenshots/exchange-sync-setup.png default
shoot data/screenshots/exchange-sync-setup-dark.png prefer-dark
