"""Events bound to their causes (issue 13): an events body passes only when every field of every
event is explained by something the app did, not merely because it fits the wire schema and no
canary was found in it (a canary search cannot list every encoding).

What explains what:
- `token`: the token the app passed to `init`; `sdk`: the build's version (its manifest);
- `user`: HMAC-SHA256(token, ID) of an ID the app passed to `identify` (or the ID itself with
  `{hashed: true}`), or of the anonymous ID the SDK keeps under `uf:anon`; `group` likewise;
- `seq`: contiguous from 1 (a gap is data, or events the audit never saw); `ts`: within the run;
- `identify`/`group`/`track` events: one each per recorded call (`identify`, `identifyAnonymous`,
  `updateUser`; `group`, `updateGroup`; `track`), with the name, attribute keys and values
  equal to the call's (an attribute may be dropped, never added or changed);
- `page` events: the URL the default filter (the SDK's own `urls.py`, run here in CPython) or
  the app's own `urlFilter` made of a URL the top frame was at;
- `flow` events: only at the `analytics` level, with flow and step IDs that are in the content.

The same rules hold the queue the SDK keeps in storage (`uf:q:<tab>`), and a schema per storage
key (`STORAGE_KEYS`) holds everything else under `uf:`.
"""

import hashlib
import hmac
import json
import re
import sys
from datetime import datetime

from sdk import PY_SRC

IDENTIFY = ('identify', 'identifyAnonymous', 'updateUser')
GROUP = ('group', 'updateGroup')
SLACK_MS = 2000  # clock skew between this process and the browser


def hmac_hex(token: str, value: str) -> str:
    return hmac.new(token.encode(), value.encode(), hashlib.sha256).hexdigest()


def default_url_filter(url: str):
    """The SDK's own default filter (py_src/userflow/pure/urls.py), imported in CPython."""
    if str(PY_SRC) not in sys.path:
        sys.path.append(str(PY_SRC))
    from userflow.pure.urls import default_url_filter as sdk_filter

    return sdk_filter(url)


