"""The audit's self-test (AUDIT §7): deliberately leaky plugins, one per channel and encoding,
injected into the page (every frame, before any script) next to the real SDK. An audit that
does not flag each of them, naming the channel and the source, is broken.

Each leak reads what the user typed (from `change` events), the page, or the URL, the way a
careless or malicious SDK would, and sends it somewhere.
"""

from dataclasses import dataclass

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


@dataclass
class Leak:
    name: str
    what: str
    js: str
    channel: str  # the finding's channel must start with this
    source: str  # and its source with this
    strict: bool = False  # needs the differential runs

    def script(self) -> str:
        return _PRELUDE + self.js + _END


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


@dataclass
class Result:
    leak: Leak
    caught: bool
    findings: list


def self_test(url: str, strict_url: str, scenario: dict, progress=None, **options) -> list[Result]:
    """Audit `url` once per leak; each must be flagged with its channel and source.
    `progress(line)`, when given, hears one line per leak as it is judged."""
    from sdk.audit import audit

    baselines: dict = {}
    results = []
    for leak in LEAKS:
        report = audit(
            url,
            scenario,
            leak=leak.script(),
            strict_url=strict_url if leak.strict else None,
            baselines=baselines,
            automation=False,
            **options,
        )
        caught = any(
            f.channel.startswith(leak.channel) and f.source.startswith(leak.source) for f in report.findings
        )
        results.append(Result(leak, caught, report.findings))
        if progress:
            progress(f'self-test {len(results)}/{len(LEAKS)}: {leak.name} '
                     f'{"caught" if caught else "MISSED"} ({report.seconds:.1f} s)')
    return results
