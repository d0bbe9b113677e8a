"""Validation of flow content (SPEC §6), which may come from a server an attacker controls.

`validate(content)` keeps every valid flow and checklist and explains every invalid one:
`flow "welcome": $.flows[0].steps[1].type: must be one of modal, tooltip, beacon, hidden`.
Unknown keys, wrong types and out-of-range sizes reject the flow they are in; the others keep
working. Patterns for `matches` must be in the safe subset of safe_patterns.py, whose checker
the browser loads as a chunk only for content that has patterns (`use_pattern_checker`); what
it accepts may run (patterns.accept). Until it is given, a pattern is left unchecked: it never
runs (its test is false), and the flow engine validates the content again once it can.
"""

from userflow.pure.attributes import valid_key
from userflow.pure.locales import valid_tag
from userflow.pure.patterns import accept
from userflow.pure.bodies import problems as markup_problems
from userflow.pure.values import kind, map_keys, map_get, char_count

MAX_CHARS = 1000000
MAX_FLOWS = 100
MAX_STEPS = 50
MAX_CHECKLISTS = 20
MAX_TASKS = 20
MAX_BUTTONS = 5
MAX_TRIGGERS = 20
MAX_DEPTH = 10
MAX_CONDITIONS = 200
MAX_SELECTOR = 500
MAX_LOCALES = 20
MAX_LAUNCHERS = 20
MAX_BANNERS = 10
MAX_ITEMS = 50
STEP_TYPES = ['modal', 'tooltip', 'beacon', 'hidden']
PLACEMENTS = ['auto', 'top', 'bottom', 'left', 'right']
PROGRESS = ['count', 'dots']  # a flow's progress on its cards: '2 of 5', or dots
ELEMENT_STATES = ['present', 'absent', 'visible', 'clicked', 'disabled']
TEXT_OPS = ['equals', 'notEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'isEmpty', 'isNotEmpty']
PAGE_OPS = ['equals', 'startsWith', 'contains', 'glob', 'matches']
ATTRIBUTE_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'in', 'exists', 'notExists']
FLOW_STATES = ['active', 'completed', 'seen']
ACTIONS = ['next', 'goto', 'end', 'complete', 'startFlow', 'navigate']
SURFACE_ACTIONS = ['startFlow', 'navigate', 'dismiss']  # a launcher's or banner's buttons
ICONS = ['beacon', 'help', 'info']
BANNER_POSITIONS = ['top', 'bottom']
BANNER_LAYOUTS = ['overlay', 'inline']
_HEADS = {
    'element': ['state', 'text'],
    'input': ['op', 'value', 'caseSensitive'],
    'page': [],
    'attribute': ['op', 'value'],
    'event': [],
    'flow': ['state'],
    'all': [],
    'any': [],
    'not': [],
}
HEADS = ['element', 'input', 'page', 'attribute', 'event', 'flow', 'all', 'any', 'not']
_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-'


_pattern_checker = {'check': None}  # safe_patterns.check_pattern, once given


def use_pattern_checker(check):
    """Check `matches` patterns with `check` (safe_patterns.check_pattern, from its chunk)."""
    _pattern_checker['check'] = check


# __pragma__ ('skip')
# Under CPython (the reference, the tests) the checker is simply imported.
from userflow.pure.safe_patterns import check_pattern as _check_pattern  # noqa: E402

use_pattern_checker(_check_pattern)
# __pragma__ ('noskip')


class Invalid(Exception):
    def __init__(self, path, message):
        super().__init__(path + ': ' + message)
        self.text = path + ': ' + message


def _has(items, item):
    # Only strings are looked up: `==` on a null-prototype map throws in JS.
    if kind(item) != 'str':
        return False
    for x in items:
        if kind(x) == 'str' and x == item:
            return True
    return False


