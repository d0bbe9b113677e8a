"""Sizes of our files next to the peers' browser files (installed by `make bench` into
bench/node_modules, never into dist/): raw as shipped, minified (esbuild --bundle --minify to an
IIFE, the same for every library), gzip -9 and brotli -11 of the minified file."""

import gzip
import json
import subprocess
import tempfile
from pathlib import Path

import brotli

from sdk import ROOT
from sdk.builder.tools import esbuild_binary

PEERS = ROOT / 'bench' / 'node_modules'
# name -> (package, the browser file it ships, the global its IIFE bundle exposes, its CSS file)
FILES = {
    'driver.js': ('driver.js', 'dist/driver.js.iife.js', 'driver', 'dist/driver.css'),
    'shepherd.js': ('shepherd.js', 'dist/js/shepherd.mjs', 'Shepherd', 'dist/css/shepherd.css'),
    'intro.js': ('intro.js', 'minified/intro.min.js', 'introJs', 'minified/introjs.min.css'),
    'userflow.js (npm loader)': ('userflow.js', 'dist/userflow.umd.js', 'userflow', None),
    'plausible-tracker': ('plausible-tracker', 'build/module/index.js', 'Plausible', None),
}


def measure(data: bytes) -> dict:
    return {'gzip': len(gzip.compress(data, 9, mtime=0)), 'brotli': len(brotli.compress(data, quality=11))}


TOTAL = 'Userflow.js (this): a page with one flow'  # the loader and the app file
APP = 'Userflow.js (this) app file (core and flows chunk in one)'


def minified(entry: Path, name: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / 'out.js'
        subprocess.run(
            [
                str(esbuild_binary()),
                str(entry),
                '--bundle',
                '--minify',
                '--format=iife',
                f'--global-name={name}',
                '--target=es2017',
                '--log-level=error',
                f'--outfile={out}',
            ],
            check=True,
        )
        return out.read_bytes()


def version(package: str) -> str:
    return json.loads((PEERS / package / 'package.json').read_text())['version']


def main() -> dict:
    manifest = json.loads((ROOT / 'dist' / 'manifest.json').read_text())
    files = manifest['files']
    core = next(n for n in files if n.startswith('userflow-core.') and n.endswith('.js'))
    flows = next(n for n in files if n.startswith('userflow-flows.') and n.endswith('.js'))
    app = next(n for n in files if n.startswith('userflow-app.') and n.endswith('.js'))
    rows = {}
    for label, name in [
        ('Userflow.js (this) loader', 'userflow.js'),
        ('Userflow.js (this) core', core),
        ('Userflow.js (this) flows chunk (the engine and its UI)', flows),
        (APP, app),
    ]:
        data = (ROOT / 'dist' / name).read_bytes()
        rows[label] = {'version': '', 'raw': len(data), 'minified': len(data), **measure(data), 'css_gzip': 0}
    page = [rows['Userflow.js (this) loader'], rows[APP]]  # the app file: the core and flows chunk in one
    total = {k: sum(r[k] for r in page) for k in ('raw', 'minified', 'gzip', 'brotli', 'css_gzip')}
    rows[TOTAL] = {'version': '', **total}
    for label, (package, file, global_name, css) in FILES.items():
        shipped = (PEERS / package / file).read_bytes()
        small = minified(PEERS / package / file, global_name)
        css_gzip = measure((PEERS / package / css).read_bytes())['gzip'] if css else 0
        rows[label] = {
            'version': version(package),
            'raw': len(shipped),
            'minified': len(small),
            **measure(small),
            'css_gzip': css_gzip,
        }
    return rows


if __name__ == '__main__':
    print(json.dumps(main(), indent=2))
