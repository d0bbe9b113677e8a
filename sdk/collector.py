"""The dev server and collector (aiohttp): dist/, fixtures/, content, and the events collector.

- `GET /dist/...`, `GET /fixtures/...`: static files. In HTML, `{{NONCE}}` becomes a fresh
  per-response nonce and `{{DIST}}` the origin given as `?dist=` (loopback only; default: this
  server). `/vendor/*.js` serves Vue and vue-router from node_modules; unknown paths under
  /fixtures/spa/ serve the SPA's index.html (history routing). `?csp=strict` adds a strict
  Content-Security-Policy with that nonce (no unsafe-*, Trusted Types required; `&tt=name`
  allows an app's own policy) and a report-uri that records violations.
- `POST /v1/events`: the body is validated against the packaged wire schema
  (sdk/wire-schema.json); 204 when valid, 400 with the JSON path of the first violation
  otherwise; 429 (Retry-After) past the token's rate, 503 (Retry-After) past the concurrency
  cap. Accepted events go to SQLite, once per id.
  Every request (method, path, headers, body, time) is recorded, so tests see what arrived.
- Fault injection (tests, from Python): `sink.fail_next(n, status, retry_after)`,
  `sink.set_down(True/False)` (connections dropped unanswered), `sink.set_delay(seconds)`.
- `GET /v1/content/{token}`: flow content from fixtures/content/{token}.json with an ETag
  (304 on a matching If-None-Match), or 404.

CORS allows any origin for the simple `text/plain` POST; no cookie is ever set. With HTTPS
(a locally generated CA), every response carries Strict-Transport-Security.
"""

import asyncio
import hashlib
import json
import mimetypes
import os
import re
import secrets
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
from aiohttp import web

from sdk import ROOT
from sdk.errors import SdkError
from sdk.limits import TokenBuckets
from sdk.store import EventStore

# The wire schema ships in this package (a bare clone and an installed wheel both have it; a
# test keeps it equal to the copy shared with the product's servers). USERFLOW_WIRE_SCHEMA
# points the collector elsewhere.
SCHEMA_PATH = Path(os.environ.get('USERFLOW_WIRE_SCHEMA', Path(__file__).parent / 'wire-schema.json'))
HSTS = 'max-age=63072000; includeSubDomains; preload'
DROPPED = 599  # a response never sent: the connection was dropped (recorded as status 0)
STRICT_CSP = (
    "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic'; "
    "style-src 'self'; object-src 'none'; base-uri 'none'; "
    "require-trusted-types-for 'script'; trusted-types userflow userflow-chunks{policies}; "
    'report-uri /csp-report'
)


# Framework builds for the SPA fixture, from the npm packages (runtime-only Vue: no eval).
VENDOR = {
    '/vendor/vue.js': 'node_modules/vue/dist/vue.runtime.global.prod.js',
    '/vendor/vue-router.js': 'node_modules/vue-router/dist/vue-router.global.prod.js',
}


def load_schema() -> dict:
    if not SCHEMA_PATH.is_file():
        raise SdkError(f'wire schema not found at {SCHEMA_PATH} (USERFLOW_WIRE_SCHEMA)')
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
    target: str = ''  # path and query as sent (undecoded)

    def json(self):
        return json.loads(self.body.decode('utf-8'))


@dataclass
class Sink:
    requests: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    csp_reports: list = field(default_factory=list)
    ws_frames: list = field(default_factory=list)  # what arrived on /ws (the audit's self-test)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Fault injection for tests: the next `fail` events POSTs get `status` (with Retry-After
    # when set); while `down`, every events POST has its connection dropped unanswered.
    faults: dict = field(
        default_factory=lambda: {'fail': 0, 'status': 503, 'retry_after': None, 'down': False, 'delay': 0.0}
    )
    store: EventStore = field(default_factory=EventStore)
    arrived: int = 0  # events POSTs whose body has arrived, answered or not (a slow answer is in flight)

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
            self.ws_frames.clear()
            self.arrived = 0
            self.faults.update(fail=0, status=503, retry_after=None, down=False, delay=0.0)
        self.store.clear()