def _map(value, path, required, optional):
    if kind(value) != 'map':
        raise Invalid(path, 'must be an object')
    for key in map_keys(value):
        if not _has(required, key) and not _has(optional, key):
            raise Invalid(path + '.' + key, 'unknown key')
    for key in required:
        if map_get(value, key) is None:
            raise Invalid(path + '.' + key, 'is required')
    return value


def _list(value, path, low, high):
    if kind(value) != 'list' or len(value) < low or len(value) > high:
        raise Invalid(path, 'must be a list of ' + str(low) + ' to ' + str(high) + ' items')
    return value


def _text(value, path, low, high):
    if kind(value) != 'str' or len(value) < low or char_count(value) > high:
        raise Invalid(path, 'must be a string of ' + str(low) + ' to ' + str(high) + ' characters')
    return value


def _localized(value, path, low, high):
    """A text shown to users: a string, or a map of 1 to 20 locale tags -> strings (the
    browser picks one, locales.py)."""
    if kind(value) != 'map':
        return _text(value, path, low, high)
    keys = map_keys(value)
    if len(keys) == 0 or len(keys) > MAX_LOCALES:
        raise Invalid(path, 'must be a string or a map of 1 to ' + str(MAX_LOCALES) + ' locales')
    for key in keys:
        if not valid_tag(key):
            raise Invalid(path + '.' + key, 'is not a locale tag (like "de" or "pt-BR")')
        _text(value[key], path + '.' + key, low, high)
    return value


def _body(value, path):
    """A body: localized text in the markup of richtext.py, whose images are the site's own
    (bodies.py: content is validated without the parser, which only pages with markup load)."""
    _localized(value, path, 0, 2000)
    texts = [[path, value]] if kind(value) == 'str' else [[path + '.' + k, value[k]] for k in map_keys(value)]
    for item in texts:
        problem = markup_problems(item[1])
        if problem is not None:
            raise Invalid(item[0], problem)
    return value


def _one_of(value, path, options):
    if kind(value) != 'str' or not _has(options, value):
        raise Invalid(path, 'must be one of ' + ', '.join(options))
    return value


def _id(value, path):
    _text(value, path, 1, 128)
    for ch in value:
        if _ID_CHARS.find(ch) < 0:
            raise Invalid(path, 'must use only A-Z a-z 0-9 _ . : -')
    return value


def _optional(value, key, path, check):
    found = map_get(value, key)
    if found is not None:
        check(found, path + '.' + key)


def _pattern(value, path):
    check = _pattern_checker['check']
    if check is None:
        return  # unchecked for now: it never runs (not accepted)
    problem = check(value)
    if problem is not None:
        raise Invalid(path, 'refused pattern: ' + problem)
    accept(value)


def _text_test(test, path, op_key):
    op = _one_of(test[op_key], path + '.' + op_key, TEXT_OPS)
    value = map_get(test, 'value')
    if op != 'isEmpty' and op != 'isNotEmpty':
        if value is None:
            _missing(path + '.value')
        _text(value, path + '.value', 0, 1000)
        if op == 'matches':
            _pattern(value, path + '.value')
    _optional(test, 'caseSensitive', path, _boolean)


def _missing(path):
    raise Invalid(path, 'is required for this op')


def _boolean(value, path):
    if kind(value) != 'bool':
        raise Invalid(path, 'must be true or false')


def _scalar(value, path):
    k = kind(value)
    if k != 'str' and k != 'num' and k != 'bool' and k != 'null':
        raise Invalid(path, 'must be a string, number, boolean or null')
    if k == 'str':
        _text(value, path, 0, 1000)


