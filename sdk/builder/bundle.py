"""Stage 2: ES modules -> one minified IIFE, with the esbuild binary from the pinned npm package.

Strict mode is forced with a banner: Transcrypt's keyword arguments and attribute checks only
behave in strict mode (TRANSCRYPT.md §0). ES2017 is the target (async, Object.entries).

Private members (`_name`: one underscore, then a lower-case letter) are renamed by esbuild
(--mangle-props), which saves ~370 B gzip of the core. That is sound only while nothing reaches
such a member by a string (getattr, `obj['_name']`) and no object crosses a bundle boundary to be
read by its private names (each bundle renames on its own): the first is checked here, the
second holds because the core and its chunks talk through public names (FlowHost's interface,
the shared modules' exports). Transcrypt's own names (`__class__`) are never renamed.
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
PRIVATE = '^_[a-z]'
_PRIVATE_BY_NAME = re.compile(r"(?:(?:get|has|set|del)attr \([^,()]+, |\[)'_[a-z]\w*'")


def bundle(
    entry: Path,
    outfile: Path,
    minify: bool = True,
    global_name: str | None = None,
    defines: dict | None = None,
    checked: bool = False,
) -> dict:
    """Bundle `entry` into `outfile` (+ `.map` and `.meta.json`); returns esbuild's metafile.
    `defines` maps global names to JSON values that replace them (esbuild --define); `checked`:
    the caller ran `check_private` on these modules already."""
    entry, outfile = entry.resolve(), outfile.resolve()
    if minify and not checked:
        check_private(entry.parent)
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


def private_by_name(js_dir: Path) -> list[str]:
    """Where a module reaches a private member by a string, which renaming would break."""
    found = []
    for path in sorted(js_dir.glob('*.js')):
        found += [f'{path.name}: {m.group(0)}' for m in _PRIVATE_BY_NAME.finditer(path.read_text())]
    return found


def check_private(js_dir: Path) -> None:
    found = private_by_name(js_dir)
    if found:
        raise BundleError('a private member is reached by name (renaming breaks it): ' + '; '.join(found))


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
        cmd.extend(['--minify', f'--mangle-props={PRIVATE}'])
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