def make_app(
    sink: Sink, root: Path, buckets: TokenBuckets, concurrency: int, https: bool, served: dict
) -> web.Application:
    """The aiohttp application: static files and fixtures, content, the events collector.
    `served['dist']` is the folder served at /dist/ (the audit's self-test swaps in leaky builds)."""
    validator = jsonschema.Draft202012Validator(load_schema())
    inside = {'now': 0}  # events requests being handled (one event loop: no lock needed)

    @web.middleware
    async def common(request: web.Request, handler):
        body = await request.read()  # aiohttp keeps it: handlers read it again for free
        try:
            response = await handler(request)
        except web.HTTPException as error:
            response = error
        if isinstance(response, web.WebSocketResponse):  # already answered
            record(request, body, 101)
            return response
        response.headers['Access-Control-Allow-Origin'] = '*'
        if 'ETag' not in response.headers:  # what says how long it may be kept says so itself
            response.headers.setdefault('Cache-Control', 'no-store')
        if https:
            response.headers['Strict-Transport-Security'] = HSTS
        record(request, body, 0 if response.status == DROPPED else response.status)
        return response

    def record(request: web.Request, body: bytes, status: int) -> None:
        with sink.lock:
            sink.requests.append(
                Recorded(
                    request.method,
                    request.path,
                    {k.lower(): v for k, v in request.headers.items()},
                    body,
                    status,
                    target=request.raw_path,
                )
            )

    async def preflight(request):
        return web.Response(
            status=204, headers={'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Max-Age': '600'}
        )

    async def events(request):
        body = await request.read()
        with sink.lock:
            sink.arrived += 1
            faults = dict(sink.faults)
            if faults['fail'] > 0 and not faults['down']:
                sink.faults['fail'] -= 1
        if faults['delay']:
            await asyncio.sleep(faults['delay'])
        if faults['down']:
            request.transport.abort()  # the client sees a network error
            return web.Response(status=DROPPED)
        if faults['fail'] > 0:
            extra = {'Access-Control-Expose-Headers': 'Retry-After'}
            if faults['retry_after'] is not None:
                extra['Retry-After'] = faults['retry_after']
            return web.Response(status=faults['status'], text='fault injected', headers=extra)
        if inside['now'] >= concurrency:
            return web.Response(status=503, text='busy', headers=_retry_after(1))
        inside['now'] += 1
        try:
            problem = first_violation(body, validator)
            if problem:
                with sink.lock:
                    sink.violations.append(problem)
                return web.Response(status=400, text=problem)
            document = json.loads(body)
            wait = buckets.take(document['token'])
            if wait is not None:
                return web.Response(status=429, text='slow down', headers=_retry_after(wait))
            sink.store.add(document['token'], document['batch'])
            return web.Response(status=204)
        finally:
            inside['now'] -= 1

    async def csp_report(request):
        with sink.lock:
            sink.csp_reports.append((await request.read()).decode('utf-8', 'replace'))
        return web.Response(status=204)

    async def websocket(request):
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            with sink.lock:
                data = message.data
                sink.ws_frames.append(data if isinstance(data, bytes) else str(data).encode())
        return ws

    async def content(request):
        token = request.match_info['token']
        file = root / 'fixtures' / 'content' / f'{token}.json'
        if not (token.replace('-', '').replace('_', '').isalnum() and file.is_file()):
            return web.Response(status=404, text='no content')
        data = file.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        if request.headers.get('If-None-Match') == etag:
            return web.Response(status=304, headers={'ETag': etag})
        return web.Response(body=data, content_type='application/json', headers={'ETag': etag})

    async def static(request):
        path = request.path
        if path == '/':
            return web.Response(status=302, headers={'Location': '/fixtures/index.html'})
        file = (root / path.lstrip('/')).resolve()
        dist_dir = served['dist']
        if path.startswith('/dist/'):
            file = (dist_dir / path[len('/dist/') :]).resolve()
        if path in VENDOR:
            file = root / VENDOR[path]
        elif path.startswith('/fixtures/spa/') and not file.is_file():
            file = root / 'fixtures' / 'spa' / 'index.html'  # history-mode fallback
        # build/apps: the apps the bundler tests build from the npm package (e2e/test_bundlers.py)
        roots = ('fixtures', 'node_modules', 'bench/node_modules', 'bench/floor', 'build/apps')
        allowed = [dist_dir] + [(root / d).resolve() for d in roots]
        if not any(file.is_relative_to(a) for a in allowed) or not file.is_file():
            return web.Response(status=404, text='not found')
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or 'application/octet-stream'
        headers = {}
        if file.suffix == '.html':
            query = request.query
            nonce = secrets.token_urlsafe(16)
            data = data.replace(b'{{NONCE}}', nonce.encode())
            # ?dist=http://localhost:PORT loads the SDK from another origin (a CDN).
            dist = query.get('dist', '')
            if not re.fullmatch(r'http://(localhost|127\.0\.0\.1):\d{1,5}', dist):
                dist = ''
            data = data.replace(b'{{DIST}}', dist.encode())
            if query.get('csp') == 'strict':
                # ?tt=name allows the app's own Trusted Types policies (Vue creates 'vue').
                policies = ''.join(' ' + p for p in query.getall('tt', []) if p.isalnum())
                headers['Content-Security-Policy'] = STRICT_CSP.format(nonce=nonce, policies=policies)
            kind = 'text/html'
        elif file.suffix == '.js':
            kind = 'text/javascript'
        if file.is_relative_to(dist_dir):
            headers['Cache-Control'] = cache_control(file.name)
        elif path.startswith(('/bench/node_modules/', '/bench/floor/')):
            # The peers the benchmarks load (and bench/floor/, the design's floor), cached as a CDN
            # serves a versioned package, as ours are.
            headers['Cache-Control'] = IMMUTABLE
        charset = 'utf-8' if kind.startswith('text/') else None
        return web.Response(body=data, content_type=kind, charset=charset, headers=headers)

    app = web.Application(middlewares=[common], client_max_size=16 * 1024 * 1024)
    app.router.add_route('OPTIONS', '/{tail:.*}', preflight)
    app.router.add_post('/v1/events', events)
    app.router.add_post('/csp-report', csp_report)
    app.router.add_get('/v1/content/{token}', content)
    app.router.add_get('/ws', websocket)
    app.router.add_get('/{tail:.*}', static)
    return app


