"""Helpers shared by the e2e tests (imported by name: conftest modules are not for importing)."""

import hashlib
import hmac
import time

# A host name that is not localhost: pages served under it are not a secure context.
INSECURE_HOST = 'app.test'


def wait_for(predicate, timeout=10.0, interval=0.05):
    """Poll until `predicate()` is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f'timed out after {timeout}s waiting for {predicate.__doc__ or predicate}')


def hmac_hex(token: str, user_id: str) -> str:
    return hmac.new(token.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def quiet(collector, still=0.3, limit=3.0):
    """Wait until the sink has heard nothing for `still` seconds: closing a page flushes its
    pending events with keepalive requests, which must not land in the next test's sink."""
    deadline = time.monotonic() + limit
    count, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = len(collector.sink.requests)
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= still:
            return
        time.sleep(0.05)
