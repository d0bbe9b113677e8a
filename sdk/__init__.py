"""The Userflow.js toolchain: build pipeline, dev collector and (later) the privacy audit."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY_SRC = ROOT / 'py_src'
TEMPLATES = Path(__file__).resolve().parent / 'templates'

