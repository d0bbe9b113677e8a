"""Condition reaction on a 10,000-node page with 200 active conditions: Userflow.js (mutation
observer, one evaluation per frame) next to a 200 ms polling loop over the same conditions, and
next to no script, in one run of the same headless Chromium; and Userflow.js again with
searchShadowRoots on (`shadow`: open shadow roots searched and watched too).

Measures: DOM change -> reaction latency (p50/p95 over N changes), main-thread task time per
mutation batch, CPU (task time) per second while idle, and main-thread time per keystroke while
typing 100 characters into a field none of the 200 conditions reads, and per change that no
condition watches (the app's own churn: an element with text replaced), compared with no script.
The pages are open side by side (PAGES: one per mode) and each change and keystroke is made in
each in turn (in a shuffled order), so the machine's slow moments fall on all alike;
"added" is the median of the per-change (per-keystroke) differences between the mean of a mode's
pages and the mean of the pages with no script, and another page with no script (`control`)
measured the same way show the method's own noise. Writes
bench/results-reaction.json.

    .venv/bin/python bench/reaction.py [N]
"""

import bisect
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
# 'added' figures show is the measurement's own noise. shadow: the SDK with searchShadowRoots on,
# measured after the others, beside a page with no script of its own (five pages at once on two
# cores slowed each other).
MODES = ['sdk', 'poll', 'control', 'none']
SHADOW_MODES = ['shadow', 'none']
PAGE_QUERY = {'shadow': 'mode=sdk&shadow=1'}


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
        query = PAGE_QUERY.get(mode, f'mode={mode}')
        self.page.goto(f'{url}/fixtures/bench.html?{query}&nodes=10000')
        self.batch, self.latencies, self.keys, self.churned = [], [], [], []

    def idle(self) -> float:
        before = task_seconds(self.cdp)
        self.page.wait_for_timeout(5000)
        return (task_seconds(self.cdp) - before) * 1000 / 5

    def change(self, marked: bool = False) -> None:
        """One change, its main-thread time kept; `marked`: between a 'change' and an 'end'
        console.timeStamp, for a trace (attributed())."""
        self.page.evaluate('bench.arm()')
        self.page.wait_for_timeout(50)
        if marked:
            self.page.evaluate("console.timeStamp('change')")
        start = task_seconds(self.cdp)
        if self.mode in ('none', 'control'):  # the change alone: what it costs with no script
            self.page.evaluate('bench.fire(), 0')
        else:
            self.latencies.append(self.page.evaluate('bench.fire()'))
        self.page.wait_for_timeout(250)
        self.batch.append((task_seconds(self.cdp) - start) * 1000)
        if marked:
            self.page.evaluate("console.timeStamp('end')")  # the next arm() is not the change's

    def churn(self) -> None:
        start = task_seconds(self.cdp)
        self.page.evaluate('bench.churn()')
        self.page.wait_for_timeout(100)
        self.churned.append((task_seconds(self.cdp) - start) * 1000)

    def keystroke(self, key: str, marked: bool = False) -> None:
        """One key pressed in the focused field; `marked`: between a 'key' and an 'end'
        console.timeStamp, for a trace (attributed())."""
        if marked:
            self.page.evaluate("console.timeStamp('key')")
        start = task_seconds(self.cdp)
        self.page.keyboard.press(key if key != ' ' else 'Space')
        self.page.wait_for_timeout(30)
        self.keys.append((task_seconds(self.cdp) - start) * 1000)
        if marked:
            self.page.evaluate("console.timeStamp('end')")


def _paired(ours: list, alone: list) -> float:
    """The median of the differences, sample by sample (the same change or key in both pages)."""
    return round(statistics.median(a - b for a, b in zip(ours, alone, strict=True)), 2)


