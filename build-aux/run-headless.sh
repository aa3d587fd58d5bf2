#!/bin/sh
# Runs a command as the tests need it: a fresh HOME and XDG directories, a
# virtual X server, a private D-Bus session bus and an unlocked gnome-keyring
# holding the Secret Service. The temporary HOME is removed afterwards.
#   [BCS_HEADLESS_SCREEN=1280x800x24] build-aux/run-headless.sh COMMAND [ARGS…]
set -eu

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS…]" >&2
  exit 2
fi

TEST_HOME=$(mktemp -d "${TMPDIR:-/tmp}/bcs-home.XXXXXX")
trap 'rm -rf "$TEST_HOME"' EXIT INT TERM
mkdir -m 700 "$TEST_HOME/runtime"

export HOME="$TEST_HOME"
export XDG_CONFIG_HOME="$TEST_HOME/.config"
export XDG_DATA_HOME="$TEST_HOME/.local/share"
export XDG_STATE_HOME="$TEST_HOME/.local/state"
export XDG_CACHE_HOME="$TEST_HOME/.cache"
export XDG_RUNTIME_DIR="$TEST_HOME/runtime"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL WAYLAND_DISPLAY

status=0
xvfb-run -a -s "-screen 0 ${BCS_HEADLESS_SCREEN:-1280x800x24}" dbus-run-session -- sh -c \
  'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
  sh "$@" </dev/null || status=$?
exit $status
