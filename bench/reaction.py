"""Condition reaction on a 10,000-node page with 200 active conditions: Userflow.js (mutation
observer, one evaluation per frame) next to a 200 ms polling loop over the same conditions, and
next to no script, in one run of the same headless Chromium.

Measures: DOM change -> reaction latency (p50/p95 over N changes), main-thread task time per
mutation batch, CPU (task time) per second while idle, and main-thread time per keystroke while
typing 20 characters into a field none of the 200 conditions reads (compared with no script).
Writes bench/results-reaction.json.

    .venv/bin/python bench/reaction.py [N]
"""

import datetime
import json
import platform
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from sdk import ROOT
from sdk.browser import executable
from sdk.builder import build
from sdk.collector import Collector

MODES = ['sdk', 'poll', 'none']


def task_seconds(cdp) -> float:
    metrics = {m['name']: m['value'] for m in cdp.send('Performance.getMetrics')['metrics']}
    return metrics['TaskDuration']


def measure(browser, url: str, mode: str, rounds: int) -> dict:
    page = browser.new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send('Performance.enable')
    page.goto(f'{url}/fixtures/bench.html?mode={mode}&nodes=10000')
    page.wait_for_timeout(1500)
    before = task_seconds(cdp)
    page.wait_for_timeout(5000)
    idle_ms_per_s = (task_seconds(cdp) - before) * 1000 / 5
    latencies, batch = [], []
    for _ in range(rounds):
        page.evaluate('bench.arm()')
        page.wait_for_timeout(50)
        start = task_seconds(cdp)
        if mode == 'none':  # the change alone: what it costs the page with no script at all
            page.evaluate('bench.fire(), 0')
        else:
            latencies.append(page.evaluate('bench.fire()'))
        page.wait_for_timeout(250)
        batch.append((task_seconds(cdp) - start) * 1000)
    page.wait_for_timeout(300)
    start = task_seconds(cdp)
    page.click('#typing')
    for key in 'the quick brown fox!':  # 20 keystrokes, each its own task, a frame apart
        page.keyboard.press(key if key != ' ' else 'Space')
        page.wait_for_timeout(20)
    page.wait_for_timeout(200)
    typing = (task_seconds(cdp) - start) * 1000 / 20
    page.close()
    result = {'idle_task_ms_per_s': round(idle_ms_per_s, 2), 'task_ms_per_keystroke': round(typing, 2)}
    if batch:
        result['task_ms_per_change'] = round(statistics.median(batch), 2)
    if latencies:
        latencies.sort()
        result['latency_p50_ms'] = round(statistics.median(latencies), 1)
        result['latency_p95_ms'] = round(latencies[int(len(latencies) * 0.95) - 1], 1)
    return result


def main(rounds: int, dist: Path | None = None, save: bool = True) -> dict:
    """`dist`: another build to measure (an older one, say); else dist/ is built first."""
    if dist is None:
        build(ROOT / 'dist', ROOT / 'build', lambda s: None)
    path = executable()
    results = {
        'date': datetime.date.today().isoformat(),
        'machine': platform.platform(),
        'cpus': __import__('os').cpu_count(),
        'rounds': rounds,
        'nodes': 10000,
        'conditions': 200,
    }
    with Collector(dist=dist) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(path) if path else None, args=['--no-sandbox'])
        results['browser'] = browser.version
        for mode in MODES:
            results[mode] = measure(browser, server.url, mode, rounds)
        browser.close()
    if save:
        out = Path(__file__).with_name('results-reaction.json')
        out.write_text(json.dumps(results, indent=2) + '\n')
    print(json.dumps(results, indent=2))
    return results


if __name__ == '__main__':
    other = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40, other, save=other is None)
