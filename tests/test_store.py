"""The collector's store (sdk/store.py): events once per id, and profiles that identify and group
events update, attribute operations applied as in Userflow.js."""

import pytest

from sdk.store import EventStore, apply_attributes


@pytest.mark.parametrize(
    'before,change,after',
    [
        ({}, {'plan': 'pro'}, {'plan': 'pro'}),
        ({'plan': 'free'}, {'plan': {'set': 'pro'}}, {'plan': 'pro'}),
        ({'first': 'a'}, {'first': {'set_once': 'b'}}, {'first': 'a'}),
        ({}, {'first': {'set_once': 'b'}}, {'first': 'b'}),
        ({'n': 2}, {'n': {'add': 3}}, {'n': 5}),
        ({}, {'n': {'add': 3}}, {'n': 3}),
        ({'n': 'x'}, {'n': {'subtract': 1.5}}, {'n': -1.5}),
        ({'n': True}, {'n': {'add': 1}}, {'n': 1}),  # a boolean is not a number to add to
        ({'t': ['a']}, {'t': {'append': 'b'}}, {'t': ['a', 'b']}),
        ({'t': 'a'}, {'t': {'append': ['b', 'c']}}, {'t': ['a', 'b', 'c']}),
        ({}, {'t': {'prepend': 'z'}}, {'t': ['z']}),
        ({'t': ['a']}, {'t': {'prepend': ['y', 'z']}}, {'t': ['y', 'z', 'a']}),
        ({'t': ['a', 'b', 'a', 1, True]}, {'t': {'remove': ['a', True]}}, {'t': ['b', 1]}),
        ({}, {'t': {'remove': 'a'}}, {'t': []}),
        ({'gone': 1, 'kept': 2}, {'gone': {'unset': True}}, {'kept': 2}),
    ],
)
def test_each_operation(before, change, after):
    assert apply_attributes(before, change) == after
    assert apply_attributes(before, {}) == before


def _event(event_id, event_type, **fields):
    return {'id': event_id, 'type': event_type, 'seq': 1, 'ts': '2026-01-01T00:00:00Z', **fields}


def test_identify_and_group_events_update_profiles_once_per_event():
    store = EventStore()
    batch = [
        _event('1', 'identify', user='u', attributes={'logins': {'add': 1}, 'plan': 'free'}),
        _event('2', 'identify', user='u', attributes={'plan': {'set': 'pro'}, 'tags': {'append': 'x'}}),
        _event('3', 'group', group='g', attributes={'seats': 3}),
        _event('4', 'track', user='u', name='t', attributes={'logins': 99}),
    ]
    assert store.add('tok', batch) == 4
    assert store.add('tok', batch[:1]) == 0  # the same event again: counted once, applied once
    assert store.profile('tok', 'user', 'u') == {'logins': 1, 'plan': 'pro', 'tags': ['x']}
    assert store.profile('tok', 'group', 'g') == {'seats': 3}
    assert store.profile('other', 'user', 'u') is None
    store.clear()
    assert store.profile('tok', 'user', 'u') is None and store.events() == []
