"""Validation of everything an app passes explicitly: attributes, IDs, event names (SPEC §5).

A call that breaks a rule is refused as a whole: the functions return an error message naming
the offending key and never a partial result.
"""

from userflow.pure.values import char_count, has_key, is_finite_number, kind, map_keys, new_map

MAX_KEYS = 100
MAX_KEY_LEN = 64
MAX_STRING = 1024
MAX_LIST = 100
MAX_ID = 256
MAX_NAME = 128
_FIRST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'
# Attribute operations, as Userflow.js (the collector applies them to the stored profile).
OPERATIONS = ['set', 'set_once', 'append', 'prepend', 'remove', 'add', 'subtract', 'unset']
EVENT_OPERATIONS = ['set']  # track's attributes describe the event: nothing to add to
DATA_TYPES = ['string', 'boolean', 'number', 'datetime', 'list']
_REST = _FIRST + '0123456789.-'


def valid_key(key):
    """`^[A-Za-z_][A-Za-z0-9_.-]{0,63}$`"""
    if kind(key) != 'str' or len(key) == 0 or len(key) > MAX_KEY_LEN:
        return False
    if _FIRST.find(key[0]) < 0:
        return False
    for ch in key:
        if _REST.find(ch) < 0:
            return False
    return True


def _scalar_error(value, where):
    k = kind(value)
    if k == 'str':
        if len(value) > MAX_STRING and char_count(value) > MAX_STRING:
            return where + ' is longer than ' + str(MAX_STRING) + ' characters'
        return None
    if k == 'num':
        if not is_finite_number(value):
            return where + ' is not a finite number'
        return None
    if k == 'bool' or k == 'null':
        return None
    return where + ' must be a string, number, boolean or null (got ' + k + ')'


def _value_error(value, where, operations):
    if kind(value) == 'map':
        return _operation_error(value, where, operations)
    if kind(value) != 'list':
        return _scalar_error(value, where)
    if len(value) > MAX_LIST:
        return where + ' has more than ' + str(MAX_LIST) + ' items'
    for i in range(len(value)):
        error = _scalar_error(value[i], where + '[' + str(i) + ']')
        if error is not None:
            return error
    return None


def _operation_error(value, where, operations):
    """`{op: value}` with one op of `operations`, plus an optional `data_type` hint."""
    ops = [k for k in map_keys(value) if k != 'data_type']
    if len(ops) != 1 or not _listed(operations, ops[0]):
        return where + ' must be a value or one operation {' + '|'.join(operations) + ': value}'
    hint = value['data_type'] if has_key(value, 'data_type') else None
    if hint is not None and not _listed(DATA_TYPES, hint):
        return where + '.data_type must be one of ' + ', '.join(DATA_TYPES)
    op = ops[0]
    if op == 'unset':
        return None if value[op] is True else where + '.unset must be true'
    if op == 'add' or op == 'subtract':
        return None if is_finite_number(value[op]) else where + '.' + op + ' must be a finite number'
    if kind(value[op]) == 'map':
        return where + '.' + op + ' must be a value, not an object'
    return _value_error(value[op], where + '.' + op, operations)


def _clean_value(value):
    # A copy: a list or an operation without its data_type hint (the wire has no such field).
    if kind(value) == 'list':
        return [x for x in value]
    if kind(value) == 'map':
        op = [k for k in map_keys(value) if k != 'data_type'][0]
        out = new_map()
        out[op] = _clean_value(value[op])
        return out
    return value


def validate_attributes(attributes, allowed, operations):
    """Check an attributes map. `allowed` is None or a list of keys to keep; `operations` the
    attribute operations the call accepts.

    Returns {'error': message or None, 'attributes': clean map or None, 'dropped': [keys]}.
    Keys outside `allowed` are dropped (the caller warns); any rule broken rejects everything.
    """
    if attributes is None:
        return {'error': None, 'attributes': new_map(), 'dropped': []}
    if kind(attributes) != 'map':
        return _refused('attributes must be a plain object (got ' + kind(attributes) + ')')
    keys = map_keys(attributes)
    if len(keys) > MAX_KEYS:
        return _refused('attributes have ' + str(len(keys)) + ' keys; at most ' + str(MAX_KEYS))
    for key in keys:
        if not valid_key(key):
            return _refused(
                'attribute key "' + _preview(key) + '" does not match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$'
            )
        error = _value_error(attributes[key], 'attribute "' + key + '"', operations)
        if error is not None:
            return _refused(error)
    clean = new_map()
    dropped = []
    for key in keys:
        if allowed is not None and not _listed(allowed, key):
            dropped.append(key)
            continue
        clean[key] = _clean_value(attributes[key])
    return {'error': None, 'attributes': clean, 'dropped': dropped}


def _listed(items, key):
    for item in items:
        if item == key:
            return True
    return False


def _refused(message):
    return {'error': message, 'attributes': None, 'dropped': []}


def _preview(text):
    # The first 40 code points: `for` walks code points on both sides, where slicing a JS
    # string could split a surrogate pair.
    out = ''
    count = 0
    for ch in text:
        if count == 40:
            return out + '...'
        out += ch
        count += 1
    return out


def check_id(value, what):
    """A user or group ID: a non-empty string of at most 256 characters, or a finite integer
    (sent as its decimal text). Returns {'id': text or None, 'error': message or None}."""
    k = kind(value)
    if k == 'num' and is_finite_number(value) and value == value // 1 and abs(value) < 2**53:
        return {'id': _int_text(value), 'error': None}
    if k != 'str':
        return {'id': None, 'error': what + ' must be a non-empty string (got ' + k + ')'}
    if len(value) == 0 or char_count(value) > MAX_ID:
        return {'id': None, 'error': what + ' must have 1 to ' + str(MAX_ID) + ' characters'}
    return {'id': value, 'error': None}


def _int_text(value):
    # str() of a JS number can print 1e+21 style text; integers below 2**53 are built by hand.
    n = abs(value)
    digits = ''
    while n >= 10:
        digit = n % 10
        digits = '0123456789'[int(digit)] + digits
        n = (n - digit) // 10
    digits = '0123456789'[int(n)] + digits
    if value < 0:
        return '-' + digits
    return digits


def check_event_name(name):
    """A track event name: a non-empty string of at most 128 characters."""
    if kind(name) != 'str' or len(name) == 0 or char_count(name) > MAX_NAME:
        return 'event name must be a string of 1 to ' + str(MAX_NAME) + ' characters'
    return None


def check_derived_id(value):
    """An ID the customer's server already derived with a secret (`identify(id, attrs,
    {hashed: true})`): 64 hex digits, sent as is (lower-cased). Returns {'id', 'error'}."""
    refused = {'id': None, 'error': 'a hashed user ID must be 64 hex digits (HMAC-SHA256, hex)'}
    if kind(value) != 'str' or len(value) != 64:
        return refused
    lowered = value.lower()
    for ch in lowered:
        if '0123456789abcdef'.find(ch) < 0:
            return refused
    return {'id': lowered, 'error': None}


def guessable_id(text):
    """Whether an ID comes from a small space anyone can enumerate: digits only (an account
    number) or an e-mail address. Its HMAC, keyed with the public token, can be reversed by
    trying them all."""
    if text.find('@') > 0 and text.rfind('.') > text.find('@'):
        return True
    if len(text) == 0:
        return False
    for ch in text:
        if '0123456789'.find(ch) < 0:
            return False
    return True


def check_signature(signature):
    if signature is None:
        return None
    if kind(signature) != 'str' or char_count(signature) > MAX_ID:
        return 'signature must be a string of at most ' + str(MAX_ID) + ' characters'
    return None
