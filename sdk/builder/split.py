"""Split the transpiled program into the core and the chunks it loads on demand.

The core (identity, attributes, events, page views, delivery) must stay within its budget
(SPEC §3: 16 KiB gzip); what most pages never run loads only when needed: the flow engine and
its UI when a page has content (`flows`), the pure HMAC-SHA256 on pages that are not a secure
context (`sha256`). All run in the SDK's iframe. A chunk must not carry a second Transcrypt
runtime or second copies of modules the core already holds: every module the core has stays in
the core, which hands the chunks exactly the names they use through `window.userflowShared`;
in a chunk's sources those modules are replaced by shims that read that object.

    core.js     imports the shared names, publishes them, then runs userflow.browser.main
    <chunk>.js  runs the chunk's root module, which publishes what it offers on window
"""

import functools
import os
import re
import shutil
from pathlib import Path

from sdk.builder.prune import RUNTIME, code_words, prune_texts
from sdk.errors import BundleError

# The folders of py_src/userflow/ are the chunk map: pure/ and browser/ make the core (entered
# at browser/main.py); every other folder is a chunk of that name, entered at its main.py.
CORE_FOLDERS = ('pure', 'browser')
CORE_ROOT = 'userflow.browser.main'
_CHUNK_ROOT = re.compile(r'^userflow\.(\w+)\.main\.js$')
_NAMED = re.compile(r"^import \{([^}]*)\} from '\./([^']+)\.js';$", re.M)
_STAR = re.compile(r"^import \* as ([\w$]+) from '\./([^']+)\.js';$", re.M)
_EXPORT = re.compile(r'^export (?:var|let|const|function\*?|class) ([\w$]+)', re.M)
_EXPORT_LIST = re.compile(r'^export \{([^}]*)\};$', re.M)
ALL = '*'


def chunk_roots(src: Path) -> dict[str, str]:
    """{chunk name: root module} from the source folders."""
    folders = [d for d in sorted((src / 'userflow').iterdir()) if d.is_dir() and (d / 'main.py').is_file()]
    return {d.name: f'userflow.{d.name}.main' for d in folders if d.name not in CORE_FOLDERS}


def entry_source(src: Path) -> str:
    """One Transcrypt run compiles the core and every chunk; the split makes bundles of them."""
    roots = [CORE_ROOT, *chunk_roots(src).values()]
    return ''.join(f'import {root}\n' for root in roots)


def transpiled_chunks(js_dir: Path) -> dict[str, str]:
    """{chunk name: root module} from the transpiled modules."""
    found = [_CHUNK_ROOT.match(p.name) for p in sorted(js_dir.glob('userflow.*.main.js'))]
    return {m.group(1): m.group(0)[:-3] for m in found if m and m.group(1) not in CORE_FOLDERS}


_LOADS = re.compile(r"\w*_chunk \('(\w+)'")


def chunk_loaders(js_dir: Path) -> dict[str, str]:
    """{chunk: 'core', or the one chunk that loads it}, from where its name is asked for
    (a call of a function whose name ends in `_chunk`, with the name as a literal:
    `env.load_chunk('x')`, a chunk's `self._chunk('x', ...)`): a chunk that only another
    chunk loads is pinned in that chunk's table of chunks, not in the core's."""
    owners: dict[str, set] = {}
    for path in sorted(js_dir.glob('userflow.*.js')):
        folder = _folder(path.name[:-3])
        owner = 'core' if folder in (None, *CORE_FOLDERS) else folder
        for name in _LOADS.findall(_read(path)):
            owners.setdefault(name, set()).add(owner)
    return {name: 'core' if len(found) > 1 else next(iter(found)) for name, found in owners.items()}


def loader_problems(chunks: list[str], loaders: dict[str, str], tabled: str) -> list[str]:
    """What stops the build from pinning each chunk where it is loaded: only the core and the
    `tabled` chunk (flows) carry a table of chunks, and a chunk no call names has no known loader
    (it would be pinned nowhere, or in the wrong table)."""
    other = sorted(c for c in chunks if c in loaders and loaders[c] not in ('core', tabled))
    unasked = sorted(c for c in chunks if c not in loaders)
    problems = [f'chunk {c} is loaded by chunk {loaders[c]}, which holds no table of chunks' for c in other]
    return problems + [f"chunk {c} is loaded by no call that names it (load_chunk('{c}'))" for c in unasked]


def _folder(module: str) -> str | None:
    parts = module.split('.')
    return parts[1] if parts[0] == 'userflow' and len(parts) > 2 else None


