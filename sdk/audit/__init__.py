"""The privacy audit: `python -m sdk audit URL [--scenario FILE] [--out DIR]`, and the pytest
fixture `uf_audit` (sdk.audit.pytest_plugin).

An audit is several runs of one scenario in a hermetic Chromium (sdk.audit.runner):

1. baseline: the SDK's files blocked, to learn the page's own traffic, storage and cookies;
2. main: the page as it is, with canaries in every source;
3. with `strict_url` (the page in `privacy: "strict"`), the differential runs (AUDIT §5, §8):
   A and B with `Date` and `crypto` pinned in every frame and only the secrets changed (other
   canaries, the secret element present in A and absent in B), and C as A without automation
   signals (`navigator.webdriver` false). The SDK's egress must be byte-identical in A, B, C.

Every run is judged (sdk.audit.verdict); the report lists every request with its verdict and
every finding with its channel and source.
"""

import json
import platform
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import jsonschema

from sdk.audit.binding import Binder
from sdk.audit.canaries import Canaries, standard_set
from sdk.audit.encodings import ENCODINGS, HASHES, Index, needles
from sdk.audit.runner import load_scenario, run
from sdk.audit.verdict import Context, Finding, compare, egress, judge, normalize, reconcile, sdk_base_of
from sdk.errors import AuditError

# The SDK sends a batch at most 2 s after its last event (BATCH_DELAY_MS); strict runs wait longer
# than that after the scenario, so a batch cannot leave live in one run and in the observation
# window in the other because one machine was slower.
STRICT_SETTLE_S = 2.6

CHANNELS = [
    'URL (path, query)',
    'request headers',
    'request bodies (decompressed)',
    'WebSocket frames',
    'NetLog socket bytes',
    'UDP datagrams',
    'localStorage',
    'sessionStorage',
    'cookies',
    'window.name',
    'IndexedDB databases and CacheStorage caches (new ones)',
]


@dataclass
class Report:
    url: str
    scenario: str
    findings: list = field(default_factory=list)
    runs: dict = field(default_factory=dict)  # name -> [row dicts]
    canaries: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    needles: int = 0
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.findings

    def differential(self) -> list[str]:
        """The differential comparisons made and their outcome, in words (empty: none made)."""
        said = []
        strict = (
            'identical egress (every events body byte for byte and when it left, every other '
            'request with its count)'
        )
        loose = 'the same events (ids and times set aside) and every other request with its count'
        for compared, what, same in (
            ('main B (other secrets)', 'secrets changed (default mode)', loose),
            ('strict B (other secrets)', 'secrets changed', strict),
            ('strict C (no webdriver)', 'automation signals', strict),
        ):
            if compared in self.runs:
                differs = [f for f in self.findings if f.channel == 'differential' and f.source == what]
                said.append(f'{what}: ' + ('the egress differs' if differs else same))
        return said

    def as_dict(self) -> dict:
        return {
            'url': self.url,
            'scenario': self.scenario,
            'passed': self.passed,
            'date': time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime()),
            'machine': f'{platform.system()} {platform.machine()}, Python {platform.python_version()}',
            'versions': self.versions,
            'seconds': round(self.seconds, 1),
            'findings': [f.as_dict() for f in self.findings],
            'runs': self.runs,
            'canaries': self.canaries,
            'needles_searched': self.needles,
            'channels': CHANNELS,
            'encodings': sorted(ENCODINGS),
            'hashes': HASHES + ['hmac-sha256 (project token)'],
            'notes': self.notes,
            'differential': self.differential(),
        }

    def summary(self) -> str:
        lines = [
            f'userflow privacy audit of {self.url} ({self.scenario}): '
            f'{"PASS" if self.passed else "FAIL"} in {self.seconds:.1f} s'
        ]
        for name, rows in self.runs.items():
            verdicts: dict[str, int] = {}
            for row in rows:
                verdicts[row['verdict']] = verdicts.get(row['verdict'], 0) + 1
            lines.append(
                f'  run {name}: {len(rows)} requests '
                + ', '.join(f'{v} {k}' for k, v in sorted(verdicts.items()))
            )
        lines.append(f'  {len(self.canaries)} canaries, {self.needles:,} encoded forms searched')
        for line in self.differential():
            lines.append(f'  differential, {line}')
        for note in self.notes:
            lines.append(f'  note: {note}')
        for f in self.findings:
            lines.append(
                f'  FINDING [{f.channel}] {f.source}: {f.detail}' + (f' — {f.request}' if f.request else '')
            )
        return '\n'.join(lines)


