"""Locating and running the external tools, with the versions recorded in the manifest."""

import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
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


def transcrypt_command(plain: bool = False) -> list[str]:
    """Transcrypt through transcrypt_main.py (its output, faster), or `plain`: its own command."""
    exe = Path(sys.executable).with_name('transcrypt')
    if not exe.exists():
        raise ToolMissing('transcrypt is not installed in this environment: run `make build`')
    if plain:
        return [str(exe)]
    return [sys.executable, str(Path(__file__).with_name('transcrypt_main.py'))]


class _Server:
    """One Transcrypt server process (transcrypt_main.py --serve) for this build process."""

    lock = threading.Lock()
    process: subprocess.Popen | None = None


def transcrypt(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Transcrypt `args` in `cwd`, through this process's Transcrypt server (started on first
    use, with the fixed hash seed); if the server cannot answer, through a process of its own."""
    command = transcrypt_command()  # raises ToolMissing first
    with _Server.lock:
        try:
            if _Server.process is None or _Server.process.poll() is not None:
                _Server.process = subprocess.Popen(
                    command + ['--serve'],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    env={**os.environ, 'PYTHONHASHSEED': '0'},
                )
            server = _Server.process
            server.stdin.write(json.dumps({'cwd': str(Path(cwd).resolve()), 'args': args}) + '\n')
            server.stdin.flush()
            answer = json.loads(server.stdout.readline())
            return subprocess.CompletedProcess(args, answer['code'], answer['output'], '')
        except (OSError, ValueError):
            _Server.process = None
    return run(command + args, cwd)


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