# Pages per mode. A page (a renderer process) can run a little faster or slower than another all
# along (the control has shown ±0.8 ms on every measure of one run); more pages per mode would
# average that out, but on this 2-core machine ten pages slowed each other (one poll took 4.9
# instead of 2.1 ms), so one each: the control's figures show how far a run is off.
PAGES = {'sdk': 1, 'shadow': 1, 'poll': 1, 'control': 1, 'none': 1}


def _mean(tabs: list, field: str) -> list:
    """Per round, the mean over one mode's pages."""
    return [statistics.fmean(values) for values in zip(*(getattr(t, field) for t in tabs), strict=True)]


def measure(browser, url: str, rounds: int, modes: list) -> dict:
    """Every mode's pages (`modes`, 'none' among them) open at once; each change and each
    keystroke is made in every page in turn, so a slow moment of the machine falls on all of them
    alike. 'added' figures are the median of the per-round differences between a mode's pages and
    the pages with no script."""
    tabs = {mode: [Tab(browser, url, mode) for _ in range(PAGES[mode])] for mode in modes}
    every = [tab for mode in modes for tab in tabs[mode]]
    for tab in every:
        tab.page.wait_for_timeout(1500)
    idle = {mode: statistics.fmean(tab.idle() for tab in tabs[mode]) for mode in modes}
    order = random.Random(17)  # each round in a shuffled order: no page is always first
    for _ in range(rounds):
        for tab in order.sample(every, len(every)):
            tab.change()
    for _ in range(rounds):  # changes no condition watches: what the app's own churn costs
        for tab in order.sample(every, len(every)):
            tab.churn()
    for tab in every:
        tab.page.click('#typing')
    for key in 'the quick brown fox!' * 5:  # 100 keystrokes into a field no condition reads
        for tab in order.sample(every, len(every)):
            tab.keystroke(key)
    results = {}
    none = {field: _mean(tabs['none'], field) for field in ('batch', 'keys', 'churned')}
    for mode in modes:
        mine = {field: _mean(tabs[mode], field) for field in ('batch', 'keys', 'churned')}
        row = {
            'pages': PAGES[mode],
            'idle_task_ms_per_s': round(idle[mode], 2),
            'task_ms_per_keystroke': round(statistics.median(mine['keys']), 2),
            'task_ms_per_change': round(statistics.median(mine['batch']), 2),
        }
        if mode != 'none':
            row['added_ms_per_change'] = _paired(mine['batch'], none['batch'])
            row['added_ms_per_keystroke'] = _paired(mine['keys'], none['keys'])
            row['added_ms_per_unwatched_change'] = _paired(mine['churned'], none['churned'])
        latencies = sorted(x for tab in tabs[mode] for x in tab.latencies)
        if latencies:
            row['latency_p50_ms'] = round(statistics.median(latencies), 1)
            row['latency_p95_ms'] = round(latencies[int(len(latencies) * 0.95) - 1], 1)
        results[mode] = row
    for tab in every:
        tab.context.close()
    return results


# What runs a library's code on the main thread (devtools.timeline trace events): a callback
# Blink calls (a mutation observer's, a listener), a frame's animation callbacks, a timer, and the
# microtasks a callback leaves. The outermost of these holding the library's code is counted
# whole; style, layout and paint of the frame after it are not (the page with no script pays them
# too), a layout the library forces inside its callback is. An event's dispatch is not counted
# whole, only the listener's call in it: a keypress's dispatch holds the browser's own editing of
# the field (1.8 ms here) and, inside it, the input event the library listens to.
_RUNS_CODE = {'FunctionCall', 'FireAnimationFrame', 'TimerFire', 'RunMicrotasks'}


