#!/usr/bin/python3
# Tries the README's run command as a new user would, and takes the sign-in
# and profile screenshots (data/screenshots/sign-in*.png, profiles*.png):
#   build-aux/run-headless.sh /usr/bin/python3 build-aux/screenshot-profiles.py default
#   build-aux/run-headless.sh /usr/bin/python3 build-aux/screenshot-profiles.py prefer-dark
# Under Xvfb there is no browser: build-aux/run.sh's window shows the sign-in
# address, which this script opens as a browser would (the sandbox's page, its
# Sign in button, the redirect back); then it clicks Sync and opens the profile
# menu, through AT-SPI. Look at the files before committing them.
import os, re, subprocess, sys, tempfile, time, urllib.request, urllib.parse, http.client
import pyatspi

scheme = sys.argv[1] if len(sys.argv) > 1 else 'default'   # default | prefer-dark
suffix = '' if scheme == 'default' else '-dark'
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = tempfile.mkdtemp(prefix='bcs-shots.')
out = work
final = os.path.join(repo, 'data', 'screenshots')
build = os.environ.get('BUILD_DIR', '_build')

env = dict(os.environ)
env.pop('GTK_A11Y', None)
env.update(GSETTINGS_BACKEND='keyfile', LC_ALL='C.UTF-8', LANGUAGE='', GDK_BACKEND='x11',
           ADW_DEBUG_COLOR_SCHEME=scheme, BUILD_DIR=build)
os.makedirs(env['XDG_CONFIG_HOME'] + '/gtk-4.0', exist_ok=True)
open(env['XDG_CONFIG_HOME'] + '/gtk-4.0/settings.ini', 'w').write('[Settings]\ngtk-decoration-layout=appmenu:close\n')
gs = ['gsettings', 'set', 'io.github.bccontactsync.ContactSync', 'profiles', "['default', 'sandbox', 'company-b']"]
subprocess.run(gs, env=dict(env, GSETTINGS_SCHEMA_DIR=os.path.join(repo, build, 'data')), check=True)

log = open(os.path.join(work, 'run.log'), 'w')
proc = subprocess.Popen(['build-aux/run.sh'], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)

def wait(pred, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            r = pred()
        except Exception as e:
            r = None
        if r:
            return r
        time.sleep(0.3)
    raise SystemExit('timed out: ' + what)

def app():
    d = pyatspi.Registry.getDesktop(0)
    for a in d:
        if a is not None and a.name in ('bc-contact-sync', 'Contact Sync'):
            return a
    return None

def find(root, pred):
    return pyatspi.findDescendant(root, pred, True)

def click(node):
    node.queryAction().doAction(0)

def window_id(title):
    tree = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True, text=True).stdout
    for line in tree.splitlines():
        if '"%s"' % title in line and re.search(r' \d+x\d+\+', line):
            return line.split()[0]
    return None

def shoot(title, name, root=False):
    time.sleep(1.5)
    path = os.path.join(out, name + suffix + '.png')
    if root:
        wid = window_id('Contact Sync')
        geo = subprocess.run(['xwininfo', '-id', wid], capture_output=True, text=True).stdout
        x = int(re.search(r'Absolute upper-left X:\s+(-?\d+)', geo).group(1))
        y = int(re.search(r'Absolute upper-left Y:\s+(-?\d+)', geo).group(1))
        w = int(re.search(r'Width:\s+(\d+)', geo).group(1))
        h = int(re.search(r'Height:\s+(\d+)', geo).group(1))
        subprocess.run(['import', '-window', 'root', '-crop', '%dx%d+%d+%d' % (w, h, x, y), '+repage', path], check=True)
    else:
        wid = wait(lambda: window_id(title), 'window ' + title)
        subprocess.run(['import', '-window', wid, path], check=True)
    print('wrote', path)

