"""Which conditions a change can affect (pure/affects.py, issue 17): the rules, one by one, and
the transpiled module agreeing on generated changes (the browser half, flows/dom.py, is
measured against real pages in e2e/test_flows_e2e.py and bench/reaction.py)."""

import json

from hypothesis import HealthCheck, given, settings, strategies as st
from test_back_to_back import js, same  # noqa: F401 -- the V8 realm fixture

from userflow.pure.affects import key, remembered, stale, traits, untouched_stale

QUIET = {'mutations': False, 'structure': False, 'inputs': [], 'selectors': {}}


def change(selector=None, **seen):
    out = {'mutations': True, 'structure': False, 'inputs': [], 'selectors': {}}
    if selector is not None:
        out['selectors'][selector] = {
            'added': False,
            'removed': False,
            'inside': False,
            'attributes': [],
            **seen,
        }
    return out


def test_what_is_remembered():
    assert remembered({'element': '#a'}) and remembered({'element': '#a', 'state': 'absent'})
    assert remembered({'element': '#a', 'state': 'disabled'}) and remembered({'input': '#q', 'op': 'isEmpty'})
    for leaf in [{'element': '#a', 'state': 'visible'}, {'element': '#a', 'state': 'clicked'}, {'page': {}}]:
        assert not remembered(leaf) and stale(leaf, QUIET, False)


def test_selector_traits():
    assert traits('.row.r7 .never3') == {
        'attributes': ['class'],
        'volatile': False,
        'structural': False,
        'key': '.never3',
    }
    assert traits('#save[data-state="on"] [aria-x]')['attributes'] == ['id', 'data-state', 'aria-x']
    assert traits('li:nth-child(2)')['structural'] and traits('a + b')['structural']
    assert traits('input:checked')['volatile'] and traits(':not(.x) > b')['volatile']


def test_an_unrelated_change_keeps_a_result():
    leaf = {'element': '.cell.c3', 'text': {'op': 'equals', 'value': 'x'}}
    assert not stale(leaf, change('.cell.c3'), False)  # a mutation that did not touch it
    assert stale(leaf, change(), False)  # a selector the browser did not measure: assume the worst


def test_additions_removals_text_and_attributes():
    leaf = {'element': '#go'}
    assert stale(leaf, change('#go', added=True), False)
    assert stale(leaf, change('#go', removed=True), False)
    assert not stale(leaf, change('#go', inside=True), False)  # presence does not read text
    assert stale({**leaf, 'text': {'op': 'contains', 'value': 'a'}}, change('#go', inside=True), False)
    assert stale(leaf, change('#go', attributes=['id']), False)
    assert not stale(leaf, change('#go', attributes=['title']), False)
    assert stale({**leaf, 'state': 'disabled'}, change('#go', attributes=['aria-disabled']), False)


def test_structural_and_volatile_selectors_follow_every_change():
    assert stale({'element': 'li:first-child'}, {**change('li:first-child'), 'structure': True}, False)
    assert not stale({'element': 'li:first-child'}, change('li:first-child'), False)
    assert stale({'element': 'input:checked'}, change('input:checked'), False)


def test_inputs_follow_their_events_and_custom_inputs_everything():
    leaf = {'input': '#q', 'op': 'isEmpty'}
    assert not stale(leaf, change('#q'), False)
    assert stale(leaf, {**change('#q'), 'inputs': ['#q']}, False)
    assert stale(leaf, change('#q', attributes=['value']), False)
    assert stale(leaf, change('#q', inside=True), False)  # contenteditable
    assert stale(leaf, change('#q'), True)


