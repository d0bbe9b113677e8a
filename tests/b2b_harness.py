"""Back-to-back harness: the same dispatcher runs in CPython and, transpiled and bundled like
the shipped core, in V8 (mini-racer). Arguments and results cross as JSON text, so both sides
see the same inputs and are compared on the same outputs (STYLE.md, Transcrypt's autotests)."""

from userflow.pure.attributes import validate_attributes, check_id, check_event_name, valid_key
from userflow.pure.config import parse_init
from userflow.pure.hashing import sha256_hex, hmac_sha256_hex, utf8_bytes
from userflow.pure.outbox import Outbox
from userflow.pure.payload import draft, body, iso_utc, uuid4
from userflow.pure.retry import outcome, backoff_ms, retry_after_ms
from userflow.pure.urls import (
    split_url,
    check_endpoint,
    default_url_filter,
    check_sendable_url,
    identifier_like,
)
from userflow.pure.attributes import OPERATIONS, check_derived_id, guessable_id
from userflow.pure.config import sendable
from userflow.pure.values import from_json, to_json, char_count, kind, map_get, has_key
from userflow.pure.conditions import evaluate
from userflow.pure.content import use_pattern_checker, validate
from userflow.pure.flows import FlowRuntime
from userflow.pure.patterns import accept, test_text, test_url, glob_match
from userflow.pure.safe_patterns import check_pattern
from userflow.pure.position import place, beacon_spot, spotlight
from userflow.pure.links import text_links
from userflow.pure.session import Session
from userflow.pure.locales import chain, pick, right_to_left, valid_tag
from userflow.pure.bodies import images, marked, problems as markup_problems
from userflow.pure.richtext import parse as parse_markup, plain
from userflow.pure.affects import key, stale, traits, untouched_stale


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


class SnapshotPage:
    """A page as a JSON snapshot: {'url', 'elements': {selector: [facts]}, 'inputs':
    {selector: value}, 'attributes': {...}, 'events': [...], 'flows': {'active': [...],
    'completed': [...], 'seen': [...]}}."""

    def __init__(self, snapshot):
        self.snapshot = snapshot

    def elements(self, selector):
        return map_get(self.snapshot['elements'], selector) or []

    def fact(self, element, name):
        return element[name]

    def remember(self, leaf, compute):
        return compute()

    def input_value(self, selector):
        return map_get(self.snapshot['inputs'], selector)

    def url(self):
        return self.snapshot['url']

    def attribute(self, name):
        attributes = self.snapshot['attributes']
        return {'known': has_key(attributes, name), 'value': map_get(attributes, name)}

    def tracked(self, name):
        return len([e for e in self.snapshot['events'] if e == name]) > 0

    def flow_state(self, flow_id, state):
        return len([f for f in self.snapshot['flows'][state] if f == flow_id]) > 0


# As the SDK does once the patterns chunk has loaded (CPython has the checker already).
use_pattern_checker(check_pattern)


def _slice(value, start, stop):
    """Slicing as the SDK writes it (no step): Transcrypt's runtime rewritten by prune.py."""
    return [value[start:stop], value[start:], value[:stop]]


class _Refused(Exception):
    def __init__(self, path, message):
        super().__init__(path + ': ' + message)


def _raised(message):
    """What `str` makes of exceptions as the SDK raises them (one message; check_subset refuses
    more) and of the numbers and strings it names in messages: prune.py's `str`, with no repr."""
    said = []
    try:
        raise ValueError(message)
    except ValueError as error:
        said.append(str(error))
    try:
        raise _Refused('$.flows[0]', message)
    except Exception as error:  # noqa: BLE001
        said.append(str(error))
    try:
        raise Exception()
    except Exception as error:  # noqa: BLE001
        said.append(str(error))
    for value in [message, 0, -7, 42, 1000000, 2147483648, 9007199254740991]:
        said.append(str(value))
    return said


def _check_pattern(pattern):
    """The checker as content validation uses it: a pattern it finds safe may run."""
    problem = check_pattern(pattern)
    if problem is None:
        accept(pattern)
    return problem


def _evaluate(condition, snapshot):
    # Validated as content first (its safe patterns may run then), as in the SDK; through JSON,
    # as content arrives (a literal here is a plain object in the SDK realm, not a map).
    task = {'id': 't', 'title': 't', 'completeWhen': condition}
    validate(from_json(to_json({'version': 1, 'checklists': [{'id': 'c', 'tasks': [task]}]})))
    return evaluate(condition, SnapshotPage(snapshot))


def _validate(content):
    checked = validate(content)
    return {
        'flows': [f['id'] for f in checked['flows']],
        'checklists': [c['id'] for c in checked['checklists']],
        'errors': checked['errors'],
    }


