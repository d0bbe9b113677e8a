"""The Userflow.js toolchain: build pipeline, dev collector and (later) the privacy audit."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY_SRC = ROOT / 'py_src'
TEMPLATES = Path(__file__).resolve().parent / 'templates'


def sdk_version() -> str:
    """The SDK version, read from py_src/userflow/version.py (its single source)."""
    namespace: dict = {}
    exec((PY_SRC / 'userflow' / 'version.py').read_text(), namespace)
    return namespace['VERSION']
