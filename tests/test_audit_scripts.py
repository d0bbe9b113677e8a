"""The JavaScript the audit carries in Python strings (the runner's init scripts and page
functions, the canaries' planting, every planted leak as a page plugin and as a leaky build's
prefix) is syntax-checked here, as the build checks its rendered templates (esbuild-py): a typo
in one would make a run silently record nothing, or a planted leak silently leak nothing."""

import esbuild_py
import pytest

from sdk.audit import runner
from sdk.audit.canaries import plant_script, standard_set, storage_script
from sdk.audit.leaks import LEAKS

FUNCTIONS = ['FIELDS_SCRIPT', 'SET_VALUE', 'STORAGE_SCRIPT']  # page.evaluate() functions
SCRIPTS = ['PIN_SCRIPT', 'RECORD_SCRIPT']  # init scripts


def parses(source: str) -> bool:
    return bool(esbuild_py.transform(source).strip())


def test_the_checker_refuses_a_syntax_error():
    assert not parses('(() => { let x = ; })();')
    assert parses('(() => { let x = 1; })();')


@pytest.mark.parametrize('name', FUNCTIONS)
def test_page_functions_parse(name):
    assert parses(f'({getattr(runner, name)});'), name


@pytest.mark.parametrize('name', SCRIPTS)
def test_init_scripts_parse(name):
    assert parses(getattr(runner, name)), name


def test_canary_scripts_parse():
    canaries = standard_set([])
    assert parses(storage_script(canaries, 'http://127.0.0.1:8000'))
    assert parses(plant_script(canaries, True)) and parses(plant_script(canaries, False))


@pytest.mark.parametrize('leak', LEAKS, ids=[leak.name for leak in LEAKS])
def test_every_planted_leak_parses(leak):
    script = leak.core_script() if leak.core else leak.script()
    assert parses(script.replace('__UF_TOKEN__', '"tok"')), leak.name
