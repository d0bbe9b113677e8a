"""`python -m sdk build|serve|audit`: the toolchain's command line. Errors become one clear line
and exit code 2 (SdkError, AuditError); a build over its size budget, or an audit with a
finding, exits 1."""

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


def audit_command(args) -> int:
    from sdk.audit import AuditError, audit
    from sdk.browser import executable
    from sdk.collector import Collector
    try:
        with Collector(port=args.sink_port) as sink:
            def absolute(url):
                return sink.url + url if url and url.startswith('/') else url
            if args.self_test:
                return self_test_command(sink, absolute(args.url), executable())
            report = audit(absolute(args.url), args.scenario, collector=sink, executable=executable(),
                           strict_url=absolute(args.strict_url), endpoint=args.endpoint, out=args.out)
    except AuditError as error:
        print(f'error: audit could not run: {error}', file=sys.stderr)
        return 2
    print(report.summary())
    if args.out:
        print(f'report: {args.out / "report.html"} and {args.out / "report.json"}')
    return 0 if report.passed else 1


def self_test_command(sink, url: str, browser) -> int:
    from sdk.audit.leaks import self_test
    from sdk.audit.runner import DEFAULT_STEPS
    scenario = {'name': 'self-test', 'steps': DEFAULT_STEPS, 'pageTracking': False}
    results = self_test(url, url + ('&' if '?' in url else '?') + 'strict=1', scenario, collector=sink,
                        executable=browser)
    for r in results:
        named = next((f for f in r.findings if f.channel.startswith(r.leak.channel)), None)
        print(f'{"caught" if r.caught else "MISSED"}  {r.leak.name:17} {r.leak.what}' +
              (f'  [{named.channel}: {named.source}]' if named else ''))
    caught = sum(r.caught for r in results)
    print(f'{caught}/{len(results)} planted leaks caught')
    return 0 if caught == len(results) else 1


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
    a = commands.add_parser('audit', help='privacy audit of a page that embeds the SDK')
    a.add_argument('url', help='the page; a path such as /fixtures/audit.html is served by the sink')
    a.add_argument('--scenario', type=Path, default=None,
                   help='scenario JSON (default: plant, fill every field)')
    a.add_argument('--out', type=Path, default=None, help='write report.json and report.html here')
    a.add_argument('--strict-url', default=None,
                   help='the page in privacy "strict": enables the differential runs')
    a.add_argument('--endpoint', default=None, help="the SDK's endpoint origin (default: the page's origin)")
    a.add_argument('--sink-port', type=int, default=0, help='port of the local sink (the dev collector)')
    a.add_argument('--self-test', action='store_true',
                   help='audit the page with each planted leak; all must be caught')
    args = parser.parse_args(argv)
    if args.command == 'build':
        return build_command(args.out)
    if args.command == 'audit':
        return audit_command(args)
    return serve_command(args.port, args.host, args.https, args.db)
