"""The npm package as type checkers and package linters see it (issue 14): `attw --pack` and
`publint --strict` find nothing, and a type-test file compiles with `tsc --strict` under
node16 (ESM and CJS) and bundler resolution: every README form accepted, wrong calls rejected
(`@ts-expect-error` fails the compile if a wrong call were accepted)."""

import json
import shutil
import subprocess

import pytest

from sdk import ROOT
from sdk.builder import build

BIN = ROOT / 'node_modules' / '.bin'
TYPES = ROOT / 'tests' / 'types'
COMMON = {'strict': True, 'noEmit': True, 'lib': ['es2020', 'dom'], 'types': [], 'skipLibCheck': False}


@pytest.fixture(scope='module')
def package(tmp_path_factory):
    if not (BIN / 'tsc').exists():
        pytest.skip('the npm dev dependencies are not installed (make setup)')
    dist = build(tmp_path_factory.mktemp('dist'), tmp_path_factory.mktemp('work'), lambda line: None)
    return dist.dist


def _run(args, cwd):
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


def test_are_the_types_wrong_finds_nothing(package):
    code, out = _run([BIN / 'attw', '--pack', package / 'npm'], package)
    assert code == 0 and 'No problems found' in out, out


def test_publint_strict_finds_nothing(package):
    code, out = _run([BIN / 'publint', '--strict', package / 'npm'], package)
    assert code == 0 and 'All good' in out, out


@pytest.fixture(scope='module')
def consumer(package, tmp_path_factory):
    """A TypeScript project with the package installed from its tgz and the type tests."""
    app = tmp_path_factory.mktemp('consumer')
    (app / 'package.json').write_text(json.dumps({'name': 'consumer', 'private': True}))
    tgz = next(package.glob('userflow.js-*.tgz'))
    code, out = _run(['npm', 'install', '--no-audit', '--no-fund', '--prefer-offline', tgz], app)
    assert code == 0, out
    for file in TYPES.iterdir():
        shutil.copy(file, app / file.name)
    # Userflow.js 2.14's own typings (a dev dependency, under an alias): compat.mts checks them.
    original = ROOT / 'node_modules' / 'userflow-js-2-14' / 'dist' / 'types' / 'userflow.d.ts'
    shutil.copy(original, app / 'original.d.ts')
    return app


@pytest.mark.parametrize(
    'resolution,files',
    [
        ({'module': 'node16', 'moduleResolution': 'node16'}, ['esm.mts', 'cjs.cts', 'compat.mts']),
        ({'module': 'esnext', 'moduleResolution': 'bundler'}, ['esm.mts', 'compat.mts']),
    ],
)
def test_every_readme_form_type_checks_and_wrong_calls_do_not(consumer, resolution, files):
    config = {'compilerOptions': {**COMMON, **resolution}, 'files': files}
    (consumer / 'tsconfig.json').write_text(json.dumps(config))
    code, out = _run([BIN / 'tsc', '-p', 'tsconfig.json'], consumer)
    assert code == 0, out


def test_the_type_tests_can_fail(consumer):
    """A wrong call without its @ts-expect-error is a compile error: the check above is real."""
    (consumer / 'wrong.mts').write_text('import userflow from "userflow.js";\nuserflow.init(42);\n')
    config = {
        'compilerOptions': {**COMMON, 'module': 'node16', 'moduleResolution': 'node16'},
        'files': ['wrong.mts'],
    }
    (consumer / 'tsconfig.json').write_text(json.dumps(config))
    code, out = _run([BIN / 'tsc', '-p', 'tsconfig.json'], consumer)
    assert code != 0 and 'TS2345' in out, out
