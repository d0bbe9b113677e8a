"""Judging a run (AUDIT §1, §4, §6): reconcile the three captures into one list of requests,
explain each one, search everything the SDK sent for every canary in every encoding, and check
the exact rules: the wire schema, no Cookie, no Referer, no page URL when page tracking is off,
no raw user ID, storage only under `uf:` and no cookie set.

A request is explained as one of:
- `sdk-file`: GET of a file the build's manifest lists (the loader, the core, a chunk), from
  where the loader was loaded, with the manifest's SRI hash, at most once per page load;
- `content`: GET {endpoint}/v1/content/{the token the app passed to init}, no query, at most
  once per page load;
- `events`: POST {endpoint}/v1/events whose body validates against the wire schema and whose
  every event is bound to what caused it (sdk.audit.binding);
- `content-image`: GET of an image a body of the content the SDK received names by its path
  (`![alt](/path)`, pure/bodies.py), on the page's origin, at most once per page load (the
  SDK loads every image when the content arrives, so a second request could tell a step);
- `page`: the page's own traffic, seen in the baseline run with the SDK blocked (same method,
  origin and URL; its URL and headers may hold only the canaries the baseline's did);
- `browser`: started by Chromium itself (no initiator, unseen by the page), attributed;
anything else is `unexplained`, a finding. Below HTTP, speculative host lookups (dns-prefetch,
preconnect) from the page's partition the baseline did not make, and sockets to origins no
request went to, are findings too.
"""

import gzip
import json
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import brotli
import jsonschema

from sdk.audit import words
from sdk.audit.binding import hmac_hex
from sdk.audit.encodings import Index

SDK_FILE = re.compile(r'userflow\.js|userflow-[a-z0-9]+\.[0-9a-f]{12}\.js')
CONTENT = re.compile(r'/v1/content/[A-Za-z0-9_-]{1,128}')
SDK_VERDICTS = ('sdk-file', 'content', 'events', 'content-image')


@dataclass
class Finding:
    channel: str  # where: url, header:<name>, body, websocket, netlog-bytes, udp, storage:<kind>, cookie, ...
    source: str  # which canary source (or rule) it is about
    detail: str
    request: str = ''

    def as_dict(self):
        return {
            'channel': self.channel,
            'source': self.source,
            'detail': self.detail,
            'request': self.request,
        }


@dataclass
class Row:
    method: str
    url: str
    seen: set = field(default_factory=set)
    count: dict = field(default_factory=dict)  # capture -> how many times
    copies: list = field(default_factory=list)  # (capture, headers [(k, v)], body bytes)
    initiator: str | None = None
    verdict: str = ''
    hits: list = field(default_factory=list)  # (part, source, form)
    notes: list = field(default_factory=list)  # what the report says without it being a finding

    def wire_copies(self) -> list:
        """Copies as they went on the wire (NetLog socket bytes, the sink) when there are any:
        Playwright may report provisional headers (a Referer computed before the request's own
        referrer policy applied) for a request cut short by an unload."""
        wire = [c for c in self.copies if c[0] != 'playwright']
        return wire or self.copies

    @property
    def size(self) -> int:
        return max((len(body) for _, _, body in self.copies), default=0)

    def as_dict(self):
        return {
            'method': self.method,
            'url': self.url,
            'seen_by': sorted(self.seen),
            'count': max(self.count.values(), default=1),
            'size': self.size,
            'verdict': self.verdict,
            'hits': [{'part': p, 'source': s, 'form': f} for p, s, f in self.hits],
            'initiator': self.initiator,
        }


def decompress(body: bytes, headers: list) -> bytes:
    encoding = next((v.lower() for k, v in headers if k.lower() == 'content-encoding'), '')
    try:
        if encoding == 'gzip' or body[:2] == b'\x1f\x8b':
            return gzip.decompress(body)
        if encoding == 'deflate':
            return zlib.decompress(body)
        if encoding == 'br':
            return brotli.decompress(body)
    except Exception:  # not what it claims: search the bytes as they are
        return body
    return body


