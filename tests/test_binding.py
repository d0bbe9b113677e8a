"""The audit's binding rules (sdk.audit.binding) on hand-made captures: what explains an event,
what does not, and the storage schemas. The same rules run on real captures in e2e/test_audit.py
(against a clean build, which passes, and leaky builds, which each fail by one rule)."""

import json
from dataclasses import dataclass, field

import jsonschema
import pytest

from sdk.audit.binding import Binder, hmac_hex, storage_problems
from sdk.collector import load_schema

TOKEN = 'tok_test'
NOW = 1_800_000_000_000


@dataclass
class FakeCapture:
    records: list = field(default_factory=list)
    content: dict = field(default_factory=dict)
    pinned: bool = False
    started: float = NOW
    ended: float = NOW + 5000

    @property
    def calls(self):
        return [(r['method'], r['args']) for r in self.records if r['kind'] == 'call']

    @property
    def visits(self):
        return [r['url'] for r in self.records if r['kind'] in ('load', 'visit')]

    @property
    def filtered(self):
        return []

    @property
    def page_clock(self):
        return (NOW, NOW + 5000)


def capture(*calls, visits=('https://app.example/users/8812/edit?tab=2',)):
    records = [{'kind': 'load', 'url': u} for u in visits]
    records += [{'kind': 'call', 'method': m, 'args': list(a)} for m, *a in calls]
    content = {
        'c': json.dumps(
            {
                'flows': [{'id': 'welcome', 'steps': [{'id': 'one'}]}],
                'checklists': [{'id': 'start', 'tasks': [{'id': 'a'}]}],
                'launchers': [{'id': 'help-save'}],
                'banners': [{'id': 'maintenance'}],
            }
        ).encode()
    }
    return FakeCapture(records=records, content=content)


def binder(*calls, level='standard', anonymous=()):
    return Binder(capture(('init', TOKEN, {'privacy': level}), *calls), '0.1.0', list(anonymous))


def event(type_, seq=1, **fields):
    return {
        'id': '00000000-0000-4000-8000-000000000001',
        'seq': seq,
        'type': type_,
        'ts': '2027-01-15T08:00:01.000Z',
        'user': hmac_hex(TOKEN, 'u-1'),
        'hashed': True,
        **fields,
    }


def rules(found):
    return sorted({rule for rule, _ in found})


def test_an_event_the_app_caused_is_explained_once():
    b = binder(('identify', 'u-1', {'plan': 'pro'}), ('track', 'saved', {'n': 2}))
    assert b.event(event('identify', attributes={'plan': 'pro'})) == []
    assert b.event(event('track', 2, name='saved', attributes={'n': 2})) == []
    # one call, one event: a second copy under another id is unbound
    assert rules(b.event(event('track', 3, name='saved', attributes={'n': 2}))) == ['events-unbound']


def test_an_attribute_may_be_dropped_never_added_or_changed():
    b = binder(('identify', 'u-1', {'plan': 'pro', 'seats': 3}))
    assert b.event(event('identify', attributes={'plan': 'pro'}), consume=False) == []
    added = event('identify', attributes={'plan': 'pro', 'x': '1f'})
    assert rules(b.event(added, False)) == ['events-attributes']
    assert rules(b.event(event('identify', attributes={'plan': 'pr0'}), False)) == ['events-attributes']


@pytest.mark.parametrize(
    'change,rule',
    [
        ({'user': 'f' * 64}, 'events-user'),
        ({'ts': '2001-01-01T00:00:00.000Z'}, 'events-ts'),
        ({'type': 'track', 'name': 'never_tracked'}, 'events-unbound'),
        ({'type': 'page', 'url': 'https://app.example/users/8812/edit'}, 'events-page'),
        ({'type': 'flow', 'flow': 'welcome', 'action': 'started'}, 'events-flow'),
        ({'type': 'group', 'group': 'ab' * 32}, 'events-group'),
    ],
)
def test_each_field_nothing_explains_is_named(change, rule):
    b = binder(('identify', 'u-1', {}))
    assert rule in rules(b.event({**event('identify'), **change}))


