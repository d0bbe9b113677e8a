"""Which conditions a change can affect (issue 17): the pure half of incremental evaluation.

The binding (flows/dom.py) remembers the result of each element and input condition and, when
the page changes, asks `stale(leaf, change)` whether that result may no longer hold; only those
are evaluated again. The browser measures the change against each selector (`summary` below),
this module decides. Anything it cannot reason about is stale: a wrong "clean" would hide a
change from a flow, a wrong "stale" only costs one evaluation.

A leaf's result is never remembered when it reads what no mutation announces: `visible`
(layout), `clicked` (clicks are events), custom inputs (the app's function may read anything).

`change` = {
  'mutations': bool,     some page mutation happened
  'structure': bool,     some element was added or removed
  'inputs': [selector],  per input or change event, '' and the selectors of input conditions
                         its target matched
  'selectors': {selector: {
      'traits': traits(selector), measured once per selector by the caller
      'added': bool,     an added element matches it or holds a match
      'removed': bool,   an element that matched it last time is gone from the page
      'inside': bool,    text changed in (or under) an element that matched it last time
      'attributes': [name],  attributes changed on an element that matches it, holds a match,
                             or is or holds an element that matched it last time
  }},
}
"""

from userflow.pure.values import map_get

# Pseudo-classes whose match changes with no attribute mutation (state, focus, position among
# siblings, content): a selector using one is stale on any change.
_VOLATILE = [':checked', ':focus', ':hover', ':active', ':target', ':valid', ':invalid', ':placeholder']
_STRUCTURAL = [':nth-', ':first', ':last', ':only', ':empty', ':has(', '+', '~']


def remembered(leaf):
    """Whether a leaf's result may be kept between evaluations."""
    if map_get(leaf, 'input') is not None:
        return True
    if map_get(leaf, 'element') is None:
        return False
    state = map_get(leaf, 'state') or 'present'
    return state == 'present' or state == 'absent' or state == 'disabled'


def traits(selector):
    """{'attributes': names the selector's match depends on, 'volatile': any change may alter
    its match, 'structural': any element added or removed may}."""
    names = []
    if selector.find('.') >= 0:
        names.append('class')
    if selector.find('#') >= 0:
        names.append('id')
    start = selector.find('[')
    while start >= 0:
        end = start + 1
        while end < len(selector) and _NAME_CHARS.find(selector[end].lower()) >= 0:
            end += 1
        names.append(selector[start + 1 : end].lower())
        start = selector.find('[', end)
    volatile = False
    for word in _VOLATILE:
        if selector.find(word) >= 0:
            volatile = True
    if selector.find(':not(') >= 0 or selector.find(':is(') >= 0 or selector.find(':where(') >= 0:
        volatile = True  # their arguments may read anything above
    structural = False
    for word in _STRUCTURAL:
        if selector.find(word) >= 0:
            structural = True
    return {'attributes': names, 'volatile': volatile, 'structural': structural, 'key': key(selector)}


_IDENT = 'abcdefghijklmnopqrstuvwxyz0123456789-_'


def key(selector):
    """An id or class every element that `selector` matches has ('#name' or '.name', lower
    case: quirks mode matches both without case), or None when it cannot tell. It is the first
    id, else the first class, of the last compound (after the last combinator), outside
    brackets, parentheses and quotes; a list, an escape or a character outside ASCII gives None.
    An added element without that id or class is not measured against the selector (dom.py)."""
    depth = 0
    quote = ''
    found = {'#': None, '.': None}  # of the compound read last
    i = 0
    while i < len(selector):
        ch = selector[i]
        if ord(ch) > 126 or ch == '\\':
            return None
        if quote != '':
            quote = '' if ch == quote else quote
        elif ch == '"' or ch == "'":
            quote = ch
        elif ch == '[' or ch == '(':
            depth += 1
        elif ch == ']' or ch == ')':
            depth -= 1
        elif depth == 0 and ch == ',':
            return None
        elif depth == 0 and (ch <= ' ' or ch == '>' or ch == '+' or ch == '~'):
            found = {'#': None, '.': None}  # a combinator: a new compound begins
        elif depth == 0 and (ch == '#' or ch == '.') and found[ch] is None:
            end = i + 1
            while end < len(selector) and _IDENT.find(selector[end].lower()) >= 0:
                end += 1
            if end > i + 1:
                found[ch] = ch + selector[i + 1 : end].lower()
            i = end - 1
        i += 1
    return found['#'] if found['#'] is not None else found['.']


_NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-_:'


def stale(leaf, change, custom_inputs):
    """Whether the remembered result of `leaf` may have changed with `change`."""
    if not remembered(leaf):
        return True
    selector = map_get(leaf, 'input')
    is_input = selector is not None
    if not is_input:
        selector = leaf['element']
    seen = map_get(change['selectors'], selector)
    shape = map_get(seen, 'traits') if seen is not None else None
    if shape is None:
        shape = traits(selector)
    if shape['volatile'] and (change['mutations'] or len(change['inputs']) > 0):
        return True
    if shape['structural'] and change['structure']:
        return True
    if is_input:
        if custom_inputs and (change['mutations'] or len(change['inputs']) > 0):
            return True
        if _has(change['inputs'], selector):
            return True
    if seen is None:
        return True  # not measured: assume the worst
    if seen['added'] or seen['removed']:
        return True
    if (is_input or map_get(leaf, 'text') is not None) and seen['inside']:
        return True  # an input's value may be its text (contenteditable)
    if len(seen['attributes']) == 0:
        return False
    watched = list(shape['attributes'])
    if not is_input and map_get(leaf, 'state') == 'disabled':
        watched.extend(['disabled', 'aria-disabled'])
    if is_input:
        watched.append('value')
    for name in seen['attributes']:
        if _has(watched, name):
            return True
    return False


def untouched_stale(leaf, quiet, custom_inputs):
    """Whether a change that touches none of the selector of `leaf` may make its result stale:
    whether the worst such change does (page mutations, elements added or removed, an input
    event at its field). `quiet`: selector -> what a change that touches none of it looks like.
    `stale` only grows with `mutations`, `structure` and the input events a change holds, and
    an input leaf reads only the events at its own field, so a change need be asked only of
    these leaves and of the leaves of the selectors it touches: typing (input events, no
    mutation records) touches none (tests/test_affects.py proves both on generated changes)."""
    field = map_get(leaf, 'input')
    inputs = [''] if field is None else ['', field]
    worst = {'mutations': True, 'structure': True, 'inputs': inputs, 'selectors': quiet}
    return stale(leaf, worst, custom_inputs)


def _has(items, item):
    for x in items:
        if x == item:
            return True
    return False
