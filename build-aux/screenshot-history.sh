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
BUILD_DIR=${BUILD_DIR:-_build}

if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson setup "$BUILD_DIR"
fi
ninja -C "$BUILD_DIR" tests/test-history-view data/gschemas.compiled

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
      out=$1; exe=$2; ready=$3; page=$4
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
        echo "screenshot-history.sh: the window did not appear" >&2
        kill "$pid"
        exit 1
      fi
      tries=0
      while [ ! -e "$ready" ] && [ "$tries" -lt 300 ]; do
        sleep 0.2
        tries=$((tries + 1))
      done
      if [ ! -e "$ready" ]; then
        echo "screenshot-history.sh: the page did not get ready" >&2
        kill "$pid"
        exit 1
      fi
      # let it draw the page
      sleep 2
      import -window "$id" "$out"
      if [ "$page" = details ]; then
        # the dialog: the other mapped top-level of a dialog-like size
        dialog=$(xwininfo -root -children | awk -v main="$id" \
          "\$1 ~ /^0x/ && \$1 != main && / [0-9]+x[0-9]+\\+/ { print \$1 }" | while read -r w; do
            if xwininfo -id "$w" | grep -q "Map State: IsViewable"; then
              size=$(xwininfo -id "$w" | awk "/Width:/ { w = \$2 } /Height:/ { h = \$2 } END { print w * h }")
              echo "$size $w"
            fi
          done | sort -n | awk "\$1 > 10000 { print \$2 }" | head -n 1)
        if [ -z "$dialog" ]; then
          echo "screenshot-history.sh: the dialog did not appear" >&2
          kill "$pid"
          exit 1
        fi
        import -window "$dialog" "$out.dialog.png"
        convert "$out" -fill black -colorize 35% "$out.dialog.png" -gravity center -composite "$out"
        rm -f "$out.dialog.png"
      fi
      kill "$pid"
      wait "$pid" 2>/dev/null || true
    ' sh "$1" "$PWD/$BUILD_DIR/tests/test-history-view" "$ready" "$3"
  rm -f "$ready"
  echo "wrote $1 ($2)"
}

shoot data/screenshots/history.png default history
shoot data/screenshots/history-dark.png prefer-dark history
shoot data/screenshots/details.png default details
shoot data/screenshots/details-dark.png prefer-dark details
