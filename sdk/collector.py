"""A real HTTP server for development and tests: dist/, fixtures/, and a recording events sink.

- `GET /dist/...`, `GET /fixtures/...`: static files. In HTML, `{{NONCE}}` becomes a fresh
  per-response nonce and `{{DIST}}` the origin given as `?dist=` (loopback only; default: this
  server). `/vendor/*.js` serves Vue and vue-router from node_modules; unknown paths under
  /fixtures/spa/ serve the SPA's index.html (history routing). `?csp=strict` adds a strict
  Content-Security-Policy with that nonce (no unsafe-*, Trusted Types required; `&tt=name`
  allows an app's own policy) and a report-uri that records violations.
- `POST /v1/events`: the body is validated against ../shared/wire-schema.json; 204 when valid,
  400 with the JSON path of the first violation otherwise; 429 (Retry-After) past the token's
  rate, 503 (Retry-After) past the concurrency cap. Accepted events go to SQLite, once per id.
  Every request (method, path, headers, body, time) is recorded, so tests see what arrived.
- Fault injection (tests, from Python): `sink.fail_next(n, status, retry_after)`,
  `sink.set_down(True/False)` (connections dropped unanswered), `sink.set_delay(seconds)`.
- `GET /v1/content/{token}`: flow content from fixtures/content/{token}.json with an ETag
  (304 on a matching If-None-Match), or 404.

CORS allows any origin for the simple `text/plain` POST; no cookie is ever set. With HTTPS
(a locally generated CA), every response carries Strict-Transport-Security.
"""

import hashlib
import json
import mimetypes
import os
import re
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, parse_qs

import jsonschema

from sdk import ROOT
from sdk.errors import SdkError
from sdk.limits import Gate, TokenBuckets
from sdk.store import EventStore

# The one wire schema, shared with the product's servers; never copied into this repository.
SCHEMA_PATH = Path(os.environ.get('USERFLOW_WIRE_SCHEMA', ROOT.parent / 'shared' / 'wire-schema.json'))
HSTS = 'max-age=63072000; includeSubDomains; preload'
STRICT_CSP = ("default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic'; "
              "style-src 'self'; object-src 'none'; base-uri 'none'; "
              "require-trusted-types-for 'script'; trusted-types userflow userflow-chunks{policies}; "
              "report-uri /csp-report")


# Framework builds for the SPA fixture, from the npm packages (runtime-only Vue: no eval).
VENDOR = {'/vendor/vue.js': 'node_modules/vue/dist/vue.runtime.global.prod.js',
          '/vendor/vue-router.js': 'node_modules/vue-router/dist/vue-router.global.prod.js'}


def load_schema() -> dict:
    if not SCHEMA_PATH.is_file():
        raise SdkError(f'wire schema not found at {SCHEMA_PATH}: check out ../shared next to '
                       'this repository or set USERFLOW_WIRE_SCHEMA')
    return json.loads(SCHEMA_PATH.read_text())


def first_violation(body: bytes, validator) -> str | None:
    """None when `body` is a valid events body, else the JSON path and message of the first
    violation."""
    try:
        document = json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as error:
        return f'$: not JSON ({error})'
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        return f'{error.json_path}: {error.message}'
    return None


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes
    status: int
    at: float = field(default_factory=time.monotonic)  # arrival, for tests of timing

    def json(self):
        return json.loads(self.body.decode('utf-8'))


