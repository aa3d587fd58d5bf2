# shellcheck shell=sh
# screenshot-common.sh — the steps the screenshot scripts share; sourced
# (". build-aux/screenshot-common.sh") from the top of the repository by
# build-aux/screenshots.sh and build-aux/screenshot-*.sh, and again inside
# Xvfb by shot_window itself.
#
#   shot_build TARGET…
#       sets up $BUILD_DIR (default _build) when it is not yet, builds TARGETs
#       and the settings schemas, and makes data/screenshots/
#   shot_window OUTPUT COLOR_SCHEME EXE TITLE READY [VAR=VALUE…]
#       runs EXE (with the VARs in its environment) under Xvfb with a fresh
#       HOME, D-Bus session and unlocked keyring (build-aux/run-headless.sh;
#       BCS_HEADLESS_SCREEN sets the screen), fresh in-memory settings,
#       English text, the libadwaita style COLOR_SCHEME (default or
#       prefer-dark) and GNOME's title bar buttons; waits for its top-level
#       window titled TITLE and, by READY, for what it shows:
#         none   the window itself
#         file   the file the test writes once the page shows what it should
#                (its path is given to EXE as BCS_SCREENSHOT_READY)
#         line   a line "ready" in EXE's output
#       then shoots the window into OUTPUT, again while it is still black.
#       With BCS_SHOT_DIALOG=1 among the VARs, the dialog EXE shows is shot
#       too and laid over the dimmed window: without a window manager a
#       dialog is not placed over its window.
#       EXE's output is shown when something fails; a failure ends the script.

BUILD_DIR=${BUILD_DIR:-_build}
shot_name=$(basename "$0")

shot_build () {
  if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
    meson setup "$BUILD_DIR"
  fi
  ninja -C "$BUILD_DIR" "$@" data/gschemas.compiled
  mkdir -p data/screenshots
}

shot_window () {
  shot_out=$1
  shot_scheme=$2
  shot_exe=$3
  shot_title=$4
  shot_ready=$5
  shift 5
  shot_ready_file=""
  if [ "$shot_ready" = file ]; then
    shot_ready_file=$(mktemp -u "${TMPDIR:-/tmp}/bcs-shot-ready.XXXXXX")
    set -- "$@" BCS_SCREENSHOT_READY="$shot_ready_file"
  fi
  shot_status=0
  GSETTINGS_SCHEMA_DIR="$PWD/$BUILD_DIR/data" GSETTINGS_BACKEND=memory \
  GTK_A11Y=none GDK_BACKEND=x11 GIO_USE_PROXY_RESOLVER=dummy LC_ALL=C.UTF-8 LANGUAGE='' \
  ADW_DEBUG_COLOR_SCHEME="$shot_scheme" \
    build-aux/run-headless.sh env "$@" sh -c '. build-aux/screenshot-common.sh && shot_inside "$@"' \
      "$shot_name" "$shot_out" "$shot_exe" "$shot_title" "$shot_ready" "$shot_ready_file" \
    || shot_status=$?
  if [ -n "$shot_ready_file" ]; then
    rm -f "$shot_ready_file"
  fi
  if [ "$shot_status" -ne 0 ]; then
    exit "$shot_status"
  fi
  echo "wrote $shot_out ($shot_scheme)"
}

# ---- inside Xvfb (build-aux/run-headless.sh) ----

# shot_inside OUTPUT EXE TITLE READY READY_FILE
shot_inside () {
  shot_out=$1
  shot_exe=$2
  shot_title=$3
  shot_ready=$4
  shot_ready_file=$5
  shot_log="$HOME/shot.log"
  shot_pid=""

  # GNOME's default title bar buttons (no settings daemon runs here)
  mkdir -p "$XDG_CONFIG_HOME/gtk-4.0"
  printf "[Settings]\ngtk-decoration-layout=appmenu:close\n" >"$XDG_CONFIG_HOME/gtk-4.0/settings.ini"

  "$shot_exe" >"$shot_log" 2>&1 &
  shot_pid=$!
  shot_poll shot_find_window || shot_fail "the window did not appear"
  case $shot_ready in
    file) shot_poll test -e "$shot_ready_file" || shot_fail "the page did not get ready" ;;
    line) shot_poll grep -q "^ready" "$shot_log" || shot_fail "the window did not get ready" ;;
  esac
  # let it draw: on a busy machine a window can still be black seconds
  # after it was mapped
  sleep 2
  shot_import "$shot_id" "$shot_out"
  if [ "${BCS_SHOT_DIALOG:-}" = 1 ]; then
    shot_dialog
  fi
  kill "$shot_pid"
  wait "$shot_pid" 2>/dev/null || true
}

# shot_poll COMMAND…: runs COMMAND every 0.2 s until it succeeds, for a minute at most
shot_poll () {
  shot_tries=0
  until "$@"; do
    if [ "$shot_tries" -ge 300 ]; then
      return 1
    fi
    sleep 0.2
    shot_tries=$((shot_tries + 1))
  done
}

# sets shot_id to the mapped top-level window titled $shot_title
shot_find_window () {
  shot_id=$(xwininfo -root -tree | awk -v title="\"$shot_title\"" \
    'index($0, title) && / [0-9]+x[0-9]+\+/ { print $1; exit }')
  [ -n "$shot_id" ]
}

shot_fail () {
  echo "$shot_name: $1" >&2
  cat "$shot_log" >&2
  kill "$shot_pid" 2>/dev/null || true
  exit 1
}

# shot_import WINDOW OUTPUT, again while the window is still black
shot_import () {
  import -window "$1" "$2"
  shot_tries=0
  while [ "$(convert "$2" -format "%[fx:mean<0.02]" info:)" = 1 ] && [ "$shot_tries" -lt 20 ]; do
    sleep 1
    shot_tries=$((shot_tries + 1))
    import -window "$1" "$2"
  done
}

# the dialog: the other mapped top-level of a dialog-like size, laid over
# the dimmed window in $shot_out
shot_dialog () {
  shot_dialog_id=$(xwininfo -root -children | awk -v main="$shot_id" \
    '$1 ~ /^0x/ && $1 != main && / [0-9]+x[0-9]+\+/ { print $1 }' | while read -r w; do
      if xwininfo -id "$w" | grep -q "Map State: IsViewable"; then
        size=$(xwininfo -id "$w" | awk '/Width:/ { w = $2 } /Height:/ { h = $2 } END { print w * h }')
        echo "$size $w"
      fi
    done | sort -n | awk '$1 > 10000 { print $2 }' | head -n 1)
  if [ -z "$shot_dialog_id" ]; then
    shot_fail "the dialog did not appear"
  fi
  shot_import "$shot_dialog_id" "$shot_out.dialog.png"
  convert "$shot_out" -fill black -colorize 35% "$shot_out.dialog.png" -gravity center -composite "$shot_out"
  rm -f "$shot_out.dialog.png"
}