def condition(c, path, depth, budget):
    """Check one condition; `budget` is a one-item list counting conditions per flow."""
    budget[0] += 1
    if depth > MAX_DEPTH or budget[0] > MAX_CONDITIONS:
        raise Invalid(
            path,
            'conditions nest deeper than ' + str(MAX_DEPTH) + ' or number more than ' + str(MAX_CONDITIONS),
        )
    if kind(c) != 'map':
        raise Invalid(path, 'must be an object')
    heads = [k for k in map_keys(c) if _has(HEADS, k)]
    if len(heads) != 1:
        raise Invalid(path, 'must have exactly one of ' + ', '.join(HEADS))
    head = heads[0]
    _map(c, path, [head], _HEADS[head])
    where = path + '.' + head
    if head == 'all' or head == 'any':
        items = _list(c[head], where, 1, 50)
        for i in range(len(items)):
            condition(items[i], where + '[' + str(i) + ']', depth + 1, budget)
    elif head == 'not':
        condition(c[head], where, depth + 1, budget)
    elif head == 'element':
        _text(c[head], where, 1, MAX_SELECTOR)
        _optional(c, 'state', path, lambda v, p: _one_of(v, p, ELEMENT_STATES))
        text = map_get(c, 'text')
        if text is not None:
            _map(text, path + '.text', ['op'], ['value', 'caseSensitive'])
            _text_test(text, path + '.text', 'op')
    elif head == 'input':
        _text(c[head], where, 1, MAX_SELECTOR)
        _map(c, path, ['input', 'op'], ['value', 'caseSensitive'])
        _text_test(c, path, 'op')
    elif head == 'page':
        test = _map(c[head], where, ['op', 'value'], [])
        _one_of(test['op'], where + '.op', PAGE_OPS)
        _text(test['value'], where + '.value', 1, 2048)
        if test['op'] == 'matches':
            _pattern(test['value'], where + '.value')
    elif head == 'attribute':
        if not valid_key(c[head]):
            raise Invalid(where, 'must be an attribute key')
        op = _one_of(map_get(c, 'op'), path + '.op', ATTRIBUTE_OPS)
        value = map_get(c, 'value')
        if op == 'in':
            items = _list(value, path + '.value', 1, 100)
            for i in range(len(items)):
                _scalar(items[i], path + '.value[' + str(i) + ']')
        elif op != 'exists' and op != 'notExists':
            if not _has(map_keys(c), 'value'):
                _missing(path + '.value')
            _scalar(value, path + '.value')
    elif head == 'event':
        _text(c[head], where, 1, 128)
    elif head == 'flow':
        _id(c[head], where)
        _one_of(map_get(c, 'state'), path + '.state', FLOW_STATES)


def action(a, path, step_ids, flow_ids, allowed):
    _map(a, path, [], allowed)
    keys = map_keys(a)
    if len(keys) != 1:
        raise Invalid(path, 'must have exactly one of ' + ', '.join(allowed))
    name = keys[0]
    value = a[name]
    where = path + '.' + name
    if name == 'next' or name == 'end' or name == 'complete' or name == 'dismiss':
        if value is not True:
            raise Invalid(where, 'must be true')
    elif name == 'goto':
        if not _has(step_ids, value):
            raise Invalid(where, 'names no step of this flow')
    elif name == 'startFlow':
        if not _has(flow_ids, value):
            raise Invalid(where, 'names no flow of this content')
    elif name == 'navigate':
        _url(value, where)


def _url(value, path):
    _text(value, path, 1, 2048)
    if (
        not (value.startswith('/') and not value.startswith('//'))
        and not value.startswith('https://')
        and not value.startswith('http://')
    ):
        raise Invalid(path, 'must be a path (/...) or an http(s) URL of this site')


def _locale(value, path):
    # The locale of the content's plain strings, and the last fallback (locales.chain).
    if not valid_tag(value):
        raise Invalid(path, 'is not a locale tag (like "de" or "pt-BR")')


def _spotlight(value, path):
    """`true`, or {padding: 0-64 px, blockClicks: whether clicks outside the cut-out are stopped}."""
    if value is True:
        return
    _map(value, path, [], ['padding', 'blockClicks'])
    pad = map_get(value, 'padding')
    if pad is not None and (kind(pad) != 'num' or not (pad - pad == 0) or pad < 0 or pad > 64):
        raise Invalid(path + '.padding', 'must be a number from 0 to 64')
    _optional(value, 'blockClicks', path, _boolean)


