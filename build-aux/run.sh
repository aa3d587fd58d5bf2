#!/bin/sh
# The README's run command: installs what is missing, builds in _build and
# runs Contact Sync from the build folder against a local bcs-sandbox (a fake
# Microsoft 365 and Business Central seeded with demo contacts), so it can be
# tried without a tenant. You sign in as with the real services: Exchange
# Sync. Setup opens the sandbox's sign-in page in the browser (or shows a
# device code). The demo uses a profile of its own, "sandbox" (its settings,
# its keyring items, its store), so a real setup is never touched; the
# sandbox keeps its contacts and sign-ins in $BUILD_DIR/sandbox-state.json
# between runs (delete it to start afresh). Arguments are passed to the
# application, e.g.
#   build-aux/run.sh --validate
# BCS_NO_SANDBOX=1 runs it against Microsoft's real services instead.
set -eu

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-_build}

build-aux/install-deps.sh

if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson setup "$BUILD_DIR"
fi
ninja -C "$BUILD_DIR" src/bc-contact-sync data/gschemas.compiled

# The uninstalled application reads its GSettings schemas from the build
export GSETTINGS_SCHEMA_DIR="$PWD/$BUILD_DIR/data"

SANDBOX="$BUILD_DIR/tests/sandbox/bcs-sandbox"
if [ "${BCS_NO_SANDBOX:-}" = 1 ]; then
  exec "$BUILD_DIR/src/bc-contact-sync" "$@"
fi
if ! ninja -C "$BUILD_DIR" tests/sandbox/bcs-sandbox >/dev/null 2>&1 || [ ! -x "$SANDBOX" ]; then
  echo "run.sh: bcs-sandbox could not be built; running against Microsoft's services." >&2
  exec "$BUILD_DIR/src/bc-contact-sync" "$@"
fi

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bcs-run.XXXXXX")
SANDBOX_PID=""

cleanup () {
  if [ -n "$SANDBOX_PID" ]; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$SANDBOX" --port 0 --bc-contacts 300 --outlook-contacts 40 --seed 1 \
  --state "$BUILD_DIR/sandbox-state.json" \
  >"$RUN_DIR/sandbox.out" 2>"$RUN_DIR/sandbox.err" </dev/null &
SANDBOX_PID=$!

# Its first line says where it listens: "bcs-sandbox listening on http://127.0.0.1:PORT"
URL=""
tries=0
while [ -z "$URL" ]; do
  if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
    echo "run.sh: bcs-sandbox stopped before it listened:" >&2
    cat "$RUN_DIR/sandbox.err" >&2
    SANDBOX_PID=""
    exit 1
  fi
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ]; then
    echo "run.sh: bcs-sandbox did not say where it listens within 10 s" >&2
    exit 1
  fi
  sleep 0.1
  if [ "$(wc -l <"$RUN_DIR/sandbox.out")" -ge 1 ]; then
    URL=$(head -n 1 "$RUN_DIR/sandbox.out" | sed -n 's|^bcs-sandbox listening on \(http://[^ ]*\)$|\1|p')
    if [ -z "$URL" ]; then
      echo "run.sh: unexpected first line from bcs-sandbox: $(head -n 1 "$RUN_DIR/sandbox.out")" >&2
      exit 1
    fi
  fi
done

echo "run.sh: bcs-sandbox listening on $URL"

# The demo's own profile, unless one is given
PROFILE_NAME=sandbox
for arg in "$@"; do
  case "$arg" in
    --profile|--profile=*) PROFILE_NAME="" ;;
  esac
done

status=0
if [ -n "$PROFILE_NAME" ]; then
  "$BUILD_DIR/src/bc-contact-sync" --sandbox "$URL" --profile "$PROFILE_NAME" "$@" || status=$?
else
  "$BUILD_DIR/src/bc-contact-sync" --sandbox "$URL" "$@" || status=$?
fi
exit $status
