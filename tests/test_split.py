"""The chunk map is the folder layout of py_src/userflow/, and the folders are boundaries."""

import pytest

from sdk import PY_SRC
from sdk.builder.split import (
    boundary_problems,
    chunk_loaders,
    loader_problems,
    chunk_roots,
    entry_source,
    prepare,
    transpiled_chunks,
)
from sdk.errors import BundleError


def _modules(js_dir, graph):
    """Write one ES module per name in `graph`, importing the names it maps to."""
    js_dir.mkdir(exist_ok=True)
    for module, deps in graph.items():
        lines = [f"import {{x}} from './{dep}.js';" for dep in deps]
        (js_dir / f'{module}.js').write_text('\n'.join(lines + ['export var x = 1;']) + '\n')
    return js_dir


GOOD = {
    'userflow.browser.main': ['userflow.pure.api', 'userflow.browser.env'],
    'userflow.browser.env': [],
    'userflow.pure.api': [],
    'userflow.pure.flows': ['userflow.pure.api'],
    'userflow.flows.main': ['userflow.flows.ui', 'userflow.pure.flows', 'userflow.browser.env'],
    'userflow.flows.ui': [],
    'userflow.sha256.main': [],
}


def test_the_chunks_are_the_folders_beside_pure_and_browser():
    assert chunk_roots(PY_SRC) == {
        'debugger': 'userflow.debugger.main',
        'extras': 'userflow.extras.main',
        'flows': 'userflow.flows.main',
        'locales': 'userflow.locales.main',
        'patterns': 'userflow.patterns.main',
        'richtext': 'userflow.richtext.main',
        'sha256': 'userflow.sha256.main',
        'surfaces': 'userflow.surfaces.main',
    }
    assert entry_source(PY_SRC).splitlines() == [
        'import userflow.browser.main',
        'import userflow.debugger.main',
        'import userflow.extras.main',
        'import userflow.flows.main',
        'import userflow.locales.main',
        'import userflow.patterns.main',
        'import userflow.richtext.main',
        'import userflow.sha256.main',
        'import userflow.surfaces.main',
    ]


def test_a_layout_that_keeps_to_its_folders_has_no_problem(tmp_path):
    js_dir = _modules(tmp_path / 'js', GOOD)
    assert transpiled_chunks(js_dir) == {'flows': 'userflow.flows.main', 'sha256': 'userflow.sha256.main'}
    assert boundary_problems(js_dir) == []


@pytest.mark.parametrize(
    'module,dep,problem',
    [
        ('userflow.pure.api', 'userflow.browser.env', 'userflow.pure.api (pure) imports'),
        ('userflow.browser.env', 'userflow.flows.ui', 'the core reaches userflow.flows.ui'),
        ('userflow.sha256.main', 'userflow.flows.ui', 'chunk sha256 reaches userflow.flows.ui'),
    ],
)
def test_an_import_across_a_boundary_is_named_and_stops_the_split(tmp_path, module, dep, problem):
    graph = {name: list(deps) for name, deps in GOOD.items()}
    graph[module].append(dep)
    js_dir = _modules(tmp_path / 'js', graph)
    assert any(p.startswith(problem) for p in boundary_problems(js_dir))
    with pytest.raises(BundleError, match='crosses its folder'):
        prepare(js_dir, tmp_path / 'core', {c: tmp_path / c for c in transpiled_chunks(js_dir)})


def test_a_chunk_is_pinned_by_what_asks_for_it(tmp_path):
    """A chunk only another chunk loads goes in that chunk's table; one the core loads, or two
    loaders do, in the core's (pipeline.split_bundles then refuses a loader other than flows)."""
    js = tmp_path / 'js'
    js.mkdir()
    (js / 'userflow.browser.main.js').write_text("env.load_chunk ('flows');\nenv.load_chunk ('both');\n")
    (js / 'userflow.browser.identity.js').write_text("return env.load_chunk ('sha256').then (f);\n")
    (js / 'userflow.flows.main.js').write_text(
        "self._chunk ('surfaces', loaded);\nself._chunk ('both', f);\nself._drawing_chunk ('extras');\n"
    )
    (js / 'userflow.surfaces.main.js').write_text("var x = 'flows';\n")  # a name, not a load
    expected = {'flows': 'core', 'both': 'core', 'sha256': 'core', 'surfaces': 'flows', 'extras': 'flows'}
    assert chunk_loaders(js) == expected


def test_a_chunk_loaded_by_another_chunk_or_by_no_call_stops_the_build():
    loaders = {'flows': 'core', 'surfaces': 'flows', 'extras': 'surfaces'}
    assert loader_problems(['flows', 'surfaces'], loaders, 'flows') == []
    assert loader_problems(['flows', 'surfaces', 'extras', 'lost'], loaders, 'flows') == [
        'chunk extras is loaded by chunk surfaces, which holds no table of chunks',
        "chunk lost is loaded by no call that names it (load_chunk('lost'))",
    ]
