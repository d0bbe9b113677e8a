"""Delivery figures in a real Chromium against the dev collector: how many track() calls a
second the SDK accepts, bytes on the wire per event, and requests per minute under steady
tracking (one event every 100 ms). Writes bench/results-transport.json.

    .venv/bin/python bench/transport.py
"""

import datetime
import json
import platform
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from sdk import ROOT
from sdk.browser import executable
from sdk.builder import build
from sdk.collector import Collector

SETUP = "userflow.init('tok_bench', {endpoint: location.origin}); userflow.identify('bench-user')"


def main() -> None:
    build(ROOT / 'dist', ROOT / 'build', lambda s: None)
    path = executable()
    results = {'date': datetime.date.today().isoformat(), 'machine': platform.platform()}
    with Collector() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(path) if path else None, args=['--no-sandbox'])
        results['browser'] = browser.version
        page = browser.new_page()
        page.goto(server.url + '/fixtures/manual.html')
        page.evaluate(SETUP)
        page.wait_for_timeout(2500)
        server.sink.clear()
        burst = 5000
        seconds = page.evaluate(
            """(n) => { const t = performance.now();
            for (let i = 0; i < n; i++) userflow.track('burst', {i: i, plan: 'pro'});
            return (performance.now() - t) / 1000; }""",
            burst,
        )
        results['track_calls_per_second'] = round(burst / seconds)
        deadline = time.monotonic() + 60
        while len(server.sink.events()) < 1000 and time.monotonic() < deadline:  # queue bound: 1,000
            time.sleep(0.1)
        posts = [r for r in server.sink.events_posts() if r.status == 204]
        events = sum(len(r.json()['batch']) for r in posts)
        results['burst_events_delivered'] = events
        results['bytes_per_event'] = round(sum(len(r.body) for r in posts) / events, 1)
        results['burst_dropped_by_queue_bound'] = page.evaluate('userflow.getEgressLog().dropped')
        server.sink.clear()
        page.evaluate("window.steady = setInterval(() => userflow.track('steady', {n: 1}), 100)")
        page.wait_for_timeout(30000)
        page.evaluate('clearInterval(window.steady)')
        steady = [r for r in server.sink.events_posts() if r.status == 204]
        results['requests_per_minute_at_10_events_per_second'] = len(steady) * 2
        results['events_per_request_steady'] = round(
            sum(len(r.json()['batch']) for r in steady) / max(1, len(steady)), 1
        )
        browser.close()
    out = Path(__file__).with_name('results-transport.json')
    out.write_text(json.dumps(results, indent=2) + '\n')
    print(json.dumps(results, indent=2))


if __name__ == '__main__':
    main()
