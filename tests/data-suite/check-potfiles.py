#!/usr/bin/env python3
# check-potfiles.py SOURCE_ROOT — every file under src/ with translatable strings
# must be listed in po/POTFILES.in, and every entry listed there must exist.
# Prints one line per problem and exits 1 if there is any.

import os
import re
import sys

# _("…"), N_("…"), C_("ctx", "…"), NC_(…), g_dngettext (…), ngettext (…), with or
# without the space GNU style puts before the parenthesis; not foo_( or G_N_ELEMENTS (
CALL = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|g_d?n?gettext|g_dpgettext2?|n?gettext)\s*\(')
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
EXTENSIONS = ('.c', '.h', '.ui')


def has_translatable_strings(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if path.endswith('.ui'):
        return UI_MARK.search(text) is not None
    return CALL.search(text) is not None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    problems = []

    listed = []
    with open(potfiles, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            entry = line.strip()
            if not entry or entry.startswith('#'):
                continue
            listed.append(entry)
            if not os.path.isfile(os.path.join(root, entry)):
                problems.append('po/POTFILES.in:%d: %s does not exist' % (number, entry))

    seen = set()
    for entry in listed:
        if entry in seen:
            problems.append('po/POTFILES.in: %s is listed twice' % entry)
        seen.add(entry)

    for directory, subdirs, files in os.walk(os.path.join(root, 'src')):
        subdirs.sort()
        for name in sorted(files):
            if not name.endswith(EXTENSIONS):
                continue
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root).replace(os.sep, '/')
            if has_translatable_strings(path) and relative not in seen:
                problems.append('%s has translatable strings but is not in po/POTFILES.in'
                                % relative)

    for problem in problems:
        print(problem)
    if problems:
        return 1
    print('po/POTFILES.in lists all %d files with translatable strings' % len(listed))
    return 0


if __name__ == '__main__':
    sys.exit(main())