def boundary_problems(js_dir: Path) -> list[str]:
    """The folders are the boundaries: pure/ imports only pure/, the core only pure/ and browser/,
    a chunk the core, pure/ and its own folder (never another chunk's)."""
    problems = []
    for path in sorted(js_dir.glob('userflow.pure.*.js')):
        for dep in _imports(js_dir, path.name[:-3]):
            if _folder(dep) not in (None, 'pure'):
                problems.append(f'{path.name[:-3]} (pure) imports {dep}')
    core = _reachable(js_dir, CORE_ROOT)
    problems += [
        f'the core reaches {m}, outside pure/ and browser/'
        for m in sorted(core)
        if _folder(m) not in (None, *CORE_FOLDERS)
    ]
    for name, root in transpiled_chunks(js_dir).items():
        problems += [
            f'chunk {name} reaches {m}, outside the core, pure/ and {name}/'
            for m in sorted(_reachable(js_dir, root) - core)
            if _folder(m) not in ('pure', name)
        ]
    return problems


def _read(path: Path) -> str:
    """A module's text, read once per version of the file (the split asks for each many times)."""
    stat = path.stat()
    return _read_version(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@functools.lru_cache(maxsize=1024)
def _read_version(path: str, mtime_ns: int, size: int, inode: int) -> str:
    return Path(path).read_text()


def _imports(js_dir: Path, module: str) -> dict[str, set]:
    return _imports_of(_read(js_dir / f'{module}.js'))


@functools.lru_cache(maxsize=1024)
def _imports_of(text: str) -> dict[str, set]:
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
    text = _read(js_dir / f'{module}.js')
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
    roots = transpiled_chunks(js_dir).values()
    outside = set().union(*[_reachable(js_dir, root) for root in roots]) - core
    for module in outside:
        text = _read(js_dir / f'{module}.js')
        body = _STAR.sub('', _NAMED.sub('', text))
        words = set(re.findall(r'[\w$]+', body))
        for dep, names in _imports(js_dir, module).items():
            # The runtime's functions are shared only when called as code; its other names
            # (prototype extensions live on in the core's realm anyway) as before.
            used = code_words(body) if dep + '.js' == RUNTIME else words
            if dep in core:
                # `import * as env`: what the chunk spells (env.warn), not every export
                wanted = (_exports(js_dir, dep) if ALL in names else names) & used
                need.setdefault(dep, set()).update(wanted)
    return {dep: sorted(names) for dep, names in sorted(need.items()) if names}


def prepare(js_dir: Path, core_dir: Path, chunk_dirs: dict[str, Path]) -> None:
    """Write the sources of the core (entry core.js) and of each chunk (entry <name>.js). The
    modules are pruned in memory and each file written once; a chunk's folder holds only what
    its entry reaches (all esbuild reads), so the folder is also what its bundle depends on."""
    problems = boundary_problems(js_dir)
    if problems:
        raise BundleError("a module crosses its folder's boundary: " + '; '.join(problems))
    roots = transpiled_chunks(js_dir)
    for target in [core_dir, *chunk_dirs.values()]:
        if target.exists():
            shutil.rmtree(target)
    # With the chunks' modules among the roots: what they use stays.
    texts, _ = prune_texts({path.name: _read(path) for path in js_dir.glob('*.js')})
    core_dir.mkdir(parents=True)
    for name, text in texts.items():
        (core_dir / name).write_text(text)
    need = shared_names(core_dir)
    lines, table = [], []
    for i, (dep, names) in enumerate(need.items()):
        lines.append('import {' + ', '.join(f'{n} as m{i}_{n}' for n in names) + f"}} from './{dep}.js';")
        # Quoted keys: esbuild renames private members (`_name`) per bundle, never quoted keys.
        table.append(f"'{dep}': {{" + ', '.join(f"'{n}': m{i}_{n}" for n in names) + '}')
    lines.append('window.userflowShared = {' + ', '.join(table) + '};')
    lines.append(f"import './{CORE_ROOT}.js';")
    (core_dir / 'core.js').write_text('\n'.join(lines) + '\n')
    shims = {}
    for dep, names in need.items():
        exports = ', '.join(f"{n} = m['{n}']" for n in names)
        shims[f'{dep}.js'] = f"var m = window.userflowShared['{dep}'];\nexport var {exports};\n"
    for name, chunk_dir in chunk_dirs.items():
        chunk_dir.mkdir(parents=True)
        entry = f"import './{roots[name]}.js';\n"
        (chunk_dir / f'{name}.js').write_text(entry)
        seen, todo = set(), [roots[name]]
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            file = f'{module}.js'
            if file in shims:
                (chunk_dir / file).write_text(shims[file])
            else:
                link_or_copy(core_dir / file, chunk_dir / file)  # never written again
                todo.extend(_imports_of(texts[file]))


def link_or_copy(source: Path, dest: Path) -> None:
    """A hard link (a copy on a file system without them): for files no one writes again."""
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)
