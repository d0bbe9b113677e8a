"""Payloads are built from an allowlist and always match the wire schema (SPEC §7)."""

import datetime
import json
import re

import jsonschema
from hypothesis import given, strategies as st

from sdk.collector import load_schema
from userflow.pure.outbox import Outbox
from userflow.pure.payload import draft, finalize, body, iso_utc, uuid4

VALIDATOR = jsonschema.Draft202012Validator(load_schema())
HEX = 'a' * 64


def test_iso_utc_formats_milliseconds_since_the_epoch():
    assert iso_utc(0) == '1970-01-01T00:00:00.000Z'
    assert iso_utc(951782400000) == '2000-02-29T00:00:00.000Z'
    assert iso_utc(1764374400123) == '2025-11-29T00:00:00.123Z'


@given(st.integers(min_value=0, max_value=253402300799999))
def test_iso_utc_agrees_with_datetime(ms):
    expected = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    text = iso_utc(ms)
    assert text[:19] == expected.strftime('%Y-%m-%dT%H:%M:%S').rjust(19, '0')
    assert text.endswith('.' + str(ms % 1000).rjust(3, '0') + 'Z')


@given(st.lists(st.integers(0, 255), min_size=16, max_size=16))
def test_uuid4_is_a_version_4_variant_1_uuid(data):
    assert re.fullmatch(r'[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}', uuid4(data))


def test_finalize_copies_only_allowlisted_fields_for_the_type():
    fields = {
        'name': 'clicked',
        'attributes': {'a': 1},
        'url': 'https://x/',
        'flow': 'f',
        'secret': 'input value',
        'group': 'g',
    }
    event = finalize(draft('track', 1, 0, 'id', fields), HEX, True)
    assert list(event) == ['id', 'seq', 'ts', 'type', 'user', 'hashed', 'name', 'attributes']
    page = finalize(draft('page', 2, 0, 'id', fields), HEX, True)
    assert 'attributes' not in page and page['url'] == 'https://x/'


def test_empty_attributes_are_left_out():
    event = finalize(draft('identify', 1, 0, 'id', {'attributes': {}}), HEX, True)
    assert 'attributes' not in event


def test_a_missing_required_field_is_a_bug_not_a_silent_event():
    try:
        finalize(draft('group', 1, 0, 'id', {}), HEX, True)
    except ValueError as error:
        assert 'group event without group' in str(error)
    else:
        raise AssertionError('expected ValueError')


scalars = st.one_of(
    st.text(max_size=40),
    st.integers(-(2**53), 2**53),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
)
attributes = st.dictionaries(
    st.from_regex(r'[A-Za-z_][A-Za-z0-9_.-]{0,10}', fullmatch=True),
    st.one_of(scalars, st.lists(scalars, max_size=3)),
    max_size=5,
)
events = st.one_of(
    st.builds(
        lambda a, s: ('identify', {'attributes': a, 'signature': s}),
        attributes,
        st.none() | st.text(max_size=20),
    ),
    st.builds(
        lambda n, a: ('track', {'name': n, 'attributes': a}), st.text(min_size=1, max_size=20), attributes
    ),
    st.builds(lambda g, a: ('group', {'group': g, 'attributes': a}), st.just(HEX), attributes),
    st.builds(lambda u: ('page', {'url': u}), st.text(max_size=60)),
    st.builds(
        lambda f, s, a: ('flow', {'flow': f, 'step': s, 'action': a}),
        st.text(min_size=1, max_size=10),
        st.none() | st.text(min_size=1, max_size=10),
        st.sampled_from(['started', 'stepSeen', 'completed', 'dismissed']),
    ),
)


@given(st.lists(events, min_size=1, max_size=50), st.integers(0, 4102444800000))
def test_every_batch_validates_against_the_wire_schema(specs, ms):
    box = Outbox()
    for seq, (kind, fields) in enumerate(specs, 1):
        box.add(draft(kind, seq, ms, uuid4(list(range(16))), fields))
    box.promote(HEX, True)
    document = json.loads(json.dumps(body('tok_1', '0.1.0', box.next_batch())))
    VALIDATOR.validate(document)
