"""Back to back: the transpiled pure modules, run in V8 by mini-racer, give exactly what CPython
gives on the same generated inputs (hashing, URL filtering, attribute validation, payloads).
A difference here is a Transcrypt corner the SDK would ship (TRANSCRYPT.md)."""

import base64
import json
import os

import pytest
from hypothesis import example, given, settings, strategies as st, HealthCheck

import b2b_harness
from jsrealm import JsRealm
from sdk import ROOT

# No lone surrogates: CPython cannot encode them, so they cannot reach the JSON boundary.
text = st.text(st.characters(exclude_categories=['Cs']), max_size=80)
settings.register_profile(
    'b2b',
    max_examples=int(os.environ.get('B2B_EXAMPLES', '150')),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope='module')
def js():
    return JsRealm(ROOT / 'build')


def same(js, name, *args):
    """Both sides' results as JSON text; equal text means equal values and equal formatting."""
    python_side = b2b_harness.run(name, json.dumps(list(args), ensure_ascii=False))
    js_side = js.ctx.call('UF.run', name, json.dumps(list(args), ensure_ascii=False))
    # Numbers compare as doubles: JS prints 4.0e16 as 40000000000000000, CPython as 4e+16.
    assert json.loads(js_side, parse_int=float) == json.loads(python_side, parse_int=float), (name, args)
    return python_side, js_side


@settings(settings.get_profile('b2b'))
@given(message=text, key=st.text(st.characters(exclude_categories=['Cs']), min_size=1, max_size=70))
def test_hmac_and_sha256_agree(js, message, key):
    same(js, 'hmac_sha256_hex', key, message)
    same(js, 'sha256_hex', message)
    same(js, 'utf8_bytes', message)
    same(js, 'char_count', message)


url_parts = st.tuples(
    st.sampled_from(['https', 'http', 'HTTP', 'ftp', 'javascript', 'h2', '1x', '']),
    st.sampled_from(['://', ':', ':///', '//']),
    st.one_of(
        st.sampled_from(
            [
                'localhost',
                '127.0.0.1',
                '[::1]',
                'Example.COM',
                'a.b-c.io',
                'u:p@host',
                'x.com:99999',
                'x.com:8080',
                '[::1',
                'h\\@localhost',
                'localhost.evil.com',
                '',
            ]
        ),
        text,
    ),
    st.one_of(
        st.just(''),
        st.sampled_from(['/', '/a/b/', '/p?q=1', '/p#f', '?x', '#y', '/%2e%2e/', '/ spaced']),
        text,
    ),
)


@settings(settings.get_profile('b2b'))
@given(parts=url_parts)
def test_endpoint_checks_and_url_filter_agree(js, parts):
    url = ''.join(parts)
    same(js, 'check_endpoint', url)
    same(js, 'default_url_filter', url)
    same(js, 'split_url', url)
    same(js, 'check_sendable_url', url)


segments = st.one_of(
    text,
    st.from_regex(r'[A-Za-z0-9+=_.@%-]{0,40}', fullmatch=True),
    st.emails(),
    st.uuids().map(str),
    st.binary(max_size=40).map(lambda b: b.hex()),
    st.binary(max_size=40).map(lambda b: base64.urlsafe_b64encode(b).decode()),
)


@settings(settings.get_profile('b2b'))
@given(segment=segments, more=st.lists(segments, max_size=3))
def test_identifier_like_path_segments_agree(js, segment, more):
    same(js, 'identifier_like', segment)
    same(js, 'default_url_filter', 'https://a.example/' + '/'.join([segment, *more]) + '?q#f')


@settings(settings.get_profile('b2b'))
@given(
    value=st.one_of(
        text,
        st.binary(min_size=32, max_size=32).map(lambda b: b.hex()),
        st.binary(min_size=32, max_size=32).map(lambda b: b.hex().upper()),
        st.emails(),
        st.integers(min_value=0).map(str),
    ),
    level=st.sampled_from(['strict', 'standard', 'analytics']),
    event_type=st.sampled_from(['identify', 'group', 'track', 'page', 'flow']),
)
def test_derived_ids_guessable_ids_and_privacy_levels_agree(js, value, level, event_type):
    same(js, 'check_derived_id', value)
    same(js, 'guessable_id', value)
    same(js, 'sendable', level, event_type)