def public(canaries: Canaries) -> dict:
    return {k: v for k, v in canaries.values.items() if not k.startswith('_')}


def _token(capture) -> str | None:
    for row in reconcile(capture):
        if row.method == 'POST' and row.url.endswith('/v1/events'):
            for _, _, body in row.copies:
                try:
                    return json.loads(body)['token']
                except (ValueError, KeyError, TypeError):
                    continue
    return None


def audit(
    url: str,
    scenario=None,
    *,
    collector=None,
    executable=None,
    strict_url: str | None = None,
    leak: str | None = None,
    endpoint: str | None = None,
    out: Path | None = None,
    baselines: dict | None = None,
    automation: bool = True,
    progress=None,
    manifest: dict | Path | None = None,
    differential: bool = True,
) -> Report:
    """Audit `url`. `baselines` (a dict) caches baseline runs by URL across audits of the same
    page (the self-test); `automation` False skips run C; `progress(line)`, when given, hears
    one line as each run ends (an audit takes 10 s to minutes)."""
    from sdk.collector import load_schema

    started = time.monotonic()
    try:
        plan = load_scenario(scenario)
    except (OSError, ValueError) as error:
        raise AuditError(f'scenario: {error}') from error
    report = Report(url, plan.get('name', 'scenario'))
    validator = jsonschema.Draft202012Validator(load_schema())
    page_tracking = plan.get('pageTracking')
    origin = url.split('/', 3)
    endpoint = endpoint or f'{origin[0]}//{origin[2]}'

    baselines = {} if baselines is None else baselines
    indexes: dict = {}  # main, A and C share their canaries: build their ~240,000 needles once

    def index_for(canaries: Canaries, token: str | None) -> Index:
        key = (tuple(sorted(public(canaries).items())), token)
        if key not in indexes:
            indexes[key] = Index(public(canaries), token, canaries.cores)
        return indexes[key]

    def said(line: str) -> None:
        if progress:
            progress(f'{time.monotonic() - started:6.1f} s  {line}')

    manifests: dict = {}

    def manifest_for(capture):
        where = sdk_base_of(capture)
        if where not in manifests:
            manifests[where] = load_manifest(manifest, where)
            if manifests[where] is None and where:
                report.notes.append(
                    'no manifest.json beside the loader: SDK files are recognised by '
                    'their names only (give --manifest)'
                )
        return manifests[where]

    def judged(name: str, capture, canaries: Canaries, base) -> list:
        index = index_for(canaries, _token(capture))
        report.needles = max(report.needles, index.count)
        built = manifest_for(capture)
        anon = [capture.storage.get('local', {}).get('uf:anon'), *capture.anonymous]
        ctx = Context(
            index,
            sdk_base_of(capture),
            endpoint,
            base['keys'],
            base['storage'],
            base['cookies'],
            capture.url,
            page_tracking,
            plan.get('userId'),
            validator,
            public(canaries),
            built,
            Binder(capture, (built or {}).get('version'), anon),
            base['sources'],
            base['lookups'],
        )
        rows, findings = judge(capture, ctx)
        flagged = {f.request for f in findings if f.request}
        # A request a finding names is never shown as explained, whatever its verdict.
        report.runs[name] = [dict(r.as_dict(), flagged=f'{r.method} {r.url}' in flagged) for r in rows]
        report.findings.extend(findings)
        for note in dict.fromkeys(n for r in rows for n in r.notes):
            if note not in report.notes:
                report.notes.append(note)
        report.notes.extend(f'{name}: {p}' for p in capture.problems)
        said(f'run {name}: {len(rows)} requests, {len(findings)} findings')
        return rows

    def baseline(page_url: str, canaries: Canaries) -> dict:
        if page_url in baselines:
            return baselines[page_url]
        capture = run(page_url, plan, canaries, collector=collector, executable=executable, block_sdk=True)
        said(f'baseline (the SDK blocked): {len(capture.requests)} requests')
        values = public(canaries)
        rows = reconcile(capture)
        keys = {(r.method, normalize(r.url, values)) for r in rows}
        sources: dict = {}
        for r in rows:
            text = r.url + '\n' + '\n'.join(f'{k}: {v}' for _, headers, _ in r.copies for k, v in headers)
            sources.setdefault((r.method, normalize(r.url, values)), set()).update(
                s for s, v in values.items() if v in text or quote(v) in text
            )
        host = urlsplit(page_url).hostname or ''
        lookups = [(h, p) for h, speculative, p in capture.netlog.lookups if speculative and host in p]
        storage = {
            kind: {k: normalize(v or '', values) for k, v in capture.storage.get(kind, {}).items()}
            for kind in ('local', 'session')
        }
        storage['windowName'] = normalize(capture.storage.get('windowName') or '', values)
        storage['indexedDB'] = capture.storage.get('indexedDB', [])
        storage['caches'] = capture.storage.get('caches', [])
        baselines[page_url] = {
            'keys': keys,
            'sources': sources,
            'lookups': lookups,
            'storage': storage,
            'cookies': {(c['name'], c['domain']) for c in capture.cookies},
        }
        return baselines[page_url]

    try:
        canaries = standard_set([])
        base = baseline(url, canaries)
        main = run(url, plan, canaries, collector=collector, executable=executable, leak=leak)
        report.versions = main.versions
        if sdk_base_of(main) is None and not main.sdk_realm:
            raise AuditError('the page did not load the SDK (no request for userflow.js, no SDK realm)')
        if sdk_base_of(main) is None:
            report.notes.append(
                'the SDK is bundled into the page (the npm package): its files are the '
                "app's own, and each request is explained like the app's"
            )
        rows_main = judged('main', main, canaries, base)
        report.canaries = public(canaries)
        if differential:
            # The default mode's differential: other secrets, the secret element gone, nothing
            # pinned; the events must say the same once ids, times and batching are set aside.
            other = standard_set([])
            second = run(
                url, plan, other, collector=collector, executable=executable, leak=leak, presence=False
            )
            rows_second = judged('main B (other secrets)', second, other, base)
            report.findings.extend(
                compare(
                    egress(rows_main, main, loose=True),
                    egress(rows_second, second, loose=True),
                    'secrets changed (default mode)',
                )
            )
        if strict_url:
            strict_base = baseline(strict_url, canaries)

            def strict(secrets: Canaries, **extra):
                return run(
                    strict_url,
                    plan,
                    secrets,
                    collector=collector,
                    executable=executable,
                    pin=True,
                    leak=leak,
                    # Each run's events must leave in the same phase: settle past the SDK's
                    # batch timer (2 s), which would otherwise race the observation window.
                    settle=STRICT_SETTLE_S,
                    **extra,
                )

            a = strict(canaries)
            other = standard_set([])
            b = strict(other, presence=False)
            rows_a = judged('strict A', a, canaries, strict_base)
            rows_b = judged('strict B (other secrets)', b, other, strict_base)
            report.findings.extend(compare(egress(rows_a, a), egress(rows_b, b), 'secrets changed'))
            if automation:
                c = strict(canaries, webdriver=False)
                rows_c = judged('strict C (no webdriver)', c, canaries, strict_base)
                if a.webdriver == c.webdriver:
                    raise AuditError('navigator.webdriver was the same with and without automation signals')
                report.findings.extend(compare(egress(rows_a, a), egress(rows_c, c), 'automation signals'))
        else:
            report.notes.append('strict differential runs skipped: no strict-mode URL given (--strict-url)')
    except AuditError:
        raise
    except Exception as error:  # the browser or the page failed: the audit proves nothing
        raise AuditError(f'{type(error).__name__}: {error}') from error
    report.findings = _dedupe(report.findings)
    report.seconds = time.monotonic() - started
    if out is not None:
        write(report, out)
    return report


def load_manifest(given, sdk_base: str | None) -> dict | None:
    """The build's manifest: `given` (a path or its data), else manifest.json beside the loader."""
    if isinstance(given, dict):
        return given
    try:
        if given is not None:
            return json.loads(Path(given).read_text())
        if sdk_base:
            with urllib.request.urlopen(sdk_base + 'manifest.json', timeout=10) as response:
                return json.loads(response.read())
    except (OSError, ValueError) as error:
        if given is not None:
            raise AuditError(f'manifest: {error}') from error
    return None


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, unique = set(), []
    for f in findings:
        key = (f.channel, f.source, f.detail.split(' found as ')[0], f.request)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def write(report: Report, out: Path) -> None:
    from sdk.audit.report import render_html

    out.mkdir(parents=True, exist_ok=True)
    data = report.as_dict()
    (out / 'report.json').write_text(json.dumps(data, indent=2, sort_keys=True) + '\n')
    (out / 'report.html').write_text(render_html(data))


__all__ = ['audit', 'Report', 'AuditError', 'needles', 'write']
