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


def tamper(page, glob: str) -> None:
    """Serve the files matching `glob` with one statement appended (`window.tampered = 1`): what
    their SRI hashes must refuse."""

    def append(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.body() + b'\n;window.tampered=1;')

    page.route(glob, append)


def ui(page, selector):
    """The SDK's own UI (in its shadow root, under `[data-userflow]`) matching `selector`."""
    return page.locator('[data-userflow]').locator(selector)
