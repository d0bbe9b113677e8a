"""Page cost in headless Chromium, on the same fixture page (fixtures/cost.html) showing the same
tooltip: no script, Userflow.js (loader + core + flows chunk, in its iframe), and driver.js (the
lightest tour peer). Runs are interleaved (none, ours, driver, none, ...), each in a fresh
context; medians are reported.

Per run: script start -> tooltip on screen (ms), main-thread task time until then (CDP
TaskDuration, ms), JS heap after init (after a forced GC, bytes: the page's and the SDK frame's
isolate share one heap), long tasks (count, total ms).

Each variant runs twice: as served, and with a 100 ms round trip emulated on every request
(CDP Network.emulateNetworkConditions), where sequential loads cost most. Each run then visits
the page again in the same context (a return visit: the browser's cache holds what the server
let it keep, every library's files served as a CDN serves a versioned file; the page's storage
cleared, so the tooltip shows again as on a first visit).

    .venv/bin/python bench/page_cost.py [RUNS] [DIST]   (DIST: another build of ours, e.g. an older one)
"""

import json
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from sdk.browser import executable
from sdk.collector import Collector

VARIANTS = ['none', 'iframe', 'floor', 'ours', 'served', 'driver']  # served: ours, content from the
# server; iframe: an empty same-origin iframe alone, the floor of the isolated realm; floor: the
# design's floor (bench/floor/: a loader, its iframe, a second script that draws the tooltip)
LATENCY_MS = 100


def visit(page, address: str) -> dict:
    """The page's `__cost` once its tooltip is shown. Waited for by the page's console message,
    not by polling: Playwright's wait_for_function first evaluates its injected script (~300 KB)
    in the page, a ~30 ms task on the main thread that landed inside the measured span of
    whichever variant was still working when navigation returned (ours, whose load event comes
    before its tooltip)."""
    with page.expect_console_message(lambda message: message.text == 'cost-ready', timeout=15000):
        page.goto(address, wait_until='commit')
    return page.evaluate('window.__cost')


def one(browser, url: str, variant: str, latency: int = 0) -> dict:
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send('Performance.enable')
    if latency:
        cdp.send('Network.enable')
        cdp.send(
            'Network.emulateNetworkConditions',
            {'offline': False, 'latency': latency, 'downloadThroughput': -1, 'uploadThroughput': -1},
        )
    address = f'{url}/fixtures/cost.html?variant={variant}'
    visit(page, address)  # its __cost is read below, after the late long tasks
    page.wait_for_timeout(300)
    cdp.send('HeapProfiler.collectGarbage')
    metrics = {m['name']: m['value'] for m in cdp.send('Performance.getMetrics')['metrics']}
    cost = page.evaluate('window.__cost')
    page.goto('about:blank')
    cdp.send('Storage.clearDataForOrigin', {'origin': url, 'storageTypes': 'local_storage'})
    again = visit(page, address)
    context.close()
    return {
        'ready_ms': cost['ready'] - cost['start'],
        'return_ms': again['ready'] - again['start'],
        'task_ms': metrics['TaskDuration'] * 1000,
        'script_ms': metrics['ScriptDuration'] * 1000,
        'heap_bytes': metrics['JSHeapUsedSize'],
        'long_tasks': len(cost['longTasks']),
        'long_task_ms': sum(cost['longTasks']),
    }


def main(runs: int, dist: Path | None = None) -> dict:
    samples = {v: [] for v in VARIANTS}
    slow = {v: [] for v in VARIANTS}
    path = executable()
    with Collector(dist=dist) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(path) if path else None, args=['--no-sandbox'])
        for variant in VARIANTS:  # warm-up: caches, first-launch costs
            one(browser, server.url, variant)
        for _ in range(runs):
            for variant in VARIANTS:
                samples[variant].append(one(browser, server.url, variant))
                slow[variant].append(one(browser, server.url, variant, LATENCY_MS))
        version = browser.version
        browser.close()
    result = {'runs': runs, 'browser': version, 'latency_ms': LATENCY_MS}
    for variant, rows in samples.items():
        result[variant] = {key: round(statistics.median(r[key] for r in rows), 2) for key in rows[0]}
        for key in ('ready', 'return'):
            late = statistics.median(r[f'{key}_ms'] for r in slow[variant])
            result[variant][f'{key}_latency_ms'] = round(late, 2)
    return result


if __name__ == '__main__':
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    print(json.dumps(main(runs, Path(sys.argv[2]) if len(sys.argv) > 2 else None), indent=2))
