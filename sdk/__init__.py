"""The Userflow.js toolchain: build pipeline, dev server and collector, privacy audit.

Where its resources live: in a source checkout, beside this package (`py_src/`, `fixtures/`,
`node_modules/`); installed from a wheel, the SDK's Python sources and the fixtures are data
files under `<prefix>/share/userflow-toolchain/`, builds go to `./dist` and the build cache to
`~/.cache/userflow-toolchain` (or `$XDG_CACHE_HOME`).
"""

import os
import sysconfig
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent
INSTALLED = not (_CHECKOUT / 'py_src' / 'userflow').is_dir()
ROOT = Path(sysconfig.get_path('data')) / 'share' / 'userflow-toolchain' if INSTALLED else _CHECKOUT
PY_SRC = ROOT / 'py_src'
TEMPLATES = Path(__file__).resolve().parent / 'templates'
WORK = (
    Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') / 'userflow-toolchain'
    if INSTALLED
    else ROOT / 'build'
)


def default_dist() -> Path:
    """Where `build` writes and `serve` serves by default: the checkout's dist/, or ./dist."""
    return Path.cwd() / 'dist' if INSTALLED else ROOT / 'dist'


def version() -> str:
    """The toolchain's version (the installed distribution's, else the checkout's)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed('userflow-toolchain')
    except PackageNotFoundError:
        return '0.1.0'