def reconcile(capture) -> list[Row]:
    rows: dict[tuple, Row] = {}

    def row(method: str, url: str, capture_name: str) -> Row:
        key = (method.upper(), url.split('#')[0])
        if key not in rows:
            rows[key] = Row(*key)
        r = rows[key]
        r.seen.add(capture_name)
        return r

    for message in capture.netlog.messages:
        r = row(message.method, message.url, 'netlog')
        r.copies.append(('netlog', message.headers, message.body))
    for request in capture.netlog.requests:
        r = row(request.method, request.url, 'netlog')
        r.count['netlog'] = r.count.get('netlog', 0) + 1
        if r.initiator is None:
            r.initiator = request.initiator
    for request in capture.requests:
        r = row(request['method'], request['url'], 'playwright')
        r.count['playwright'] = r.count.get('playwright', 0) + 1
        r.copies.append(('playwright', list(request['headers'].items()), request['body']))
    for recorded, url in capture.sink:  # the URL as the browser wrote it: Host header + target
        r = row(recorded.method, url, 'sink')
        r.count['sink'] = r.count.get('sink', 0) + 1
        r.copies.append(('sink', list(recorded.headers.items()), recorded.body))
    for ws in capture.websockets:
        r = row('WS', ws['url'], 'playwright')
        for frame in ws['frames']:
            r.copies.append(('playwright', [], frame))
    for url in capture.netlog.websockets:
        row('WS', url, 'netlog')
    return list(rows.values())


@dataclass
class Context:
    """What a judgement needs to know besides the capture."""

    index: Index
    sdk_base: str | None  # where the loader came from (its folder)
    endpoint: str  # the events/content origin
    baseline: set  # (method, url) of the page's own traffic
    baseline_storage: dict
    baseline_cookies: set
    page_url: str
    page_tracking: bool | None
    user_id: str | None
    validator: jsonschema.Draft202012Validator
    canaries: dict = field(default_factory=dict)  # this run's source -> canary
    manifest: dict | None = None  # the build's manifest.json, when found
    binder: object = None  # sdk.audit.binding.Binder for this run
    baseline_sources: dict = field(default_factory=dict)  # (method, url) -> canaries it carried
    baseline_lookups: list = field(default_factory=list)  # the baseline's speculative lookups

    def normal(self, text: str) -> str:
        """`text` with this run's canaries replaced by their source names: a run with other
        secrets compares equal to the baseline where only the secrets differ."""
        return normalize(text, self.canaries)


def normalize(text: str, canaries: dict) -> str:
    for source, value in sorted(canaries.items(), key=lambda item: -len(item[1])):
        text = text.replace(value, '{' + source + '}')
    return text


def sdk_base_of(capture) -> str | None:
    for request in capture.requests:
        if urlsplit(request['url']).path.endswith('/userflow.js'):
            return request['url'].split('?')[0].rsplit('/', 1)[0] + '/'
    return None


def manifest_files(manifest: dict | None) -> dict:
    """name -> SRI hash of every file a page may load from the loader's folder."""
    files = (manifest or {}).get('files', {})
    return {k: v.get('sha384') for k, v in files.items() if '/' not in k and k.endswith('.js')}