class Binder:
    """Everything a run's events and storage may be explained by, and the checks."""

    def __init__(self, capture, version: str | None, anon: list):
        self.calls = capture.calls
        self.inits = [args for method, args in self.calls if method == 'init' and args]
        self.tokens = {args[0] for args in self.inits if isinstance(args[0], str)}
        self.version = version
        self.level = (
            next((a[1].get('privacy') for a in self.inits if len(a) > 1 and isinstance(a[1], dict)), None)
            or 'standard'
        )
        self.users: set = set()
        self.groups: set = set()
        for method, args in self.calls:
            raw = args[0] if args and isinstance(args[0], (str, int, float)) else None
            options = args[2] if len(args) > 2 and isinstance(args[2], dict) else {}
            if method == 'identify' and raw is not None:
                if options.get('hashed') is True:
                    self.users.add(str(raw).lower())
                self.users.update(self._ids(str(raw)))
            elif method == 'group' and raw is not None:
                self.groups.update(self._ids(str(raw)))
        for value in anon:  # the anonymous IDs the SDK stored (one per identifyAnonymous after reset)
            if isinstance(value, str) and value:
                self.users.update(self._ids(value))
        self.urls: set = set()
        for visited in capture.visits:
            filtered = default_url_filter(visited)
            if filtered:
                self.urls.add(filtered)
        self.urls.update(u for u in capture.filtered if isinstance(u, str))
        # The content the SDK was given: fetched bodies, and what the app passed to loadContent.
        given = [args[0] for method, args in self.calls if method == 'loadContent' and args]
        self.contents = list(capture.content.values())
        self.contents += [c if isinstance(c, str) else json.dumps(c) for c in given]
        self.flows = _flow_ids(self.contents)
        first, last = capture.page_clock
        self.window = (first - SLACK_MS, last + SLACK_MS)
        # Page views the app's setPageTrackingDisabled(true) purged keep their numbers unsent.
        purges = sum(1 for m, a in self.calls if m == 'setPageTrackingDisabled' and a and a[0] is True)
        self.purgeable = purges * max(len(capture.visits), 1)
        self.pinned = capture.pinned
        self.used: set = set()

    def _ids(self, raw: str) -> set:
        return {raw} | {hmac_hex(token, raw) for token in self.tokens}

    def body(self, body: dict) -> list[str]:
        """What is wrong with one events body's envelope, in plain words."""
        problems = []
        if self.tokens and body.get('token') not in self.tokens:
            problems.append(
                f'the body\'s token "{str(body.get("token"))[:80]}" is not the one the app passed to init'
            )
        if self.version and body.get('sdk') != self.version:
            problems.append(
                f'the body says SDK version "{str(body.get("sdk"))[:40]}", the build is {self.version}'
            )
        return problems

    def event(self, event: dict, consume: bool = True) -> list[tuple[str, str]]:
        """(rule, plain words) for each field of `event` nothing the app did explains."""
        found = []
        kind = event.get('type')
        user = event.get('user')
        if user not in self.users:
            found.append(
                (
                    'events-user',
                    f'user "{str(user)[:70]}" is not the HMAC of any ID the app '
                    'passed (nor the anonymous ID)',
                )
            )
        ts = _ms(event.get('ts'))
        if ts is None or not (self.window[0] <= ts <= self.window[1] or (self.pinned and ts == _PINNED)):
            found.append(('events-ts', f'ts {event.get("ts")} is outside the run'))
        if kind in ('identify', 'group', 'track'):
            methods = {'identify': IDENTIFY, 'group': GROUP, 'track': ('track',)}[kind]
            if kind == 'group' and event.get('group') not in self.groups:
                found.append(
                    (
                        'events-group',
                        f'group "{str(event.get("group"))[:70]}" is not the HMAC '
                        'of any group ID the app passed',
                    )
                )
            found.extend(self._bind(event, methods, consume))
        elif kind == 'page':
            if event.get('url') not in self.urls:
                found.append(
                    (
                        'events-page',
                        f'page URL "{str(event.get("url"))[:120]}" is not what the '
                        'URL filter made of any URL the page was at',
                    )
                )
        elif kind == 'flow':
            if self.level != 'analytics':
                found.append(
                    (
                        'events-flow',
                        f'a flow event at the "{self.level}" level (flow events leave only at "analytics")',
                    )
                )
            steps = self.flows.get(event.get('flow'))
            if steps is None:
                found.append(('events-flow', f'flow "{str(event.get("flow"))[:70]}" is not in the content'))
            elif event.get('step') is not None and event.get('step') not in steps:
                found.append(
                    (
                        'events-flow',
                        f'step "{str(event.get("step"))[:70]}" is not in flow "{event.get("flow")}"',
                    )
                )
        return found

    def _bind(self, event: dict, methods: tuple, consume: bool) -> list[tuple[str, str]]:
        attributes = event.get('attributes') or {}
        near = None
        for i, (method, args) in enumerate(self.calls):
            if method not in methods or (consume and i in self.used):
                continue
            if method == 'track' and (not args or args[0] != event.get('name')):
                continue
            given = _attributes_of(method, args)
            wrong = [k for k, v in attributes.items() if k not in given or _json(given[k]) != _json(v)]
            signature = _options_of(method, args).get('signature')
            if event.get('signature') is not None and event.get('signature') != signature:
                wrong.append('signature')
            if wrong:
                near = near or wrong
                continue
            if consume:
                self.used.add(i)
            return []
        what = event.get('type') + (f' "{str(event.get("name"))[:60]}"' if event.get('name') else '')
        if near:
            return [
                (
                    'events-attributes',
                    f'a {what} event whose {", ".join(near[:5])} (attributes or '
                    'signature) match no call the app made',
                )
            ]
        return [
            (
                'events-unbound',
                f'a {what} event the app never asked for (no recorded {"/".join(methods)} call explains it)',
            )
        ]

    def sequence(self, events: list[dict], loads: int) -> list[str]:
        """seq runs 1, 2, 3, ... on each page load: no gaps, no number used more than once per
        load."""
        problems = []
        seqs = sorted({e.get('seq') for e in events if isinstance(e.get('seq'), int)})
        missing = sorted(set(range(1, seqs[-1] + 1)) - set(seqs)) if seqs else []
        if len(missing) > self.purgeable:
            problems.append(
                f'seq is not contiguous: {len(missing)} numbers missing up to {seqs[-1]} '
                f'(first {missing[:3]})'
            )
        counts: dict = {}
        for e in events:
            counts[e.get('seq')] = counts.get(e.get('seq'), 0) + 1
        over = [s for s, n in counts.items() if n > max(loads, 1)]
        if over:
            problems.append(f'seq {over[:3]} used by more events than there were page loads ({loads})')
        return problems


_PINNED = 1767225600000  # runner.PIN_SCRIPT's fixed time


def _ms(text) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp() * 1000
    except ValueError:
        return None


def _json(value) -> str:
    return json.dumps(value, sort_keys=True)


# Where a call's attributes and options are: (attributes index, options index).
_ARGS = {'identify': (1, 2), 'group': (1, 2), 'track': (1, 2), 'identifyAnonymous': (0, 1)}


