"""Playwright in a real Chromium against dist/ served by the real dev collector.

Fixtures: `collector` (the HTTP server + its recording sink), `browser`, and `page` (a fresh
context per test, whose requests, console messages and page errors are recorded on
`page.record`). No browser is downloaded here: see sdk.browser.
"""

import sys
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import sync_playwright

from sdk import ROOT
from sdk.browser import executable
from sdk.builder import build
from sdk.collector import Collector

from helpers import INSECURE_HOST

# The pure SDK modules are plain Python: a test may decide with one what Chromium answers.
sys.path.insert(0, str(ROOT / 'py_src'))


@pytest.fixture(scope='session')
def dist():
    return build(ROOT / 'dist', ROOT / 'build', lambda line: None)


@pytest.fixture(scope='session')
def collector(dist):
    with Collector() as server:
        yield server


@pytest.fixture(scope='session')
def browser():
    path = executable()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(path) if path else None,
            args=[
                '--no-sandbox',
                f'--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1',
                '--disable-background-networking',
                '--disable-component-update',
                '--no-first-run',
            ],
        )
        yield browser
        browser.close()


@dataclass
class Record:
    requests: list = field(default_factory=list)
    console: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def warnings(self):
        return [m for m in self.console if m.startswith('[userflow]') or '[userflow]' in m]


class Requested(dict):
    """A recorded request ({'url', 'method', 'body'}); its full headers (Cookie and Referer
    included), `['headers']`, are asked for only when a test reads them."""

    def __init__(self, request, **fields):
        super().__init__(**fields)
        self.request = request

    def __missing__(self, key):
        if key != 'headers':
            raise KeyError(key)
        self['headers'] = self.request.all_headers()
        return self['headers']


@pytest.fixture
def page(browser, collector):
    collector.sink.clear()
    context = browser.new_context()
    record = Record()

    def on_request(request):
        # No call into the browser here: a sync API call (all_headers) inside an event handler
        # can stall Playwright's dispatcher, and then no later request is recorded.
        record.requests.append(
            Requested(request, url=request.url, method=request.method, body=request.post_data or '')
        )

    context.on('request', on_request)
    page = context.new_page()
    page.on('console', lambda m: record.console.append(m.text))
    page.on('pageerror', lambda e: record.errors.append(str(e)))
    page.record = record
    yield page
    context.close()
    collector.quiet()  # keepalive flushes of the closed page land before the next test