def _run_flows(content, script, answers):
    """Drive a FlowRuntime: script is a list of [op, arg]; evaluate answers conditions by
    their JSON text from `answers` (a map), default False. Returns every effect and the state."""
    checked = validate(content)
    runtime = FlowRuntime(None)
    runtime.load(checked['flows'], checked['checklists'], checked)
    effects = []
    for item in script:
        op = item[0]
        if op == 'start':
            effects.append(runtime.start(item[1], item[2]))
        elif op == 'act':
            effects.append(runtime.act(item[1]))
        elif op == 'evaluate':
            effects.append(runtime.evaluate(lambda c: map_get(answers, to_json(c)) is True))
        elif op == 'evaluate_skipping_tasks':  # the binding knows no task's answer changed
            effects.append(runtime.evaluate(lambda c: map_get(answers, to_json(c)) is True, False))
        elif op == 'end_all':
            effects.append(runtime.end_all())
        elif op == 'close':
            effects.append(runtime.close_checklist(item[1]))
        elif op == 'page':
            runtime.page_changed()
        elif op == 'dismiss':
            effects.append(runtime.dismiss(item[1]))
        elif op == 'center':
            effects.append(runtime.open_center(item[1]))
    showing = runtime.showing
    shown = [
        [x['id'] for x in showing['launchers']],
        [x['id'] for x in showing['banners']],
        showing['center'],
    ]
    return {'effects': effects, 'state': runtime.state, 'shown': shown, 'center': runtime.center_state()}


def _outbox_cycle(count, in_flight, limit_each):
    """A page dies with `in_flight` batches unacknowledged; the next page restores them and
    bounds the queue by size (each event measured as `limit_each` characters)."""
    old = Outbox()
    for i in range(count):
        old.add(draft('track', i + 1, 0, str(i), {'name': 'e' + str(i)}))
    old.promote('u', True)
    for _ in range(in_flight):
        old.next_batch()
    saved = from_json(to_json(old.unsent()))
    new = Outbox()
    new.add(draft('page', 1, 0, 'p', {'url': 'https://x/'}))
    new.restore(saved)
    dropped = new.bound_bytes(lambda item: limit_each)
    return {'dropped': dropped, 'ready': [e['seq'] for e in new.ready], 'drafts': len(new.drafts)}


def _run_session(script):
    """Drive a Session: script is a list of [method, href, now, *arguments]. Returns each
    call's effects, events numbered as the host numbers them (`draft`), and the final state."""
    session = Session()
    results = []
    for item in script:
        at = {'href': item[1], 'now': item[2]}
        effects = getattr(session, item[0])(at, *item[3:])
        for effect in effects:
            if effect['kind'] == 'event':
                effect['draft'] = session.draft(effect['type'], effect['fields'], effect['stamp'], 'id')
        results.append(effects)
    state = {'identified': session.identified, 'seq': session.seq, 'known': session.known_attributes}
    return {'results': results, 'state': state}


def _locale_pick(asked, default, text):
    tags = chain(asked, default)
    return [valid_tag(default), tags, pick(text, tags), right_to_left(tags)]


CASES = {
    'sha256_hex': sha256_hex,
    'hmac_sha256_hex': hmac_sha256_hex,
    'utf8_bytes': utf8_bytes,
    'char_count': char_count,
    'kind': kind,
    'split_url': split_url,
    'check_endpoint': check_endpoint,
    'default_url_filter': default_url_filter,
    'check_sendable_url': check_sendable_url,
    'identifier_like': identifier_like,
    'check_derived_id': check_derived_id,
    'guessable_id': guessable_id,
    'sendable': lambda level, event_type: sendable({'privacy': level}, event_type),
    'validate_attributes': lambda attrs, allowed: validate_attributes(attrs, allowed, OPERATIONS),
    'valid_key': valid_key,
    'check_id': lambda value: check_id(value, 'user ID'),
    'check_event_name': check_event_name,
    'parse_init': parse_init,
    'iso_utc': iso_utc,
    'uuid4': uuid4,
    'outcome': outcome,
    'backoff_ms': backoff_ms,
    'events_body': _events_body,
    'outbox_bound': _outbox_bound,
    'check_pattern': _check_pattern,
    'test_text': test_text,
    'test_url': test_url,
    'glob_match': glob_match,
    'evaluate': _evaluate,
    'slice': _slice,
    'raised': _raised,
    'validate': _validate,
    'run_flows': _run_flows,
    'retry_after_ms': retry_after_ms,
    'outbox_cycle': _outbox_cycle,
    'place': place,
    'spotlight': spotlight,
    'beacon_spot': beacon_spot,
    'text_links': text_links,
    'run_session': _run_session,
    'locale_pick': _locale_pick,
    'markup': lambda text: [
        parse_markup(text),
        plain(text),
        markup_problems(text),
        images(text),
        marked(text),
    ],
    'stale': lambda leaf, change, custom: (
        [stale(leaf, change, custom), traits(map_get(leaf, 'input') or leaf['element'])]
        if map_get(leaf, 'input') is not None or map_get(leaf, 'element') is not None
        else [stale(leaf, change, custom)]
    ),
    'untouched_stale': untouched_stale,
    'selector_key': key,
}


def run(name, args_text):
    """JSON text of CASES[name](*args), args given as JSON text."""
    args = from_json(args_text)
    return to_json(CASES[name](*args))