def classify(r: Row, ctx: Context) -> str:
    parts = urlsplit(r.url)
    name = parts.path.rsplit('/', 1)[-1]
    own_blob = 'blob:' + _origin(ctx.page_url) + '/'
    if r.method == 'GET' and parts.scheme == 'blob' and r.url.startswith(own_blob):
        # A Blob URL of the page's own origin is read from memory and never leaves the browser
        # (the npm package runs its core and chunks from them).
        return 'local'
    if (
        r.method == 'GET'
        and ctx.sdk_base
        and r.url.startswith(ctx.sdk_base)
        and (name in manifest_files(ctx.manifest) if ctx.manifest else SDK_FILE.fullmatch(name))
        and '/' not in r.url[len(ctx.sdk_base) :]
        and not parts.query
    ):
        return 'sdk-file'
    if (
        r.method == 'GET'
        and r.url.startswith(ctx.endpoint + '/v1/content/')
        and CONTENT.fullmatch(parts.path)
        and not parts.query
    ):
        return 'content'
    if r.method == 'POST' and r.url == ctx.endpoint + '/v1/events':
        return 'events'
    if (
        'playwright' not in r.seen
        and r.initiator in ('not an origin', '', None)
        and parts.hostname not in ('127.0.0.1', 'localhost', urlsplit(ctx.page_url).hostname)
    ):
        return 'browser'
    if (r.method, ctx.normal(r.url)) in ctx.baseline:
        return 'page'
    if (
        r.method == 'GET'
        and _origin(r.url) == _origin(ctx.page_url)
        and not parts.query
        and ctx.binder is not None
        and parts.path in content_images(ctx.binder.contents)
    ):
        return 'content-image'
    if (
        r.method == 'GET'
        and parts.path == '/favicon.ico'
        and not parts.query
        and _origin(r.url) == _origin(ctx.page_url)
    ):
        return 'page'  # the browser asks the page's origin (only) for its icon, SDK or not
    return 'unexplained'


def content_images(contents) -> set:
    """The paths of the images the bodies of `contents` (JSON texts) show: every string of the
    content is parsed as rich text, the way the SDK does (it loads them all on arrival)."""
    from userflow.pure.bodies import images

    found = set()

    def walk(node):
        if isinstance(node, str):
            found.update(src for src in images(node) if src.startswith('/'))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for body in contents:
        try:
            walk(json.loads(body))
        except ValueError:
            continue
    return found


