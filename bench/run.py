"""`make bench`: every benchmark in one run on this machine, written to bench/results.json,
rendered as bench/results.md (the table the README shows) and bench/results.png (the chart).

    .venv/bin/python bench/run.py [--runs N] [--quick]

Ratios are the headline (ours / peer); absolute times depend on the machine, which each result
records with the date.
"""

import argparse
import datetime
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import build_times  # noqa: E402
import page_cost  # noqa: E402
import reaction  # noqa: E402
import sizes  # noqa: E402

from sdk import ROOT  # noqa: E402
from sdk.builder import build  # noqa: E402

HERE = Path(__file__).parent
START, END = '<!-- bench:start -->', '<!-- bench:end -->'


def _design_floor(cost: dict) -> str:
    """The sentence on the design's floor (bench/floor/): what SPEC §4's design costs with no SDK in
    it, against driver.js, and what ours adds over it."""
    floor, driver, served, iframe = cost['floor'], cost['driver'], cost['served'], cost['iframe']
    latency = (
        f'with 100 ms round trips {floor["ready_latency_ms"] - driver["ready_latency_ms"]:+.0f} ms next to '
        f'driver.js (ours {served["ready_latency_ms"] - floor["ready_latency_ms"]:+.0f} ms over it); '
        if 'ready_latency_ms' in floor and 'ready_latency_ms' in driver
        else ''
    )
    return (
        "The design's floor (`bench/floor/`: a loader script, its hidden iframe, and a second script "
        'loaded into it that draws the same tooltip in a shadow root; no SDK): '
        f'{floor["ready_ms"]:.1f} ms to the tooltip, {ratio(floor["ready_ms"], driver["ready_ms"])} '
        f'driver.js (ours {ratio(served["ready_ms"], floor["ready_ms"])} of it, content from the server); '
        + latency
        + f'heap beyond the empty iframe {(floor["heap_bytes"] - iframe["heap_bytes"]) / 1024:,.0f} KB. '
    )


def ratio(a: float, b: float) -> str:
    return f'{a / b:.2f}×' if b else '—'


