"""Delivery policy as pure functions: what a response status means, and how long to wait.

Retried: network errors (status 0), 408, 429 and 5xx, with exponential backoff and full jitter
(1 s base, 60 s cap). Any other 4xx drops the batch with a warning (SPEC §7).
"""

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
    ceiling = BASE_MS * 2 ** min(attempt, 16)
    if ceiling > CAP_MS:
        ceiling = CAP_MS
    return (rand * ceiling) // 1
