"""Every condition form of SPEC §6, evaluated against a page snapshot."""

import pytest

from b2b_harness import SnapshotPage
from userflow.pure.conditions import evaluate, explain
from userflow.pure.patterns import accept

FACTS = {'text': 'Save changes', 'visible': True, 'disabled': False, 'clicked': False}
PAGE = SnapshotPage(
    {
        'url': 'https://app.example.com/projects/42?tab=1',
        'elements': {
            '#save': [FACTS],
            '#hidden': [dict(FACTS, visible=False, text='')],
            '#off': [dict(FACTS, disabled=True)],
            '#done': [dict(FACTS, clicked=True)],
        },
        'inputs': {'#name': 'Ada Lovelace', '#empty': ''},
        'attributes': {'plan': 'pro', 'seats': 5, 'tags': ['beta', 'eu'], 'trial': None},
        'events': ['invited'],
        'flows': {'active': ['tour'], 'completed': ['welcome'], 'seen': ['welcome', 'tour']},
    }
)


@pytest.mark.parametrize(
    'condition,expected',
    [
        ({'element': '#save'}, True),
        ({'element': '#missing'}, False),
        ({'element': '#missing', 'state': 'absent'}, True),
        ({'element': '#save', 'state': 'visible'}, True),
        ({'element': '#hidden', 'state': 'visible'}, False),
        ({'element': '#off', 'state': 'disabled'}, True),
        ({'element': '#save', 'state': 'disabled'}, False),
        ({'element': '#done', 'state': 'clicked'}, True),
        ({'element': '#save', 'state': 'clicked'}, False),
        ({'element': '#save', 'text': {'op': 'contains', 'value': 'save'}}, True),
        ({'element': '#save', 'text': {'op': 'contains', 'value': 'save', 'caseSensitive': True}}, False),
        ({'element': '#save', 'state': 'absent', 'text': {'op': 'equals', 'value': 'Cancel'}}, True),
        ({'input': '#name', 'op': 'startsWith', 'value': 'ada'}, True),
        ({'input': '#name', 'op': 'matches', 'value': '^[A-Z][a-z]+ [A-Z]'}, True),
        ({'input': '#empty', 'op': 'isEmpty'}, True),
        ({'input': '#nowhere', 'op': 'isEmpty'}, True),
        ({'input': '#nowhere', 'op': 'notEquals', 'value': 'x'}, False),
        ({'page': {'op': 'glob', 'value': 'https://app.example.com/projects/*'}}, True),
        ({'page': {'op': 'contains', 'value': 'tab=1'}}, True),
        ({'page': {'op': 'equals', 'value': 'https://app.example.com/'}}, False),
        ({'attribute': 'plan', 'op': 'eq', 'value': 'pro'}, True),
        ({'attribute': 'seats', 'op': 'gte', 'value': 5}, True),
        ({'attribute': 'seats', 'op': 'lt', 'value': 5}, False),
        ({'attribute': 'plan', 'op': 'gt', 'value': 1}, False),
        ({'attribute': 'tags', 'op': 'contains', 'value': 'beta'}, True),
        ({'attribute': 'plan', 'op': 'in', 'value': ['team', 'pro']}, True),
        ({'attribute': 'trial', 'op': 'exists'}, True),
        ({'attribute': 'email', 'op': 'notExists'}, True),
        ({'attribute': 'seats', 'op': 'eq', 'value': True}, False),
        ({'attribute': 'tags', 'op': 'eq', 'value': ['beta', 'eu']}, True),
        ({'attribute': 'tags', 'op': 'ne', 'value': ['eu', 'beta']}, True),
        ({'event': 'invited'}, True),
        ({'event': 'paid'}, False),
        ({'flow': 'tour', 'state': 'active'}, True),
        ({'flow': 'welcome', 'state': 'completed'}, True),
        ({'flow': 'tour', 'state': 'completed'}, False),
        ({'all': [{'event': 'invited'}, {'element': '#save'}]}, True),
        ({'all': [{'event': 'invited'}, {'element': '#nope'}]}, False),
        ({'any': [{'event': 'paid'}, {'element': '#save'}]}, True),
        ({'not': {'event': 'paid'}}, True),
    ],
)
def test_each_condition_form(condition, expected):
    if condition.get('op') == 'matches':
        accept(condition['value'])  # as content validation does once it checked the pattern
    assert evaluate(condition, PAGE) is expected


def test_explain_gives_every_part_its_value_for_the_debugger():
    condition = {'all': [{'element': '#save'}, {'not': {'event': 'invited'}}]}
    explained = explain(condition, PAGE)
    assert explained['value'] is False and explained['condition'] is condition
    save, negation = explained['parts']
    assert save == {'condition': {'element': '#save'}, 'value': True, 'parts': []}
    assert negation['value'] is False and negation['parts'][0]['value'] is True
    leaf = {'event': 'invited'}
    assert explain(leaf, PAGE) == {'condition': leaf, 'value': True, 'parts': []}