def judge(capture, ctx: Context) -> tuple[list[Row], list[Finding]]:
    rows = reconcile(capture)
    findings: list[Finding] = []
    page = urlsplit(ctx.page_url)
    page_forms = {ctx.page_url.split('#')[0], f'{page.scheme}://{page.netloc}{page.path}'}
    if len(page.path) > 4:
        page_forms.add(page.path)
    for r in rows:
        r.verdict = classify(r, ctx)
        label = f'{r.method} {r.url}'
        if r.verdict == 'page':
            # The page's own traffic carries the page's own URL and cookies; but a canary in the
            # body of the page's own request is the page leaking what the user typed (a widget,
            # an analytics tag): reported, though it is not the SDK's doing.
            found = {
                hit for _, headers, body in r.copies for hit in ctx.index.search(decompress(body, headers))
            }
            for source, form in sorted(found):
                r.hits.append(('body', source, form))
                detail = words.canary(source, form, 'body') + " of the page's own request, not the SDK's"
                findings.append(Finding('body', source, detail, label))
            # Its URL and headers may carry what the same request carried in the baseline (the
            # page's own URL, its own cookie) and nothing more.
            allowed = ctx.baseline_sources.get((r.method, ctx.normal(r.url)))
            if allowed is None:  # the icon: what the page's own document request carried
                allowed = ctx.baseline_sources.get(('GET', ctx.normal(ctx.page_url.split('#')[0])), set())
            for part, source, form in _search_row(r, ctx.index):
                if part != 'body' and source not in allowed:
                    r.hits.append((part, source, form))
                    findings.append(
                        Finding(
                            part,
                            source,
                            words.canary(source, form, part) + ' of a request '
                            "shaped like the page's own, which never carried it",
                            label,
                        )
                    )
            continue
        if r.verdict == 'unexplained':
            findings.append(
                Finding(
                    'request',
                    'unexplained',
                    f'a request the SDK has no reason to make (seen by {", ".join(sorted(r.seen))})',
                    label,
                )
            )
        if (
            r.verdict == 'unexplained'
            and r.method == 'GET'
            and SDK_FILE.fullmatch(urlsplit(r.url).path.rsplit('/', 1)[-1])
            and ctx.manifest
        ):
            findings.append(
                Finding(
                    'sdk-file',
                    'sdk-file-manifest',
                    "a file named like an SDK file that the build's manifest does not list",
                    label,
                )
            )
        if r.method == 'WS':
            findings.append(
                Finding('websocket', 'unexplained', 'a WebSocket: the SDK never opens one', label)
            )
        for part, source, form in _search_row(r, ctx.index):
            if part == 'header:cookie' and _self_hosted_file(r, ctx):
                continue  # the site's own cookie to its own origin (see _rules)
            r.hits.append((part, source, form))
            findings.append(Finding(part, source, words.canary(source, form, part), label))
        if r.verdict in SDK_VERDICTS:
            findings.extend(_rules(r, ctx, page_forms, label))
        when = capture.phase(_first_seen(capture, r))
        if when in ('observation window', 'second visit'):
            said = (
                'on the second visit'
                if when == 'second visit'
                else 'in the observation window, after the clock was advanced'
            )
            for f in findings:
                if f.request == label and said not in f.detail:
                    f.detail += f' ({said})'
    findings.extend(_counts(rows, capture, ctx))
    findings.extend(_events(rows, capture, ctx))
    findings.extend(_below_http(rows, capture, ctx))
    for channel, where, haystacks in (
        ('netlog-bytes', 'in raw socket bytes', capture.netlog.leftovers),
        ('udp', 'in a UDP datagram', capture.netlog.udp_bytes),
    ):
        for haystack in haystacks:
            for source, form in ctx.index.search(haystack):
                detail = f'{words.source(source)} found as {form}: {words.form(form)}, {where}'
                findings.append(Finding(channel, source, detail))
    for frame in capture.sink_ws:
        for source, form in ctx.index.search(frame):
            findings.append(
                Finding(
                    'websocket',
                    source,
                    f'{words.source(source)} found as {form}: {words.form(form)}, '
                    'in a WebSocket frame (at the sink)',
                )
            )
    findings.extend(_storage(capture, ctx))
    return rows, _unique(findings)


def _first_seen(capture, r: Row) -> float | None:
    times = [
        q['t']
        for q in capture.requests
        if q['method'] == r.method and q['url'].split('#')[0] == r.url and 't' in q
    ]
    return min(times) if times else None


def _counts(rows: list[Row], capture, ctx: Context) -> list[Finding]:
    """SDK files and content at most once per page load; content only for the app's token;
    each SDK file with the manifest's hash."""
    found = []
    loads = max(capture.loads, 1)
    sri = manifest_files(ctx.manifest)
    tokens = ctx.binder.tokens if ctx.binder else set()
    for r in rows:
        label = f'{r.method} {r.url}'
        times = max(r.count.values(), default=1)
        if r.verdict in ('sdk-file', 'content', 'content-image') and times > loads:
            found.append(
                Finding(
                    r.verdict,
                    f'{r.verdict}-count',
                    f'requested {times} times in {loads} page loads (at most once per page load)',
                    label,
                )
            )
        if r.verdict == 'content' and tokens and urlsplit(r.url).path.rsplit('/', 1)[-1] not in tokens:
            found.append(
                Finding('content', 'content-token', 'content for a token the app never passed to init', label)
            )
        if r.verdict == 'sdk-file' and ctx.manifest:
            name = urlsplit(r.url).path.rsplit('/', 1)[-1]
            for digest in set(capture.files.get(r.url, [])) - {sri.get(name)}:
                found.append(
                    Finding(
                        'sdk-file',
                        'sdk-file-manifest',
                        f"the file served ({digest[:20]}...) is not the one the build's manifest lists",
                        label,
                    )
                )
    return found


