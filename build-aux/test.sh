#!/bin/sh
# The README's test command: installs what is missing, builds in _build and
# runs every test suite headless (Xvfb, a private D-Bus session, an unlocked
# gnome-keyring in a fresh HOME), as ../shared/TESTING.md describes.
# Arguments are passed to `meson test`, e.g. `build-aux/test.sh --suite unit`.
set -eu

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-_build}

build-aux/install-deps.sh

if [ -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson configure "$BUILD_DIR" -Dwerror=true
else
  meson setup "$BUILD_DIR" -Dwerror=true
fi
ninja -C "$BUILD_DIR"

exec build-aux/run-headless.sh meson test -C "$BUILD_DIR" --print-errorlogs "$@"
