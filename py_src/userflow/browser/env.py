"""Binding: the SDK's own realm and the host page it serves (SPEC §4).

The core runs in a hidden same-origin iframe; `window` here is that iframe's window, whose
clock, crypto, console, timers and network functions the host page cannot have wrapped.
`host` is the page's window: its URL and events are read, the UI is drawn into its document,
and its `localStorage` (the same origin's, so the same storage as this frame's) is used, because
it outlives this frame: a page that removes the SDK's iframe loses no event (they are sent by
the next page), and the one message about it still reaches the console.
"""

from userflow.pure.values import to_json, from_json

PREFIX = '[userflow] '
STORAGE_PREFIX = 'uf:'
_said = {}
boot = window.userflowBoot
host = boot.host
# The core's own script element: the flows chunk loads from beside it, with the same nonce.
_core_script = document.currentScript
MAX_EVENTS = 100
LOG_LIMIT = 500
# getEgressLog(): every request this page's SDK made, as handed to the browser, newest last.
requests = []
# The content request's settings, the loader's as the core's: no cookie, no Referer, and no HTTP
# cache read or written (an ETag can be a per-browser identifier that survives reset()).
CONTENT_OPTIONS = {
    'method': 'GET',
    'credentials': 'omit',
    'mode': 'cors',
    'cache': 'no-store',
    'referrerPolicy': 'no-referrer',
}
_PRELOADED = []  # chunk URLs the loader preloaded: their <script> takes that response


def early_content(url):
    """The loader's content request (started at init, beside the core), once, if it is for `url`."""
    early = boot.content
    boot.content = None
    return early[1] if early and early[0] == url else None


def log_request(what, method, url, body, options):
    """Note one request in the egress log: `what` is 'core', 'chunk', 'content' or 'events';
    `options` the request's settings exactly as given to fetch or the script element."""
    requests.append({'kind': what, 'method': method, 'url': url, 'body': body, 'options': options})
    if len(requests) > LOG_LIMIT:
        requests.pop(0)


def _log_script(what, script):
    log_request(
        what,
        'GET',
        script.src or script.href,  # a <script>, or a loader's <link rel=preload>
        None,
        {
            'integrity': script.integrity,
            'crossOrigin': script.crossOrigin,
            'referrerPolicy': script.referrerPolicy,
        },
    )


def _log_core_load():
    # The loader made this request for the core; it is the first line of the egress log.
    if _core_script is not None:
        _log_script('core', _core_script)
    # ... and, on an init with an endpoint, the content request and the chunk preloads beside it
    # (loader.js.j2): logged once here, as sent, whether or not the core takes them.
    if boot.content:
        log_request('content', 'GET', boot.content[0], None, CONTENT_OPTIONS)
    for link in document.querySelectorAll('link[rel=preload]'):
        _PRELOADED.append(link.href)
        _log_script('chunk', link)


def _no_referrer():
    # Defence in depth: every request already sets referrerPolicy, but a beacon or any other
    # request from this document must not name the host page either.
    meta = document.createElement('meta')
    meta.setAttribute('name', 'referrer')
    meta.setAttribute('content', 'no-referrer')
    document.head.appendChild(meta)


_no_referrer()
_log_core_load()


def now_ms():
    return Date.now()


def random_bytes(count):
    data = __new__(Uint8Array(count))
    window.crypto.getRandomValues(data)
    return Array.prototype.slice.call(data)


def attached():
    """Whether this frame is still in the page (a hostile or careless page may remove it)."""
    try:
        frame = window.frameElement
        return frame is not None and frame.isConnected
    except:  # noqa: E722
        return False


def _store():
    try:
        return host.localStorage
    except:  # noqa: E722
        return window.localStorage


def _console():
    return window.console if attached() else host.console


def warn(message):
    _say('warn', message)


def error(message):
    _say('error', message)


def debug(message):
    _say('debug', message)


def _say(level, message):
    # Each distinct message is logged once per page, so a loop in the host cannot flood it.
    key = level + ':' + message
    if key in _said:
        return
    _said[key] = True
    try:
        _console()[level](PREFIX + message)
    except:  # noqa: E722
        pass


def to_host(value):
    """A copy of `value` made of the host realm's own objects and arrays, so the host never
    sees this realm's (Transcrypt-extended) prototypes."""
    return host.JSON.parse(to_json(value))


def storage_get(key):
    try:
        return _store().getItem(STORAGE_PREFIX + key)
    except:  # noqa: E722 -- storage can be disabled or full
        return None