def test_page_urls_are_the_default_filters_output_of_a_visited_url():
    b = binder(('identify', 'u-1', {}))
    assert b.event(event('page', url='https://app.example/users/:id/edit')) == []


def test_flow_events_only_at_analytics_with_ids_from_the_content():
    b = binder(('identify', 'u-1', {}), level='analytics')
    assert b.event(event('flow', flow='welcome', step='one', action='stepSeen')) == []
    assert rules(b.event(event('flow', flow='welcome', step='zz', action='stepSeen'))) == ['events-flow']


def test_envelope_and_sequence():
    b = binder(('identify', 'u-1', {}))
    assert b.body({'token': TOKEN, 'sdk': '0.1.0'}) == []
    assert len(b.body({'token': 'tok_other', 'sdk': '0.1.97'})) == 2
    assert b.sequence([event('identify', 1), event('identify', 2)], 1) == []
    assert b.sequence([event('identify', 1), event('identify', 40)], 1)  # a gap is data
    assert b.sequence([event('identify', 1), event('identify', 1)], 1)  # one load, one seq 1


def test_hashed_ids_and_derived_ids():
    b = binder(('identify', 'A' * 64, {}, {'hashed': True}))
    assert b.event({**event('identify'), 'user': 'a' * 64}) == []


def test_storage_schemas():
    b = binder(('identify', 'u-1', {}), ('track', 'saved', {}))
    schema = load_schema()
    events = jsonschema.Draft202012Validator(
        {**schema, '$ref': '#/$defs/event', 'required': [], 'properties': {}, 'additionalProperties': True}
    )
    contents = b_contents()
    assert storage_problems('uf:anon', '0' * 32, b, contents, events) == []
    assert storage_problems('uf:anon', 'x' * 40, b, contents, events)
    assert storage_problems('uf:events', '["saved"]', b, contents, events) == []
    assert storage_problems('uf:events', '["1f2e"]', b, contents, events)
    state = {
        'active': {'flow': 'welcome', 'step': 'one'},
        'seen': ['welcome'],
        'completed': [],
        'tasks': ['start\na'],
        'closed': ['start'],
        'dismissed': ['launcher:help-save', 'banner:maintenance'],
    }
    assert storage_problems('uf:flows', json.dumps(state), b, contents, events) == []
    assert storage_problems('uf:flows', json.dumps({**state, 'seen': ['1f2e']}), b, contents, events)
    assert storage_problems('uf:flows', json.dumps({**state, 'x': 1}), b, contents, events)
    strange = {**state, 'dismissed': ['banner:secret']}
    assert storage_problems('uf:flows', json.dumps(strange), b, contents, events)
    queue = {'ready': [event('identify')]}
    assert storage_problems('uf:q:0123456789abcdef', json.dumps(queue), b, contents, events) == []
    queue = {'ready': [event('track', name='never')]}
    assert storage_problems('uf:q:0123456789abcdef', json.dumps(queue), b, contents, events)
    assert storage_problems('uf:cfg', 'anything', b, contents, events)


def b_contents():
    return capture().content.values()


def test_every_anonymous_id_the_sdk_stored_and_content_the_app_loaded_explain_events():
    """reset() removes uf:anon and the next identifyAnonymous() draws another: each one the SDK
    stored binds its user; flows the app gave to loadContent are content like fetched flows."""
    first, second = 'a' * 32, 'b' * 32
    b = binder(
        ('identifyAnonymous', {}),
        ('loadContent', {'version': 1, 'flows': [{'id': 'app-tour', 'steps': [{'id': 's'}]}]}),
        anonymous=[first, second],
    )
    for anon in (first, second):
        found = b.event({'type': 'identify', 'user': hmac_hex(TOKEN, anon)})
        assert not [rule for rule, _ in found if rule == 'events-user']
    stranger = b.event({'type': 'identify', 'user': hmac_hex(TOKEN, 'c' * 32)})
    assert any(rule == 'events-user' for rule, _ in stranger)
    assert set(b.flows) == {'welcome', 'app-tour'}