def _events(rows: list[Row], capture, ctx: Context) -> list[Finding]:
    """Every event in every events body bound to its cause (sdk.audit.binding)."""
    if ctx.binder is None:
        return []
    found, events, seen = [], [], set()
    for r in rows:
        if r.verdict != 'events':
            continue
        label = f'{r.method} {r.url}'
        for _, _, raw in r.wire_copies():
            try:
                body = json.loads(raw)
            except ValueError:
                continue  # the schema rule says so
            if not isinstance(body, dict):
                continue
            for problem in ctx.binder.body(body):
                found.append(Finding('events', 'events-envelope', problem, label))
            for event in body.get('batch') or []:
                if isinstance(event, dict) and event.get('id') not in seen:
                    seen.add(event.get('id'))
                    events.append((event, label))
    events.sort(key=lambda pair: pair[0].get('seq') if isinstance(pair[0].get('seq'), int) else 0)
    for event, label in events:
        for rule, problem in ctx.binder.event(event):
            found.append(Finding('events', rule, problem, label))
    for problem in ctx.binder.sequence([e for e, _ in events], capture.loads):
        found.append(Finding('events', 'events-seq', problem))
    return found


def _below_http(rows: list[Row], capture, ctx: Context) -> list[Finding]:
    """Lookups and sockets no request explains: speculative lookups (dns-prefetch, preconnect)
    from the page's partition beyond the baseline's, and sockets to origins no request named."""
    found = []
    host = urlsplit(ctx.page_url).hostname or ''
    origins = {_origin(r.url) for r in rows} | {_origin(q.url) for q in capture.netlog.requests}
    # A lookup of an origin the run requested anyway (Chromium's own predictor warms the SDK's
    # origin on the second visit) is explained by that request.
    mine = [
        (h, p)
        for h, speculative, p in capture.netlog.lookups
        if speculative and host in p and h not in origins
    ]
    extra = len(mine) - len([(h, p) for h, p in ctx.baseline_lookups if h not in origins])
    if extra > 0:
        found.append(
            Finding(
                'dns',
                'below-http',
                f'{extra} speculative host lookup(s) (dns-prefetch or '
                'preconnect) from the page that the page without the SDK never made; '
                "the host names are hidden by the audit's resolver rules",
            )
        )
    for origin in dict.fromkeys(capture.netlog.sockets):
        if origin.startswith('http') and origin not in origins and host in origin:
            found.append(Finding('socket', 'below-http', f'a connection to {origin}, where no request went'))
    return found


def _self_hosted_file(r: Row, ctx: Context) -> bool:
    """An SDK file (or a content image) loaded from the page's own origin, which a script (or
    image) element cannot load without that origin's cookies."""
    return r.verdict in ('sdk-file', 'content-image') and _origin(r.url) == _origin(ctx.page_url)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f'{parts.scheme}://{parts.netloc}'


def _search_row(r: Row, index: Index) -> list[tuple]:
    hits = [('url', source, form) for source, form in index.search(r.url.encode())]
    for _, headers, _ in r.wire_copies():
        for name, value in headers:
            for source, form in index.search(f'{name}: {value}'.encode()):
                hits.append((f'header:{name.lower()}', source, form))
    for _, headers, body in r.copies:
        for source, form in index.search(decompress(body, headers)):
            hits.append(('websocket' if r.method == 'WS' else 'body', source, form))
    return sorted(set(hits))