def table(results: dict) -> str:
    machine = results['machine']
    lines = [
        f'Measured {results["date"]} on {machine["platform"]}, {machine["cpus"]} cores, headless Chromium '
        f'{results["page_cost"]["browser"]} (`make bench`, `bench/results.json`).'
        + (
            " The machine's speed, to compare runs by: a fixed CPU loop (`bench/run.py` `cpu_loop`) took "
            f'{machine["cpu_loop_ms"][0]:.0f} ms at the start of the run and '
            f'{machine["cpu_loop_ms"][1]:.0f} ms at its end.'
            if 'cpu_loop_ms' in machine
            else ''
        ),
        '',
        '**Size** (bytes; minified = esbuild `--bundle --minify` of the shipped browser file, '
        'the same for every library; CSS shipped separately by the peers is extra):',
        '',
        '| library | version | raw | minified | gzip | brotli | + CSS gzip |',
        '|---|---|---|---|---|---|---|',
    ]
    for name, row in results['sizes'].items():
        lines.append(
            f'| {name} | {row["version"]} | {row["raw"]:,} | {row["minified"]:,} | {row["gzip"]:,} | '
            f'{row["brotli"]:,} | {row["css_gzip"]:,} |'
        )
    cost = results['page_cost']
    ours, driver, none = cost['ours'], cost['driver'], cost['none']
    lines += [
        '',
        f'**Page cost** (the same page showing the same tooltip; medians of {cost["runs"]} interleaved '
        f'runs, each also with a {cost.get("latency_ms", 100)} ms round trip emulated on every request; '
        '"added" is over the page with no script; the floor, an empty same-origin iframe alone, '
        'measured in the same run):',
        '',
        '| | script start → tooltip shown | … with 100 ms round trips | return visit | … with 100 ms '
        'round trips | main-thread time added | JS heap added | long tasks |',
        '|---|---|---|---|---|---|---|---|',
    ]
    rows = [('Userflow.js (this), content from loadContent', ours)]
    if 'served' in cost:
        rows.append(('Userflow.js (this), content from the server', cost['served']))
    floor = (
        [('an empty same-origin iframe (the isolation floor)', cost['iframe'])] if 'iframe' in cost else []
    )
    if 'floor' in cost:
        floor.insert(
            0,
            ("the design's floor: a loader, its iframe, a second script drawing the tooltip", cost['floor']),
        )
    for label, row in [*rows, ('driver.js', driver), *floor, ('no script', none)]:
        times = ' | '.join(
            f'{row[key]:.1f} ms' if key in row else '—'
            for key in ('ready_ms', 'ready_latency_ms', 'return_ms', 'return_latency_ms')
        )
        lines.append(
            f'| {label} | {times} | {row["task_ms"] - none["task_ms"]:.1f} ms | '
            f'{(row["heap_bytes"] - none["heap_bytes"]) / 1024:,.0f} KB | {row["long_tasks"]:.0f} '
            f'({row["long_task_ms"]:.0f} ms) |'
        )
    s = results['sizes']
    ours_gzip = s[sizes.TOTAL]['gzip']
    driver_gzip = s['driver.js']['gzip'] + s['driver.js']['css_gzip']
    driver_heap = driver['heap_bytes'] - none['heap_bytes']
    lines += [
        '',
        f'Ratios, ours / driver.js: gzip size {ratio(ours_gzip, driver_gzip)} '
        f'(with its CSS), time to tooltip {ratio(ours["ready_ms"], driver["ready_ms"])}, main-thread time '
        f'added {ratio(ours["task_ms"] - none["task_ms"], driver["task_ms"] - none["task_ms"])}, heap added '
        f'{ratio(ours["heap_bytes"] - none["heap_bytes"], driver["heap_bytes"] - none["heap_bytes"])}. '
        + (
            f"Heap added beyond the empty iframe's floor: "
            f'{(ours["heap_bytes"] - cost["iframe"]["heap_bytes"]) / 1024:,.0f} KB, '
            f'{ratio(ours["heap_bytes"] - cost["iframe"]["heap_bytes"], driver_heap)} '
            'what driver.js adds. '
            if 'iframe' in cost
            else ''
        )
        + (
            'With 100 ms round trips, content from the server: '
            f'{cost["served"]["ready_latency_ms"] - driver["ready_latency_ms"]:+.0f} ms next to driver.js. '
            if 'served' in cost and 'ready_latency_ms' in driver
            else ''
        )
        + (
            'On a return visit with 100 ms round trips (the loader, core and chunks from the cache, the '
            f'content requested): {cost["served"]["return_latency_ms"]:.0f} ms, '
            f'{cost["served"]["return_latency_ms"] - driver["return_latency_ms"]:+.0f} ms next to driver.js. '
            if 'served' in cost and 'return_latency_ms' in driver
            else ''
        )
        + (_design_floor(cost) if 'floor' in cost and 'iframe' in cost else '')
        + 'Ours does more before its tooltip shows: a second realm (the iframe), identify with an HMAC, the '
        'content validated, conditions evaluated; driver.js only positions a popover. The `userflow.js` npm '
        'package is only a loader: the real Userflow.js fetches its SDK from its CDN at run time (no '
        'network here), so its full size is not in this table.',
    ]
    if 'reaction' in results:
        r = results['reaction']
        lines += [
            '',
            f'**Condition reaction** ({r["nodes"]:,} nodes, {r["conditions"]} conditions, {r["rounds"]} '
            'changes), ours vs 200 ms polling of the same conditions:',
            '',
            '| | reaction p50 | reaction p95 | main thread per change | per keystroke | idle main thread |',
            '|---|---|---|---|---|---|',
        ]
        for label, key in [
            ('Userflow.js (mutations, incremental, one evaluation a frame)', 'sdk'),
            ('the same with `searchShadowRoots: true`', 'shadow'),
            ('200 ms polling', 'poll'),
            ('no script', 'none'),
            ('no script either (the control)', 'control'),
        ]:
            if key not in r:
                continue
            row = r[key]
            p50 = f'{row["latency_p50_ms"]:.1f} ms' if 'latency_p50_ms' in row else '—'
            p95 = f'{row["latency_p95_ms"]:.1f} ms' if 'latency_p95_ms' in row else '—'
            change = f'{row["task_ms_per_change"]:.2f} ms' if 'task_ms_per_change' in row else '—'
            key_ms = f'{row["task_ms_per_keystroke"]:.2f} ms' if 'task_ms_per_keystroke' in row else '—'
            lines.append(
                f'| {label} | {p50} | {p95} | {change} | {key_ms} | {row["idle_task_ms_per_s"]:.2f} ms/s |'
            )
        if 'latency_p50_ms' in r['sdk'] and 'latency_p50_ms' in r['poll']:
            lines += [
                '',
                'Ratios, ours / polling: reaction p50 '
                f'{ratio(r["sdk"]["latency_p50_ms"], r["poll"]["latency_p50_ms"])}, '
                f'idle cost {ratio(r["sdk"]["idle_task_ms_per_s"], r["poll"]["idle_task_ms_per_s"])}.',
            ]
        if 'task_ms_per_change' in r['sdk'] and 'task_ms_per_change' in r.get('none', {}):
            poll = r['poll']['idle_task_ms_per_s'] / 5  # five polls a second, nothing else running
            change = _added(r, 'change')
            keystroke = _added(r, 'keystroke')
            lines[-1] += (
                f' One poll of the 200 conditions costs {poll:.2f} ms (its idle cost / 5); ours adds '
                f'{change:.2f} ms per change ({ratio(change, poll)} one poll) and {keystroke:.2f} ms per '
                'keystroke over the page with no script (medians of the differences, change by change '
                'and key by key, the pages side by side).'
            )
            if 'added_ms_per_unwatched_change' in r['sdk']:
                unwatched = r['sdk']['added_ms_per_unwatched_change']
                lines[-1] += (
                    f' A change no condition watches (the app replacing an element with text) adds '
                    f'{unwatched:.2f} ms ({ratio(unwatched, poll)} one poll).'
                )
            if 'shadow' in r:
                shadow = r['shadow']['added_ms_per_change']
                lines[-1] += (
                    f' With `searchShadowRoots: true` (roots found from the records, not a walk of every'
                    f' element at each query) a change adds {shadow:.2f} ms ({ratio(shadow, poll)} one poll).'
                )
            if 'control' in r:
                lines[-1] += (
                    f' The control, a second page with no script measured the same way, "adds" '
                    f'{r["control"]["added_ms_per_change"]:.2f} ms per change and '
                    f'{r["control"]["added_ms_per_keystroke"]:.2f} ms per keystroke'
                    + (
                        f' and {r["control"]["added_ms_per_unwatched_change"]:.2f} ms per unwatched change'
                        if 'added_ms_per_unwatched_change' in r['control']
                        else ''
                    )
                    + ': the noise of the method.'
                )
        if 'attributed' in r:
            a = r['attributed']
            lines[-1] += (
                f" Attributed from a trace instead (the library's own callbacks and the microtasks they "
                f'leave, {a["changes"]} changes and {a["polls"]} polls on pages of their own): ours runs '
                f'{a["own_ms_per_change"]:.2f} ms per change (mean {a["own_ms_per_change_mean"]:.2f}), '
                f'one poll {a["own_ms_per_poll"]:.2f} ms: '
                f'{ratio(a["own_ms_per_change"], a["own_ms_per_poll"])} one poll.'
            )
            if 'own_ms_per_keystroke' in a:
                lines[-1] += (
                    f' Per keystroke into the field no condition reads ({a["keystrokes"]} keys; its '
                    f"listener and the evaluation after it, not the browser's editing of the field): "
                    f'{a["own_ms_per_keystroke"]:.2f} ms (mean {a["own_ms_per_keystroke_mean"]:.2f}).'
                )
    previous = results.get('previous')
    if previous:
        lines += [
            '',
            f'**Before and after** (the previous `make bench`, {previous["date"]}, beside this one):',
            '',
        ]
        lines += ['| | previous | now |', '|---|---|---|']
        for label, old, new in compare(previous, results):
            lines.append(f'| {label} | {old} | {new} |')
    b = results['build']
    stages = b['stages_ms']
    share = lambda name: stages.get(name, 0) / b['full_ms'] * 100  # noqa: E731
    lines += [
        '',
        f'**Build** (medians of {b["runs"]}): full {b["full_ms"]:.0f} ms '
        f'(Transcrypt {share("transpile"):.0f}%, '
        f'esbuild {share("bundle"):.0f}%), nothing changed {b["unchanged_ms"]:.0f} ms, one Python file '
        f'changed {b["one_file_ms"]:.0f} ms.',
    ]
    return '\n'.join(lines) + '\n'


