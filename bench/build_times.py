"""Build times: a full build (empty cache), a rebuild with nothing changed, and a rebuild after
a one-file change in py_src. Medians of N runs, on a copy of py_src in a temporary folder.

    .venv/bin/python bench/build_times.py [N]
"""

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sdk import PY_SRC
from sdk.builder import build


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(runs: int) -> dict:
    full, unchanged, one_file, stages = [], [], [], {}
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            src = tmp / 'py_src'
            shutil.copytree(PY_SRC, src, ignore=shutil.ignore_patterns('__pycache__'))
            seconds, result = timed(lambda: build(tmp / 'd', tmp / 'w', lambda s: None, src))
            full.append(seconds)
            for name, took, _ in result.stages:
                stages.setdefault(name, []).append(took)
            unchanged.append(timed(lambda: build(tmp / 'd', tmp / 'w', lambda s: None, src))[0])
            retry = src / 'userflow' / 'pure' / 'retry.py'
            retry.write_text(retry.read_text().replace('CAP_MS = 60000', f'CAP_MS = {60001 + i}'))
            one_file.append(timed(lambda: build(tmp / 'd', tmp / 'w', lambda s: None, src))[0])
    ms = lambda xs: f'{statistics.median(xs) * 1000:.0f} ms'  # noqa: E731
    print(f'full build (empty cache): {ms(full)}')
    for name, took in stages.items():
        print(f'  {name:<10} {ms(took)}')
    print(f'rebuild, nothing changed: {ms(unchanged)}')
    print(f'rebuild, one py_src file changed: {ms(one_file)}')
    median_ms = lambda xs: round(statistics.median(xs) * 1000, 1)  # noqa: E731
    return {
        'runs': runs,
        'full_ms': median_ms(full),
        'unchanged_ms': median_ms(unchanged),
        'one_file_ms': median_ms(one_file),
        'stages_ms': {n: median_ms(t) for n, t in stages.items()},
    }


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
