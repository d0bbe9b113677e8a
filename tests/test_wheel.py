"""The toolchain as a user installs it (issue 14): a wheel built from this tree, installed into a
fresh virtual environment with nothing else of the checkout around, builds the SDK, serves the
demo and dist/, has the `userflow` command and the pytest plugin, and fails to start cleanly."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from sdk import PY_SRC, ROOT
from sdk.builder.split import chunk_roots
from sdk.builder.tools import esbuild_binary


@pytest.fixture(scope='module')
def venv(tmp_path_factory):
    """A fresh venv with the wheel (and its dependencies at the checkout's exact versions)."""
    wheels = tmp_path_factory.mktemp('wheels')
    built = subprocess.run(
        [sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '-w', wheels, ROOT],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob('userflow_toolchain-*.whl'))
    home = tmp_path_factory.mktemp('venv')
    subprocess.run([sys.executable, '-m', 'venv', home], check=True)
    installed = subprocess.run(
        [home / 'bin' / 'pip', 'install', '--quiet', '-c', ROOT / 'constraints.txt', wheel],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    return home


def userflow(venv, *args, cwd, **kwargs):
    env = {**os.environ, 'ESBUILD_BINARY': str(esbuild_binary()), 'XDG_CACHE_HOME': str(cwd / 'cache')}
    env.pop('PYTHONPATH', None)
    return subprocess.run(
        [venv / 'bin' / 'userflow', *args], cwd=cwd, env=env, capture_output=True, text=True, **kwargs
    )


def test_the_installed_wheel_is_not_the_checkout(venv):
    found = subprocess.run(
        [venv / 'bin' / 'python', '-c', 'import sdk; print(sdk.INSTALLED, sdk.ROOT)'],
        cwd=venv,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert found[0] == 'True' and str(ROOT) not in found[1]


def test_the_command_has_a_version_help_and_examples(venv, tmp_path):
    assert userflow(venv, '--version', cwd=tmp_path).stdout.strip() == 'userflow 0.1.0'
    helped = userflow(venv, '--help', cwd=tmp_path).stdout
    assert 'examples:' in helped and 'exit codes' in helped
    for command in ('build', 'serve', 'audit'):
        assert userflow(venv, command, '--help', cwd=tmp_path).returncode == 0
    module = subprocess.run(
        [venv / 'bin' / 'python', '-m', 'sdk', '--version'], cwd=tmp_path, capture_output=True, text=True
    )
    assert module.stdout.strip() == 'userflow 0.1.0'


def test_the_pytest_plugin_is_registered_by_its_entry_point(venv):
    script = (
        'import importlib.metadata as m; '
        'print(json.dumps([e.value for e in m.entry_points(group="pytest11")]))'
    )
    out = subprocess.run(
        [venv / 'bin' / 'python', '-c', 'import json; ' + script], capture_output=True, text=True, check=True
    ).stdout
    assert 'sdk.audit.pytest_plugin' in json.loads(out)


def test_the_installed_wheel_builds_and_serves_the_demo(venv, tmp_path):
    built = userflow(venv, 'build', cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    manifest = json.loads((tmp_path / 'dist' / 'manifest.json').read_text())
    assert (tmp_path / 'dist' / 'userflow.js').is_file() and manifest['core'].startswith('userflow-core.')
    # Every folder of py_src/userflow/ came with the wheel: each chunk of the checkout is built.
    chunks = {
        name.split('.')[0][len('userflow-') :]
        for name in manifest['files']
        if name.startswith('userflow-')
        and name.endswith('.js')
        and not name.startswith(('userflow-core.', 'userflow-app.'))
    }
    assert chunks == set(chunk_roots(PY_SRC))
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    env = {**os.environ}
    env.pop('PYTHONPATH', None)
    server = subprocess.Popen(
        [venv / 'bin' / 'userflow', 'serve', '--port', str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f'http://127.0.0.1:{port}'
        index = _get(base + '/')
        assert index.index('The product tour') < index.index('A flow reacting to the page')
        for path in [
            '/fixtures/tour.html',
            '/fixtures/tour-app.js',
            '/dist/userflow.js',
            '/dist/' + manifest['core'],
            '/v1/content/tok_tour',
            '/fixtures/flows.html',
        ]:
            assert _get(base + path), path
        busy = userflow(venv, 'serve', '--port', str(port), cwd=tmp_path, timeout=60)
        assert busy.returncode == 2 and busy.stderr.count('\n') == 1 and 'cannot listen' in busy.stderr
    finally:
        server.terminate()
        server.wait(10)


def _get(url: str) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
