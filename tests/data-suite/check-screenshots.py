#!/usr/bin/env python3
"""Every screenshot the metainfo and README.md show is a file in data/screenshots/,
with a dark twin, so the store listing and the README never point at nothing.

Usage: check-screenshots.py SOURCE_ROOT; prints TAP."""
import os
import re
import sys
import xml.etree.ElementTree as ElementTree

PREFIX = "https://raw.githubusercontent.com/bccontactsync/ContactSync/main/"


def main():
    root = sys.argv[1]
    metainfo = os.path.join(root, "data", "io.github.bccontactsync.ContactSync.metainfo.xml.in")
    images = [image.text.strip() for image in ElementTree.parse(metainfo).getroot().iter("image")]
    with open(os.path.join(root, "README.md"), encoding="utf-8") as readme:
        shown = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme.read())

    checks = []
    checks.append((len(images) > 0, "the metainfo has screenshots"))
    for url in images:
        path = url[len(PREFIX):] if url.startswith(PREFIX) else None
        checks.append((path is not None, "%s is under %s" % (url, PREFIX)))
        if path is not None:
            checks.append((os.path.isfile(os.path.join(root, path)), "%s exists" % path))
    checks.append((len(shown) > 0, "README.md shows screenshots"))
    for path in shown:
        checks.append((os.path.isfile(os.path.join(root, path)), "README.md's %s exists" % path))
    for path in set(shown) | {url[len(PREFIX):] for url in images if url.startswith(PREFIX)}:
        dark = path[:-len(".png")] + "-dark.png"
        checks.append((os.path.isfile(os.path.join(root, dark)), "%s has a dark twin" % path))

    print("1..%d" % len(checks))
    failed = 0
    for number, (passed, description) in enumerate(checks, 1):
        print("%s %d - %s" % ("ok" if passed else "not ok", number, description))
        failed += not passed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
