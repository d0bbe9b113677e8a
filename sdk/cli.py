"""`userflow build|serve|audit|sizes` (also `python -m sdk ...`): the toolchain's command line.

Exit codes: 0 success; 1 a build over its size budget, or an audit that found a leak; 2 the
command could not do its job (a missing tool, a busy port, a bad scenario, ...), always as one
line on stderr, never a traceback."""

import argparse
import sys
from pathlib import Path

from sdk import default_dist, version
from sdk.errors import SdkError

EXAMPLES = """examples:
  userflow build                          build dist/ (loader, core, chunks, npm package, manifest)
  userflow serve --port 8000              the demo, dist/ and a collector on http://127.0.0.1:8000/
  userflow audit https://app.example/ --strict-url 'https://app.example/?strict=1' --out report/
  userflow audit /fixtures/audit.html --self-test   show the audit catching its planted leaks
  userflow sizes                          where the bytes of dist/ go, by module and runtime function

exit codes: 0 ok; 1 over budget (build) or a leak found (audit); 2 could not run"""


def build_command(out: Path | None) -> int:
    from sdk.builder import build

    try:
        result = build(out or default_dist())
    except SdkError as error:
        print(f'error: {error}', file=sys.stderr)
        return error.exit_code
    total = sum(seconds for _, seconds, _ in result.stages)
    files = result.manifest['files']
    print(
        f'built {result.dist} in {total * 1000:.0f} ms: loader '
        f'{files["userflow.js"]["gzip"]} B gzip, core {files[result.core_name]["gzip"]} B gzip'
    )
    return 1 if result.warnings else 0


def serve_command(
    port: int, host: str, https: bool = False, db: str = ':memory:', dist: Path | None = None
) -> int:
    from sdk.collector import serve_forever

    try:
        serve_forever(host, port, https, db, dist)
    except SdkError as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    return 0


def sizes_command(dist: Path, as_json: bool, rows: int) -> int:
    import json

    from sdk.sizes import report, weigh

    if not (dist / 'userflow.js').is_file():
        print(f'error: no build in {dist} (run `userflow build` first)', file=sys.stderr)
        return 2
    weighed = weigh(dist)
    print(json.dumps(weighed, indent=1) if as_json else report(weighed, rows))
    return 0


def audit_command(args) -> int:
    from sdk.audit import audit
    from sdk.browser import executable
    from sdk.collector import Collector

    try:
        with Collector(port=args.sink_port) as sink:

            def absolute(url):
                return sink.url + url if url and url.startswith('/') else url

            if args.self_test:
                return self_test_command(sink, absolute(args.url), executable())
            report = audit(
                absolute(args.url),
                args.scenario,
                collector=sink,
                executable=executable(),
                strict_url=absolute(args.strict_url),
                endpoint=args.endpoint,
                out=args.out,
                progress=_progress,
                manifest=args.manifest,
            )
    except SdkError as error:  # AuditError included: the audit could not run
        print(f'error: audit could not run: {error}', file=sys.stderr)
        return 2
    print(report.summary())
    if args.out:
        print(f'report: {args.out / "report.html"} and {args.out / "report.json"}')
    return 0 if report.passed else 1


def _progress(line: str) -> None:
    # Progress goes to stderr, so stdout stays the summary a script may read.
    print(line, file=sys.stderr, flush=True)


def self_test_command(sink, url: str, browser) -> int:
    from sdk.audit.leaks import self_test
    from sdk.audit.runner import DEFAULT_STEPS

    scenario = {'name': 'self-test', 'steps': DEFAULT_STEPS, 'pageTracking': False}
    results = self_test(
        url,
        url + ('&' if '?' in url else '?') + 'strict=1',
        scenario,
        collector=sink,
        executable=browser,
        progress=_progress,
    )
    for r in results:
        named = next((f for f in r.findings if f.channel.startswith(r.leak.channel)), None)
        print(
            f'{"caught" if r.caught else "MISSED"}  {r.leak.name:17} {r.leak.what}'
            + (f'  [{named.channel}: {named.source}]' if named else '')
        )
    caught = sum(r.caught for r in results)
    print(f'{caught}/{len(results)} planted leaks caught')
    return 0 if caught == len(results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog='userflow',
        description='Build, serve and audit the Userflow.js privacy-first product-tour SDK.',
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument('--version', action='version', version=f'%(prog)s {version()}')
    commands = parser.add_subparsers(dest='command', required=True, metavar='{build,serve,audit,sizes}')
    b = commands.add_parser('build', help='build dist/', description='Build the SDK into dist/.')
    b.add_argument(
        '--out',
        type=Path,
        default=None,
        help='output folder (default: dist/ of the checkout, or ./dist when installed)',
    )
    s = commands.add_parser(
        'serve',
        help='dev server: demo, dist/, fixtures and the events collector',
        description='The dev server: the demo pages, dist/, content and a collector.',
    )
    s.add_argument('--port', type=int, default=8000, help='port to listen on (default: 8000)')
    s.add_argument('--host', default='127.0.0.1', help='address to listen on (default: 127.0.0.1)')
    s.add_argument('--https', action='store_true', help='HTTPS with a locally generated CA, and HSTS')
    s.add_argument('--db', default=':memory:', help='SQLite file for received events (default: memory)')
    s.add_argument(
        '--dist', type=Path, default=None, help='the build to serve at /dist/ (default: as for build --out)'
    )
    w = commands.add_parser(
        'sizes',
        help='where the bytes of a build go: by module, the Transcrypt runtime by function',
        description='Each script of a build by the module its bytes come from (its source map), '
        'the Transcrypt runtime by function, and the page with one flow in all.',
    )
    w.add_argument('--dist', type=Path, default=None, help='the build (default: as for build --out)')
    w.add_argument('--json', action='store_true', help='print JSON instead of tables')
    w.add_argument('--rows', type=int, default=12, help='rows per table (default: 12)')
    a = commands.add_parser(
        'audit',
        help='privacy audit of a page that embeds the SDK',
        description='Run the privacy audit; exit 1 on any finding.',
    )
    a.add_argument('url', help='the page; a path such as /fixtures/audit.html is served by the sink')
    a.add_argument(
        '--scenario', type=Path, default=None, help='scenario JSON (default: plant, fill every field)'
    )
    a.add_argument('--out', type=Path, default=None, help='write report.json and report.html here')
    a.add_argument(
        '--strict-url', default=None, help='the page in privacy "strict": enables the differential runs'
    )
    a.add_argument('--endpoint', default=None, help="the SDK's endpoint origin (default: the page's origin)")
    a.add_argument('--sink-port', type=int, default=0, help='port of the local sink (the dev collector)')
    a.add_argument(
        '--manifest',
        type=Path,
        default=None,
        help="the build's manifest.json (default: the one beside the loader)",
    )
    a.add_argument(
        '--self-test', action='store_true', help='audit the page with each planted leak; all must be caught'
    )
    args = parser.parse_args(argv)
    if args.command == 'build':
        return build_command(args.out)
    if args.command == 'audit':
        return audit_command(args)
    if args.command == 'sizes':
        return sizes_command(args.dist or default_dist(), args.json, args.rows)
    return serve_command(args.port, args.host, args.https, args.db, args.dist or default_dist())
