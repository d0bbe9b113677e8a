"""Locating and running the external tools, with the versions recorded in the manifest."""

import functools
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from sdk import ROOT
from sdk.errors import ToolMissing

_ARCH = {'x86_64': 'x64', 'amd64': 'x64', 'aarch64': 'arm64', 'arm64': 'arm64'}


def esbuild_binary() -> Path:
    """The native esbuild binary from the pinned npm package (about 10 ms a call, not npx's
    300 ms). Its platform package holds the real executable; the `esbuild` package's own bin is
    only a JS shim when npm skipped install scripts."""
    arch = _ARCH.get(platform.machine().lower(), platform.machine().lower())
    system = sys.platform if sys.platform != 'win32' else 'win32'
    if os.environ.get('ESBUILD_BINARY'):
        return Path(os.environ['ESBUILD_BINARY'])
    for candidate in (
        ROOT / 'node_modules' / '@esbuild' / f'{system}-{arch}' / 'bin' / 'esbuild',
        ROOT / 'node_modules' / 'esbuild' / 'bin' / 'esbuild',
        Path.cwd() / 'node_modules' / '@esbuild' / f'{system}-{arch}' / 'bin' / 'esbuild',
    ):
        if candidate.exists():
            return candidate
    found = shutil.which('esbuild')
    if found:
        return Path(found)
    raise ToolMissing(
        'esbuild is not installed: run `npm ci` in a checkout (`make build`), '
        '`npm install esbuild@0.28.2` here, or set ESBUILD_BINARY'
    )


def transcrypt_command() -> list[str]:
    exe = Path(sys.executable).with_name('transcrypt')
    if not exe.exists():
        raise ToolMissing('transcrypt is not installed in this environment: run `make build`')
    return [str(exe)]


def run(cmd: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    # Transcrypt writes its re-export lists in set order: a fixed hash seed keeps them stable.
    env = {**os.environ, 'PYTHONHASHSEED': '0'}
    return subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True, env=env)


def versions() -> dict:
    """The tools' versions (cache keys, the manifest); asked once per esbuild binary."""
    return dict(_versions(str(esbuild_binary())))


@functools.lru_cache(maxsize=4)
def _versions(esbuild_path: str) -> tuple:
    import jinja2
    from importlib.metadata import version

    esbuild = run([esbuild_path, '--version'], ROOT).stdout.strip()
    return (('transcrypt', version('Transcrypt')), ('esbuild', esbuild), ('jinja2', jinja2.__version__))
