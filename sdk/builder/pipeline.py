"""The build, stage by stage: transpile -> bundle -> render -> package -> manifest.

Each expensive stage is keyed by a digest of its inputs and kept in build/cache/, so a rebuild
after a change reuses every stage whose inputs did not change (a template edit reuses the
transpiled and bundled core; a Python edit compiles only that module again, beside stubs of the
others (transpile.transpile_some), then bundles again). dist/ is rewritten from scratch every
time, from sorted inputs, with no time stamps or absolute paths: two builds of one tree are
byte-identical.
"""

import contextlib
import hashlib
import json
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sdk import PY_SRC, TEMPLATES, WORK, default_dist
from sdk.builder import bundle as bundler
from sdk.builder import declarations, prune, split
from sdk.builder import transpile as tp
from sdk.builder.manifest import budget_problems, chunk_pin, sizes, sri, write_manifest
from sdk.builder.package import write_tgz
from sdk.builder.render import render, render_js
from sdk.builder.tools import versions
from sdk.errors import BundleError

CORE_ENTRY = 'core_entry'
APP_CHUNK = 'userflow.flows.main'  # the chunk the app file holds beside the core


@dataclass
class BuildResult:
    dist: Path
    manifest: dict
    stages: list = field(default_factory=list)  # (name, seconds, reused)
    warnings: list = field(default_factory=list)

    @property
    def core_name(self) -> str:
        return next(n for n in self.manifest['files'] if n.startswith('userflow-core.') and n.endswith('.js'))


class _Stages:
    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.done: list = []

    def run(self, name: str, fn: Callable, reused: bool = False):
        start = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - start
        self.done.append((name, seconds, reused))
        self.log(f'{name:<10} {seconds * 1000:8.1f} ms{"  (reused)" if reused else ""}')
        return value


def _say(line: str) -> None:
    print(line, flush=True)


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b'\0')
    return h.hexdigest()[:20]


def _code_digest(*modules) -> str:
    """The stage's own code is one of its inputs: a change to it invalidates its cache."""
    return _digest(*[Path(m.__file__).read_bytes() for m in modules])


def _source_digest(entry_source: str, src: Path) -> str:
    files = [(p.relative_to(src).as_posix(), p.read_bytes()) for p in tp.sources(src)]
    return _digest(
        tp.FLAGS, versions()['transcrypt'], _code_digest(tp), entry_source, *[x for f in files for x in f]
    )


def transpiled(
    work: Path, entry: str, entry_source: str, stages: _Stages, src: Path = PY_SRC, per_module: bool = True
) -> Path:
    """The ES modules for `entry`, from the cache when the sources are unchanged; after a change
    to a few modules, only those are compiled (transpile.transpile_some) when the last full
    build of this entry left its modules in the cache (`per_module`)."""
    out = work / 'cache' / f'js-{entry}-{_source_digest(entry_source, src)}'
    if out.exists():
        return stages.run('transpile', lambda: out, reused=True)
    modules = work / 'cache' / 'modules'
    keys = {p: _module_key(p, src) for p in tp.sources(src)}
    base = (
        work
        / 'cache'
        / f'base-{entry}-{_digest(tp.FLAGS, versions()["transcrypt"], _code_digest(tp), entry_source)}'
    )
    changed = [p for p, key in keys.items() if not (modules / key).exists()]
    if per_module and base.exists() and 0 < len(changed) <= 3:

        def some():
            tmp = out.with_name(out.name + '.tmp')
            if tmp.exists():
                shutil.rmtree(tmp)
            shutil.copytree(base, tmp)
            fresh = tp.transpile_some(work / 'stage-some', changed, tmp, src)
            for path in changed:
                (modules / keys[path]).write_text(fresh.get(tp.module_name(path, src), ''))
            for path, key in keys.items():
                # Hard links to the cache, whose files are never written again ('' for a module
                # that compiles to no file of its own: a package's __init__).
                if (modules / key).stat().st_size:
                    split.link_or_copy(modules / key, tmp / f'{tp.module_name(path, src)}.js')
            tmp.rename(out)
            return out

        return stages.run('transpile', some)

    def full():
        tmp = out.with_name(out.name + '.tmp')
        tp.stage(work / 'stage', entry, entry_source, src)
        tp.transpile(work / 'stage', entry, tmp, src)
        # What a later per-module build needs: each module's output by its source's key, and
        # the rest (the runtime, the entry) as they are. A module's file in the cache is
        # written once and never again (js-* folders hold hard links to it). An entry that does
        # not import a module says nothing about it: only a package's __init__, which compiles
        # to no file of its own, is remembered as ''.
        modules.mkdir(parents=True, exist_ok=True)
        names = {tp.module_name(p, src): key for p, key in keys.items()}
        packages = {tp.module_name(p, src) for p in keys if p.name == '__init__.py'}
        if base.exists():
            shutil.rmtree(base)
        base.mkdir(parents=True)
        for js in tmp.glob('*.js'):
            if js.stem not in names:
                shutil.copyfile(js, base / js.name)
            elif not (modules / names[js.stem]).exists():
                shutil.copyfile(js, modules / names[js.stem])
        for name in packages:
            if not (tmp / f'{name}.js').exists() and not (modules / names[name]).exists():
                (modules / names[name]).write_text('')
        tmp.rename(out)
        return out

    return stages.run('transpile', full)


