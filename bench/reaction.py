"""Condition reaction on a 10,000-node page with 200 active conditions: Userflow.js (mutation
observer, one evaluation per frame) next to a 200 ms polling loop over the same conditions, and
next to no script, in one run of the same headless Chromium.

Measures: DOM change -> reaction latency (p50/p95 over N changes), main-thread task time per
mutation batch, CPU (task time) per second while idle, and main-thread time per keystroke while
typing 40 characters into a field none of the 200 conditions reads (compared with no script).
The pages are open side by side and each change and keystroke is made in each in turn (in a
shuffled order), so the machine's slow moments fall on all alike; "added" is the median of the
per-change (per-keystroke) differences from the page with no script, and a second page with no
script (`control`) measured the same way shows the method's own noise. Writes
bench/results-reaction.json.

    .venv/bin/python bench/reaction.py [N]
"""

import datetime
import json
import platform
import random
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from sdk import ROOT
from sdk.browser import executable
from sdk.builder import build
from sdk.collector import Collector

# control: a second page with no script, measured like the others against `none`: what its
# 'added' figures show is the measurement's own noise.
MODES = ['sdk', 'poll', 'control', 'none']


def task_seconds(cdp) -> float:
    metrics = {m['name']: m['value'] for m in cdp.send('Performance.getMetrics')['metrics']}
    return metrics['TaskDuration']


class Tab:
    """One mode's page, in a browser context (so a renderer process) of its own: its CDP task
    time is its own page's alone."""

    def __init__(self, browser, url: str, mode: str):
        self.mode = mode
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send('Performance.enable')
        self.page.goto(f'{url}/fixtures/bench.html?mode={mode}&nodes=10000')
        self.batch, self.latencies, self.keys = [], [], []

    def idle(self) -> float:
        before = task_seconds(self.cdp)
        self.page.wait_for_timeout(5000)
        return (task_seconds(self.cdp) - before) * 1000 / 5

    def change(self) -> None:
        self.page.evaluate('bench.arm()')
        self.page.wait_for_timeout(50)
        start = task_seconds(self.cdp)
        if self.mode in ('none', 'control'):  # the change alone: what it costs with no script
            self.page.evaluate('bench.fire(), 0')
        else:
            self.latencies.append(self.page.evaluate('bench.fire()'))
        self.page.wait_for_timeout(250)
        self.batch.append((task_seconds(self.cdp) - start) * 1000)

    def keystroke(self, key: str) -> None:
        start = task_seconds(self.cdp)
        self.page.keyboard.press(key if key != ' ' else 'Space')
        self.page.wait_for_timeout(30)
        self.keys.append((task_seconds(self.cdp) - start) * 1000)


def _paired(ours: list, alone: list) -> float:
    """The median of the differences, sample by sample (the same change or key in both pages)."""
    return round(statistics.median(a - b for a, b in zip(ours, alone, strict=True)), 2)


def measure(browser, url: str, rounds: int) -> dict:
    """Every mode's page open at once; each change and each keystroke is made in every page in
    turn, so a slow moment of the machine falls on all of them alike. 'added' figures are the
    median of the per-round differences from the page with no script."""
    tabs = {mode: Tab(browser, url, mode) for mode in MODES}
    for tab in tabs.values():
        tab.page.wait_for_timeout(1500)
    idle = {mode: tab.idle() for mode, tab in tabs.items()}
    order = random.Random(17)  # each round in a shuffled order: no page is always first
    for _ in range(rounds):
        for tab in order.sample(list(tabs.values()), len(tabs)):
            tab.change()
    for tab in tabs.values():
        tab.page.click('#typing')
    for key in 'the quick brown fox!' * 5:  # 100 keystrokes into a field no condition reads
        for tab in order.sample(list(tabs.values()), len(tabs)):
            tab.keystroke(key)
    results = {}
    none = tabs['none']
    for mode, tab in tabs.items():
        row = {
            'idle_task_ms_per_s': round(idle[mode], 2),
            'task_ms_per_keystroke': round(statistics.median(tab.keys), 2),
            'task_ms_per_change': round(statistics.median(tab.batch), 2),
        }
        if mode != 'none':
            row['added_ms_per_change'] = _paired(tab.batch, none.batch)
            row['added_ms_per_keystroke'] = _paired(tab.keys, none.keys)
        if tab.latencies:
            latencies = sorted(tab.latencies)
            row['latency_p50_ms'] = round(statistics.median(latencies), 1)
            row['latency_p95_ms'] = round(latencies[int(len(latencies) * 0.95) - 1], 1)
        results[mode] = row
    for tab in tabs.values():
        tab.context.close()
    return results


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
        # Every page is in the foreground: no timer or frame throttling of the ones not focused.
        args = ['--no-sandbox', '--disable-background-timer-throttling', '--disable-renderer-backgrounding']
        browser = p.chromium.launch(executable_path=str(path) if path else None, args=args)
        results['browser'] = browser.version
        results.update(measure(browser, server.url, rounds))
        browser.close()
    if save:
        out = Path(__file__).with_name('results-reaction.json')
        out.write_text(json.dumps(results, indent=2) + '\n')
    print(json.dumps(results, indent=2))
    return results


if __name__ == '__main__':
    other = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40, other, save=other is None)