def _step(step, path, step_ids, flow_ids, budget):
    optional = ['target', 'placement', 'title', 'body', 'buttons', 'triggers', 'spotlight']
    _map(step, path, ['id', 'type'], optional)
    _id(step['id'], path + '.id')
    kind_of_step = _one_of(step['type'], path + '.type', STEP_TYPES)
    target = map_get(step, 'target')
    if target is None and (kind_of_step == 'tooltip' or kind_of_step == 'beacon'):
        raise Invalid(path + '.target', 'is required for a ' + kind_of_step)
    if target is not None:
        _target(target, path + '.target')
    _optional(step, 'placement', path, lambda v, p: _one_of(v, p, PLACEMENTS))
    if map_get(step, 'spotlight') is not None and kind_of_step != 'tooltip':
        raise Invalid(path + '.spotlight', 'is for tooltip steps only')
    _optional(step, 'spotlight', path, _spotlight)
    _optional(step, 'title', path, lambda v, p: _localized(v, p, 0, 200))
    _optional(step, 'body', path, _body)
    _buttons(step, path, step_ids, flow_ids, ACTIONS)

    def trigger(item, where):
        _map(item, where, ['when', 'action'], [])
        condition(item['when'], where + '.when', 1, budget)
        action(item['action'], where + '.action', step_ids, flow_ids, ACTIONS)

    _each(step, 'triggers', path, MAX_TRIGGERS, trigger)


def _buttons(parent, path, step_ids, flow_ids, allowed):
    def button(item, where):
        _map(item, where, ['label', 'action'], [])
        _localized(item['label'], where + '.label', 1, 60)
        action(item['action'], where + '.action', step_ids, flow_ids, allowed)

    _each(parent, 'buttons', path, MAX_BUTTONS, button)


def _target(value, path):
    _map(value, path, ['selector'], ['text'])
    _text(value['selector'], path + '.selector', 1, MAX_SELECTOR)
    _optional(value, 'text', path, lambda v, p: _text(v, p, 1, 200))


def _each(parent, key, path, limit, check):
    """Check each item of the optional list `parent[key]` with `check(item, its path)`."""
    items = map_get(parent, key)
    if items is not None:
        _list(items, path + '.' + key, 0, limit)
        for i in range(len(items)):
            check(items[i], path + '.' + key + '[' + str(i) + ']')


def flow(f, path, flow_ids):
    _map(f, path, ['id', 'steps'], ['name', 'autoStart', 'progress'])
    _id(f['id'], path + '.id')
    _optional(f, 'progress', path, lambda v, p: _one_of(v, p, PROGRESS))
    _optional(f, 'name', path, lambda v, p: _localized(v, p, 0, 200))
    steps = _list(f['steps'], path + '.steps', 1, MAX_STEPS)
    step_ids = []
    for i in range(len(steps)):
        if kind(steps[i]) == 'map' and kind(map_get(steps[i], 'id')) == 'str':
            if _has(step_ids, steps[i]['id']):
                raise Invalid(path + '.steps[' + str(i) + '].id', 'repeats an earlier step id')
            step_ids.append(steps[i]['id'])
    budget = [0]
    auto = map_get(f, 'autoStart')
    if auto is not None:
        _map(auto, path + '.autoStart', ['when'], ['once'])
        condition(auto['when'], path + '.autoStart.when', 1, budget)
        _optional(auto, 'once', path + '.autoStart', _boolean)
    for i in range(len(steps)):
        _step(steps[i], path + '.steps[' + str(i) + ']', step_ids, flow_ids, budget)


