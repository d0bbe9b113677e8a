"""Split the transpiled program in two bundles: the core, and the flows chunk it loads on demand.

The core (identity, attributes, events, page views, delivery) must stay within its budget
(SPEC §3: 16 KiB gzip); the flow engine and its UI load only when a page has content. Both run
in the SDK's iframe. The chunk must not carry a second Transcrypt runtime or second copies of
modules the core already holds: every module both need stays in the core, which hands the
chunk exactly the names it imports through `window.userflowShared`; in the chunk's sources
those modules are replaced by shims that read that object.

    core.js    imports the shared names, publishes them, then runs userflow.main
    flows.js   runs userflow.flowhost, which publishes itself as window.userflowFlows
"""

import re
import shutil
from pathlib import Path

from sdk.build.prune import prune

CORE_ROOT = 'userflow.main'
CHUNK_ROOT = 'userflow.flowhost'
_NAMED = re.compile(r"^import \{([^}]*)\} from '\./([^']+)\.js';$", re.M)
_STAR = re.compile(r"^import \* as ([\w$]+) from '\./([^']+)\.js';$", re.M)
_EXPORT = re.compile(r'^export (?:var|let|const|function\*?|class) ([\w$]+)', re.M)
_EXPORT_LIST = re.compile(r'^export \{([^}]*)\};$', re.M)
ALL = '*'


def _imports(js_dir: Path, module: str) -> dict[str, set]:
    text = (js_dir / f'{module}.js').read_text()
    found: dict[str, set] = {}
    for names, dep in _NAMED.findall(text):
        found.setdefault(dep, set()).update(n.split(' as ')[0].strip() for n in names.split(',') if n.strip())
    for _, dep in _STAR.findall(text):
        found.setdefault(dep, set()).add(ALL)
    return found


def _reachable(js_dir: Path, root: str) -> set[str]:
    seen, todo = set(), [root]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(_imports(js_dir, module))
    return seen


def _exports(js_dir: Path, module: str) -> set[str]:
    text = (js_dir / f'{module}.js').read_text()
    names = set(_EXPORT.findall(text))
    for group in _EXPORT_LIST.findall(text):
        names.update(n.split(' as ')[-1].strip() for n in group.split(',') if n.strip())
    return names


def shared_names(js_dir: Path) -> dict[str, list[str]]:
    """For each core module the chunk uses: the names it imports from it and really uses
    (Transcrypt imports the whole runtime into every module; publishing all of it would keep
    esbuild from dropping what neither bundle calls)."""
    core = _reachable(js_dir, CORE_ROOT)
    need: dict[str, set] = {}
    for module in _reachable(js_dir, CHUNK_ROOT) - core:
        text = (js_dir / f'{module}.js').read_text()
        used = set(re.findall(r'[\w$]+', _STAR.sub('', _NAMED.sub('', text))))
        for dep, names in _imports(js_dir, module).items():
            if dep in core:
                wanted = _exports(js_dir, dep) if ALL in names else names & used
                need.setdefault(dep, set()).update(wanted)
    return {dep: sorted(names) for dep, names in sorted(need.items()) if names}


def prepare(js_dir: Path, core_dir: Path, chunk_dir: Path) -> None:
    """Write the core's and the chunk's sources, each with its entry (core.js, flows.js)."""
    for target in (core_dir, chunk_dir):
        if target.exists():
            shutil.rmtree(target)
    shutil.copytree(js_dir, core_dir)
    prune(core_dir)  # with the chunk's modules among the roots: what they use stays
    shutil.copytree(core_dir, chunk_dir)
    need = shared_names(core_dir)
    lines, table = [], []
    for i, (dep, names) in enumerate(need.items()):
        lines.append('import {' + ', '.join(f'{n} as m{i}_{n}' for n in names) + f"}} from './{dep}.js';")
        table.append(f"'{dep}': {{" + ', '.join(f'{n}: m{i}_{n}' for n in names) + '}')
    lines.append('window.userflowShared = {' + ', '.join(table) + '};')
    lines.append(f"import './{CORE_ROOT}.js';")
    (core_dir / 'core.js').write_text('\n'.join(lines) + '\n')
    for dep, names in need.items():
        exports = ', '.join(f'{n} = m.{n}' for n in names)
        (chunk_dir / f'{dep}.js').write_text(f"var m = window.userflowShared['{dep}'];\nexport var {exports};\n")
    (chunk_dir / 'flows.js').write_text(f"import './{CHUNK_ROOT}.js';\n")