keys = st.one_of(
    st.from_regex(r'[A-Za-z_][A-Za-z0-9_.-]{0,70}', fullmatch=True),
    st.sampled_from(
        [
            'items',
            'keys',
            'get',
            'py_keys',
            'py_items',
            'constructor',
            '__proto__',
            'prototype',
            'toString',
            'hasOwnProperty',
            '10',
            '2',
            '',
            'a b',
        ]
    ),
    text,
)
scalars = st.one_of(
    text,
    st.integers(-(2**53), 2**53),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(min_size=1020, max_size=1030),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(text, scalars, max_size=2),
    st.lists(st.lists(scalars, max_size=1), max_size=2),
)
attributes = st.dictionaries(keys, values, max_size=8)


@settings(settings.get_profile('b2b'))
@given(attrs=attributes, allowed=st.none() | st.lists(keys, max_size=4))
def test_attribute_validation_agrees(js, attrs, allowed):
    same(js, 'validate_attributes', attrs, allowed)
    for key in list(attrs)[:3]:
        same(js, 'valid_key', key)


@settings(settings.get_profile('b2b'))
@given(
    value=st.one_of(
        text,
        st.integers(-(2**53) + 1, 2**53 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.none(),
        st.booleans(),
        st.lists(st.integers(), max_size=2),
    )
)
def test_id_and_event_name_checks_agree(js, value):
    same(js, 'check_id', value)
    same(js, 'check_event_name', value)
    same(js, 'kind', value)


options = st.dictionaries(
    st.sampled_from(
        ['hashUserId', 'privacy', 'allowedAttributes', 'endpoint', 'searchShadowRoots', 'other', 'items']
    ),
    st.one_of(
        st.booleans(),
        st.sampled_from(['strict', 'standard', 'loose', 'https://c.example.com/', 'http://evil.com']),
        st.lists(keys, max_size=3),
        st.none(),
    ),
    max_size=4,
)


@settings(settings.get_profile('b2b'))
@given(token=st.one_of(st.from_regex(r'[A-Za-z0-9_-]{1,10}', fullmatch=True), text), opts=st.none() | options)
def test_init_option_parsing_agrees(js, token, opts):
    same(js, 'parse_init', token, opts)


@settings(settings.get_profile('b2b'))
@given(
    ms=st.integers(0, 253402300799999),
    data=st.lists(st.integers(0, 255), min_size=16, max_size=16),
    status=st.integers(0, 599),
    attempt=st.integers(0, 40),
    rand=st.floats(0, 0.9999),
)
def test_time_ids_and_retry_policy_agree(js, ms, data, status, attempt, rand):
    same(js, 'iso_utc', ms)
    same(js, 'uuid4', data)
    same(js, 'outcome', status)
    same(js, 'backoff_ms', attempt, rand)


int_scalars = st.one_of(text, st.integers(-(2**53), 2**53), st.booleans(), st.none())
int_attributes = st.dictionaries(
    keys.filter(lambda k: k not in ('__proto__',)),
    st.one_of(int_scalars, st.lists(int_scalars, max_size=3)),
    max_size=5,
)
event_specs = st.lists(
    st.one_of(
        st.tuples(
            st.just('track'), st.fixed_dictionaries({'name': text.filter(len), 'attributes': int_attributes})
        ),
        st.tuples(
            st.just('identify'), st.fixed_dictionaries({'attributes': int_attributes, 'signature': text})
        ),
        st.tuples(st.just('page'), st.fixed_dictionaries({'url': text})),
        st.tuples(
            st.just('flow'), st.fixed_dictionaries({'flow': text.filter(len), 'action': st.just('started')})
        ),
    ),
    min_size=1,
    max_size=8,
)


@settings(settings.get_profile('b2b'))
@given(specs=event_specs, user=text.filter(len), hashed=st.booleans(), ms=st.integers(0, 4102444800000))
def test_events_bodies_are_byte_identical(js, specs, user, hashed, ms):
    drafts = [[kind, i + 1, ms, 'id-' + str(i), fields] for i, (kind, fields) in enumerate(specs)]
    python_side, js_side = same(js, 'events_body', 'tok', '0.1.0', user, hashed, drafts)
    # With integers only, the two serialisers must agree byte for byte: this is the wire.
    assert js_side == python_side


@pytest.mark.parametrize('count', [1, 999, 1000, 1001, 1500])
def test_the_queue_bound_agrees(js, count):
    python_side, js_side = same(js, 'outbox_bound', count)
    assert json.loads(js_side) == [max(0, count - 1000), min(count, 1000), max(1, count - 999)]


# -- conditions, content, patterns, flows (the flow issue) --------------------------------------
atoms = st.sampled_from(
    [
        'a',
        'b',
        'x',
        '.',
        '\\d',
        '\\w',
        '\\s',
        '\\b',
        '[a-c]',
        '[^ab]',
        '[\\w-]',
        '\\.',
        '\\/',
        '^',
        '$',
        'é',
        '😀',
        ' ',
    ]
)
quantifiers = st.sampled_from(['', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?'])


@st.composite
def patterns(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.booleans()):
            inner = draw(patterns(depth + 1))
            alternative = draw(patterns(depth + 1)) if draw(st.booleans()) else None
            parts.append('(' + inner + ('|' + alternative if alternative else '') + ')')
        else:
            parts.append(draw(atoms))
        parts.append(draw(quantifiers))
    return ''.join(parts)


texts = st.text(st.sampled_from('abxé😀 .-/_1\n\r\u2028\t\u00a0Z'), max_size=30)


@settings(settings.get_profile('b2b'))
@given(
    value=st.text(st.sampled_from('abéZ'), max_size=8) | st.lists(st.integers(0, 9), max_size=8),
    start=st.none() | st.integers(-12, 12),
    stop=st.none() | st.integers(-12, 12),
)
def test_slices_agree_with_cpython(js, value, start, stop):
    """The runtime's slicing is JavaScript's `slice` (prune.py): Python's meaning for a step of
    1, the only step check_subset lets the SDK write. (Indices count UTF-16 units in the SDK
    realm, code points in CPython: astral characters differ, as with Transcrypt's own version;
    TRANSCRYPT.md. The SDK's pure code counts with values.char_count where that matters.)"""
    same(js, 'slice', value, start, stop)


@pytest.mark.parametrize('message', ['plain', 'é 1', ''])
def test_exceptions_read_as_in_cpython(js, message):
    same(js, 'raised', message)


@settings(settings.get_profile('b2b'))
@given(pattern=patterns(), text=texts)
def test_pattern_checks_and_matches_agree_with_the_browsers_regexp(js, pattern, text):
    """CPython translates the safe subset to JS semantics; V8 runs the real RegExp."""
    python_side, js_side = same(js, 'check_pattern', pattern)
    if json.loads(python_side) is None:
        same(js, 'test_text', 'matches', text, pattern, True)
        same(js, 'test_url', 'matches', text, pattern)


@settings(settings.get_profile('b2b'))
@given(
    op=st.sampled_from(
        ['equals', 'notEquals', 'contains', 'startsWith', 'endsWith', 'isEmpty', 'isNotEmpty']
    ),
    text=st.none() | text,
    value=st.none() | text,
    case=st.booleans(),
    glob=st.text('ab*?', max_size=8),
)
def test_text_operators_and_globs_agree(js, op, text, value, case, glob):
    same(js, 'test_text', op, text, value, case)
    same(js, 'glob_match', glob, text or '')


from test_content import CONTENT  # noqa: E402

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 3),
        text,
        st.sampled_from(
            ['modal', 'next', '#save', 'present', 'welcome', 'isEmpty', 'matches', '(a+)+', 'items']
        ),
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    'id',
                    'type',
                    'steps',
                    'action',
                    'next',
                    'goto',
                    'when',
                    'op',
                    'value',
                    'x',
                    '__proto__',
                    'constructor',
                ]
            ),
            inner,
            max_size=3,
        )
    ),
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


