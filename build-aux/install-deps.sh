#!/bin/sh
# Installs the Debian 12 packages needed to build, run and test Contact Sync.
# Installs only what is missing: when everything is there it returns at once
# and needs no network, so the README's commands can call it on every run.
set -eu

PACKAGES="
  meson ninja-build pkg-config gcc
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsecret-1-dev libsqlite3-dev libportal-gtk4-dev libepoxy-dev gettext
  desktop-file-utils appstream
  xvfb xauth x11-utils imagemagick
  dbus dbus-daemon gnome-keyring
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0
  flatpak-builder
"

# One dpkg-query for all packages; unknown ones are simply not listed
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $PACKAGES 2>/dev/null || true)
missing=""
for package in $PACKAGES; do
  if ! printf '%s\n' "$installed" | grep -qx "$package installed"; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "Installing missing packages:$missing"

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "These packages are missing and neither root nor sudo is available:$missing" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null
# shellcheck disable=SC2086 # word splitting of the package list is wanted
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing </dev/null