def _attributes_of(method: str, args: list) -> dict:
    """The attributes the app passed, as the SDK sends them: an operation's `data_type` hint is
    not sent (the wire has no such field)."""
    index = _ARGS.get(method, (0, 1))[0]
    value = args[index] if len(args) > index else None
    if not isinstance(value, dict):
        return {}
    hintless = lambda v: {k: x for k, x in v.items() if k != 'data_type'} if isinstance(v, dict) else v  # noqa: E731
    return {k: hintless(v) for k, v in value.items()}


def _options_of(method: str, args: list) -> dict:
    index = _ARGS.get(method, (0, 1))[1]
    value = args[index] if len(args) > index else None
    return value if isinstance(value, dict) else {}


def _ids(contents, kind: str, children: str) -> dict:
    """ID -> its children's IDs, for the content's `kind` ('flows' and their 'steps',
    'checklists' and their 'tasks'), over every content body the SDK was given."""
    found: dict = {}
    for body in contents:
        try:
            data = json.loads(body)
        except ValueError:
            continue
        for item in data.get(kind) or [] if isinstance(data, dict) else []:
            if isinstance(item, dict) and isinstance(item.get('id'), str):
                found[item['id']] = {c.get('id') for c in item.get(children) or [] if isinstance(c, dict)}
    return found


def _flow_ids(contents) -> dict:
    return _ids(contents, 'flows', 'steps')


def _checklist_ids(contents) -> dict:
    return _ids(contents, 'checklists', 'tasks')


def storage_problems(name: str, value: str, binder: Binder, contents, event_validator) -> list[str]:
    """What an entry under `uf:` holds that its key's schema does not allow, in plain words."""
    key = name[len('uf:') :]
    try:
        data = json.loads(value) if key in ('events', 'flows') or key.startswith('q:') else value
    except ValueError:
        return [f'"{name}" is not the JSON its key holds']
    if key == 'anon':
        return [] if re.fullmatch(r'[0-9a-f]{32}', value) else [f'"{name}" is not 32 hex digits']
    if key == 'events':
        tracked = {args[0] for method, args in binder.calls if method == 'track' and args}
        if not isinstance(data, list) or not all(isinstance(n, str) for n in data):
            return [f'"{name}" is not a list of event names']
        strange = [n for n in data if n not in tracked]
        if strange:
            return [f'"{name}" holds event names the app never tracked: {[n[:40] for n in strange[:3]]}']
        return []
    if key == 'flows':
        surfaces = {f'launcher:{i}' for i in _ids(contents, 'launchers', 'buttons')}
        surfaces |= {f'banner:{i}' for i in _ids(contents, 'banners', 'buttons')}
        return _flow_state(name, data, binder.flows, _checklist_ids(contents), surfaces)
    if re.fullmatch(r'q:[0-9a-f]{16}', key):
        if not isinstance(data, dict) or set(data) != {'ready'} or not isinstance(data['ready'], list):
            return [f'"{name}" is not a queue of events ({{"ready": [...]}})']
        problems = []
        for event in data['ready']:
            errors = list(event_validator.iter_errors(event))
            if errors:
                problems.append(
                    f'"{name}" holds an event that breaks the wire schema: {errors[0].message[:120]}'
                )
                continue
            problems.extend(f'"{name}": {words}' for _, words in binder.event(event, consume=False))
        return problems
    return [f'"{name}" is a key the SDK never writes']


def _flow_state(name: str, data, flows: dict, checklists: dict, surfaces: set) -> list[str]:
    fields = {'active', 'seen', 'completed', 'tasks', 'closed', 'dismissed'}
    if not isinstance(data, dict) or set(data) != fields:
        return [f'"{name}" does not have the flow state\'s six fields']
    problems = []
    active = data['active']
    if active is not None and (
        not isinstance(active, dict)
        or set(active) != {'flow', 'step'}
        or active['step'] not in flows.get(active['flow'], set())
    ):
        problems.append(f'"{name}": the active flow and step are not in the content')
    for field in ('seen', 'completed'):
        if not isinstance(data[field], list) or any(f not in flows for f in data[field]):
            problems.append(f'"{name}": {field} holds IDs that are not flows in the content')
    if not isinstance(data['closed'], list) or any(c not in checklists for c in data['closed']):
        problems.append(f'"{name}": closed holds IDs that are not checklists in the content')
    if not isinstance(data['dismissed'], list) or any(d not in surfaces for d in data['dismissed']):
        problems.append(f'"{name}": dismissed holds entries that are not launchers or banners in the content')
    for pair in data['tasks'] if isinstance(data['tasks'], list) else [None]:
        parts = pair.split('\n') if isinstance(pair, str) else []
        if len(parts) != 2 or parts[1] not in checklists.get(parts[0], set()):
            problems.append(f'"{name}": tasks holds entries that are not checklist tasks in the content')
            break
    return problems