def _own_time(events: list, marker: str) -> list:
    """[(start µs, ms)] of the outermost code-running events on the renderer's main thread that
    contain a function call into a script whose URL holds `marker`."""
    calls = [
        e
        for e in events
        if e.get('ph') == 'X'
        and e['name'] == 'FunctionCall'
        and marker in str(((e.get('args') or {}).get('data') or {}).get('url', ''))
    ]
    if not calls:
        return []
    thread = (calls[0]['pid'], calls[0]['tid'])
    runs = sorted(
        (
            e
            for e in events
            if e.get('ph') == 'X' and e['name'] in _RUNS_CODE and (e['pid'], e['tid']) == thread
        ),
        key=lambda e: (e['ts'], -e['dur']),
    )
    starts = sorted(c['ts'] for c in calls)
    found, end = [], -1
    for e in runs:
        if e['ts'] < end:
            continue  # inside one already counted
        first = bisect.bisect_left(starts, e['ts'])  # the first call at or after its start
        if first < len(starts) and starts[first] <= e['ts'] + e['dur']:
            found.append((e['ts'], e['dur'] / 1000))
            end = e['ts'] + e['dur']
    return found


def _marked(events: list, runs: list, name: str) -> list:
    """The ms of `runs` ([(start µs, ms)]) inside each window that a console.timeStamp(name)
    opens and the next 'end' closes."""
    marks = sorted(
        (e['ts'], ((e.get('args') or {}).get('data') or {}).get('message'))
        for e in events
        if e['name'] == 'TimeStamp'
    )
    windows = [(at, marks[i + 1][0]) for i, (at, message) in enumerate(marks[:-1]) if message == name]
    return [sum(ms for at, ms in runs if start <= at < stop) for start, stop in windows]


def attributed(browser, url: str, rounds: int) -> dict:
    """The main-thread time of the library's own code, from a trace (not the difference of two
    pages' totals, which the machine's noise moves by a millisecond or more): per change and per
    keystroke into a field no condition reads for ours (each marked in the trace with
    console.timeStamp), per timer run for the poller. Pages of their own, traced one at a time,
    after the side-by-side measurement. Ours' per-change figure includes the page's `flowEnded`
    listener, which the SDK calls (it takes the time and leaves the promise of bench.fire() to a
    task of its own: settled inside the SDK's callback, Playwright's reply to it ran there and
    counted as the SDK's, ~0.2 ms a change)."""
    ours, poller = Tab(browser, url, 'sdk'), Tab(browser, url, 'poll')
    for _ in range(5):  # as in measure(), where each page has made changes before most rounds
        ours.change()
    browser.start_tracing(page=ours.page, categories=['devtools.timeline'])
    for _ in range(rounds):
        ours.change(marked=True)
    ours.page.click('#typing')
    for key in ('the quick brown fox!' * 5)[:rounds]:
        ours.keystroke(key, marked=True)
    events = json.loads(browser.stop_tracing())['traceEvents']
    runs = _own_time(events, '/dist/userflow')
    per_change = _marked(events, runs, 'change')
    per_key = _marked(events, runs, 'key')
    browser.start_tracing(page=poller.page, categories=['devtools.timeline'])
    poller.page.wait_for_timeout(200 * rounds)
    polls = [
        ms for _, ms in _own_time(json.loads(browser.stop_tracing())['traceEvents'], 'fixtures/bench.js')
    ]
    for tab in (ours, poller):
        tab.context.close()
    return {
        'changes': len(per_change),
        'polls': len(polls),
        'own_ms_per_change': round(statistics.median(per_change), 3),
        'own_ms_per_change_mean': round(statistics.fmean(per_change), 3),
        'own_ms_per_poll': round(statistics.median(polls), 3),
        'keystrokes': len(per_key),
        'own_ms_per_keystroke': round(statistics.median(per_key), 3),
        'own_ms_per_keystroke_mean': round(statistics.fmean(per_key), 3),
    }


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
        results.update(measure(browser, server.url, rounds, MODES))
        results['shadow'] = measure(browser, server.url, rounds, SHADOW_MODES)['shadow']
        results['attributed'] = attributed(browser, server.url, rounds)
        browser.close()
    if save:
        out = Path(__file__).with_name('results-reaction.json')
        out.write_text(json.dumps(results, indent=2) + '\n')
    print(json.dumps(results, indent=2))
    return results


if __name__ == '__main__':
    other = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40, other, save=other is None)
