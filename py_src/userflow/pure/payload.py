"""Every byte that leaves the browser is built here, from an allowlist (SPEC §7).

An event starts as a draft (what the app asked for, with its time, id and sequence number) and
becomes a wire event only in `finalize`, once the user is known: fields are copied by name from
the allowlist for its type, so nothing that is not listed can ever reach the wire.
"""

from userflow.pure.values import new_map, map_keys, map_get, kind

WIRE_VERSION = 1
BATCH_LIMIT = 50
# Wire order of the event fields, and which optional ones each type may carry.
_FIELDS = [
    'id',
    'seq',
    'ts',
    'type',
    'user',
    'hashed',
    'signature',
    'group',
    'name',
    'attributes',
    'url',
    'flow',
    'step',
    'action',
]
_OPTIONAL = {
    'identify': ['signature', 'attributes'],
    'group': ['signature', 'group', 'attributes'],
    'track': ['name', 'attributes'],
    'page': ['url'],
    'flow': ['flow', 'step', 'action'],
}
_REQUIRED = {
    'identify': [],
    'group': ['group'],
    'track': ['name'],
    'page': ['url'],
    'flow': ['flow', 'action'],
}
FLOW_ACTIONS = ['started', 'stepSeen', 'completed', 'dismissed']
_HEX = '0123456789abcdef'


def iso_utc(ms):
    """ISO-8601 UTC text with milliseconds for a time in ms since the epoch (Date.now())."""
    ms = ms // 1
    days = ms // 86400000
    rest = ms - days * 86400000
    # Civil date from days since 1970-01-01 (H. Hinnant's algorithm), in floor arithmetic.
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return (
        _pad(year, 4)
        + '-'
        + _pad(month, 2)
        + '-'
        + _pad(day, 2)
        + 'T'
        + _pad(rest // 3600000, 2)
        + ':'
        + _pad((rest // 60000) % 60, 2)
        + ':'
        + _pad((rest // 1000) % 60, 2)
        + '.'
        + _pad(rest % 1000, 3)
        + 'Z'
    )


def _pad(n, width):
    text = str(int(n))
    while len(text) < width:
        text = '0' + text
    return text


def uuid4(random_bytes):
    """An RFC 4122 version-4 UUID from 16 random byte values."""
    b = [x % 256 for x in random_bytes[:16]]
    b[6] = (b[6] % 16) + 0x40
    b[8] = (b[8] % 64) + 0x80
    text = ''.join([_HEX[x // 16] + _HEX[x % 16] for x in b])
    return text[:8] + '-' + text[8:12] + '-' + text[12:16] + '-' + text[16:20] + '-' + text[20:32]


def draft(event_type, seq, ms, event_id, fields):
    """A draft event: its type, identity on the wire, time, and the fields the caller gave."""
    return {'type': event_type, 'seq': seq, 'ts': iso_utc(ms), 'id': event_id, 'fields': fields}


def finalize(d, user, hashed):
    """The wire event for draft `d` under `user`: allowlisted fields only, in wire order.
    Raises ValueError when a field the type requires is missing (a bug, not user input)."""
    event_type = d['type']
    optional = _OPTIONAL[event_type]
    fields = d['fields']
    for name in _REQUIRED[event_type]:
        if map_get(fields, name) is None:
            raise ValueError(event_type + ' event without ' + name)
    values = {
        'id': d['id'],
        'seq': d['seq'],
        'ts': d['ts'],
        'type': event_type,
        'user': user,
        'hashed': hashed,
    }
    event = new_map()
    for name in _FIELDS:
        if map_get(values, name) is not None:
            event[name] = values[name]
        elif _contains(optional, name):
            value = map_get(fields, name)
            if name == 'attributes' and value is not None:
                value = _copy_attributes(value)
                if len(map_keys(value)) == 0:
                    value = None
            if value is not None:
                event[name] = value
    return event


def _contains(items, item):
    for x in items:
        if x == item:
            return True
    return False


def _copy_attributes(attributes):
    out = new_map()
    for key in map_keys(attributes):
        value = attributes[key]
        out[key] = [x for x in value] if kind(value) == 'list' else value
    return out


def body(token, sdk_version, events):
    """The POST /v1/events body for one batch (at most BATCH_LIMIT events)."""
    out = new_map()
    out['v'] = WIRE_VERSION
    out['token'] = token
    out['sdk'] = sdk_version
    out['batch'] = [e for e in events]
    return out