def _module_key(path: Path, src: Path) -> str:
    """A module's compiled text depends on its own source, its name, the flags and the tools."""
    name = tp.module_name(path, src)
    return f'{name}-' + _digest(tp.FLAGS, versions()['transcrypt'], _code_digest(tp), name, path.read_bytes())


def bundled(
    work: Path, js_dir: Path, entry: str, stages: _Stages, minify: bool = True, global_name: str | None = None
) -> Path:
    """The bundled file for `entry`, from the cache when the modules are unchanged."""
    js = [(p.name, p.read_bytes()) for p in sorted(js_dir.glob('*.js'))]
    key = _digest(
        versions()['esbuild'], _code_digest(bundler, prune), minify, global_name, *[x for f in js for x in f]
    )
    out = work / 'cache' / f'bundle-{entry}-{key}' / f'{entry}.js'
    if out.exists():
        return stages.run('bundle', lambda: out, reused=True)

    def fresh():
        sources = bundler.pruned_copy(js_dir, out.parent / 'src')
        bundler.bundle(sources / f'{entry}.js', out, minify, global_name)
        return out

    return stages.run('bundle', fresh)


def split_bundles(work: Path, js_dir: Path, stages: _Stages) -> dict:
    """The core and its chunks (see split.py), and the core with the engine's chunk in one file
    (`app`: what the loader loads when `init` with an endpoint comes before it boots), from the
    cache when the modules are unchanged: {'core': path, 'app': path, 'chunks': {name: (path,
    file name)}}."""
    chunk_names = list(split.transpiled_chunks(js_dir))
    js = [(p.name, p.read_bytes()) for p in sorted(js_dir.glob('*.js'))]
    code = _code_digest(bundler, prune, split, sys.modules[__name__])
    key = _digest(versions()['esbuild'], code, *[x for f in js for x in f])
    folder = work / 'cache' / f'split-{key}'
    names_file = folder / 'chunk-names.json'
    if names_file.exists():  # {chunk: [its bundle's folder in the cache, its file name]}
        names = json.loads(names_file.read_text())
        result = {
            'core': folder / 'core.js',
            'app': folder / 'app.js',
            'chunks': {c: (work / 'cache' / names[c][0] / f'{c}.js', names[c][1]) for c in chunk_names},
        }
        return stages.run('bundle', lambda: result, reused=True)

    def fresh():
        split.prepare(js_dir, folder / 'core-src', {c: folder / f'{c}-src' for c in chunk_names})
        # The chunks hold the core's modules (pruned the same way) and generated shims: one
        # check of the core's sources covers every bundle.
        bundler.check_private(folder / 'core-src')
        chunk_code = _code_digest(bundler, sys.modules[__name__])  # what a chunk's bundle is made by
        held = APP_CHUNK.split('.')[1]  # userflow.flows.main: the flows chunk
        # Each chunk is pinned by what loads it: the core, or the flows chunk, whose table of
        # the chunks only it loads (surfaces, locales, ...) the core then need not carry. So
        # the other chunks are bundled first (one esbuild process each, side by side), then the
        # flows chunk with their pins, then the core and the app file with its.
        loaders = split.chunk_loaders(js_dir)
        problems = split.loader_problems(chunk_names, loaders, held)
        if problems:
            raise BundleError('; '.join(problems))
        leaves = [c for c in chunk_names if c != held]
        with ThreadPoolExecutor() as pool:
            made = pool.map(lambda c: bundled_chunk(work, folder / f'{c}-src', c, chunk_code), leaves)
            chunks = dict(zip(leaves, made, strict=True))
        pins = {c: [name, chunk_pin(path.read_bytes())] for c, (path, name) in chunks.items()}
        flows_table = {'UF_FLOWS_CHUNKS': {c: pins[c] for c in leaves if loaders[c] == held}}
        chunks[held] = bundled_chunk(work, folder / f'{held}-src', held, chunk_code, flows_table)
        pins[held] = [chunks[held][1], chunk_pin(chunks[held][0].read_bytes())]
        chunks = {c: chunks[c] for c in chunk_names}
        defines = {'UF_CHUNKS': {c: pins[c] for c in chunk_names if loaders[c] == 'core'}}
        # The app file: the engine's modules first, so that the chunk publishes itself before the
        # core runs and asks for it (env.load_chunk finds it published); the core's modules are
        # the same ones. Bundled beside the core (two esbuild processes at once).
        (folder / 'core-src' / 'app.js').write_text(f"import './{APP_CHUNK}.js';\nimport './core.js';\n")
        # The app file's table of chunks leaves out the one it holds: that chunk has published
        # itself when the core asks for it, so its name and pin would never be read (~50 B gzip).
        src = folder / 'core-src'
        app_table = {c: p for c, p in defines['UF_CHUNKS'].items() if c != held}
        own = {'core': defines, 'app': {'UF_CHUNKS': app_table, **flows_table}}
        with ThreadPoolExecutor() as pool:
            bundle = lambda e: bundler.bundle(
                src / f'{e}.js', folder / f'{e}.js', defines=own[e], checked=True
            )  # noqa: E731
            list(pool.map(bundle, ['core', 'app']))
        names_file.write_text(json.dumps({c: [p.parent.name, n] for c, (p, n) in chunks.items()}))
        return {'core': folder / 'core.js', 'app': folder / 'app.js', 'chunks': chunks}

    return stages.run('bundle', fresh)


