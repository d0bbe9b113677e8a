"""One audited run: a hermetic Chromium (AUDIT §2) drives a scenario over a page with canaries
planted (AUDIT §3) while three captures record what leaves: Playwright (requests, WebSocket
frames), Chromium's NetLog (parsed after the browser closed) and the sink (the dev collector).

A scenario is JSON (or a dict):

    {"name": "signup",
     "steps": [{"plant": true},                      page text, attributes, meta, title
               {"type": {"selector": "#email", "source": "input-email"}},   real key events
               {"fill": {"selector": "#notes", "source": "textarea"}},       programmatic
               {"fill": "all"},                      every other field, alternating the two
               {"click": "#save"}, {"press": "Tab"}, {"wait": 500},
               {"goto": "/next.html"}],
     "userId": "the raw user ID the page identifies with, if known",
     "pageTracking": false}                          then no page URL may appear anywhere

Every run uses a persistent browser profile (so resource hints are honoured as in a user's
browser), records every `userflow.*` call the app makes (RECORD_SCRIPT: the calls reach the core
through `userflowBoot.ready`, however the SDK arrived), advances the clock past the SDK's
longest timer (OBSERVE_MS), navigates away (unload-time beacons), then visits the page a second
time with the same profile (data stashed on the first visit and sent on the second) and closes.
"""

import base64
import hashlib
import json
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sdk.audit.canaries import SHAPES, Canaries, plant_script, storage_script
from sdk.audit.netlog import NetLog, parse

# Escape first: a modal tour keeps the focus (as it should), so a user dismisses it to type.
DEFAULT_STEPS = [{'press': 'Escape'}, {'plant': True}, {'fill': 'all'}, {'wait': 800}]
# Chromium's own traffic, disabled where a switch exists (AUDIT §2); the rest is attributed.
QUIET_SWITCHES = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--no-first-run',
    '--no-default-browser-check',
    '--metrics-recording-only',
    '--disable-features=AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,'
    'MediaRouter,Translate,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater',
]


def _script(name: str) -> str:
    """JavaScript kept in sdk/audit/scripts/ (syntax-checked by tests/test_audit_scripts.py)."""
    return (Path(__file__).parent / 'scripts' / f'{name}.js').read_text().strip()


# Date, Math.random and crypto pinned in every frame (the strict differential runs).
PIN_SCRIPT = _script('pin')
# The page functions: the fields to fill, setting one programmatically, and what storage holds
# (with whether the SDK's realm is on the page, however the SDK arrived).
FIELDS_SCRIPT = _script('fields')
SET_VALUE = _script('set_value')
# Every `userflow.*` call, as the core receives it (the loader hands its calls to the object
# `userflowBoot.ready` gets, in the SDK's realm), every URL the top frame is at, and what the
# app's own `urlFilter` returned: what the events the SDK sends must be explained by.
RECORD_SCRIPT = _script('record')
# The clock is advanced this far past the scenario: beyond the SDK's longest timer (the
# retry backoff's 60 s cap), so what a timer would send later is seen now.
OBSERVE_MS = 120_000
STORAGE_SCRIPT = _script('storage')


@dataclass
class Capture:
    """Everything one run saw."""

    url: str
    requests: list = field(default_factory=list)  # Playwright: dicts
    websockets: list = field(default_factory=list)  # Playwright: {'url', 'frames': [bytes]}
    netlog: NetLog = field(default_factory=NetLog)
    sink: list = field(default_factory=list)  # collector Recorded, with `url`
    sink_ws: list = field(default_factory=list)
    storage: dict = field(default_factory=dict)
    cookies: list = field(default_factory=list)
    webdriver: bool = True
    sdk_realm: bool = False  # the page held the SDK's realm (an iframe with userflowBoot)
    versions: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)  # selector -> source planted
    problems: list = field(default_factory=list)
    records: list = field(default_factory=list)  # RECORD_SCRIPT's records, in order
    content: dict = field(default_factory=dict)  # content URL -> the response body
    files: dict = field(default_factory=dict)  # SDK-looking URL -> response bodies' sha384
    started: float = 0.0  # wall-clock ms: the run's first navigation
    observed: float = 0.0  # wall-clock ms: the clock began to be advanced (OBSERVE_MS)
    hidden: float = 0.0  # wall-clock ms: the first visit's navigation away began
    revisit: float = 0.0  # wall-clock ms: the second visit began
    ended: float = 0.0
    pinned: bool = False

    @property
    def calls(self) -> list:
        return [(r['method'], r['args']) for r in self.records if r['kind'] == 'call']

    @property
    def anonymous(self) -> list:
        """Every anonymous ID the SDK stored (`uf:anon`), in order: reset() removes one and the
        next identifyAnonymous() makes another, so the storage at the end may hold none of them."""
        return [r['value'] for r in self.records if r['kind'] == 'anon' and isinstance(r.get('value'), str)]

    @property
    def visits(self) -> list:
        return [
            r['url'] for r in self.records if r['kind'] in ('load', 'visit') and r['url'] != 'about:blank'
        ]

    @property
    def page_clock(self) -> tuple[float, float]:
        """The page's clock (the one the SDK stamps events with) from the first record to the
        last, plus the rest of the run: the observation window and the second visit."""
        times = [r['now'] for r in self.records if isinstance(r.get('now'), (int, float))]
        if not times:
            return (0.0, 0.0)
        return (min(times), max(times) + OBSERVE_MS + (self.ended - self.started))

    @property
    def loads(self) -> int:
        return sum(1 for r in self.records if r['kind'] == 'load' and r['url'] != 'about:blank')

    def phase(self, t: float | None) -> str:
        """When a request started: 'live', 'observation window', 'page hide', 'second visit'."""
        if t is None or t >= self.ended:
            return 'page hide'
        if t >= self.revisit:
            return 'second visit'
        if t >= self.hidden:
            return 'page hide'
        return 'observation window' if t >= self.observed else 'live'

    @property
    def filtered(self) -> list:
        return [r['output'] for r in self.records if r['kind'] == 'filter']


