#!/usr/bin/python3
"""test-atspi-sync.py — clicks Sync on the real window through AT-SPI and reads the results

Starts bcs-sandbox (--auto-approve), signs in with the CLI
(bc-contact-sync --sandbox URL --profile P --sign-in: the device code is
approved at once, the tokens go to the keyring of this D-Bus session), starts
the real application on that profile with the accessibility bridge on, finds
its window through AT-SPI, presses Sync (doAction), waits for the results
table, reads its rows (name, e-mail, direction, action, outcome, reason) and
checks them against the sandbox's state (GET /_sandbox/state): every contact
created in the Outlook folder is reported as created there, every Business
Central person with a name and an e-mail is reported, and nothing else. Then
it quits the application.

Needs a display, a D-Bus session and an unlocked keyring: run it under
build-aux/run-headless.sh (meson does). Prints TAP.

  test-atspi-sync.py APP SANDBOX [--contacts N]
"""
import argparse
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

children = []
tap_count = 0


def log(message):
    print("# " + message.replace("\n", "\n# "), flush=True)


def ok(condition, description):
    global tap_count
    tap_count += 1
    print(("ok" if condition else "not ok") + " %d - %s" % (tap_count, description), flush=True)
    if not condition:
        raise SystemExit(1)


class Failure(Exception):
    pass


def wait_for(what, timeout, func, interval=0.2):
    """Calls FUNC until it returns something true; fails naming WHAT after TIMEOUT s"""
    end = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < end:
        try:
            value = func()
            if value:
                return value
        except Exception as error:  # AT-SPI objects vanish while the tree changes
            last_error = error
        time.sleep(interval)
    raise Failure("timed out after %.0f s waiting for %s%s" % (
        timeout, what, " (last error: %s)" % last_error if last_error else ""))


def start(args, env, **kwargs):
    process = subprocess.Popen(args, env=env, start_new_session=True, **kwargs)
    children.append(process)
    return process


def stop_children():
    for process in reversed(children):
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for process in reversed(children):
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