@dataclass
class Sink:
    requests: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    csp_reports: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Fault injection for tests: the next `fail` events POSTs get `status` (with Retry-After
    # when set); while `down`, every events POST has its connection dropped unanswered.
    faults: dict = field(default_factory=lambda: {'fail': 0, 'status': 503, 'retry_after': None,
                                                  'down': False, 'delay': 0.0})
    store: EventStore = field(default_factory=EventStore)

    def fail_next(self, count: int, status: int = 503, retry_after: str | None = None) -> None:
        with self.lock:
            self.faults.update(fail=count, status=status, retry_after=retry_after)

    def set_down(self, down: bool) -> None:
        with self.lock:
            self.faults['down'] = down

    def set_delay(self, seconds: float) -> None:
        """Answer every events POST `seconds` late (a slow server)."""
        with self.lock:
            self.faults['delay'] = seconds

    def events_posts(self) -> list:
        with self.lock:
            return [r for r in self.requests if r.path == '/v1/events' and r.method == 'POST']

    def events(self) -> list:
        """Accepted events in arrival order, each once (from the SQLite store)."""
        return self.store.events()

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.violations.clear()
            self.csp_reports.clear()
            self.faults.update(fail=0, status=503, retry_after=None, down=False, delay=0.0)
        self.store.clear()


def make_handler(sink: Sink, root: Path, buckets: TokenBuckets, gate: Gate, https: bool):
    validator = jsonschema.Draft202012Validator(load_schema())

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):  # keep test output clean
            pass

        def _record(self, body: bytes, status: int) -> None:
            with sink.lock:
                sink.requests.append(Recorded(self.command, urlsplit(self.path).path,
                                              {k.lower(): v for k, v in self.headers.items()},
                                              body, status))

        def _send(self, status: int, body: bytes = b'', kind: str = 'text/plain',
                  headers: dict | None = None, received: bytes = b'') -> None:
            self._record(received, status)
            self.send_response(status)
            self.send_header('Content-Type', kind)
            self.send_header('Content-Length', str(len(body)))
            self.send_header('Access-Control-Allow-Origin', '*')
            if 'ETag' not in (headers or {}):
                self.send_header('Cache-Control', 'no-store')
            if https:
                self.send_header('Strict-Transport-Security', HSTS)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(body)

        def _body(self) -> bytes:
            length = int(self.headers.get('Content-Length') or 0)
            return self.rfile.read(length) if length else b''

        def do_OPTIONS(self):
            self._send(204, headers={'Access-Control-Allow-Methods': 'GET, POST',
                                     'Access-Control-Max-Age': '600'})

        def do_POST(self):
            body = self._body()
            path = urlsplit(self.path).path
            if path == '/v1/events':
                with sink.lock:
                    faults = dict(sink.faults)
                    if faults['fail'] > 0 and not faults['down']:
                        sink.faults['fail'] -= 1
                if faults['delay']:
                    time.sleep(faults['delay'])
                if faults['down']:
                    self._record(body, 0)
                    self.close_connection = True  # the client sees a network error
                    return
                if faults['fail'] > 0:
                    extra = {'Access-Control-Expose-Headers': 'Retry-After'}
                    if faults['retry_after'] is not None:
                        extra['Retry-After'] = faults['retry_after']
                    return self._send(faults['status'], b'fault injected', headers=extra, received=body)
                if not gate.enter():
                    return self._send(503, b'busy', headers=_retry_after(1), received=body)
                try:
                    return self._events(body)
                finally:
                    gate.leave()
            if path == '/csp-report':
                with sink.lock:
                    sink.csp_reports.append(body.decode('utf-8', 'replace'))
                return self._send(204, received=body)
            self._send(404, b'not found', received=body)

        def _events(self, body: bytes):
            problem = first_violation(body, validator)
            if problem:
                with sink.lock:
                    sink.violations.append(problem)
                return self._send(400, problem.encode(), received=body)
            document = json.loads(body)
            wait = buckets.take(document['token'])
            if wait is not None:
                return self._send(429, b'slow down', headers=_retry_after(wait), received=body)
            sink.store.add(document['token'], document['batch'])
            return self._send(204, received=body)

        def do_GET(self):
            url = urlsplit(self.path)
            if url.path.startswith('/v1/content/'):
                token = url.path.rsplit('/', 1)[-1]
                file = root / 'fixtures' / 'content' / f'{token}.json'
                if token.replace('-', '').replace('_', '').isalnum() and file.is_file():
                    data = file.read_bytes()
                    etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                    if self.headers.get('If-None-Match') == etag:
                        return self._send(304, headers={'ETag': etag})
                    return self._send(200, data, 'application/json', {'ETag': etag})
                return self._send(404, b'no content')
            if url.path == '/':
                return self._send(302, headers={'Location': '/fixtures/index.html'})
            file = (root / url.path.lstrip('/')).resolve()
            if url.path in VENDOR:
                file = root / VENDOR[url.path]
            elif url.path.startswith('/fixtures/spa/') and not file.is_file():
                file = root / 'fixtures' / 'spa' / 'index.html'  # history-mode fallback
            allowed = [(root / 'dist').resolve(), (root / 'fixtures').resolve(),
                       (root / 'node_modules').resolve()]
            if not any(file.is_relative_to(a) for a in allowed) or not file.is_file():
                return self._send(404, b'not found')
            data = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or 'application/octet-stream'
            headers = {}
            if file.suffix == '.html':
                nonce = secrets.token_urlsafe(16)
                data = data.replace(b'{{NONCE}}', nonce.encode())
                # ?dist=http://localhost:PORT loads the SDK from another origin (a CDN).
                dist = parse_qs(url.query).get('dist', [''])[0]
                if not re.fullmatch(r'http://(localhost|127\.0\.0\.1):\d{1,5}', dist):
                    dist = ''
                data = data.replace(b'{{DIST}}', dist.encode())
                if parse_qs(url.query).get('csp') == ['strict']:
                    # ?tt=name allows the app's own Trusted Types policies (Vue creates 'vue').
                    policies = ''.join(' ' + p for p in parse_qs(url.query).get('tt', [])
                                       if p.isalnum())
                    headers['Content-Security-Policy'] = STRICT_CSP.format(nonce=nonce,
                                                                           policies=policies)
                kind = 'text/html; charset=utf-8'
            elif kind == 'text/javascript' or file.suffix == '.js':
                kind = 'text/javascript; charset=utf-8'
            self._send(200, data, kind, headers)

        do_HEAD = do_GET

    return Handler


def _retry_after(seconds: int) -> dict:
    return {'Retry-After': str(seconds), 'Access-Control-Expose-Headers': 'Retry-After'}


class Collector:
    """The server in a background thread: `with Collector() as c: c.url`.

    Defaults: 20 events requests a second per token with bursts of 100, 16 at once; HTTP, or
    HTTPS with a locally generated CA (`https=True`; `c.ca` is the trustme CA, for clients);
    events in SQLite in memory, or in the file `db`."""

    def __init__(self, host: str = '127.0.0.1', port: int = 0, root: Path = ROOT, https: bool = False,
                 db: str = ':memory:', rate: float = 20, burst: int = 100, concurrency: int = 16):
        self.sink = Sink(store=EventStore(db))
        handler = make_handler(self.sink, root, TokenBuckets(rate, burst), Gate(concurrency), https)
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.ca = None
        if https:
            import trustme
            self.ca = trustme.CA()
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.ca.issue_cert(host, 'localhost', '127.0.0.1').configure_cert(context)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f'{"https" if https else "http"}://{host}:{self.port}'
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def serve_forever(host: str, port: int, https: bool = False, db: str = ':memory:') -> None:
    server = Collector(host, port, https=https, db=db)
    print(f'userflow dev server on {server.url}/ (dist/ at /dist/, fixtures at /fixtures/)',
          flush=True)
    try:
        server.server.serve_forever()
    except KeyboardInterrupt:
        pass