def _rules(r: Row, ctx: Context, page_forms: set, label: str) -> list[Finding]:
    found = []
    for _, headers, body in r.wire_copies():
        names = {k.lower() for k, _ in headers}
        if 'cookie' in names and _self_hosted_file(r, ctx):
            # Self-hosting on the page's own origin (the README's recommended install): a script
            # element cannot omit credentials for a same-origin load, and the page already sends
            # this origin its cookies. A note, not a finding; any other cookie stays a finding.
            r.notes.append(
                'first-party credentials on SDK file loads; host the SDK on a cookieless '
                'origin to remove them'
            )
        elif 'cookie' in names:
            found.append(Finding('header:cookie', 'cookie', 'a Cookie header on an SDK request', label))
        if 'referer' in names:
            found.append(Finding('header:referer', 'referer', 'a Referer header on an SDK request', label))
        text = (
            r.url + '\n' + '\n'.join(f'{k}: {v}' for k, v in headers) + '\n' + body.decode('utf-8', 'replace')
        )
        if ctx.page_tracking is False:
            for form in page_forms:
                if form in text:
                    found.append(
                        Finding('page-url', 'url', f'the page URL ({form}) with page tracking off', label)
                    )
        if ctx.user_id and ctx.user_id in text:
            found.append(Finding('user-id', 'user-id', 'the raw user ID', label))
        if r.verdict == 'events' and body:
            try:
                ctx.validator.validate(json.loads(body))
            except (ValueError, jsonschema.ValidationError) as error:
                message = getattr(error, 'message', str(error))
                found.append(
                    Finding(
                        'schema', 'wire-schema', f'events body breaks the wire schema: {message[:200]}', label
                    )
                )
    return found


def _storage(capture, ctx: Context) -> list[Finding]:
    found = []
    for kind, key in (('localStorage', 'local'), ('sessionStorage', 'session')):
        before = ctx.baseline_storage.get(key, {})
        for name, value in capture.storage.get(key, {}).items():
            if before.get(name) == ctx.normal(value) and not name.startswith('uf:'):
                continue  # the page's own entry, unchanged
            if not name.startswith('uf:'):
                found.append(Finding(f'storage:{kind}', 'storage', f'a key outside uf: ("{name}")'))
            elif ctx.binder is not None:
                from sdk.audit.binding import storage_problems

                schema = _event_schema(ctx)
                for problem in storage_problems(name, value, ctx.binder, ctx.binder.contents, schema):
                    found.append(Finding(f'storage:{kind}', 'storage-schema', problem))
            for source, form in ctx.index.search(f'{name}={value}'.encode()):
                found.append(
                    Finding(
                        f'storage:{kind}',
                        source,
                        f'{words.source(source)} found as {form}: '
                        f'{words.form(form)}, in the {kind} entry "{name}"',
                    )
                )
    for kind in ('indexedDB', 'caches'):  # the SDK uses neither: anything new is a finding
        for name in set(capture.storage.get(kind, [])) - set(ctx.baseline_storage.get(kind, [])):
            found.append(Finding(f'storage:{kind}', 'storage', f'a new {kind} store "{name}"'))
    for cookie in capture.cookies:
        if (cookie['name'], cookie['domain']) not in ctx.baseline_cookies:
            found.append(
                Finding('cookie', 'cookie-set', f'a cookie was set: {cookie["name"]} on {cookie["domain"]}')
            )
            for source, form in ctx.index.search(f'{cookie["name"]}={cookie["value"]}'.encode()):
                found.append(
                    Finding(
                        'cookie',
                        source,
                        f'{words.source(source)} found as {form}: {words.form(form)}, '
                        f'in the cookie "{cookie["name"]}"',
                    )
                )
    name = ctx.normal(capture.storage.get('windowName') or '')
    if name != ctx.baseline_storage.get('windowName'):
        found.append(Finding('storage:window.name', 'window-name', 'window.name was changed'))
    return found


