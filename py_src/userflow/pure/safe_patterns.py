"""The safe subset of regular expressions a `matches` test may use (patterns.py runs them).

A `matches` pattern runs as a JavaScript RegExp in the browser. Content is untrusted, so a
pattern is accepted only in a small subset that cannot backtrack catastrophically: literals,
`.`, classes, `\\d \\w \\s \\b` (and negations), groups, alternation, quantifiers; no nested
quantifiers (`(a+)+`), no quantified alternation (`(a|ab)*`), at most two unbounded
quantifiers, at most 200 characters. CPython (the reference in tests) runs the same pattern
translated to JS semantics (`python_pattern`).

The checker is an on-demand chunk of its own (py_src/userflow/patterns/main.py): only content
that has `matches` tests loads it (browser/main.py decides), content validation checks each
pattern with it (content.py) and lets through only what it accepts (patterns.accept).
"""

from userflow.pure.values import kind, char_count

MAX_PATTERN = 200
MAX_UNBOUNDED = 2
# What may follow a backslash: outside a class, the syntax characters (as the RegExp `u` flag
# requires); inside a class, `-` too.
_META = '\\^$.|?*+()[]{}/'
_CLASS_ESCAPES = 'dws'
_ESCAPES = 'dDwWsSbB'
# JS `\s` and `.` in CPython terms (TRANSCRYPT.md: `\w`, `\s` and `.` differ between the two).
_JS_SPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff'
_PY_CLASS = {'d': '0-9', 'w': 'A-Za-z0-9_', 's': _JS_SPACE}
_PY_ATOM = {
    '.': '[^\\n\\r\\u2028\\u2029]',
    'd': '[0-9]',
    'D': '[^0-9]',
    'w': '[A-Za-z0-9_]',
    'W': '[^A-Za-z0-9_]',
    's': '[' + _JS_SPACE + ']',
    'S': '[^' + _JS_SPACE + ']',
    'b': '(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))',
    'B': '(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))',
}


def _digits(text, i):
    j = i
    while j < len(text) and '0123456789'.find(text[j]) >= 0:
        j += 1
    return j


def _quantifier(text, i):
    """(end index, max repeats or -1 for unbounded) of a quantifier at i, or None."""
    ch = text[i]
    if ch == '*' or ch == '+':
        return [i + 1, -1]
    if ch == '?':
        return [i + 1, 1]
    if ch != '{':
        return None
    j = _digits(text, i + 1)
    if j == i + 1 or j >= len(text):
        return None
    low = float(text[i + 1 : j])
    high = low
    if text[j] == ',':
        k = _digits(text, j + 1)
        high = float(text[j + 1 : k]) if k > j + 1 else -1
        j = k
    if j >= len(text) or text[j] != '}' or low > 1000 or high > 1000 or (0 <= high < low):
        return None
    return [j + 1, high]


def check_pattern(pattern):
    """None if `pattern` is in the safe subset, else a message saying why it is refused."""
    result = _parse(pattern)
    if kind(result) == 'str':
        return result
    return None