def start_sandbox(sandbox, contacts, env):
    process = start([sandbox, "--port", "0", "--bc-contacts", str(contacts), "--auto-approve"], env,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ready, _, _ = select.select([process.stdout], [], [], 30)
    if not ready:
        raise Failure("bcs-sandbox printed no first line within 30 s")
    line = process.stdout.readline().decode().strip()
    prefix = "bcs-sandbox listening on "
    if not line.startswith(prefix):
        raise Failure("bcs-sandbox's first line is “%s”" % line)
    return process, line[len(prefix):]


def get_state(url):
    with urllib.request.urlopen(url + "/_sandbox/state", timeout=30) as reply:
        return json.load(reply)


# ---- the accessible tree ----

def children_of(node):
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield child


def walk(node, depth=0, max_depth=60):
    yield node
    if depth < max_depth:
        for child in children_of(node):
            yield from walk(child, depth + 1, max_depth)


def role(node):
    return node.get_role_name()


def name(node):
    return node.get_name() or ""


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for app in children_of(desktop):
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def is_showing(node):
    states = node.get_state_set()
    return states.contains(Atspi.StateType.SHOWING) or states.contains(Atspi.StateType.VISIBLE)


def find_button(app, wanted, unwanted=()):
    """A push button whose name holds WANTED (GTK 4.8 may name it “_Sync Sync”)"""
    for node in walk(app):
        if role(node) in ("push button", "button") and wanted in name(node) \
                and not any(word in name(node) for word in unwanted) \
                and node.get_state_set().contains(Atspi.StateType.SENSITIVE) and is_showing(node):
            return node
    return None


def find_results_table(app):
    for node in walk(app):
        if role(node) in ("table", "tree table") and "Contact results" in name(node) \
                and node.get_state_set().contains(Atspi.StateType.VISIBLE):
            return node
    return None


HEADER = ["Name", "E-mail", "Direction", "Action", "Outcome", "Reason"]


def read_rows(table):
    """The rows of the column view: lists of the texts of their cells' labels
    (the header row, the column titles, left out)"""
    rows = []
    for node in walk(table):
        if role(node) in ("table row", "row", "list item"):
            cells = [name(label) for label in walk(node) if role(label) == "label"]
            if len(cells) == 6 and cells != HEADER:
                rows.append(cells)
    return rows


def read_settled_rows(table, quiet=1.0):
    """The rows once a read QUIET s later finds the same ones; None while they change"""
    rows = read_rows(table)
    time.sleep(quiet)
    return rows if rows and read_rows(table) == rows else None


def describe_tree(app, limit=120):
    lines = []
    for node in walk(app, max_depth=25):
        lines.append("%s “%s”" % (role(node), name(node)[:60]))
        if len(lines) >= limit:
            break
    return "\n".join(lines)


# ---- the test ----

def plain(text):
    """Names as compared: the sync trims and collapses white space"""
    return " ".join((text or "").split())


def eligible_names(state):
    """Business Central persons with a name and an e-mail, not privacy blocked"""
    company = state["bc"]["companies"][0]
    return sorted(plain(contact["displayName"]) for contact in company["contacts"]
                  if contact.get("type") == "Person" and contact.get("displayName")
                  and contact.get("email") and not contact.get("privacyBlocked"))


def outlook_folder(state, folder_name):
    for folder in state["outlook"]["folders"]:
        if folder.get("displayName") == folder_name:
            return folder
    return None


def run(options):
    env = dict(os.environ)
    # the sign-in (CLI) and the window are two processes: their settings
    # must persist between them
    env["GSETTINGS_BACKEND"] = "keyfile"
    env.pop("GTK_A11Y", None)
    env.pop("NO_AT_BRIDGE", None)
    env.setdefault("GIO_USE_PROXY_RESOLVER", "dummy")
    for var in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        if not env.get(var):
            raise Failure("%s is not set: run this under build-aux/run-headless.sh" % var)

    profile = "atspi"
    log_file = tempfile.NamedTemporaryFile(prefix="bcs-atspi-", suffix=".log", delete=False)
    log("the application's output: " + log_file.name)

    sandbox, url = start_sandbox(options.sandbox, options.contacts, env)
    ok(True, "bcs-sandbox listens on " + url)

    sign_in = subprocess.run([options.app, "--sandbox", url, "--profile", profile, "--sign-in"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    if sign_in.returncode != 0:
        log(sign_in.stdout.decode(errors="replace"))
    ok(sign_in.returncode == 0, "signed in with bc-contact-sync --sign-in")

    app_process = start([options.app, "--sandbox", url, "--profile", profile], env,
                        stdout=log_file, stderr=subprocess.STDOUT)
    app = wait_for("the application on the accessibility bus", 60, lambda: find_app(app_process.pid))
    ok(True, "found the application through AT-SPI")

    try:
        sync = wait_for("an enabled Sync button", 60,
                        lambda: find_button(app, "Sync", unwanted=("Full", "Setup", "Exchange", "Contact")))
    except Failure:
        log(describe_tree(app))
        raise
    ok(True, "found the Sync button (“%s”)" % name(sync))

    # every button a screen reader reaches says what it does
    unnamed = [role(node) for node in walk(app)
               if role(node) in ("push button", "toggle button") and is_showing(node)
               and re.fullmatch(r"\s*|(Gtk|Adw)\w+", name(node))]
    if unnamed:
        log(describe_tree(app))
    ok(not unnamed, "every showing button has a name (%d without)" % len(unnamed))

    ok(sync.do_action(0), "pressed Sync")

    try:
        table = wait_for("the results table", 180, lambda: find_results_table(app), interval=0.5)
    except Failure:
        log(describe_tree(app))
        raise
    # the table shows its rows a few per frame: read them once they stop coming
    rows = wait_for("the results table's rows to settle", 60, lambda: read_settled_rows(table))
    ok(len(rows) > 0, "the results table shows %d rows" % len(rows))

    state = get_state(url)
    folder = outlook_folder(state, "Business Central")
    ok(folder is not None, "the sandbox has the folder “Business Central”")
    in_outlook = sorted(plain(contact.get("displayName")) for contact in folder["contacts"])
    created = sorted(plain(row[0]) for row in rows
                     if row[2] == "To Outlook" and row[3] == "Create" and row[4] == "Done")
    eligible = eligible_names(state)
    reported = sorted(plain(row[0]) for row in rows)

    ok(len(in_outlook) > 0, "the sync created %d contacts in Outlook" % len(in_outlook))
    if created != in_outlook:
        log("reported as created: %s\nin Outlook: %s" % (created, in_outlook))
    ok(created == in_outlook, "every contact created in Outlook is reported as created, and only those")
    ok(not [row for row in rows if row[4] == "Failed"], "no row failed")
    missing = [person for person in eligible if person not in reported]
    if missing:
        log("not reported: %s" % missing)
    ok(not missing, "every person with a name and an e-mail (%d) is reported" % len(eligible))
    skipped = [row for row in rows if row[4] == "Skipped"]
    ok(all(row[5] for row in skipped), "every skipped row (%d) says why" % len(skipped))
    ok(all(row[1] for row in rows if row[3] == "Create"), "every created row shows its e-mail")

    # quit: the window's close (the application ends with its last window)
    app_process.send_signal(signal.SIGTERM)
    try:
        app_process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        raise Failure("the application did not quit within 20 s")
    ok(True, "the application quit")
    sandbox.terminate()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("sandbox")
    parser.add_argument("--contacts", type=int, default=150,
                        help="Business Central contacts (at most ~190: GTK 4.8 realizes 200 rows)")
    options = parser.parse_args()

    print("1..14", flush=True)
    status = 0
    try:
        run(options)
    except SystemExit as exit_status:
        status = exit_status.code or 1
    except Failure as failure:
        print("not ok %d - %s" % (tap_count + 1, failure), flush=True)
        status = 1
    except Exception as error:  # a crash of the test itself is a failure too
        print("not ok %d - %s: %s" % (tap_count + 1, type(error).__name__, error), flush=True)
        status = 1
    finally:
        stop_children()
    return status


if __name__ == "__main__":
    sys.exit(main())
