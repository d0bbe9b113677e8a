"""Attribute validation (SPEC §5): a call that breaks a rule is refused whole."""

import pytest

from userflow.pure.attributes import OPERATIONS, validate_attributes, check_id, check_event_name, valid_key


def test_valid_attributes_pass_through_unchanged():
    attrs = {'plan': 'pro', 'seats': 3, 'ratio': 0.5, 'beta': True, 'x': None, 'tags': ['a', 1]}
    assert validate_attributes(attrs, None, OPERATIONS) == {'error': None, 'attributes': attrs, 'dropped': []}


@pytest.mark.parametrize(
    'attrs,message',
    [
        ({'1abc': 1}, 'attribute key "1abc"'),
        ({'a b': 1}, 'attribute key "a b"'),
        ({'k' * 65: 1}, 'does not match'),
        ({'s': 'x' * 1025}, 'attribute "s" is longer than 1024'),
        ({'n': float('nan')}, 'attribute "n" is not a finite number'),
        ({'n': float('inf')}, 'not a finite number'),
        ({'o': {'nested': 1}}, 'attribute "o" must be a value or one operation {set|set_once|'),
        ({'o': {'set': 1, 'add': 2}}, 'must be a value or one operation'),
        ({'o': {'add': 'five'}}, 'attribute "o".add must be a finite number'),
        ({'o': {'unset': 1}}, 'attribute "o".unset must be true'),
        ({'o': {'append': {'x': 1}}}, 'attribute "o".append must be a value, not an object'),
        ({'o': {'set': 'x', 'data_type': 'uuid'}}, 'attribute "o".data_type must be one of'),
        ({'o': {'set': [1, [2]]}}, 'attribute "o".set[1] must be'),
        ({'l': [[1]]}, 'attribute "l"[0] must be'),
        ({'l': list(range(101))}, 'more than 100 items'),
        ({f'k{i}': i for i in range(101)}, '101 keys; at most 100'),
        ('plan=pro', 'attributes must be a plain object'),
    ],
)
def test_a_broken_rule_refuses_the_whole_call_naming_the_key(attrs, message):
    result = validate_attributes(attrs, None, OPERATIONS)
    assert result['attributes'] is None
    assert message in result['error']


def test_attribute_operations_as_in_userflow_js_pass_without_their_type_hint():
    attrs = {
        'a': {'set': 'x'},
        'b': {'set_once': [1, 2]},
        'c': {'add': 2},
        'd': {'subtract': 1.5},
        'e': {'append': 'tag'},
        'f': {'prepend': ['t1']},
        'g': {'remove': 'tag'},
        'h': {'unset': True},
        'i': {'set': '2024-01-01', 'data_type': 'datetime'},
    }
    result = validate_attributes(attrs, None, OPERATIONS)
    assert result['error'] is None
    assert result['attributes']['i'] == {'set': '2024-01-01'}  # the hint is not on the wire
    assert result['attributes']['b'] == {'set_once': [1, 2]}


def test_events_take_set_only():
    assert validate_attributes({'a': {'set': 1}}, None, ['set'])['error'] is None
    assert 'one operation {set: value}' in validate_attributes({'a': {'add': 1}}, None, ['set'])['error']


def test_limits_are_inclusive():
    attrs = {f'k{i}': 'x' * 1024 for i in range(100)}
    attrs['k0'] = list(range(100))
    assert validate_attributes(attrs, None, OPERATIONS)['error'] is None
    assert valid_key('_' + 'a' * 63) and not valid_key('_' + 'a' * 64)


def test_string_limit_counts_code_points_not_bytes():
    assert validate_attributes({'e': '😀' * 1024}, None, OPERATIONS)['error'] is None


def test_keys_outside_allowed_attributes_are_dropped_and_reported():
    result = validate_attributes({'plan': 'pro', 'email': 'a@b.c'}, ['plan'], OPERATIONS)
    assert result == {'error': None, 'attributes': {'plan': 'pro'}, 'dropped': ['email']}


def test_ids_are_strings_or_integers():
    assert check_id('u-1', 'user ID') == {'id': 'u-1', 'error': None}
    assert check_id(12345678901234, 'user ID') == {'id': '12345678901234', 'error': None}
    assert check_id(-7.0, 'user ID')['id'] == '-7'
    assert check_id('', 'user ID')['error'] == 'user ID must have 1 to 256 characters'
    assert check_id(1.5, 'user ID')['error'].startswith('user ID must be a non-empty string')
    assert check_id(None, 'group ID')['error'].startswith('group ID')
    assert check_id('x' * 257, 'user ID')['error'] is not None


def test_event_names_have_1_to_128_characters():
    assert check_event_name('signed_up') is None
    assert check_event_name('') is not None
    assert check_event_name('x' * 129) is not None
    assert check_event_name(3) is not None