def load_scenario(scenario) -> dict:
    if scenario is None:
        return {'name': 'default', 'steps': DEFAULT_STEPS}
    if isinstance(scenario, (str, Path)):
        scenario = json.loads(Path(scenario).read_text())
    if not isinstance(scenario, dict) or not isinstance(scenario.get('steps', []), list):
        raise ValueError('a scenario is a JSON object with a "steps" list')
    return {'name': 'scenario', **scenario, 'steps': scenario.get('steps') or DEFAULT_STEPS}


def launch_args(url: str, netlog: Path | None, webdriver: bool) -> list[str]:
    host = urlsplit(url).hostname or '127.0.0.1'
    rules = 'MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
    if host not in ('localhost', '127.0.0.1'):
        rules += f', EXCLUDE {host}'
    args = ['--no-sandbox', f'--host-resolver-rules={rules}', *QUIET_SWITCHES]
    if netlog is not None:
        args += [f'--log-net-log={netlog}', '--net-log-capture-mode=Everything']
    if not webdriver:
        args.append('--disable-blink-features=AutomationControlled')
    return args


def run(url: str, scenario: dict, canaries: Canaries, **options) -> Capture:
    """One run of `scenario` on `url` (options: see `_run`), in a thread of its own: Playwright's
    sync API cannot start inside another one, and a customer's test suite may hold one already."""
    outcome: dict = {}

    def work():
        try:
            outcome['capture'] = _run(url, scenario, canaries, **options)
        except BaseException as error:  # handed to the caller's thread
            outcome['error'] = error

    thread = threading.Thread(target=work, name='uf-audit-run')
    thread.start()
    thread.join()
    if 'error' in outcome:
        raise outcome['error']
    return outcome['capture']


