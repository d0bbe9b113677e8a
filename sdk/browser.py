"""Which Chromium the tests drive (SPEC §8): Playwright's own when it is installed, else the
system Chromium (`/usr/lib/chromium/chromium`, the real binary, not Debian's wrapper script).

`python -m sdk.browser ensure` makes one available: it tries `playwright install chromium`
(works where the CDN is reachable), then `apt-get install chromium`. Tests never download.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_CHROMIUM = [Path('/usr/lib/chromium/chromium'), Path('/usr/lib/chromium-browser/chromium-browser')]


def playwright_chromium() -> Path | None:
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = Path(p.chromium.executable_path)
        return path if path.exists() else None
    except Exception:
        return None


def system_chromium() -> Path | None:
    for path in SYSTEM_CHROMIUM:
        if path.exists():
            return path
    return None


def executable() -> Path | None:
    """The browser to launch: None means Playwright's own (nothing to pass)."""
    override = os.environ.get('USERFLOW_CHROMIUM')
    if override:
        return Path(override)
    if playwright_chromium():
        return None
    found = system_chromium()
    if found:
        return found
    raise RuntimeError('no Chromium: run `python -m sdk.browser ensure` (or `make setup`)')


def ensure() -> int:
    if playwright_chromium() or system_chromium():
        print(f'browser: {playwright_chromium() or system_chromium()}')
        return 0
    print('browser: trying `playwright install chromium`', flush=True)
    subprocess.run(
        [sys.executable, '-m', 'playwright', 'install', 'chromium'], capture_output=True, timeout=600
    )
    if playwright_chromium():
        print(f'browser: {playwright_chromium()}')
        return 0
    print('browser: installing Debian chromium with apt-get', flush=True)
    sudo = [] if os.geteuid() == 0 else (['sudo'] if shutil.which('sudo') else [])
    env = {**os.environ, 'DEBIAN_FRONTEND': 'noninteractive'}
    subprocess.run(sudo + ['apt-get', 'update', '-qq'], env=env)
    subprocess.run(sudo + ['apt-get', 'install', '-y', '-qq', 'chromium'], env=env)
    if system_chromium():
        print(f'browser: {system_chromium()}')
        return 0
    print('error: no Chromium could be installed', file=sys.stderr)
    return 1


if __name__ == '__main__':
    if sys.argv[1:] != ['ensure']:
        sys.exit('usage: python -m sdk.browser ensure')
    sys.exit(ensure())
