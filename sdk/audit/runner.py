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

Every run ends with a navigation away and a close, so unload-time beacons are caught.
"""

import json
import shutil
import tempfile
import threading
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
PIN_SCRIPT = """(() => {
  const FIXED = 1767225600000, RealDate = Date;
  function PinnedDate(...args) {
    if (!new.target) return new RealDate(FIXED).toString();
    return args.length ? new RealDate(...args) : new RealDate(FIXED);
  }
  PinnedDate.now = () => FIXED;
  PinnedDate.parse = RealDate.parse;
  PinnedDate.UTC = RealDate.UTC;
  PinnedDate.prototype = RealDate.prototype;
  globalThis.Date = PinnedDate;
  let seed = 20260101;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  Math.random = () => next() / 2147483648;
  if (globalThis.crypto) {
    crypto.getRandomValues = (a) => { for (let i = 0; i < a.length; i++) a[i] = next() % 256; return a; };
    crypto.randomUUID = () => '00000000-0000-4000-8000-' + String(next()).padStart(12, '0').slice(-12);
  }
})();"""
FIELDS_SCRIPT = """() => [...document.querySelectorAll(
    'input, textarea, select, [contenteditable=""], [contenteditable="true"]')]
  .filter(e => !e.closest('[data-userflow]') && !e.disabled && !e.readOnly &&
          !e.hasAttribute('data-uf-done') &&
          !['submit', 'button', 'reset', 'image', 'file', 'checkbox', 'radio', 'range', 'color']
            .includes((e.type || '').toLowerCase()))
  .map((e, i) => {
    e.setAttribute('data-uf-audit-field', String(i));
    const kind = e.isContentEditable ? 'contenteditable' : e.tagName === 'TEXTAREA' ? 'textarea'
      : e.tagName === 'SELECT' ? 'select-option' : 'input-' + ((e.type || 'text').toLowerCase());
    return [String(i), kind, e.type === 'hidden' || e.offsetParent === null];
  })"""
SET_VALUE = """([selector, value]) => {
  const e = document.querySelector(selector);
  e.setAttribute('data-uf-done', '');
  if (e.tagName === 'SELECT') {
    const o = document.createElement('option'); o.value = value; o.textContent = value; e.appendChild(o);
    e.value = value;
  } else if (e.isContentEditable) { e.textContent = value; }
  else {
    const proto = e.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(e, value);
  }
  e.dispatchEvent(new Event('input', {bubbles: true}));
  e.dispatchEvent(new Event('change', {bubbles: true}));
  e.blur();
}"""
STORAGE_SCRIPT = """async () => {
  const dump = (s) => {
    const o = {};
    for (let i = 0; i < s.length; i++) { const k = s.key(i); o[k] = s.getItem(k); }
    return o;
  };
  const names = async (get) => { try { return (await get()).sort(); } catch (e) { return []; } };
  return {local: dump(localStorage), session: dump(sessionStorage), windowName: window.name,
          indexedDB: await names(async () => (await indexedDB.databases()).map(d => d.name)),
          caches: await names(() => caches.keys()),
          webdriver: navigator.webdriver === true,
          // The SDK's own realm (its loader's iframe), however the SDK arrived: a script tag or
          // an app's bundle (the npm package), where no request names userflow.js.
          sdkRealm: [...document.querySelectorAll('iframe')].some((f) => {
            try { return !!f.contentWindow.userflowBoot; } catch (e) { return false; }
          })};
}"""


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
            browser = p.chromium.launch(
                executable_path=str(executable) if executable else None,
                args=launch_args(url, log_path, webdriver),
            )
            capture.versions = {'browser': browser.version, 'playwright': _playwright_version()}
            context = browser.new_context()
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
            page = context.new_page()
            page.on('websocket', lambda ws: _websocket(ws, capture))
            page.goto(target, wait_until='load')
            page.wait_for_timeout(300)  # the loader's core and content requests
            for step in scenario['steps']:
                _step(page, step, canaries, capture, origin, presence)
            page.wait_for_timeout(int(settle * 1000))
            capture.storage = page.evaluate(STORAGE_SCRIPT)
            capture.webdriver = capture.storage.pop('webdriver')
            capture.sdk_realm = capture.storage.pop('sdkRealm')
            capture.cookies = context.cookies()
            page.goto('about:blank')  # a navigation away: pagehide, unload-time beacons
            page.wait_for_timeout(300)
            context.close()
            browser.close()
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