def checklist(c, path, flow_ids):
    _map(c, path, ['id', 'tasks'], ['title'])
    _id(c['id'], path + '.id')
    _optional(c, 'title', path, lambda v, p: _localized(v, p, 0, 200))
    tasks = _list(c['tasks'], path + '.tasks', 1, MAX_TASKS)
    budget = [0]
    for i in range(len(tasks)):
        where = path + '.tasks[' + str(i) + ']'
        _map(tasks[i], where, ['id', 'title'], ['completeWhen', 'action'])
        _id(tasks[i]['id'], where + '.id')
        _localized(tasks[i]['title'], where + '.title', 1, 200)
        when = map_get(tasks[i], 'completeWhen')
        if when is not None:
            condition(when, where + '.completeWhen', 1, budget)
        todo = map_get(tasks[i], 'action')
        if todo is not None:
            action(todo, where + '.action', [], flow_ids, ['startFlow', 'navigate'])


def _when(parent, path, budget):
    when = map_get(parent, 'when')
    if when is not None:
        condition(when, path + '.when', 1, budget)


def launcher(item, path, flow_ids):
    """An icon on an element, outside any flow, shown while `when` holds; opening it shows a
    tooltip whose buttons may start a flow, navigate or dismiss the launcher for good."""
    _map(item, path, ['id', 'target'], ['when', 'icon', 'placement', 'title', 'body', 'buttons'])
    _id(item['id'], path + '.id')
    _target(item['target'], path + '.target')
    _when(item, path, [0])
    _optional(item, 'icon', path, lambda v, p: _one_of(v, p, ICONS))
    _optional(item, 'placement', path, lambda v, p: _one_of(v, p, PLACEMENTS))
    _optional(item, 'title', path, lambda v, p: _localized(v, p, 0, 200))
    _optional(item, 'body', path, _body)
    _buttons(item, path, [], flow_ids, SURFACE_ACTIONS)


def banner(item, path, flow_ids):
    """A bar at the top or bottom of the page, over it or pushing it down (`inline`), shown
    while `when` holds until the user dismisses it (remembered)."""
    _map(item, path, ['id', 'body'], ['when', 'position', 'layout', 'buttons', 'dismissible'])
    _id(item['id'], path + '.id')
    _body(item['body'], path + '.body')
    _when(item, path, [0])
    _optional(item, 'position', path, lambda v, p: _one_of(v, p, BANNER_POSITIONS))
    _optional(item, 'layout', path, lambda v, p: _one_of(v, p, BANNER_LAYOUTS))
    _optional(item, 'dismissible', path, _boolean)
    _buttons(item, path, [], flow_ids, SURFACE_ACTIONS)


def resource_center(center, path, flow_ids, checklist_ids):
    """A launcher button and a panel of flows to start, checklists with their progress and
    links, searchable. Items name flows and checklists of this content."""
    _map(center, path, ['items'], ['title', 'search', 'when'])
    _optional(center, 'title', path, lambda v, p: _localized(v, p, 0, 200))
    _optional(center, 'search', path, _boolean)
    _when(center, path, [0])
    items = _list(center['items'], path + '.items', 1, MAX_ITEMS)
    for i in range(len(items)):
        where = path + '.items[' + str(i) + ']'
        item = items[i]
        if kind(item) == 'map' and map_get(item, 'flow') is not None:
            _map(item, where, ['flow'], ['title'])
            if not _has(flow_ids, item['flow']):
                raise Invalid(where + '.flow', 'names no flow of this content')
            _optional(item, 'title', where, lambda v, p: _localized(v, p, 1, 200))
        elif kind(item) == 'map' and map_get(item, 'checklist') is not None:
            _map(item, where, ['checklist'], [])
            if not _has(checklist_ids, item['checklist']):
                raise Invalid(where + '.checklist', 'names no checklist of this content')
        else:
            _map(item, where, ['link', 'title'], [])
            _url(item['link'], where + '.link')
            _localized(item['title'], where + '.title', 1, 200)