HASHED = re.compile(r'userflow-[a-z0-9]+\.[0-9a-f]{12}\.js(\.map)?')
IMMUTABLE = 'public, max-age=31536000, immutable'


def cache_control(name: str) -> str:
    """How long a browser may keep a file of dist/: the core and chunks are named by their
    content (and pinned by SRI), so never change; the loader and the rest are revalidated."""
    if HASHED.fullmatch(name):
        return IMMUTABLE
    return 'public, max-age=300' if name == 'userflow.js' else 'no-cache'


def _retry_after(seconds: int) -> dict:
    return {'Retry-After': str(seconds), 'Access-Control-Expose-Headers': 'Retry-After'}


class Collector:
    """The server (aiohttp) on its own event loop in a background thread:
    `with Collector() as c: c.url`.

    Defaults: 20 events requests a second per token with bursts of 100, 16 at once; HTTP, or
    HTTPS with a locally generated CA (`https=True`; `c.ca` is the trustme CA, for clients);
    events in SQLite in memory, or in the file `db`."""

    def __init__(
        self,
        host: str = '127.0.0.1',
        port: int = 0,
        root: Path = ROOT,
        https: bool = False,
        db: str = ':memory:',
        rate: float = 20,
        burst: int = 100,
        concurrency: int = 16,
        dist: Path | None = None,
    ):
        self.sink = Sink(store=EventStore(db))
        self.served = {'dist': (dist or root / 'dist').resolve()}
        self.app = make_app(self.sink, root, TokenBuckets(rate, burst), concurrency, https, self.served)
        try:
            self.socket = socket.create_server((host, port))
        except OSError as error:
            raise SdkError(f'cannot listen on {host}:{port}: {error.strerror or error}') from None
        self.port = self.socket.getsockname()[1]
        self.ca, self.context = None, None
        if https:
            import trustme

            self.ca = trustme.CA()
            self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.ca.issue_cert(host, 'localhost', '127.0.0.1').configure_cert(self.context)
        self.url = f'{"https" if https else "http"}://{host}:{self.port}'
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner = web.AppRunner(self.app, access_log=None, handle_signals=False)

    def use_dist(self, dist: Path) -> Path:
        """Serve another build at /dist/ from now on; returns the one served before."""
        before, self.served['dist'] = self.served['dist'], Path(dist).resolve()
        return before

    async def _start(self):
        await self.runner.setup()
        await web.SockSite(self.runner, self.socket, ssl_context=self.context).start()

    def __enter__(self):
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    def quiet(self, still: float = 0.3, limit: float = 3.0) -> None:
        """Wait until nothing has arrived for `still` seconds (at most `limit`): a closed page
        flushes its pending events with keepalive requests, which must land before the sink is
        read or cleared for the next test or run."""
        deadline = time.monotonic() + limit
        count, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now = len(self.sink.requests)
            if now != count:
                count, since = now, time.monotonic()
            elif time.monotonic() - since >= still:
                return
            time.sleep(0.05)

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def serve_forever(
    host: str, port: int, https: bool = False, db: str = ':memory:', dist: Path | None = None
) -> None:
    with Collector(host, port, https=https, db=db, dist=dist) as server:
        print(
            f'userflow dev server on {server.url}/ (dist/ at /dist/, fixtures at /fixtures/)\n'
            f'demo: a product tour with every step type at {server.url}/fixtures/tour.html',
            flush=True,
        )
        try:
            server.thread.join()
        except KeyboardInterrupt:
            pass