def _added(reaction: dict, what: str) -> float:
    """Main thread the SDK adds per change or keystroke: the median of the paired differences
    (bench/reaction.py); a run before those were measured: the difference of the medians."""
    sdk = reaction['sdk']
    if f'added_ms_per_{what}' in sdk:
        return sdk[f'added_ms_per_{what}']
    return sdk[f'task_ms_per_{what}'] - reaction['none'][f'task_ms_per_{what}']


def compare(old: dict, new: dict) -> list:
    """[label, previous, now] of the figures the performance issue set targets for."""

    def size(results):
        rows = results['sizes']
        total = rows.get(sizes.TOTAL) or rows.get('Userflow.js (this): all three')
        return f'{total["gzip"]:,} B'

    def added(results, key, what):
        r = results.get('reaction', {})
        if key not in r.get('sdk', {}):
            return '—'
        if key not in r.get('none', {}):  # an older run measured no page without the SDK
            return f'{r["sdk"][key]:.1f} ms, the {what} itself included'
        return f'{_added(r, what):.2f} ms'

    def polls(results):
        r = results.get('reaction', {})
        if 'none' not in r or 'task_ms_per_change' not in r.get('sdk', {}):
            return '—'
        return f'{_added(r, "change") / (r["poll"]["idle_task_ms_per_s"] / 5):.2f}×'

    def own(results):
        a = results.get('reaction', {}).get('attributed')
        return f'{a["own_ms_per_change"] / a["own_ms_per_poll"]:.2f}×' if a else '—'

    def own_key(results):
        a = results.get('reaction', {}).get('attributed') or {}
        return f'{a["own_ms_per_keystroke"]:.2f} ms' if 'own_ms_per_keystroke' in a else '—'

    def get(results, *path, unit=' ms', digits=1):
        node = results
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return '—'
            node = node[key]
        return f'{node:,.{digits}f}{unit}'

    figures = [
        ('gzip, a page with one flow', size),
        ('core gzip', lambda r: get(r, 'sizes', 'Userflow.js (this) core', 'gzip', unit=' B', digits=0)),
        ('time to tooltip', lambda r: get(r, 'page_cost', 'ours', 'ready_ms')),
        (
            '… content from the server, 100 ms round trips',
            lambda r: get(r, 'page_cost', 'served', 'ready_latency_ms'),
        ),
        (
            '… the same, a return visit',
            lambda r: get(r, 'page_cost', 'served', 'return_latency_ms'),
        ),
        ('reaction p50', lambda r: get(r, 'reaction', 'sdk', 'latency_p50_ms')),
        ('reaction p95', lambda r: get(r, 'reaction', 'sdk', 'latency_p95_ms')),
        ('main thread added per change', lambda r: added(r, 'task_ms_per_change', 'change')),
        ('… in polls of the same conditions (the ratio the issue targets)', polls),
        ('… the same, attributed from a trace', own),
        ('main thread added per keystroke', lambda r: added(r, 'task_ms_per_keystroke', 'keystroke')),
        ('… the same, attributed from a trace', own_key),
        (
            'main thread added per change no condition watches',
            lambda r: get(r, 'reaction', 'sdk', 'added_ms_per_unwatched_change', digits=2),
        ),
        (
            'main thread added per change, `searchShadowRoots: true`',
            lambda r: get(r, 'reaction', 'shadow', 'added_ms_per_change', digits=2),
        ),
        ('one Python file changed, rebuild', lambda r: get(r, 'build', 'one_file_ms', digits=0)),
    ]
    return [(label, figure(old), figure(new)) for label, figure in figures]