def _parse(pattern):
    """Walk the pattern once. Returns an error message, or the CPython translation."""
    if kind(pattern) != 'str' or len(pattern) == 0 or char_count(pattern) > MAX_PATTERN:
        return 'a pattern must be a string of 1 to ' + str(MAX_PATTERN) + ' characters'
    out = []
    # One frame per open group: [has_quantifier_inside, has_alternation]
    frames = [[False, False]]
    unbounded = 0
    i = 0
    n = len(pattern)
    atom = False  # whether the last item can take a quantifier
    closed = None  # the frame of a group that just closed
    while i < n:
        ch = pattern[i]
        quant = _quantifier(pattern, i) if '*+?{'.find(ch) >= 0 else None
        if quant is not None:
            if not atom:
                return 'a quantifier has nothing to repeat'
            end = quant[0]
            if end < n and pattern[end] == '?':
                end += 1
            if quant[1] != 1 and closed is not None and (closed[0] or closed[1]):
                return 'nested quantifiers or a repeated alternation can backtrack catastrophically'
            if quant[1] == -1:
                unbounded += 1
                if unbounded > MAX_UNBOUNDED:
                    return 'more than ' + str(MAX_UNBOUNDED) + ' unbounded quantifiers'
            frames[len(frames) - 1][0] = True
            out.append(pattern[i:end])
            i = end
            atom = False
            closed = None
            continue
        closed = None
        atom = True
        if ch == '\\':
            if i + 1 >= n:
                return 'pattern ends with a backslash'
            nxt = pattern[i + 1]
            if _ESCAPES.find(nxt) >= 0:
                out.append(_PY_ATOM[nxt.lower()] if nxt == 'b' else _PY_ATOM[nxt])
                atom = nxt != 'b' and nxt != 'B'
            elif _META.find(nxt) >= 0:
                out.append('\\' + nxt)
            else:
                return 'escape \\' + nxt + ' is not supported'
            i += 2
        elif ch == '[':
            end = _class_end(pattern, i)
            if kind(end) == 'str':
                return end
            out.append(_class(pattern[i + 1 : end]))
            i = end + 1
        elif ch == '(':
            if pattern[i + 1 : i + 3] == '?:':
                i += 3
            elif pattern[i + 1 : i + 2] == '?':
                return 'group syntax (? is not supported'
            else:
                i += 1
            frames.append([False, False])
            out.append('(?:')
            atom = False
        elif ch == ')':
            if len(frames) == 1:
                return 'unbalanced )'
            closed = frames.pop()
            outer = frames[len(frames) - 1]
            outer[0] = outer[0] or closed[0]
            out.append(')')
            i += 1
        elif ch == '|':
            frames[len(frames) - 1][1] = True
            out.append('|')
            atom = False
            i += 1
        elif ch == '.':
            out.append(_PY_ATOM['.'])
            i += 1
        elif ch == '^' or ch == '$':
            out.append('^' if ch == '^' else '\\Z')
            atom = False
            i += 1
        elif ch == '{' or ch == '}' or ch == ']':
            return 'unescaped ' + ch
        else:
            out.append(_literal(ch))
            i += 1
    if len(frames) > 1:
        return 'unbalanced ( in pattern'
    return [''.join(out)]


def _class_end(pattern, start):
    i = start + 1
    if i < len(pattern) and pattern[i] == '^':
        i += 1
    first = i
    while i < len(pattern):
        ch = pattern[i]
        if ch == '\\':
            if i + 1 >= len(pattern):
                break
            nxt = pattern[i + 1]
            if _CLASS_ESCAPES.find(nxt) < 0 and _META.find(nxt) < 0 and nxt != '-':
                return 'escape \\' + nxt + ' in a class is not supported'
            i += 2
            continue
        if ch == '[':
            return 'nested [ in a class'
        if ch == ']':
            if i == first:
                return 'empty class'
            return i
        i += 1
    return 'unclosed ['


def _class(body):
    out = '['
    i = 0
    if body.startswith('^'):
        out = '[^'
        i = 1
    while i < len(body):
        ch = body[i]
        if ch == '\\':
            nxt = body[i + 1]
            out += _PY_CLASS[nxt] if _CLASS_ESCAPES.find(nxt) >= 0 else '\\' + nxt
            i += 2
        elif ch == '-' and i > 0 and i < len(body) - 1 and out[len(out) - 1] != '[':
            out += '-'
            i += 1
        else:
            out += _literal(ch)
            i += 1
    return out + ']'


def _literal(ch):
    if '\\^$.|?*+()[]{}-#&~ '.find(ch) >= 0:
        return '\\' + ch
    return ch


def python_pattern(pattern):
    """The CPython translation of a checked pattern (used by the reference implementation)."""
    result = _parse(pattern)
    return result[0]