leaves = st.one_of(
    st.builds(
        lambda s, state, text: {
            'element': s,
            **({'state': state} if state else {}),
            **({'text': {}} if text else {}),
        },
        st.sampled_from(['#a', '.b', 'li:nth-child(2)', 'x:checked', '[data-y]']),
        st.sampled_from([None, 'present', 'absent', 'disabled', 'visible', 'clicked']),
        st.booleans(),
    ),
    st.builds(lambda s: {'input': s, 'op': 'isEmpty'}, st.sampled_from(['#a', '#q'])),
    st.just({'event': 'e'}),
)
seen = st.fixed_dictionaries(
    {
        'added': st.booleans(),
        'removed': st.booleans(),
        'inside': st.booleans(),
        'attributes': st.lists(st.sampled_from(['class', 'id', 'value', 'disabled', 'data-y', 'title'])),
    }
)
changes = st.fixed_dictionaries(
    {
        'mutations': st.booleans(),
        'structure': st.booleans(),
        'inputs': st.lists(st.sampled_from(['#a', '#q'])),
        'selectors': st.dictionaries(
            st.sampled_from(['#a', '.b', 'li:nth-child(2)', 'x:checked', '[data-y]', '#q']), seen
        ),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(leaf=leaves, what=changes, custom=st.booleans())
def test_the_transpiled_module_decides_alike(js, leaf, what, custom):  # noqa: F811
    same(js, 'stale', leaf, what, custom)


SELECTORS = ['#a', '.b', 'li:nth-child(2)', 'x:checked', '[data-y]', '#q']
QUIET_SEEN = {
    s: {'traits': traits(s), 'added': False, 'removed': False, 'inside': False, 'attributes': []}
    for s in SELECTORS
}
FIELDS = ['#a', '#q']


def _selector(leaf):
    return leaf.get('input') or leaf['element']


@settings(max_examples=300, deadline=None)
@given(
    memo=st.lists(leaves, max_size=8),
    typed=st.lists(st.lists(st.sampled_from(FIELDS), unique=True), max_size=3),
    custom=st.booleans(),
)
def test_typing_asks_only_the_results_an_input_event_can_affect(memo, typed, custom):
    """A change with no mutation records (typing) touches no selector: asked of
    untouched_stale's leaves alone, it drops exactly what it drops asked of every leaf."""
    kept = [leaf for leaf in memo if remembered(leaf)]
    inputs = []
    for matched in typed:  # each input event: '' and the fields its target matched
        inputs.extend([''] + matched)
    typing = {'mutations': False, 'structure': False, 'inputs': inputs, 'selectors': QUIET_SEEN}
    everything = [leaf for leaf in kept if stale(leaf, typing, custom)]
    asked = [leaf for leaf in kept if untouched_stale(leaf, QUIET_SEEN, custom)]
    assert [leaf for leaf in asked if stale(leaf, typing, custom)] == everything


@settings(max_examples=400, deadline=None)
@given(
    memo=st.lists(leaves, max_size=8),
    what=changes,
    custom=st.booleans(),
)
def test_a_change_asks_only_the_touched_selectors_and_the_untouched_stale(memo, what, custom):
    """A page change measured against the selectors it touches (the others answer as untouched),
    asked of untouched_stale's leaves and of the touched selectors' leaves alone, drops exactly
    what it drops asked of every leaf (dom.py's LivePage.begin)."""
    kept = [leaf for leaf in memo if remembered(leaf)]
    touched = set(what['selectors'])
    measured = {**QUIET_SEEN, **{s: {**seen, 'traits': traits(s)} for s, seen in what['selectors'].items()}}
    full = {**what, 'selectors': measured}
    everything = [leaf for leaf in kept if stale(leaf, full, custom)]
    asked = [leaf for leaf in kept if untouched_stale(leaf, QUIET_SEEN, custom) or _selector(leaf) in touched]
    assert [leaf for leaf in asked if stale(leaf, full, custom)] == everything


def test_only_a_structural_or_volatile_selector_or_a_field_is_asked_untouched():
    memo = [
        {'element': '#a'},
        {'element': '.b', 'text': {}},
        {'element': 'x:checked'},
        {'element': 'li:nth-child(2)'},
        {'input': '#q', 'op': 'isEmpty'},
    ]
    assert [leaf for leaf in memo if untouched_stale(leaf, QUIET_SEEN, False)] == [
        {'element': 'x:checked'},
        {'element': 'li:nth-child(2)'},
        {'input': '#q', 'op': 'isEmpty'},
    ]
    assert not untouched_stale(memo[0], QUIET_SEEN, True) and not untouched_stale(memo[1], QUIET_SEEN, True)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(leaf=leaves, custom=st.booleans())
def test_the_transpiled_untouched_stale_agrees(js, leaf, custom):  # noqa: F811
    same(js, 'untouched_stale', leaf, QUIET_SEEN, custom)


def test_the_id_or_class_a_match_must_have():
    """Chromium checks these on generated selectors in e2e/test_selector_keys.py."""
    assert key('#Go-5') == '#go-5' and key('.row.r7 .never3') == '.never3' and key('.cell.c3') == '.cell'
    assert key('div > a.Btn:hover') == '.btn' and key('input#Q.z') == '#q' and key('.x:not(.y)') == '.x'
    assert key('[data-x] .foo[y]') == '.foo' and key('#a\n.b') == '.b'
    for unsure in [
        'ul li',
        '.a, .b',
        'a[href="#x .y"]',
        'a.b\\:c',
        'p:is(.a,.b)',
        'a.\u00e9',
        '.a .b>c',
        'a.',
    ]:
        assert key(unsure) is None, unsure


selector_text = st.text(st.sampled_from(list('#.ab-_ >+~,[]()"\'\\:\n\tZ9\u00e9')), max_size=24)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(selector_text, st.text(max_size=12)))
def test_the_transpiled_key_agrees(js, text):  # noqa: F811
    same(js, 'selector_key', text)


def test_a_change_is_json():
    assert json.loads(json.dumps(QUIET)) == QUIET
