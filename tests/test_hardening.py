"""Hostile content (the hardening issue), in CPython and back to back in V8: random JSON and
mutated valid content never throw, every message names where the problem is, and keys like
`__proto__`, `constructor` and `prototype` in content or attributes pollute nothing.

HARDEN_EXAMPLES=10000 for the long run (CI runs a smaller profile)."""

import copy
import json
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from test_back_to_back import ALL_PATHS, js  # noqa: F401 -- content paths; the V8 realm fixture
from test_content import CONTENT
from userflow.pure.attributes import OPERATIONS, validate_attributes
from userflow.pure.content import validate

EXAMPLES = int(os.environ.get('HARDEN_EXAMPLES', '300'))
settings.register_profile(
    'harden',
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
POISON = [
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '__defineGetter__',
]
keys = st.sampled_from(POISON) | st.text(max_size=12)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=40,
)
SNAPSHOT = """JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(),
  Object.getOwnPropertyNames(Array.prototype).sort(), Object.getOwnPropertyNames(Function.prototype).sort(),
  ({}).polluted, [].polluted, Object.prototype.toString.call([])])"""


def _mutate(path, value, poison_key):
    content = copy.deepcopy(CONTENT)
    target = content
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    if isinstance(target, dict):
        target[poison_key] = {'polluted': True}
    return content


def _messages_name_a_path(result):
    return all('$' in m or m.startswith('content refused') for m in result['errors'])


@settings(settings.get_profile('harden'))
@given(content=json_values)
def test_random_json_never_throws_and_every_message_names_a_path(content):
    result = validate(content)
    assert set(result) == {
        'flows',
        'checklists',
        'launchers',
        'banners',
        'resourceCenter',
        'errors',
        'locale',
    }
    assert _messages_name_a_path(result)


@settings(settings.get_profile('harden'))
@given(path=st.sampled_from(ALL_PATHS), value=json_values, poison=st.sampled_from(POISON))
def test_mutated_content_agrees_in_v8_and_pollutes_nothing(js, path, value, poison):  # noqa: F811
    before = js.ctx.eval(SNAPSHOT)
    content = _mutate(path, value, poison)
    text = json.dumps([content], ensure_ascii=False)  # JSON.parse makes `__proto__` an own key
    in_js = json.loads(js.ctx.call('UF.run', 'validate', text))
    checked = validate(json.loads(json.dumps(content)))
    assert in_js['errors'] == checked['errors']
    assert in_js['flows'] == [f['id'] for f in checked['flows']]
    assert _messages_name_a_path(checked)
    assert js.ctx.eval(SNAPSHOT) == before


@settings(settings.get_profile('harden'))
@given(attributes=st.dictionaries(keys, json_values, max_size=6))
def test_prototype_keys_in_attributes_pollute_nothing(js, attributes):  # noqa: F811
    before = js.ctx.eval(SNAPSHOT)
    text = json.dumps([attributes, None], ensure_ascii=False)
    in_js = json.loads(js.ctx.call('UF.run', 'validate_attributes', text), parse_int=float)
    in_python = validate_attributes(json.loads(json.dumps(attributes)), None, OPERATIONS)
    assert in_js == json.loads(json.dumps(in_python), parse_int=float)  # numbers compare as doubles
    assert js.ctx.eval(SNAPSHOT) == before


def test_the_snapshot_would_see_pollution(js):  # noqa: F811
    before = js.ctx.eval(SNAPSHOT)
    js.ctx.eval('Object.prototype.polluted = 1')
    try:
        assert js.ctx.eval(SNAPSHOT) != before
    finally:
        js.ctx.eval('delete Object.prototype.polluted')
    assert js.ctx.eval(SNAPSHOT) == before
