"""Delivery policy as pure functions: what a response status means, and how long to wait.

Retried: network errors (status 0), 408, 429 and 5xx, with exponential backoff and full jitter
(1 s base, 60 s cap), or later when the server says so in `Retry-After`. Any other 4xx drops
the batch with a warning (SPEC §7).
"""

from userflow.pure.values import least, most

MAX_RETRY_AFTER_MS = 3600000  # a server asking for more than an hour is capped at one
_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

BASE_MS = 1000
CAP_MS = 60000


def outcome(status):
    """'sent', 'retry' or 'drop' for an HTTP status (0 = network error)."""
    if 200 <= status < 300:
        return 'sent'
    if status == 0 or status == 408 or status == 429 or status >= 500:
        return 'retry'
    return 'drop'


def backoff_ms(attempt, rand):
    """Full jitter: a uniform wait in [0, min(cap, base * 2**attempt)); `rand` in [0, 1)."""
    ceiling = BASE_MS * 2 ** least(attempt, 16)
    if ceiling > CAP_MS:
        ceiling = CAP_MS
    return (rand * ceiling) // 1


def _digits(text):
    if len(text) == 0:
        return None
    for ch in text:
        if '0123456789'.find(ch) < 0:
            return None
    return float(text)


def _days_from_civil(year, month, day):
    # Days since 1970-01-01 (H. Hinnant), the inverse of payload.iso_utc's conversion.
    year -= 1 if month <= 2 else 0
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def retry_after_ms(text, now_ms):
    """The wait a `Retry-After` header asks for, in ms: delta-seconds (`120`) or an HTTP date
    (`Sun, 06 Nov 1994 08:49:37 GMT`), capped at an hour; None when absent or malformed. `text`
    is as the Fetch API gives it, without surrounding whitespace: it is not stripped here, where
    CPython's `strip()` would also strip \\x1c-\\x1f and \\x85 and JavaScript's `trim()` does not
    (the back-to-back test found `'0\\x1f'` read as 0 by one and as malformed by the other)."""
    if text is None:
        return None
    seconds = _digits(text)
    if seconds is not None:
        return least(seconds * 1000, MAX_RETRY_AFTER_MS)
    parts = text.split(' ')
    if len(parts) != 6 or parts[5] != 'GMT' or len(parts[4]) != 8:
        return None
    clock = parts[4].split(':')
    day, year = _digits(parts[1]), _digits(parts[3])
    month = _month(parts[2])
    if len(clock) != 3 or day is None or year is None or month < 0:
        return None
    hms = [_digits(c) for c in clock]
    if hms[0] is None or hms[1] is None or hms[2] is None:
        return None
    at = ((_days_from_civil(year, month + 1, day) * 24 + hms[0]) * 60 + hms[1]) * 60 + hms[2]
    return least(most(0, at * 1000 - now_ms), MAX_RETRY_AFTER_MS)


def _month(name):
    for i in range(12):
        if _MONTHS[i] == name:
            return i
    return -1