ALL_PATHS = [p for p in _paths(CONTENT) if p]


@settings(settings.get_profile('b2b'))
@given(path=st.sampled_from(ALL_PATHS), value=json_values)
def test_content_validation_agrees_on_mutated_content(js, path, value):
    import copy

    content = copy.deepcopy(CONTENT)
    node = content
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    same(js, 'validate', content)


facts = st.fixed_dictionaries(
    {'text': text, 'visible': st.booleans(), 'disabled': st.booleans(), 'clicked': st.booleans()}
)
selectors = st.sampled_from(['#a', '#b', '.c'])
snapshots = st.fixed_dictionaries(
    {
        'url': st.sampled_from(['https://app.example.com/x/1?q=2', 'http://localhost/', 'https://a.b/😀']),
        'elements': st.dictionaries(selectors, st.lists(facts, max_size=2), max_size=3),
        'inputs': st.dictionaries(selectors, st.none() | text, max_size=3),
        'attributes': st.dictionaries(
            st.sampled_from(['plan', 'n', 'tags']),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(-2, 2),
                text,
                st.lists(st.integers(-2, 2) | text, max_size=2),
            ),
            max_size=3,
        ),
        'events': st.lists(st.sampled_from(['e1', 'e2']), max_size=2),
        'flows': st.fixed_dictionaries(
            {k: st.lists(st.sampled_from(['f', 'g']), max_size=2) for k in ('active', 'completed', 'seen')}
        ),
    }
)
leaf_conditions = st.one_of(
    st.builds(
        lambda s, st_, t: {'element': s, 'state': st_, **({'text': t} if t else {})},
        selectors,
        st.sampled_from(['present', 'absent', 'visible', 'clicked', 'disabled']),
        st.none()
        | st.fixed_dictionaries(
            {
                'op': st.sampled_from(['contains', 'equals', 'isEmpty']),
                'value': text,
                'caseSensitive': st.booleans(),
            }
        ),
    ),
    st.builds(
        lambda s, op, v, c: {'input': s, 'op': op, 'value': v, 'caseSensitive': c},
        selectors,
        st.sampled_from(
            ['equals', 'notEquals', 'contains', 'startsWith', 'endsWith', 'isEmpty', 'isNotEmpty', 'matches']
        ),
        st.sampled_from(['a', 'é', '^a.$', 'x|y', '']),
        st.booleans(),
    ),
    st.builds(
        lambda op, v: {'page': {'op': op, 'value': v}},
        st.sampled_from(['equals', 'startsWith', 'contains', 'glob', 'matches']),
        st.sampled_from(['https://', '*example*', 'http://localhost/', '\\d', '😀']),
    ),
    st.builds(
        lambda n, op, v: {'attribute': n, 'op': op, 'value': v},
        st.sampled_from(['plan', 'n', 'tags']),
        st.sampled_from(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'in', 'exists', 'notExists']),
        st.one_of(
            st.none(), st.booleans(), st.integers(-2, 2), text, st.lists(st.integers(-2, 2), max_size=2)
        ),
    ),
    st.builds(lambda e: {'event': e}, st.sampled_from(['e1', 'e3'])),
    st.builds(
        lambda f, s: {'flow': f, 'state': s},
        st.sampled_from(['f', 'h']),
        st.sampled_from(['active', 'completed', 'seen']),
    ),
)
conditions = st.recursive(
    leaf_conditions,
    lambda inner: st.one_of(
        st.builds(lambda xs: {'all': xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {'any': xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {'not': x}, inner),
    ),
    max_leaves=6,
)


@settings(settings.get_profile('b2b'))
@given(condition=conditions, snapshot=snapshots)
def test_condition_evaluation_agrees_on_generated_snapshots(js, condition, snapshot):
    same(js, 'evaluate', condition, snapshot)


script_steps = st.lists(
    st.one_of(
        st.tuples(st.just('start'), st.sampled_from(['welcome', 'tour', 'nope']), st.booleans()),
        st.tuples(
            st.just('act'),
            st.sampled_from(
                [
                    {'next': True},
                    {'end': True},
                    {'complete': True},
                    {'goto': 's3'},
                    {'startFlow': 'tour'},
                    {'navigate': '/x'},
                ]
            ),
        ),
        st.tuples(st.just('evaluate')),
        st.tuples(st.just('evaluate_skipping_tasks')),
        st.tuples(st.just('end_all')),
        st.tuples(st.just('close'), st.sampled_from(['start', 'nope'])),
        st.tuples(st.just('page')),
        st.tuples(st.just('dismiss'), st.sampled_from(['launcher:help-save', 'banner:maintenance'])),
        st.tuples(st.just('center'), st.sampled_from([True, False, None])),
    ),
    max_size=12,
)


@settings(settings.get_profile('b2b'))
@given(
    script=script_steps,
    answers=st.dictionaries(
        st.sampled_from(
            [
                json.dumps(c, separators=(',', ':'), ensure_ascii=False)
                for c in [
                    CONTENT['flows'][0]['autoStart']['when'],
                    {'input': '#name', 'op': 'isNotEmpty'},
                    {'event': 'invited'},
                    CONTENT['launchers'][0]['when'],
                    CONTENT['banners'][0]['when'],
                ]
            ]
        ),
        st.booleans(),
    ),
)
def test_the_flow_runtime_agrees_on_generated_scripts(js, script, answers):
    same(js, 'run_flows', CONTENT, [list(s) for s in script], answers)


MARKUP = st.lists(
    st.sampled_from(
        list('ab *_`[]()!\\-1.\n/:h') + ['https://x.y/z', '![a](/i.png)', '**', '](', '- ', '1. ']
    ),
    max_size=30,
).map(''.join)


@settings(settings.get_profile('b2b'))
@given(source=MARKUP | text)
def test_rich_text_parses_alike(js, source):
    same(js, 'markup', source)


@settings(settings.get_profile('b2b'))
@given(when=st.integers(0, 253402300799), wait=st.integers(-10, 4000), junk=text)
@example(when=0, wait=0, junk='0\x1f')  # CPython's strip() strips \x1f, JavaScript's trim() does not
@example(when=0, wait=0, junk='\t7 \x85')
def test_retry_after_parsing_agrees(js, when, wait, junk):
    import email.utils

    same(js, 'retry_after_ms', email.utils.formatdate(when, usegmt=True), (when - wait) * 1000)
    same(js, 'retry_after_ms', str(wait), 0)
    same(js, 'retry_after_ms', junk, 0)


@settings(settings.get_profile('b2b'))
@given(count=st.integers(0, 1200), in_flight=st.integers(0, 3), size=st.sampled_from([1, 200, 2000]))
def test_queue_persistence_and_bounds_agree(js, count, in_flight, size):
    same(js, 'outbox_cycle', count, in_flight, size)


hrefs = st.sampled_from(
    [
        'https://app.example.com/',
        'https://app.example.com/users/12345/edit?tab=billing#top',
        'https://app.example.com/p/8f3a9c2e-1b4d-4e5f-9a8b-7c6d5e4f3a2b',
        'http://localhost:8000/a%20b/?q=1',
    ]
)
signed = st.none() | st.fixed_dictionaries({}, optional={'signature': text})
session_args = {
    'init': st.tuples(st.sampled_from(['tok_1', 'tok_2', '', 'a b']), st.none() | options),
    'setServerEndpoint': st.tuples(st.sampled_from(['https://c.example.com', 'http://evil.com', 3])),
    'setPageTrackingDisabled': st.tuples(st.booleans()),
    'setUrlFilter': st.tuples(st.none() | scalars),
    'identify': st.tuples(
        st.one_of(text, st.sampled_from(['12345', 'a@b.co', 'a' * 64])),
        st.none() | attributes,
        st.none() | st.fixed_dictionaries({}, optional={'hashed': st.booleans(), 'signature': text}),
    ),
    'identify_anonymous': st.tuples(st.just('anon-1'), st.none() | attributes, st.none()),
    'group': st.tuples(text, st.none() | attributes, st.none()),
    'updateGroup': st.tuples(st.none() | attributes, signed),
    'updateUser': st.tuples(st.none() | attributes, signed),
    'track': st.tuples(st.one_of(text, st.integers()), st.none() | attributes, st.none()),
    'setShadowDomEnabled': st.tuples(st.booleans()),
    'startFlow': st.tuples(text, st.none()),
    'endAllFlows': st.tuples(),
    'reset': st.tuples(),
    'start': st.tuples(text, st.none() | st.fixed_dictionaries({}, optional={'once': st.booleans()})),
    'setBaseZIndex': st.tuples(st.one_of(st.integers(-5, 10**6), st.floats(-1e6, 1e6), text)),
    'navigated': st.tuples(),
    'flow_event': st.tuples(st.fixed_dictionaries({'flow': text, 'step': text, 'action': text})),
}
session_steps = st.lists(
    st.sampled_from(sorted(session_args)).flatmap(
        lambda name: st.tuples(st.just(name), hrefs, st.integers(0, 2**41), session_args[name])
    ),
    max_size=10,
)


@settings(settings.get_profile('b2b'))
@given(script=session_steps)
def test_the_session_decides_alike_on_generated_call_sequences(js, script):
    same(js, 'run_session', [[name, href, now, *args] for name, href, now, args in script])


locale_tags = st.one_of(
    st.sampled_from(['en', 'de', 'de-AT', 'DE-at', 'pt-BR', 'zh-Hant-TW', 'ar', 'he-IL', 'x', 'de_AT', 'd1']),
    st.from_regex(r'[a-zA-Z]{2,3}(-[A-Za-z0-9]{1,8}){0,2}', fullmatch=True),
    text,
)


@settings(settings.get_profile('b2b'))
@given(
    asked=st.lists(locale_tags, max_size=3),
    default=st.none() | locale_tags,
    shown=st.one_of(text, st.dictionaries(locale_tags, text, min_size=1, max_size=4)),
)
def test_the_language_chosen_agrees(js, asked, default, shown):
    same(js, 'locale_pick', asked, default, shown)