def validate(content):
    """{'flows': [...], 'checklists': [...], 'errors': [message, ...]}: the valid flows and
    checklists, in order, and one message per rejected one (or for the whole content)."""
    out = {
        'flows': [],
        'checklists': [],
        'launchers': [],
        'banners': [],
        'resourceCenter': None,
        'errors': [],
        'locale': None,
    }
    try:
        _map(
            content,
            '$',
            ['version'],
            ['flows', 'checklists', 'launchers', 'banners', 'resourceCenter', '$schema', 'locale'],
        )
        _optional(content, '$schema', '$', lambda v, p: _text(v, p, 0, 2048))
        _optional(content, 'locale', '$', _locale)
        out['locale'] = map_get(content, 'locale')
        if kind(content['version']) != 'num' or content['version'] != 1:
            raise Invalid('$.version', 'must be 1')
        # `x or []` would differ: an empty map is falsy in CPython, truthy in JS.
        flows = _list(_or_empty(map_get(content, 'flows')), '$.flows', 0, MAX_FLOWS)
        lists = _list(_or_empty(map_get(content, 'checklists')), '$.checklists', 0, MAX_CHECKLISTS)
        launchers = _list(_or_empty(map_get(content, 'launchers')), '$.launchers', 0, MAX_LAUNCHERS)
        banners = _list(_or_empty(map_get(content, 'banners')), '$.banners', 0, MAX_BANNERS)
    except Invalid as error:
        out['errors'].append('content refused: ' + error.text)
        return out
    flow_ids = [map_get(f, 'id') for f in flows if kind(f) == 'map']
    _kept(out, 'flows', 'flow', flows, lambda x, p: flow(x, p, flow_ids))
    _kept(out, 'checklists', 'checklist', lists, lambda x, p: checklist(x, p, flow_ids))
    _kept(out, 'launchers', 'launcher', launchers, lambda x, p: launcher(x, p, flow_ids))
    _kept(out, 'banners', 'banner', banners, lambda x, p: banner(x, p, flow_ids))
    center = map_get(content, 'resourceCenter')
    if center is not None:
        checklist_ids = [c['id'] for c in out['checklists']]
        try:
            resource_center(center, '$.resourceCenter', [f['id'] for f in out['flows']], checklist_ids)
            out['resourceCenter'] = center
        except Invalid as error:
            out['errors'].append('resource center skipped: ' + error.text)
    return out


def _kept(out, key, what, items, check):
    """The items of `out[key]` that `check(item, path)` passes, with unique IDs."""
    seen = []
    for i in range(len(items)):
        where = '$.' + key + '[' + str(i) + ']'
        try:
            check(items[i], where)
            if _has(seen, items[i]['id']):
                raise Invalid(where + '.id', 'repeats an earlier ' + what + ' id')
            seen.append(items[i]['id'])
            out[key].append(items[i])
        except Invalid as error:
            out['errors'].append(_label(what, items[i], i) + ' skipped: ' + error.text)


def _or_empty(value):
    return [] if value is None else value


def _label(what, item, index):
    if kind(item) == 'map' and kind(map_get(item, 'id')) == 'str' and len(item['id']) <= 128:
        return what + ' "' + item['id'] + '"'
    return what + ' #' + str(index)


def combine(sources):
    """One body of content from several validated sources, in order of precedence (lowest
    first, e.g. [fetched, from loadContent]): an item replaces an earlier source's item of the
    same ID and takes its place; new IDs are added after."""
    combined = {'flows': [], 'checklists': [], 'launchers': [], 'banners': [], 'resourceCenter': None}
    for source in sources:
        if source['resourceCenter'] is not None:
            combined['resourceCenter'] = source['resourceCenter']
        for key in ['flows', 'checklists', 'launchers', 'banners']:
            items = combined[key]
            for item in source[key]:
                at = -1
                for i in range(len(items)):
                    if items[i]['id'] == item['id']:
                        at = i
                if at < 0:
                    items.append(item)
                else:
                    items[at] = item
    return combined
