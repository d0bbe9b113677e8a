"""Binding: the SDK's own realm and the host page it serves (SPEC §4).

The core runs in a hidden same-origin iframe; `window` here is that iframe's window, whose
clock, crypto, console, timers and network functions the host page cannot have wrapped.
`host` is the page's window, used only to read its URL and to listen to its events.
"""

from userflow.values import to_json

PREFIX = '[userflow] '
STORAGE_PREFIX = 'uf:'
_said = {}
boot = window.userflowBoot
host = boot.host


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