def _shipped_map(text: str) -> str:
    """A bundle's source map as it ships: its sources named `transcrypt/<module>.js`, not by
    the build folder's paths."""
    source_map = json.loads(text)
    source_map['sources'] = ['transcrypt/' + Path(s).name for s in source_map['sources']]
    return json.dumps(source_map, sort_keys=True)


def bundled_chunk(
    work: Path, sources: Path, chunk: str, code: str, defines: dict | None = None
) -> tuple[Path, str]:
    """One chunk's bundle and its file name, from the cache when the files its entry reaches
    (all `sources` holds, see split.prepare), the `code` making it and its `defines` (esbuild
    --define) are unchanged: a change to the core's own modules bundles the core alone. Its
    source map is beside it, its name ends it."""
    files = [(p.name, p.read_bytes()) for p in sorted(sources.glob('*.js'))]
    table = json.dumps(defines or {}, sort_keys=True)
    key = _digest(versions()['esbuild'], code, chunk, table, *[x for f in files for x in f])
    path = work / 'cache' / f'chunk-{chunk}-{key}' / f'{chunk}.js'
    if not path.exists():
        # Written aside, then renamed into place whole, as the other stages' entries are: a
        # build that stops midway leaves no half entry (builds of one cache take turns).
        tmp = path.parent.with_name(path.parent.name + '.tmp')
        if tmp.exists():
            shutil.rmtree(tmp)
        bundler.bundle(sources / f'{chunk}.js', tmp / f'{chunk}.js', defines=defines, checked=True)
        code = (tmp / f'{chunk}.js').read_bytes()
        name = f'userflow-{chunk}.{hashlib.sha256(code).hexdigest()[:12]}.js'
        (tmp / f'{chunk}.js').write_bytes(code + f'//# sourceMappingURL={name}.map\n'.encode())
        (tmp / f'{chunk}.js.map').write_text(_shipped_map((tmp / f'{chunk}.js.map').read_text()))
        (tmp / 'name').write_text(name)
        tmp.rename(path.parent)
    return path, (path.parent / 'name').read_text()