def chart(results: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    s = results['sizes']
    names = [
        sizes.TOTAL,
        'driver.js',
        'shepherd.js',
        'intro.js',
        'userflow.js (npm loader)',
        'plausible-tracker',
    ]
    cost = results['page_cost']
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    gz = [(s[n]['gzip'] + s[n]['css_gzip']) / 1024 for n in names]
    left.barh(
        [n.replace(' (this): all three', ' (this)') for n in names],
        gz,
        color=['#2563eb'] + ['#9ca3af'] * (len(names) - 1),
    )
    left.invert_yaxis()
    left.set_xlabel('KB gzip (JS + CSS)')
    left.set_title('Size')
    none = cost['none']
    labels = ['time to tooltip\n(ms)', 'main thread added\n(ms)', 'JS heap added\n(10 KB)']
    ours = [
        cost['ours']['ready_ms'],
        cost['ours']['task_ms'] - none['task_ms'],
        (cost['ours']['heap_bytes'] - none['heap_bytes']) / 10240,
    ]
    driver = [
        cost['driver']['ready_ms'],
        cost['driver']['task_ms'] - none['task_ms'],
        (cost['driver']['heap_bytes'] - none['heap_bytes']) / 10240,
    ]
    x = range(len(labels))
    right.bar([i - 0.2 for i in x], ours, 0.4, label='Userflow.js (this)', color='#2563eb')
    right.bar([i + 0.2 for i in x], driver, 0.4, label='driver.js', color='#9ca3af')
    right.set_xticks(list(x), labels)
    right.set_title('Page cost (medians)')
    right.legend()
    fig.suptitle(
        f'{results["date"]}, {results["machine"]["platform"]}, {results["machine"]["cpus"]} cores, '
        f'Chromium {cost["browser"]}',
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(
        out, dpi=110, metadata={'Software': None, 'CreationDate': None} if out.suffix == '.pdf' else None
    )
    plt.close(fig)


def update_readme(text: str) -> None:
    readme = ROOT / 'README.md'
    content = readme.read_text()
    if START in content and END in content:
        content = re.sub(
            re.escape(START) + '.*?' + re.escape(END), lambda m: f'{START}\n{text}{END}', content, flags=re.S
        )
        readme.write_text(content)


def cpu_loop() -> float:
    """Milliseconds for a fixed pure-Python loop (the best of 3): how fast this machine is now.
    Its speed has varied about 3.5-fold within a day here, which moves every absolute figure."""
    best = None
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(5_000_000):
            total += i
        took = (time.perf_counter() - start) * 1000
        best = took if best is None else min(best, took)
    return round(best, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=15, help='page-cost runs per variant')
    parser.add_argument('--quick', action='store_true', help='fewer runs (a smoke test, not for the README)')
    parser.add_argument(
        '--render', action='store_true', help='only render results.json again (table, chart, README)'
    )
    args = parser.parse_args()
    if args.render:
        results = json.loads((HERE / 'results.json').read_text())
        text = table(results)
        (HERE / 'results.md').write_text(text)
        chart(results, HERE / 'results.png')
        update_readme(text)
        print(text)
        return
    runs = 3 if args.quick else args.runs
    build(ROOT / 'dist', ROOT / 'build', lambda s: None)
    results = {
        'date': datetime.date.today().isoformat(),
        'machine': {
            'platform': f'{platform.system()} {platform.machine()}',
            'cpus': os.cpu_count(),
            'python': platform.python_version(),
        },
    }
    loop_at_start = cpu_loop()
    results['sizes'] = sizes.main()
    results['page_cost'] = page_cost.main(runs)
    results['reaction'] = reaction.main(10 if args.quick else 40)
    results['build'] = build_times.main(2 if args.quick else 5)
    results['machine']['cpu_loop_ms'] = [loop_at_start, cpu_loop()]
    if (HERE / 'results.json').exists():  # the last run, shown beside this one
        last = json.loads((HERE / 'results.json').read_text())
        last.pop('previous', None)
        results['previous'] = last
    (HERE / 'results.json').write_text(json.dumps(results, indent=2) + '\n')
    text = table(results)
    (HERE / 'results.md').write_text(text)
    chart(results, HERE / 'results.png')
    if not args.quick:
        update_readme(text)
    print(text)


if __name__ == '__main__':
    main()
