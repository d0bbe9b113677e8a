"""Stage 2: ES modules -> one minified IIFE, with the esbuild binary from the pinned npm package.

Strict mode is forced with a banner: Transcrypt's keyword arguments and attribute checks only
behave in strict mode (TRANSCRYPT.md §0). ES2017 is the target (async, Object.entries).
"""

import json
import re
import shutil
from pathlib import Path

from sdk.builder.prune import RUNTIME, prune
from sdk.builder.tools import esbuild_binary, run
from sdk.errors import BundleError

BANNER = '"use strict";'
TARGET = 'es2017'
_LOCATION = re.compile(r'^\s*(\S+\.js):(\d+):(\d+):', re.M)


def bundle(
    entry: Path,
    outfile: Path,
    minify: bool = True,
    global_name: str | None = None,
    defines: dict | None = None,
) -> dict:
    """Bundle `entry` into `outfile` (+ `.map` and `.meta.json`); returns esbuild's metafile.
    `defines` maps global names to JSON values that replace them (esbuild --define)."""
    entry, outfile = entry.resolve(), outfile.resolve()
    _esbuild(entry, outfile, minify, global_name, defines or {})
    return json.loads(outfile.with_suffix('.meta.json').read_text())


def pruned_copy(js_dir: Path, dest: Path) -> Path:
    """A copy of the modules with the unused runtime removed (see prune.py)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(js_dir, dest)
    if (dest / RUNTIME).exists():
        prune(dest)
    return dest


def _esbuild(entry: Path, outfile: Path, minify: bool, global_name: str | None, defines: dict) -> None:
    cwd = entry.parent.parent
    cmd = [
        str(esbuild_binary()),
        str(entry.relative_to(cwd)),
        '--bundle',
        '--format=iife',
        f'--target={TARGET}',
        f'--banner:js={BANNER}',
        '--sourcemap=external',
        '--charset=utf8',
        '--legal-comments=none',
        '--log-level=error',
        f'--outfile={outfile}',
        f'--metafile={outfile.with_suffix(".meta.json")}',
    ]
    if minify:
        cmd.append('--minify')
    if global_name:
        cmd.append(f'--global-name={global_name}')
    cmd.extend(f'--define:{name}={json.dumps(value)}' for name, value in sorted(defines.items()))
    result = run(cmd, cwd)
    if result.returncode != 0:
        raise BundleError(_explain(result.stderr))


def minify_source(source: str, fmt: str | None, name: str, target: str = TARGET) -> str:
    """Minify a rendered file (the loader, the npm entries) through esbuild's stdin."""
    cmd = [
        str(esbuild_binary()),
        '--minify',
        f'--target={target}',
        '--charset=utf8',
        '--legal-comments=none',
        '--log-level=error',
        f'--sourcefile={name}',
    ] + ([f'--format={fmt}'] if fmt else [])
    result = run(cmd, Path('.'), stdin=source)
    if result.returncode != 0:
        raise BundleError(_explain(result.stderr))
    return result.stdout


def _explain(stderr: str) -> str:
    found = _LOCATION.search(stderr)
    head = stderr.strip().splitlines()[0] if stderr.strip() else 'esbuild failed'
    head = head.replace('✘ [ERROR] ', '').strip()
    if found:
        return f'esbuild: {found.group(1)}:{found.group(2)}:{found.group(3)}: {head}'
    return f'esbuild: {head}'