def build_bundle(
    entry: str,
    entry_source: str,
    work: Path = WORK,
    global_name: str | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Transpile and bundle any entry module (the tests' back-to-back bundles use this, with
    the flags and banner that ship)."""
    stages = _Stages(log or _say)
    with _only_build(work):
        js_dir = transpiled(work, entry, entry_source, stages)
        return bundled(work, js_dir, entry, stages, True, global_name)


@contextlib.contextmanager
def _only_build(work: Path):
    """Hold `work`'s lock: a second build of the same cache at the same time (a watcher and a
    command, two terminals) waits for the first, then reuses what it made, where the two once
    renamed their stages' folders over each other and one failed. POSIX only (fcntl); elsewhere
    builds are not serialized."""
    work.mkdir(parents=True, exist_ok=True)
    with open(work / 'build.lock', 'w') as lock:
        try:
            import fcntl
        except ImportError:  # Windows
            yield
            return
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(
    out: Path | None = None, work: Path = WORK, log: Callable[[str], None] | None = None, src: Path = PY_SRC
) -> BuildResult:
    """Build dist/ into `out` from the sources in `src`, caching stages under `work`."""
    with _only_build(work):
        return _build(out or default_dist(), work, log, src)


def _build(out: Path, work: Path, log: Callable[[str], None] | None, src: Path) -> BuildResult:
    stages = _Stages(log or _say)
    version = _read_py(src / 'userflow' / 'pure' / 'version.py')['VERSION']
    js_dir = transpiled(work, CORE_ENTRY, split.entry_source(src), stages, src)
    bundles = split_bundles(work, js_dir, stages)
    core_file = bundles['core']

    if out.exists():
        shutil.rmtree(out)
    (out / 'npm').mkdir(parents=True)

    def write_bundle(kind, bundle_file):
        code = bundle_file.read_bytes()
        name = f'userflow-{kind}.{hashlib.sha256(code).hexdigest()[:12]}.js'
        data = code + f'//# sourceMappingURL={name}.map\n'.encode()
        (out / name).write_bytes(data)
        (out / f'{name}.map').write_text(_shipped_map(bundle_file.with_suffix('.js.map').read_text()))
        return name, data

    def write_core():
        for path, chunk in bundles['chunks'].values():  # their maps were made ready in the cache
            shutil.copyfile(path, out / chunk)
            shutil.copyfile(path.with_suffix('.js.map'), out / f'{chunk}.map')
        return write_bundle('core', core_file), write_bundle('app', bundles['app'])

    (core_name, core_data), (app_name, app_data) = stages.run('core', write_core)
    # The sizes slowest to measure (the core's and the app file's brotli, their source maps'
    # gzip: ~0.1 s each) are measured while the loader and the package are written.
    measuring = ThreadPoolExecutor(max_workers=2)
    early = {}
    for name, data in ((core_name, core_data), (app_name, app_data)):
        source_map = (out / f'{name}.map').read_bytes()
        early[sri(data)] = measuring.submit(sizes, data, name)
        early[sri(source_map)] = measuring.submit(sizes, source_map, f'{name}.map')
    measuring.shutdown(wait=False)

    api = _read_py(src / 'userflow' / 'pure' / 'api.py')
    chunk_names = {chunk: name for chunk, (_, name) in bundles['chunks'].items()}
    values = {
        'core_name': core_name,
        'core_sri': chunk_pin(core_data),  # sha256 as the chunks' pins: 20 characters fewer
        'app_name': app_name,
        'app_sri': chunk_pin(app_data),
        'version': version,
        'sources': ['core', *sorted(chunk_names)],
        # What the core loads on init with an endpoint: the loader preloads it then (unless it
        # loaded the app file, which holds it).
        'preload': [(chunk_names[c], chunk_pin(bundles['chunks'][c][0].read_bytes())) for c in ['flows']],
        **declarations.loader_values(api),
    }

    def write_loader():
        modes = [
            ('script', None, out / 'userflow.js'),
            ('esm', 'esm', out / 'npm' / 'index.mjs'),
            ('cjs', 'cjs', out / 'npm' / 'index.cjs'),
        ]
        sources = [render_js('loader.js.j2', mode=mode, **values) for mode, _, _ in modes]

        def minify(source, mode, fmt, dest):
            # The npm entries use import(), which bundlers and every browser since 2020 know.
            target = 'es2020' if fmt else bundler.TARGET
            dest.write_text(bundler.minify_source(source, fmt, f'loader.{mode}.js', target))

        with ThreadPoolExecutor() as pool:  # three esbuild processes side by side
            list(pool.map(lambda pair: minify(pair[0], *pair[1]), zip(sources, modes, strict=True)))

    stages.run('loader', write_loader)

    def write_package():
        loader_sri = sri((out / 'userflow.js').read_bytes())
        (out / 'snippet.html').write_text(
            render('snippet.html.j2', base_url='/', loader_sri=loader_sri, version=version)
        )
        npm = out / 'npm'
        shutil.copyfile(out / core_name, npm / core_name)
        for name in chunk_names.values():
            shutil.copyfile(out / name, npm / name)
        # The core and chunks as string modules: what a bundler includes (see loader.js.j2).
        for source, file in [('core', core_name), *sorted(chunk_names.items())]:
            text = json.dumps((out / file).read_text())
            (npm / f'{source}.mjs').write_text(f'export default {text};\n')
            (npm / f'{source}.cjs').write_text(f'module.exports = {text};\n')
        for mode, suffix in (('esm', 'ts'), ('cjs', 'cts')):
            members = declarations.interface_lines(api)
            (npm / f'index.d.{suffix}').write_text(
                render('index.d.ts.j2', version=version, mode=mode, members=members)
            )
            (npm / f'server.d.{suffix}').write_text(render('server.d.ts.j2', version=version, mode=mode))
        for mode, name in (('esm', 'server.mjs'), ('cjs', 'server.cjs')):
            (npm / name).write_text(render_js('server.js.j2', mode=mode))
        (npm / 'README.md').write_text(render('README.npm.md.j2', version=version, core_name=core_name))
        files = sorted(p.name for p in npm.iterdir())  # everything written above ships
        (npm / 'package.json').write_text(
            render('package.json.j2', version=version, core_name=core_name, files=files)
        )
        write_tgz(npm, out / f'userflow.js-{version}.tgz')

    stages.run('package', write_package)

    def write():
        tools = versions()
        digest = _digest(
            *[p.read_bytes() for p in tp.sources(src)],
            *[p.read_bytes() for p in sorted(TEMPLATES.glob('*.j2'))],
        )
        return write_manifest(
            out,
            {'version': version, 'core': core_name, 'app': app_name, 'tools': tools, 'source_digest': digest},
            work / 'cache' / 'sizes.json',
            early,
        )

    manifest = stages.run('manifest', write)
    result = BuildResult(out, manifest, stages.done, budget_problems(manifest))
    for problem in result.warnings:
        stages.log(f'budget     {problem}')
    return result


def _read_py(path: Path) -> dict:
    """Module-level names of a pure SDK module (version, API lists), read without importing
    py_src into the toolchain."""
    namespace: dict = {}
    exec(path.read_text(), namespace)
    return namespace
