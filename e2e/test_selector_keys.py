"""affects.key (issue 17): an added element without the id or class a selector's key names is
not measured against that selector (flows/dom.py). Here Chromium itself decides, on generated
selectors and elements, in standards and in quirks mode (where ids and classes match without
case): every element a selector matches carries its key."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from userflow.pure.affects import key

NAMES = st.sampled_from(['a', 'B', 'go-1', 'Go-1', 'x_y', 'q'])
SIMPLE = st.one_of(
    NAMES.map(lambda n: '#' + n),
    NAMES.map(lambda n: '.' + n),
    st.sampled_from(['[data-k]', '[title="#a .b"]', "[title='a, .q']", ':hover', ':first-child', '*']),
    NAMES.map(lambda n: ':not(.' + n + ')'),
    NAMES.map(lambda n: ':is(#' + n + ', .q)'),
)
COMPOUND = st.builds(
    lambda tag, parts: tag + ''.join(parts),
    st.sampled_from(['', 'b', 'div', 'SPAN']),
    st.lists(SIMPLE, max_size=3),
)
SELECTOR = st.builds(
    lambda parts, joins: parts[0] + ''.join(j + p for j, p in zip(joins, parts[1:], strict=False)),
    st.lists(COMPOUND.filter(lambda c: c != ''), min_size=1, max_size=3),
    st.lists(st.sampled_from([' ', ' > ', '>', ' + ', ' ~ ', ', ', '\n']), min_size=2, max_size=2),
)
ELEMENT = st.fixed_dictionaries(
    {
        'tag': st.sampled_from(['b', 'div', 'span']),
        'id': st.one_of(st.none(), NAMES),
        'classes': st.lists(NAMES, max_size=3),
        'title': st.sampled_from(['', '#a .b']),
    }
)

CHECK = """([selector, element]) => {
  const wrap = document.querySelector('p');  // ancestors and a sibling that combinators can reach
  const before = document.createElement('i');
  before.setAttribute('id', 'q');
  before.setAttribute('class', 'a B');
  wrap.replaceChildren(before);
  const node = document.createElement(element.tag);
  if (element.id !== null) node.setAttribute('id', element.id);
  if (element.classes.length) node.setAttribute('class', element.classes.join(' '));
  if (element.title) node.setAttribute('title', element.title);
  node.setAttribute('data-k', '');
  wrap.appendChild(node);
  let matches;
  try { matches = node.matches(selector); } catch (e) { return null; }
  // flows/dom.py _marks, for an element with no element inside
  let marks = ' ';
  if (node.getAttribute('id')) marks += '#' + node.getAttribute('id').toLowerCase() + ' ';
  for (const name of node.classList) marks += '.' + name.toLowerCase() + ' ';
  return [matches, marks];
}"""


@pytest.fixture(scope='module', params=['<!doctype html>', ''], ids=['standards', 'quirks'])
def blank(browser, request):
    context = browser.new_context()
    page = context.new_page()
    page.set_content(request.param + '<div class="a Go-1" id="B"><p class="q x_y" id="x_y"></p></div>')
    mode = page.evaluate('document.compatMode')
    assert mode == ('CSS1Compat' if request.param else 'BackCompat')
    yield page
    context.close()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(selector=SELECTOR, element=ELEMENT)
def test_every_element_a_selector_matches_carries_its_key(blank, selector, element):
    answer = blank.evaluate(CHECK, [selector, element])
    if answer is None:  # an invalid selector matches nothing
        return
    matches, marks = answer
    needed = key(selector)
    if matches and needed is not None:
        assert ' ' + needed + ' ' in marks, (selector, element)


def test_the_generated_cases_reach_keys_and_matches(blank):
    """The property above is not vacuous: such pairs match and have keys."""
    assert blank.evaluate(CHECK, ['#B\n#Go-1', {'tag': 'b', 'id': 'Go-1', 'classes': [], 'title': ''}])[0]
    assert key('#B\n#Go-1') == '#go-1' and key('b.x:not(.q)') == '.x' and key('.a, .b') is None