try:
    a = wait(app, 'the application on AT-SPI')
    setup_button = wait(lambda: find(a, lambda n: n.getRoleName() in ('push button', 'button') and 'Set Up' in (n.name or '')), 'Set Up…')
    shoot('Contact Sync', 'sign-in-first-run')
    click(setup_button)
    sign_in = wait(lambda: find(a, lambda n: n.getRoleName() in ('push button', 'button') and (n.name or '').replace('_', '').startswith('Sign In…')), 'Sign In…')
    shoot('Exchange Sync. Setup', 'sign-in-setup')
    click(sign_in)
    label = wait(lambda: find(a, lambda n: 'No web browser' in (n.name or '') or ('No web browser' in (n.queryText().getText(0, -1) if n.getRoleName() == 'label' else ''))), 'the no-browser message')
    text = label.name if 'No web browser' in (label.name or '') else label.queryText().getText(0, -1)
    url = re.search(r'(http://\S+)', text).group(1)
    shoot('Exchange Sync. Setup', 'sign-in')
    print('authorize URL:', url[:80], '…')

    # the browser: the sandbox's sign-in page, its "Sign in" button
    page = urllib.request.urlopen(url).read().decode()
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    pending = re.search(r'name="pending" value="([^"]+)"', page).group(1)
    target = urllib.parse.urljoin(url, action)
    parts = urllib.parse.urlsplit(target)
    conn = http.client.HTTPConnection(parts.hostname, parts.port)
    conn.request('POST', parts.path + ('?' + parts.query if parts.query else ''),
                 urllib.parse.urlencode({'pending': pending, 'action': 'approve'}),
                 {'Content-Type': 'application/x-www-form-urlencoded'})
    resp = conn.getresponse()
    location = resp.getheader('Location')
    print('sandbox answered', resp.status, 'to', location.split('?')[0])
    done = urllib.request.urlopen(location).read().decode()
    print('loopback page:', re.sub(r'<[^>]+>', ' ', done).split()[:12])

    wait(lambda: find(a, lambda n: n.getRoleName() in ('push button', 'button') and (n.name or '').replace('_', '').startswith('Sign Out')), 'signed in')
    shoot('Exchange Sync. Setup', 'sign-in-done')
    # close the setup: its window's Close
    setup_frame = find(a, lambda n: n.getRoleName() in ('frame', 'window', 'dialog') and n.name == 'Exchange Sync. Setup')
    close = find(setup_frame, lambda n: n.getRoleName() in ('push button', 'button') and n.name == 'Close')
    click(close)
    sync = wait(lambda: find(a, lambda n: n.getRoleName() in ('push button', 'button') and (n.name or '').replace('_', '').startswith('Sync')), 'Sync')
    click(sync)
    wait(lambda: find(a, lambda n: n.getRoleName() == 'table' or n.getRoleName() == 'tree table'), 'the results', 120)
    time.sleep(2)
    shoot('Contact Sync', 'sign-in-synced')
    switcher = wait(lambda: find(a, lambda n: (n.name or '').startswith('Profile sandbox')), 'the profile switcher')
    toggle = find(switcher, lambda n: n.getRoleName() in ('push button', 'toggle button') and n.name == 'sandbox')
    shoot(None, 'profiles-base', root=True)
    click(toggle)
    shoot(None, 'profiles-popover', root=True)
    # Xvfb has no compositor: the popover's transparent margin comes out
    # black; take those pixels from the shot without it
    base = os.path.join(out, 'profiles-base' + suffix + '.png')
    pop = os.path.join(out, 'profiles-popover' + suffix + '.png')
    subprocess.run(['convert', pop, '-alpha', 'set', '-channel', 'RGBA', '-fuzz', '1%', '-fill', 'rgba(0,0,0,0)', '-opaque', 'rgb(0,0,0)', '+channel', os.path.join(work, 'pop-t.png')], check=True)
    subprocess.run(['composite', os.path.join(work, 'pop-t.png'), base,
                    os.path.join(final, 'profiles' + suffix + '.png')], check=True)
    subprocess.run(['cp', os.path.join(out, 'sign-in' + suffix + '.png'), final], check=True)
    print('wrote', os.path.join(final, 'sign-in' + suffix + '.png'), 'and profiles' + suffix + '.png')
    click(toggle)
finally:
    proc.terminate()
    try:
        proc.wait(10)
    except Exception:
        proc.kill()
    subprocess.run(['rm', '-rf', work])
