"""Back-to-back harness: the same dispatcher runs in CPython and, transpiled and bundled like
the shipped core, in V8 (mini-racer). Arguments and results cross as JSON text, so both sides
see the same inputs and are compared on the same outputs (STYLE.md, Transcrypt's autotests)."""

from userflow.attributes import validate_attributes, check_id, check_event_name, valid_key
from userflow.config import parse_init
from userflow.hashing import sha256_hex, hmac_sha256_hex, utf8_bytes
from userflow.outbox import Outbox
from userflow.payload import draft, body, iso_utc, uuid4
from userflow.retry import outcome, backoff_ms
from userflow.urls import split_url, check_endpoint, default_url_filter, check_sendable_url
from userflow.values import from_json, to_json, char_count, kind


def _events_body(token, sdk, user, hashed, specs):
    # specs: [[type, seq, ms, id, fields], ...]
    box = Outbox()
    for spec in specs:
        box.add(draft(spec[0], spec[1], spec[2], spec[3], spec[4]))
    box.promote(user, hashed)
    return body(token, sdk, box.next_batch())


def _outbox_bound(count):
    box = Outbox()
    for i in range(count):
        box.add(draft('track', i + 1, 0, str(i), {'name': 'e'}))
    box.promote('u', False)
    return [box.dropped, box.size(), box.next_batch()[0]['seq']]


CASES = {
    'sha256_hex': sha256_hex, 'hmac_sha256_hex': hmac_sha256_hex, 'utf8_bytes': utf8_bytes,
    'char_count': char_count, 'kind': kind, 'split_url': split_url,
    'check_endpoint': check_endpoint, 'default_url_filter': default_url_filter,
    'check_sendable_url': check_sendable_url, 'validate_attributes': validate_attributes,
    'valid_key': valid_key, 'check_id': lambda value: check_id(value, 'user ID'),
    'check_event_name': check_event_name, 'parse_init': parse_init, 'iso_utc': iso_utc,
    'uuid4': uuid4, 'outcome': outcome, 'backoff_ms': backoff_ms, 'events_body': _events_body,
    'outbox_bound': _outbox_bound,
}


def run(name, args_text):
    """JSON text of CASES[name](*args), args given as JSON text."""
    args = from_json(args_text)
    return to_json(CASES[name](*args))
