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


def run(name, args_text):
    a = from_json(args_text)
    result = None
    if name == 'sha256_hex':
        result = sha256_hex(a[0])
    elif name == 'hmac_sha256_hex':
        result = hmac_sha256_hex(a[0], a[1])
    elif name == 'utf8_bytes':
        result = utf8_bytes(a[0])
    elif name == 'char_count':
        result = char_count(a[0])
    elif name == 'kind':
        result = kind(a[0])
    elif name == 'split_url':
        result = split_url(a[0])
    elif name == 'check_endpoint':
        result = check_endpoint(a[0])
    elif name == 'default_url_filter':
        result = default_url_filter(a[0])
    elif name == 'check_sendable_url':
        result = check_sendable_url(a[0])
    elif name == 'validate_attributes':
        result = validate_attributes(a[0], a[1])
    elif name == 'valid_key':
        result = valid_key(a[0])
    elif name == 'check_id':
        result = check_id(a[0], 'user ID')
    elif name == 'check_event_name':
        result = check_event_name(a[0])
    elif name == 'parse_init':
        result = parse_init(a[0], a[1])
    elif name == 'iso_utc':
        result = iso_utc(a[0])
    elif name == 'uuid4':
        result = uuid4(a[0])
    elif name == 'outcome':
        result = outcome(a[0])
    elif name == 'backoff_ms':
        result = backoff_ms(a[0], a[1])
    elif name == 'events_body':
        result = _events_body(a)
    return to_json(result)


def _events_body(a):
    # a: [token, sdk, user, hashed, [[type, seq, ms, id, fields], ...]]
    box = Outbox()
    for spec in a[4]:
        box.add(draft(spec[0], spec[1], spec[2], spec[3], spec[4]))
    box.promote(a[2], a[3])
    return body(a[0], a[1], box.next_batch())
