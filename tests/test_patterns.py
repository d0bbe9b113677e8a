"""Text operators, globs and the safe regular-expression subset (patterns.py)."""

import pytest
from hypothesis import given, strategies as st

from userflow.pure import patterns
from userflow.pure.patterns import accept, glob_match, matches
from userflow.pure.safe_patterns import check_pattern


def text_test(op, text, value, case):  # not `test_*`: pytest would collect it
    if op == 'matches':
        accept(value)  # as content validation does for a pattern it checked
    return patterns.test_text(op, text, value, case)


def url_test(op, url, value):
    if op == 'matches':
        accept(value)
    return patterns.test_url(op, url, value)


SAFE = [
    '^/settings/\\d+$',
    'a.*b.*c',
    '[a-z0-9_-]+@example\\.com',
    '(ab){2,3}',
    'x|y|z',
    '^(?:foo|bar)$',
    '\\bword\\b',
    '[\\w.]+',
    'a{0,1000}',
    '(a*)?',
    '[\\]\\[]',
]
UNSAFE = {
    '(a+)+': 'nested quantifiers',
    '(a|ab)*': 'repeated alternation',
    '(x*)*y': 'nested quantifiers',
    'a.*b.*c.*d': 'more than 2 unbounded',
    '(?=x)': 'group syntax',
    '(?<n>x)': 'group syntax',
    '(a)\\1': 'escape \\1',
    '\\u0041': 'escape \\u',
    'a{1001}': 'unescaped {',
    '[]': 'empty class',
    '[a-': 'unclosed [',
    '(a': 'unbalanced (',
    'a)': 'unbalanced )',
    '*a': 'nothing to repeat',
    '': '1 to 200',
    'a' * 201: '1 to 200',
    'a\\': 'backslash',
}


@pytest.mark.parametrize('pattern', SAFE)
def test_patterns_in_the_safe_subset_are_accepted(pattern):
    assert check_pattern(pattern) is None


@pytest.mark.parametrize('pattern,reason', UNSAFE.items())
def test_patterns_that_can_backtrack_or_are_outside_the_subset_are_refused(pattern, reason):
    assert reason in check_pattern(pattern)


def test_text_operators():
    assert text_test('equals', 'Hello', 'hello', False) and not text_test('equals', 'Hello', 'hello', True)
    assert text_test('notEquals', 'a', 'b', False) and text_test('contains', 'abc', 'B', False)
    assert text_test('startsWith', 'abc', 'ab', True) and text_test('endsWith', 'abc', 'bc', True)
    assert text_test('isEmpty', '', None, False) and text_test('isEmpty', None, None, False)
    assert text_test('isNotEmpty', 'x', None, False) and not text_test('isNotEmpty', None, None, False)
    assert not text_test('equals', None, 'x', False), 'a missing input equals nothing'
    assert text_test('matches', 'order 1234', '\\d{4}$', True)


def test_matches_reads_only_the_first_10000_characters():
    assert text_test('matches', 'a' * 9999 + 'x', 'x', True)
    assert not text_test('matches', 'a' * 10000 + 'x', 'x', True)


def test_url_operators_and_globs():
    url = 'https://app.example.com/projects/42/settings?tab=1'
    assert url_test('glob', url, 'https://app.example.com/projects/*/settings*')
    assert not url_test('glob', url, 'https://app.example.com/users/*')
    assert url_test('matches', url, '/projects/\\d+/')
    assert url_test('startsWith', url, 'https://app.') and url_test('contains', url, 'tab=1')
    assert glob_match('*', '') and glob_match('a*b*c', 'aXbYc') and not glob_match('a*b', 'ab!')


@given(st.text(alphabet='ab*', max_size=12), st.text(alphabet='ab', max_size=30))
def test_glob_agrees_with_fnmatch_for_star(pattern, text):
    import fnmatch

    assert glob_match(pattern, text) == fnmatch.fnmatchcase(text, pattern)


def test_only_patterns_validation_accepted_run():
    # Content validation checks each pattern (safe_patterns.py) and accepts what it lets
    # through; any other pattern matches nothing, however it reached the condition.
    assert not matches('^never accepted$', 'never accepted')
    accept('^now accepted$')
    assert matches('^now accepted$', 'now accepted')
