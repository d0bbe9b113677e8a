"""`python -m sdk build|serve`: the toolchain's command line. Errors become one clear line and
exit code 2 (SdkError); a build over its size budget exits 1."""

import argparse
import sys
from pathlib import Path

from sdk import ROOT
from sdk.errors import SdkError


def build_command(out: Path | None) -> int:
    from sdk.build import build
    try:
        result = build(out or ROOT / 'dist')
    except SdkError as error:
        print(f'error: {error}', file=sys.stderr)
        return error.exit_code
    total = sum(seconds for _, seconds, _ in result.stages)
    files = result.manifest['files']
    print(f'built {result.dist} in {total * 1000:.0f} ms: loader '
          f'{files["userflow.js"]["gzip"]} B gzip, core {files[result.core_name]["gzip"]} B gzip')
    return 1 if result.warnings else 0


def serve_command(port: int, host: str, https: bool = False, db: str = ':memory:') -> int:
    from sdk.collector import serve_forever
    serve_forever(host, port, https, db)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m sdk')
    commands = parser.add_subparsers(dest='command', required=True)
    b = commands.add_parser('build', help='build dist/')
    b.add_argument('--out', type=Path, default=None)
    s = commands.add_parser('serve', help='dev server: dist/, fixtures and the events collector')
    s.add_argument('--port', type=int, default=8000)
    s.add_argument('--host', default='127.0.0.1')
    s.add_argument('--https', action='store_true', help='HTTPS with a locally generated CA, and HSTS')
    s.add_argument('--db', default=':memory:', help='SQLite file for received events (default: memory)')
    args = parser.parse_args(argv)
    if args.command == 'build':
        return build_command(args.out)
    return serve_command(args.port, args.host, args.https, args.db)
