"""Binding: the SDK's own realm and the host page it serves (SPEC §4).

The core runs in a hidden same-origin iframe; `window` here is that iframe's window, whose
clock, crypto, console, timers and network functions the host page cannot have wrapped.
`host` is the page's window, used only to read its URL and to listen to its events.
"""

from userflow.values import to_json, from_json

PREFIX = '[userflow] '
STORAGE_PREFIX = 'uf:'
_said = {}
boot = window.userflowBoot
host = boot.host
# The core's own script element: the flows chunk loads from beside it, with the same nonce.
_core_script = document.currentScript
MAX_EVENTS = 100


def _no_referrer():
    # Defence in depth: every request already sets referrerPolicy, but a beacon or any other
    # request from this document must not name the host page either.
    meta = document.createElement('meta')
    meta.setAttribute('name', 'referrer')
    meta.setAttribute('content', 'no-referrer')
    document.head.appendChild(meta)


_no_referrer()


def now_ms():
    return Date.now()


def random_bytes(count):
    data = __new__(Uint8Array(count))
    window.crypto.getRandomValues(data)
    return Array.prototype.slice.call(data)


def warn(message):
    _say('warn', message)


def error(message):
    _say('error', message)


def _say(level, message):
    # Each distinct message is logged once per page, so a loop in the host cannot flood it.
    key = level + ':' + message
    if key in _said:
        return
    _said[key] = True
    try:
        if level == 'error':
            window.console.error(PREFIX + message)
        else:
            window.console.warn(PREFIX + message)
    except:  # noqa: E722
        pass


def to_host(value):
    """A copy of `value` made of the host realm's own objects and arrays, so the host never
    sees this realm's (Transcrypt-extended) prototypes."""
    return host.JSON.parse(to_json(value))


def storage_get(key):
    try:
        return window.localStorage.getItem(STORAGE_PREFIX + key)
    except:  # noqa: E722 -- storage can be disabled or full
        return None


def storage_set(key, value):
    try:
        window.localStorage.setItem(STORAGE_PREFIX + key, value)
    except:  # noqa: E722
        warn('localStorage is not available; ' + key + ' is kept for this page only')


def storage_clear():
    """Remove every key the SDK owns (prefix uf:) and nothing else."""
    try:
        store = window.localStorage
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
    storage_set('events', to_json(names[len(names) - MAX_EVENTS:] if len(names) > MAX_EVENTS else names))


_flows_loading = None


def load_flows():
    """A promise of the flow engine (the FlowHost class), loading its chunk once: a script
    next to the core, pinned by SRI, with the core's nonce and a Trusted Types policy of its
    own ('userflow-flows')."""
    global _flows_loading
    if _flows_loading is not None:
        return _flows_loading

    def run(resolve, reject):
        if window.userflowFlows:
            return resolve(window.userflowFlows)
        script = document.createElement('script')
        url = __new__(URL(__pragma__('js', '{}', 'UF_FLOWS_NAME'), _core_script.src)).href
        source = url
        try:
            policy = window.trustedTypes.createPolicy('userflow-flows', {
                'createScriptURL': lambda u: u if u == url else None})
            source = policy.createScriptURL(url)
        except:  # noqa: E722 -- no Trusted Types here, or the page allows no such policy
            pass
        script.nonce = _core_script.nonce
        script.integrity = __pragma__('js', '{}', 'UF_FLOWS_SRI')
        script.crossOrigin = 'anonymous'
        script.referrerPolicy = 'no-referrer'
        script.onload = lambda: resolve(window.userflowFlows)
        script.onerror = lambda: reject('the flows chunk failed to load: ' + url)
        script.src = source
        document.head.appendChild(script)
    _flows_loading = __new__(Promise(run))
    return _flows_loading