def _event_schema(ctx: Context):
    schema = dict(ctx.validator.schema)
    return jsonschema.Draft202012Validator(
        {**schema, '$ref': '#/$defs/event', 'required': [], 'properties': {}, 'additionalProperties': True}
    )


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.channel, f.source, f.request, f.detail)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def egress(rows: list[Row], capture=None, loose: bool = False) -> dict:
    """What the SDK (and anything unexplained) sent, for comparing two runs: the events bodies in
    order, each with when it left (`capture.phase`: while the page was open, at page hide, ...),
    and every other request with its count and body (order-insensitive: file and content loads
    may race). `loose` (the default mode, nothing pinned): the events one by one, with `id` and
    `ts` set aside, an anonymous user (the HMAC of an ID the SDK drew and stored, which differs
    between runs) named as such, batching ignored, flow events left out."""
    anonymous = _anonymous_users(capture) if loose else set()
    events, others = [], []
    for r in rows:
        if r.verdict in ('page', 'browser', 'local'):  # local: a Blob URL's random name, no egress
            continue
        bodies = (
            [body for name, _, body in r.copies if name == 'sink']
            or [body for name, _, body in r.copies if name == 'netlog']
            or [body for name, _, body in r.copies]
        )
        if r.verdict == 'events' and loose:
            for body in bodies:
                try:
                    batch = json.loads(body)['batch']
                except (ValueError, KeyError, TypeError):
                    events.append(body)
                    continue
                for event in batch:
                    # Flow events say what conditions found (the analytics level's opt-in); at
                    # any other level one is a finding of its own (events-flow).
                    if isinstance(event, dict) and event.get('type') != 'flow':
                        kept = {k: v for k, v in event.items() if k not in ('id', 'ts')}
                        if kept.get('user') in anonymous:
                            kept['user'] = 'an anonymous ID'
                        events.append(json.dumps(kept, sort_keys=True).encode())
        elif r.verdict == 'events':
            for body in bodies:
                events.append((_phase(capture, r, body), body) if capture is not None else ('', body))
        else:
            others.append((r.method, r.url, max(r.count.values(), default=1), sorted(bodies)))
    if loose:
        events = sorted(events)  # a copy sent twice counts twice
        return {'events': [('', e) for e in events], 'others': sorted(others)}
    return {'events': events, 'others': sorted(others)}


def _anonymous_users(capture) -> set:
    if capture is None:
        return set()
    inits = [args for method, args in capture.calls if method == 'init' and args]
    tokens = {args[0] for args in inits if isinstance(args[0], str)}
    stored = [capture.storage.get('local', {}).get('uf:anon'), *capture.anonymous]
    return {hmac_hex(t, a) for t in tokens for a in stored if isinstance(a, str) and a}


def _phase(capture, r: Row, body: bytes) -> str:
    times = [
        q['t']
        for q in capture.requests
        if q['method'] == r.method and q['url'] == r.url and q['body'] == body and 't' in q
    ]
    return capture.phase(min(times) if times else None)


def compare(a: dict, b: dict, what: str) -> list[Finding]:
    found = []
    if len(a['events']) != len(b['events']):
        found.append(
            Finding('differential', what, f'{len(a["events"])} vs {len(b["events"])} events requests')
        )
    else:
        for i, ((when_x, x), (when_y, y)) in enumerate(zip(a['events'], b['events'], strict=True)):
            if x != y:
                first = next(j for j in range(min(len(x), len(y)) + 1) if x[j : j + 1] != y[j : j + 1])
                found.append(
                    Finding(
                        'differential',
                        what,
                        f'events request {i + 1} differs: '
                        f'{len(x)} vs {len(y)} bytes; first difference at byte {first}',
                    )
                )
            elif when_x != when_y:
                found.append(
                    Finding(
                        'differential',
                        what,
                        f'events request {i + 1} left at a different '
                        f'time: {when_x or "?"} in one run, {when_y or "?"} in the other',
                    )
                )
    if a['others'] != b['others']:
        left = {(m, u, c) for m, u, c, _ in a['others']}
        right = {(m, u, c) for m, u, c, _ in b['others']}
        found.append(
            Finding(
                'differential',
                what,
                f'other requests differ: only in the first run '
                f'{sorted(left - right)}, only in the second {sorted(right - left)}',
            )
        )
    return found