def storage_set(key, value):
    try:
        _store().setItem(STORAGE_PREFIX + key, value)
    except:  # noqa: E722
        warn('localStorage is not available; ' + key + ' is kept for this page only')


def storage_remove(key):
    try:
        _store().removeItem(STORAGE_PREFIX + key)
    except:  # noqa: E722
        pass


def storage_take(prefix):
    """Remove and return the values of every SDK key starting with `prefix`."""
    found = []
    try:
        store = _store()
        keys = [store.key(i) for i in range(store.length)]
        for key in keys:
            if key is not None and key.startswith(STORAGE_PREFIX + prefix):
                found.append(store.getItem(key))
                store.removeItem(key)
    except:  # noqa: E722
        pass
    return found


def storage_clear():
    """Remove every key the SDK owns (prefix uf:) and nothing else."""
    try:
        store = _store()
        mine = []
        for i in range(store.length):
            key = store.key(i)
            if key is not None and key.startswith(STORAGE_PREFIX):
                mine.append(key)
        for key in mine:
            store.removeItem(key)
    except:  # noqa: E722
        pass


def after(ms, fn):
    return window.setTimeout(fn, ms)


def cancel(timer):
    if timer is not None:
        window.clearTimeout(timer)


def listen(target, event_name, fn):
    target.addEventListener(event_name, fn, {'passive': True})


def remembered_events():
    """Names the app passed to track(), on this page or earlier in this browser (for event
    conditions); the names only, at most MAX_EVENTS, under uf:events."""
    try:
        names = from_json(storage_get('events') or '[]')
        if Array.isArray(names):
            return [n for n in names if __pragma__('js', '{}', 'typeof n') == 'string']
    except:  # noqa: E722
        pass
    return []


def remember_event(name):
    names = [n for n in remembered_events() if n != name]
    names.append(name)
    storage_set('events', to_json(names[len(names) - MAX_EVENTS :] if len(names) > MAX_EVENTS else names))


_loading = {}
_CHUNK_URLS = []  # the only URLs the 'userflow-chunks' Trusted Types policy turns into scripts
_policy = None


# {chunk: [file name, SRI]} of the chunks the core loads, filled in by the build (esbuild
# --define); the flows chunk adds those only it loads (add_chunks).
_chunks = __pragma__('js', '{}', 'UF_CHUNKS')


def add_chunks(table):
    Object.assign(_chunks, table)


def _chunk(name):
    """[file name, SRI] of an on-demand chunk."""
    return _chunks[name]


def _script_url(url):
    global _policy
    _CHUNK_URLS.append(url)
    try:
        if _policy is None:
            _policy = window.trustedTypes.createPolicy(
                'userflow-chunks', {'createScriptURL': lambda u: u if _CHUNK_URLS.indexOf(u) >= 0 else None}
            )
        return _policy.createScriptURL(url)
    except:  # noqa: E722 -- no Trusted Types here, or the page allows no such policy
        return url


def load_chunk(name):
    """A promise of what chunk `name` publishes as `window['userflow-<name>']` ('flows': the
    FlowHost class, 'sha256': the HMAC function, 'debugger': the panel class), loading it once:
    a script beside the core, pinned by SRI, with the core's nonce, through the Trusted Types
    policy 'userflow-chunks'."""
    if name in _loading:
        return _loading[name]
    published = 'userflow-' + name

    def run(resolve, reject):
        if window[published]:
            return resolve(window[published])
        spec = _chunk(name)

        def append(url):
            script = document.createElement('script')
            script.nonce = _core_script.nonce
            script.integrity = spec[1]
            script.crossOrigin = 'anonymous'
            script.referrerPolicy = 'no-referrer'
            script.onload = lambda: resolve(window[published])
            script.onerror = lambda: reject('the ' + name + ' chunk failed to load: ' + str(url))
            script.src = url
            if _PRELOADED.indexOf(script.src) < 0:
                _log_script('chunk', script)
            document.head.appendChild(script)

        if boot.chunk:
            # Bundled from the npm package: the loader hands the chunk's text as a Blob URL
            # (already a Trusted Types URL); the same SRI hash pins it.
            boot.chunk(name).then(append, lambda reason: reject('the ' + name + ' chunk failed to load'))
        else:
            append(_script_url(__new__(URL(spec[0], _core_script.src)).href))

    _loading[name] = __new__(Promise(run))
    return _loading[name]
