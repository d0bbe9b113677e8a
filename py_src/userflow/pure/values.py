"""Values as the pure modules see them, the same under CPython and Transcrypt.

Maps whose keys come from outside (attributes, payloads) are plain dicts in CPython and
null-prototype JS objects in the SDK realm: a Transcrypt dict breaks when a key is named like
one of its methods (`items`, `py_keys`, ...), and a `__proto__` key on an ordinary object would
set its prototype. `kind()` classifies a value without relying on `isinstance`, which cannot
tell numbers apart in JS nor recognise arrays made in another realm.
"""

# In the SDK realm (what Transcrypt compiles). Under CPython the block after these replaces
# them: Transcrypt skips it, CPython runs it.


def new_map():
    return Object.create(None)


def map_keys(m):
    return [k for k in Object.js_keys(m)]


def has_key(m, k):
    return Object.prototype.hasOwnProperty.call(m, k)


def map_get(m, k):
    if Object.prototype.hasOwnProperty.call(m, k):
        return m[k]
    return None


def kind(v):
    t = __pragma__('js', '{}', 'typeof v')
    if v == None:  # noqa: E711 -- true for both null and undefined
        return 'null'
    if t == 'boolean':
        return 'bool'
    if t == 'number':
        return 'num'
    if t == 'string':
        return 'str'
    if t == 'function':
        return 'fn'
    if t != 'object':
        return 'other'
    if Array.isArray(v):
        return 'list'
    if Object.getPrototypeOf(v) is None:
        return 'map'
    return 'other'


def to_json(v):
    return JSON.stringify(v)


def from_json(s):
    return import_value(JSON.parse(s))


def import_value(v):
    return _import(v, 0)


def _import(v, depth):
    # Copies a value made anywhere (the host realm, JSON.parse) into this realm's lists and
    # null-prototype maps; functions pass through; anything else becomes a marker that
    # validation rejects by kind. Getters that throw reject the value the same way.
    t = __pragma__('js', '{}', 'typeof v')
    if v == None:  # noqa: E711
        return None
    if t == 'string' or t == 'number' or t == 'boolean' or t == 'function':
        return v
    if t != 'object' or depth > 16:
        return _Unsupported()
    try:
        if Array.isArray(v):
            return [_import(x, depth + 1) for x in Array.prototype.slice.call(v)]
        proto = Object.getPrototypeOf(v)
        if proto is not None and Object.getPrototypeOf(proto) is not None:
            return _Unsupported()
        out = Object.create(None)
        for k in Object.js_keys(v):
            x = v[k]
            if __pragma__('js', '{}', 'typeof x') != 'undefined':
                out[k] = _import(x, depth + 1)
        return out
    except:
        return _Unsupported()


class _Unsupported:
    pass


# __pragma__ ('skip')
# Under CPython: plain dicts, isinstance and the json module.
import json  # noqa: E402


def new_map():
    return {}


def map_keys(m):
    # In JS property order: integer-like keys first, ascending, then insertion order
    # (TRANSCRYPT.md §4). Mirrored here so both sides visit keys, and report errors, alike.
    index = [k for k in m.keys() if _is_index(k)]
    index.sort(key=int)
    index.extend([k for k in m.keys() if not _is_index(k)])
    return index


def _is_index(k):
    return (
        isinstance(k, str)
        and k.isascii()
        and k.isdigit()
        and (k == '0' or k[0] != '0')
        and int(k) < 4294967295
    )


def has_key(m, k):
    return k in m


def map_get(m, k):
    return m.get(k)


def kind(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'bool'
    if isinstance(v, (int, float)):
        return 'num'
    if isinstance(v, str):
        return 'str'
    if isinstance(v, (list, tuple)):
        return 'list'
    if isinstance(v, dict):
        return 'map'
    if callable(v):
        return 'fn'
    return 'other'


def to_json(v):
    return json.dumps(v, separators=(',', ':'), ensure_ascii=False)


def from_json(s):
    return json.loads(s)


def import_value(v):
    return v


# __pragma__ ('noskip')


def char_count(s):
    """Unicode code points in `s` (what JSON Schema's maxLength counts), on both sides:
    JS strings are UTF-16, so a surrogate pair counts once."""
    n = len(s)
    count = n
    i = 1
    while i < n:
        c = ord(s[i])
        if 0xDC00 <= c <= 0xDFFF:
            p = ord(s[i - 1])
            if 0xD800 <= p <= 0xDBFF:
                count -= 1
                i += 1
        i += 1
    return count


def is_finite_number(v):
    # NaN and the infinities are not JSON; `v - v` is 0 only for finite numbers on both sides.
    return kind(v) == 'num' and v - v == 0


_HEX = '0123456789abcdef'


def to_hex(data):
    """Lower-case hex of a list of byte values."""
    return ''.join([_HEX[b // 16] + _HEX[b % 16] for b in data])


def least(a, b):
    """min(a, b) of two numbers, as CPython decides it (b only when b < a), without Transcrypt's
    min/max, which take any iterable and weigh about 0.3 KB in the core."""
    return b if b < a else a


def most(a, b):
    """max(a, b) of two numbers, as CPython decides it (b only when b > a)."""
    return b if b > a else a
