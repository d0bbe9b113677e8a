"""Conditions (SPEC §6), decided in the browser and nowhere else.

`evaluate(condition, page)` reads what it needs through `page`, which answers:
`elements(selector)` (matching elements, [] for an invalid selector), `fact(element, name)`
for 'text', 'visible', 'disabled' and 'clicked' (asked only when a condition needs it),
`input_value(selector)` (text, or None without such an input), `url()`, `attribute(name)`
({'known': bool, 'value': ...}), `tracked(name)`, `flow_state(id, state)`, and
`remember(leaf, compute)`: an element or input condition's result, which the page may keep
between evaluations (the browser does, pure/affects.py says until when) or compute now.
The browser answers from the live DOM (dom.py); tests answer from a snapshot. Content is
validated before it gets here (content.py), so the shape of a condition is trusted.
"""

from userflow.pure.patterns import test_text, test_url
from userflow.pure.values import kind, map_get


def evaluate(condition, page):
    """True or False; never raises on validated content."""
    if map_get(condition, 'all') is not None:
        for c in condition['all']:
            if not evaluate(c, page):
                return False
        return True
    if map_get(condition, 'any') is not None:
        for c in condition['any']:
            if evaluate(c, page):
                return True
        return False
    if map_get(condition, 'not') is not None:
        return not evaluate(condition['not'], page)
    if map_get(condition, 'element') is not None:
        return page.remember(condition, lambda: _element(condition, page))
    if map_get(condition, 'input') is not None:
        return page.remember(condition, lambda: _input(condition, page))
    if map_get(condition, 'page') is not None:
        test = condition['page']
        return test_url(test['op'], page.url(), test['value'])
    if map_get(condition, 'attribute') is not None:
        return _attribute(
            condition['op'], page.attribute(condition['attribute']), map_get(condition, 'value')
        )
    if map_get(condition, 'event') is not None:
        return page.tracked(condition['event'])
    if map_get(condition, 'flow') is not None:
        return page.flow_state(condition['flow'], condition['state'])
    return False


def explain(condition, page):
    """The condition as the debugger shows it: {'condition', 'value', 'parts'}, where `parts`
    explains each part of an all/any/not and a leaf has none; every value is what `evaluate`
    gives, read from the same page."""
    parts = []
    for key in ['all', 'any']:
        if map_get(condition, key) is not None:
            parts = [explain(c, page) for c in condition[key]]
    if map_get(condition, 'not') is not None:
        parts = [explain(condition['not'], page)]
    return {'condition': condition, 'value': evaluate(condition, page), 'parts': parts}


def _element(condition, page):
    state = map_get(condition, 'state') or 'present'
    text = map_get(condition, 'text')
    found = page.elements(condition['element'])
    if text is not None:
        found = [
            e
            for e in found
            if test_text(
                text['op'],
                page.fact(e, 'text'),
                map_get(text, 'value'),
                map_get(text, 'caseSensitive') is True,
            )
        ]
    if state == 'absent':
        return len(found) == 0
    if state == 'present':
        return len(found) > 0
    for element in found:
        if page.fact(element, state) is True:  # 'visible', 'clicked' or 'disabled'
            return True
    return False


def _input(condition, page):
    return test_text(
        condition['op'],
        page.input_value(condition['input']),
        map_get(condition, 'value'),
        map_get(condition, 'caseSensitive') is True,
    )


def _same(a, b):
    # Kinds first: in CPython True == 1, in JS true !== 1. Lists item by item: in JS two
    # arrays are equal only if they are the same array.
    if kind(a) != kind(b):
        return False
    if kind(a) == 'list':
        if len(a) != len(b):
            return False
        for i in range(len(a)):
            if not _same(a[i], b[i]):
                return False
        return True
    return a == b


def _attribute(op, known, value):
    if op == 'exists':
        return known['known']
    if op == 'notExists':
        return not known['known']
    if not known['known']:
        return False
    actual = known['value']
    if op == 'eq':
        return _same(actual, value)
    if op == 'ne':
        return not _same(actual, value)
    if op == 'in':
        return kind(value) == 'list' and any([_same(actual, v) for v in value])
    if op == 'contains':
        if kind(actual) == 'list':
            return any([_same(x, value) for x in actual])
        return kind(actual) == 'str' and kind(value) == 'str' and actual.find(value) >= 0
    if kind(actual) != 'num' or kind(value) != 'num':
        return False
    if op == 'gt':
        return actual > value
    if op == 'gte':
        return actual >= value
    if op == 'lt':
        return actual < value
    if op == 'lte':
        return actual <= value
    return False
