"""Text tests used by conditions: the operators, globs, and `matches`, which runs a pattern
in the safe subset of regular expressions (safe_patterns.py checks them; content validation
accepts each one it checked) on the first 10,000 characters of the text.
"""

from userflow.pure.values import new_map, has_key

MAX_TEXT = 10000


def prefix(text):
    """The first MAX_TEXT characters a pattern is tested against."""
    if len(text) <= MAX_TEXT:
        return text
    return text[:MAX_TEXT]


def _search(pattern, text):
    # In the SDK realm. The u flag: code points, as CPython sees them, and strict syntax. A
    # pattern content validation let through but the engine refuses matches nothing.
    try:
        return __new__(RegExp(pattern, 'u')).test(text)  # noqa: F821 -- Transcrypt's names
    except:  # noqa: E722
        return False


# __pragma__ ('skip')
# Under CPython, Python's re replaces the definition above (Transcrypt skips this block).
import re as _re  # noqa: E402

from userflow.pure.safe_patterns import python_pattern  # noqa: E402


def _search(pattern, text):  # noqa: F811
    return _re.search(python_pattern(pattern), text) is not None


# __pragma__ ('noskip')


_accepted = new_map()  # the patterns content validation let through (safe_patterns.py)


def accept(pattern):
    """Let `pattern` run: content validation found it in the safe subset (content.py)."""
    _accepted[pattern] = True


def matches(pattern, text):
    """Whether `pattern` finds a match in the first MAX_TEXT characters of `text`. Only a
    pattern validation accepted runs; any other matches nothing (untrusted content never
    reaches RegExp unchecked)."""
    return has_key(_accepted, pattern) and _search(pattern, prefix(text))


def glob_match(pattern, text):
    """`*` matches any run of characters, every other character itself (no backtracking
    blow-up: the classic two-pointer walk)."""
    p = 0
    t = 0
    star = -1
    mark = 0
    while t < len(text):
        if p < len(pattern) and pattern[p] != '*' and pattern[p] == text[t]:
            p += 1
            t += 1
        elif p < len(pattern) and pattern[p] == '*':
            star = p
            mark = t
            p += 1
        elif star >= 0:
            p = star + 1
            mark += 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == '*':
        p += 1
    return p == len(pattern)


def test_text(op, text, value, case_sensitive):
    """The text operators of input and element conditions. `text` None means no such input."""
    if op == 'isEmpty':
        return text is None or len(text) == 0
    if op == 'isNotEmpty':
        return text is not None and len(text) > 0
    if text is None or value is None:
        return False
    if op == 'matches':
        return matches(value, text)
    if not case_sensitive:
        text = text.lower()
        value = value.lower()
    if op == 'equals':
        return text == value
    if op == 'notEquals':
        return text != value
    if op == 'contains':
        return text.find(value) >= 0
    if op == 'startsWith':
        return text.startswith(value)
    if op == 'endsWith':
        return text.endswith(value)
    return False


def test_url(op, url, value):
    """The page operators: on the real URL, read locally."""
    if op == 'equals':
        return url == value
    if op == 'startsWith':
        return url.startswith(value)
    if op == 'contains':
        return url.find(value) >= 0
    if op == 'glob':
        return glob_match(value, url)
    if op == 'matches':
        return matches(value, url)
    return False