def _run(
    url: str,
    scenario: dict,
    canaries: Canaries,
    *,
    collector=None,
    executable=None,
    pin: bool = False,
    webdriver: bool = True,
    block_sdk: bool = False,
    leak: str | None = None,
    presence: bool = True,
    settle: float = 0.6,
) -> Capture:
    """`block_sdk` aborts the SDK's files (the baseline: what the page sends by itself); `leak` is
    JavaScript added to every frame (the self-test's planted leaks); `presence` False removes the
    secret element (the differential's one bit)."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix='uf-audit-'))
    log_path = work / 'netlog.json'
    query = urlsplit(url)
    origin = f'{query.scheme}://{query.netloc}'
    target = url.split('#')[0]
    target += ('&' if '?' in target else '?') + 'uf_audit=' + canaries.values['url-query']
    target += '#' + canaries.values['url-fragment']
    capture = Capture(url=target)
    if collector is not None:
        collector.sink.clear()
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(work / 'profile'),
                executable_path=str(executable) if executable else None,
                args=launch_args(url, log_path, webdriver),
            )
            capture.pinned = pin
            context.clock.install()  # time flows as usual until the observation window
            context.expose_binding(
                '__ufAuditRecord',
                lambda source, text: capture.records.append(dict(json.loads(text), t=time.time() * 1000)),
            )
            context.add_init_script(RECORD_SCRIPT)
            if pin:
                context.add_init_script(PIN_SCRIPT)
            context.add_init_script(storage_script(canaries, origin))
            if leak:
                context.add_init_script(
                    leak.replace('__UF_TOKEN__', json.dumps(canaries.values.get('_token', '')))
                )
            context.add_cookies([{'name': 'app_session', 'value': canaries.values['cookie'], 'url': origin}])
            if block_sdk:
                context.route(lambda u: _is_sdk_file(u), lambda route: route.abort())
            context.on('request', lambda request: capture.requests.append(_request(request)))
            context.on('response', lambda response: _response(response, capture))
            page = context.pages[0] if context.pages else context.new_page()
            page.on('websocket', lambda ws: _websocket(ws, capture))
            product = context.new_cdp_session(page).send('Browser.getVersion')['product']
            capture.versions = {'browser': product.split('/', 1)[-1], 'playwright': _playwright_version()}
            capture.started = time.time() * 1000
            page.goto(target, wait_until='load')
            page.wait_for_timeout(300)  # the loader's core and content requests
            for step in scenario['steps']:
                _step(page, step, canaries, capture, origin, presence)
            page.wait_for_timeout(int(settle * 1000))
            capture.storage = page.evaluate(STORAGE_SCRIPT)
            capture.webdriver = capture.storage.pop('webdriver')
            capture.sdk_realm = capture.storage.pop('sdkRealm')
            capture.cookies = context.cookies()
            # The observation window: every timer due in the next OBSERVE_MS fires now.
            capture.observed = time.time() * 1000
            page.clock.run_for(OBSERVE_MS)
            page.wait_for_timeout(200)
            capture.hidden = time.time() * 1000
            page.goto('about:blank')  # a navigation away: pagehide, unload-time beacons
            page.wait_for_timeout(300)
            capture.revisit = time.time() * 1000
            page.goto(target, wait_until='load')  # the second visit, same profile
            page.wait_for_timeout(int(settle * 1000) + 300)
            page.goto('about:blank')
            page.wait_for_timeout(300)
            capture.ended = time.time() * 1000
            context.close()
        if collector is not None:
            collector.quiet()
            scheme = collector.url.split(':', 1)[0]
            with collector.sink.lock:
                capture.sink = [
                    (r, f'{scheme}://{r.headers.get("host", "")}{r.target or r.path}')
                    for r in collector.sink.requests
                ]
                capture.sink_ws = list(collector.sink.ws_frames)
        capture.netlog = parse(log_path) if log_path.exists() else NetLog()
        if not log_path.exists():
            capture.problems.append('no NetLog was written')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return capture


def _playwright_version() -> str:
    from importlib.metadata import version

    return version('playwright')


def _is_sdk_file(url: str) -> bool:
    name = urlsplit(url).path.rsplit('/', 1)[-1]
    return name == 'userflow.js' or (name.startswith('userflow-') and name.endswith('.js'))


def _response(response, capture: Capture) -> None:
    """Keep the content the SDK was given (its flow and step IDs explain flow events) and the
    hash of every SDK-looking file it ran (compared with the build's manifest)."""
    url = response.url
    path = urlsplit(url).path
    try:
        if '/v1/content/' in path and response.status == 200:
            capture.content[url] = response.body()
        elif _is_sdk_file(url) and response.status == 200:
            digest = base64.b64encode(hashlib.sha384(response.body()).digest()).decode()
            capture.files.setdefault(url.split('#')[0], []).append('sha384-' + digest)
    except Exception:  # a body gone with its page: nothing to keep
        pass


def _request(request) -> dict:
    try:
        frame = request.frame
        frame_url = frame.url
    except Exception:  # a worker's request has no frame
        frame_url = None
    return {
        'method': request.method,
        'url': request.url,
        'headers': request.all_headers(),
        'body': request.post_data_buffer or b'',
        'type': request.resource_type,
        'frame': frame_url,
        't': time.time() * 1000,
    }


def _websocket(ws, capture: Capture) -> None:
    entry = {'url': ws.url, 'frames': []}
    capture.websockets.append(entry)
    ws.on(
        'framesent',
        lambda payload: entry['frames'].append(
            payload if isinstance(payload, bytes) else str(payload).encode()
        ),
    )


def _step(page, step: dict, canaries: Canaries, capture: Capture, origin: str, presence: bool) -> None:
    if not isinstance(step, dict) or len(step) != 1:
        raise ValueError(f'a scenario step is an object with one action: {step!r}')
    action, arg = next(iter(step.items()))
    if action == 'plant':
        page.evaluate(plant_script(canaries, presence))
    elif action in ('type', 'fill') and isinstance(arg, dict):
        value = canaries.add(arg['source'])
        capture.fields[arg['selector']] = arg['source']
        if action == 'type':
            page.evaluate('s => document.querySelector(s).setAttribute("data-uf-done", "")', arg['selector'])
            page.focus(arg['selector'])
            page.keyboard.type(value)
            page.evaluate('s => document.querySelector(s).blur()', arg['selector'])
        else:
            page.evaluate(SET_VALUE, [arg['selector'], value])
    elif action == 'fill' and arg == 'all':
        seen: dict[str, int] = {}
        for index, kind, hidden in page.evaluate(FIELDS_SCRIPT):
            selector = f'[data-uf-audit-field="{index}"]'
            seen[kind] = seen.get(kind, 0) + 1
            source = kind if seen[kind] == 1 else f'{kind}#{seen[kind]}'
            value = canaries.add(source, SHAPES.get(kind, 'plain'))
            capture.fields[selector] = source
            if hidden or kind == 'select-option' or len(capture.fields) % 2 == 0:
                page.evaluate(SET_VALUE, [selector, value])
            else:
                page.focus(selector)
                page.keyboard.type(value)
                page.evaluate('s => document.querySelector(s).blur()', selector)
    elif action == 'click':
        page.click(arg)
    elif action == 'press':
        page.keyboard.press(arg)
    elif action == 'wait':
        page.wait_for_timeout(int(arg))
    elif action == 'goto':
        page.goto(arg if '://' in arg else origin + arg, wait_until='load')
    else:
        raise ValueError(f'unknown scenario action "{action}"')
