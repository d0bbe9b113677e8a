"""Content validation (SPEC §6): a bad flow is skipped with a message that names it and the
JSON path of the bad field; the others keep working."""

import copy
import json

import pytest

from userflow.pure.content import combine, use_pattern_checker, validate
from userflow.pure.patterns import matches
from userflow.pure.safe_patterns import check_pattern

FLOW = {
    'id': 'welcome',
    'name': 'Welcome',
    'autoStart': {'when': {'page': {'op': 'contains', 'value': '/app'}}, 'once': True},
    'steps': [
        {
            'id': 's1',
            'type': 'modal',
            'title': 'Hi',
            'body': 'Welcome aboard.',
            'buttons': [{'label': 'Next', 'action': {'next': True}}],
        },
        {
            'id': 's2',
            'type': 'tooltip',
            'target': {'selector': '#new', 'text': 'New'},
            'placement': 'bottom',
            'triggers': [{'when': {'input': '#name', 'op': 'isNotEmpty'}, 'action': {'goto': 's3'}}],
        },
        {
            'id': 's3',
            'type': 'beacon',
            'target': {'selector': '#save'},
            'triggers': [
                {
                    'when': {
                        'element': '#saved',
                        'state': 'visible',
                        'text': {'op': 'contains', 'value': 'Saved'},
                    },
                    'action': {'complete': True},
                }
            ],
        },
        {
            'id': 's4',
            'type': 'hidden',
            'triggers': [
                {
                    'when': {
                        'all': [
                            {'attribute': 'plan', 'op': 'in', 'value': ['pro', 'team']},
                            {'not': {'event': 'churned'}},
                            {
                                'any': [
                                    {'flow': 'tour', 'state': 'completed'},
                                    {'page': {'op': 'matches', 'value': '^https://'}},
                                ]
                            },
                        ]
                    },
                    'action': {'startFlow': 'tour'},
                }
            ],
        },
    ],
}
CONTENT = {
    'version': 1,
    'flows': [
        FLOW,
        {
            'id': 'tour',
            'steps': [
                {'id': 'a', 'type': 'modal', 'buttons': [{'label': 'Go', 'action': {'navigate': '/next'}}]}
            ],
        },
    ],
    'checklists': [
        {
            'id': 'start',
            'title': 'Get started',
            'tasks': [
                {
                    'id': 't1',
                    'title': 'Invite',
                    'completeWhen': {'event': 'invited'},
                    'action': {'startFlow': 'tour'},
                }
            ],
        }
    ],
    'launchers': [
        {
            'id': 'help-save',
            'target': {'selector': '#save'},
            'when': {'page': {'op': 'contains', 'value': '/app'}},
            'icon': 'help',
            'title': 'Saving',
            'body': 'Press **Save** or `Ctrl+S`.',
            'buttons': [
                {'label': 'Show me', 'action': {'startFlow': 'tour'}},
                {'label': 'Got it', 'action': {'dismiss': True}},
            ],
        }
    ],
    'banners': [
        {
            'id': 'maintenance',
            'body': {'en': 'Maintenance on *Sunday*.', 'de': 'Wartung am *Sonntag*.'},
            'position': 'top',
            'layout': 'inline',
            'when': {'attribute': 'plan', 'op': 'eq', 'value': 'pro'},
            'buttons': [{'label': 'Details', 'action': {'navigate': '/status'}}],
        }
    ],
    'resourceCenter': {
        'title': 'Help',
        'search': True,
        'items': [
            {'flow': 'tour', 'title': 'Take the tour'},
            {'checklist': 'start'},
            {'link': '/docs', 'title': 'Docs'},
        ],
    },
}


def broken(path, value):
    content = copy.deepcopy(CONTENT)
    *parents, last = path
    node = content
    for key in parents:
        node = node[key]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return validate(content)


def test_texts_may_be_maps_of_locales():
    content = copy.deepcopy(CONTENT)
    content['locale'] = 'en'
    content['flows'][0]['steps'][0]['title'] = {'en': 'Welcome', 'de-AT': 'Grüß Gott'}
    content['flows'][0]['steps'][0]['buttons'][0]['label'] = {'en': 'Next', 'de': 'Weiter'}
    result = validate(content)
    assert result['errors'] == [] and result['locale'] == 'en'
    content['flows'][0]['steps'][0]['title'] = {'deutsch': 'x'}
    assert 'steps[0].title.deutsch: is not a locale tag' in validate(content)['errors'][0]
    content['flows'][0]['steps'][0]['title'] = {}
    assert 'must be a string or a map of 1 to 20 locales' in validate(content)['errors'][0]
    content['flows'][0]['steps'][0]['title'] = {'en': 'x' * 201}
    assert 'title.en: must be a string of 0 to 200' in validate(content)['errors'][0]
    content['locale'] = 'english'
    assert validate(content)['errors'][0].startswith('content refused: $.locale: is not a locale tag')


def test_progress_and_spotlights_pass():
    content = copy.deepcopy(CONTENT)
    content['flows'][0]['progress'] = 'dots'
    content['flows'][0]['steps'][1]['spotlight'] = {'padding': 12, 'blockClicks': True}
    assert validate(content)['errors'] == []
    content['flows'][0]['steps'][1]['spotlight'] = True
    assert validate(content)['errors'] == []


def test_valid_content_passes_whole():
    assert validate(CONTENT) == {
        'flows': CONTENT['flows'],
        'checklists': CONTENT['checklists'],
        'launchers': CONTENT['launchers'],
        'banners': CONTENT['banners'],
        'resourceCenter': CONTENT['resourceCenter'],
        'errors': [],
        'locale': None,
    }


@pytest.mark.parametrize(
    'path,value,message',
    [
        (['flows', 0, 'steps', 1, 'type'], 'popup', '$.flows[0].steps[1].type: must be one of modal'),
        (['flows', 0, 'steps', 0, 'colour'], 'red', '$.flows[0].steps[0].colour: unknown key'),
        (
            ['flows', 0, 'steps', 1, 'target'],
            KeyError,
            '$.flows[0].steps[1].target: is required for a tooltip',
        ),
        (
            ['flows', 0, 'steps', 0, 'title'],
            'x' * 201,
            '$.flows[0].steps[0].title: must be a string of 0 to 200',
        ),
        (
            ['flows', 0, 'steps', 1, 'triggers', 0, 'action'],
            {'goto': 'nowhere'},
            'names no step of this flow',
        ),
        (
            ['flows', 0, 'steps', 0, 'buttons', 0, 'action'],
            {'next': True, 'end': True},
            'must have exactly one of',
        ),
        (['flows', 0, 'steps', 0, 'buttons', 0, 'action'], {'eval': 'alert(1)'}, '.action.eval: unknown key'),
        (
            ['flows', 0, 'steps', 0, 'buttons', 0, 'action'],
            {'navigate': 'javascript:alert(1)'},
            'must be a path',
        ),
        (
            ['flows', 0, 'steps', 0, 'buttons', 0, 'action'],
            {'navigate': '//evil.example/x'},
            'must be a path',
        ),
        (['flows', 0, 'steps', 3, 'triggers', 0, 'action'], {'startFlow': 'ghost'}, 'names no flow'),
        (
            ['flows', 0, 'autoStart', 'when'],
            {'input': '#q', 'op': 'matches', 'value': '(a+)+$'},
            '$.flows[0].autoStart.when.value: refused pattern: nested quantifiers',
        ),
        (
            ['flows', 0, 'autoStart', 'when'],
            {'element': '#a', 'input': '#b', 'op': 'isEmpty'},
            'exactly one of',
        ),
        (
            ['flows', 0, 'autoStart', 'when'],
            {'input': '#q', 'op': 'equals'},
            '.value: is required for this op',
        ),
        (['flows', 0, 'autoStart', 'when'], {'attribute': 'plan', 'op': 'gt'}, '.value: is required'),
        (['flows', 0, 'autoStart', 'when'], {'element': 'x' * 501}, '.element: must be a string of 1 to 500'),
        (['flows', 0, 'autoStart', 'when'], {'flow': 'tour', 'state': 'finished'}, '.state: must be one of'),
        (['flows', 0, 'autoStart', 'when'], {'all': []}, '.all: must be a list of 1 to 50'),
        (['flows', 0, 'steps'], [], '$.flows[0].steps: must be a list of 1 to 50'),
        (['flows', 0, 'id'], 'has space', '$.flows[0].id: must use only'),
        (['flows', 0, 'progress'], 'bar', '$.flows[0].progress: must be one of count, dots'),
        (['flows', 0, 'steps', 0, 'spotlight'], True, '$.flows[0].steps[0].spotlight: is for tooltip steps'),
        (['flows', 0, 'steps', 1, 'spotlight'], {'padding': 65}, '.padding: must be a number from 0'),
        (['flows', 0, 'steps', 1, 'spotlight'], {'blockClicks': 'yes'}, '.blockClicks: must be true'),
        (['flows', 0, 'steps', 1, 'spotlight'], {'dim': 1}, '.spotlight.dim: unknown key'),
    ],
)
def test_a_bad_field_skips_its_flow_naming_flow_and_path(path, value, message):
    result = broken(path, value)
    assert [f['id'] for f in result['flows']] == ['tour']
    assert len(result['errors']) == 1
    assert result['errors'][0].startswith('flow "welcome" skipped: ') or result['errors'][0].startswith(
        'flow "has space" skipped: '
    )
    assert message in result['errors'][0]


def test_deep_nesting_and_too_many_conditions_are_refused():
    deep = {'event': 'x'}
    for _ in range(11):
        deep = {'not': deep}
    assert 'nest deeper' in broken(['flows', 0, 'autoStart', 'when'], deep)['errors'][0]
    wide = {'any': [{'any': [{'event': 'e'}] * 50}] * 5}
    assert 'more than 200' in broken(['flows', 0, 'autoStart', 'when'], wide)['errors'][0]


def test_top_level_problems_refuse_the_content():
    for content, message in [
        ({'version': 2, 'flows': []}, '$.version: must be 1'),
        ({'version': True}, '$.version: must be 1'),
        ({'flows': []}, '$.version: is required'),
        ({'version': 1, 'extra': 1}, '$.extra: unknown key'),
        ([], '$: must be an object'),
        ({'version': 1, 'flows': [{}] * 101}, '$.flows: must be a list of 0 to 100 items'),
    ]:
        refused = {
            'flows': [],
            'checklists': [],
            'launchers': [],
            'banners': [],
            'resourceCenter': None,
            'errors': ['content refused: ' + message],
            'locale': None,
        }
        assert validate(content) == refused


def test_a_repeated_flow_id_keeps_the_first():
    content = {'version': 1, 'flows': [CONTENT['flows'][1], CONTENT['flows'][1]]}
    result = validate(content)
    assert len(result['flows']) == 1 and 'repeats an earlier flow id' in result['errors'][0]


def test_prototype_keys_are_just_unknown_keys():
    content = json.loads(
        '{"version": 1, "flows": [{"id": "p", "__proto__": {"x": 1}, '
        '"steps": [{"id": "a", "type": "hidden"}]}]}'
    )
    assert 'unknown key' in validate(content)['errors'][0]


def test_sources_combine_by_id_the_later_winning_in_place():
    empty = {'flows': [], 'checklists': [], 'launchers': [], 'banners': [], 'resourceCenter': None}
    server = {
        **empty,
        'flows': [{'id': 'a', 'v': 1}, {'id': 'b', 'v': 1}],
        'checklists': [{'id': 'k', 'v': 1}],
    }
    server['resourceCenter'] = {'items': 1}
    app = {**empty, 'flows': [{'id': 'b', 'v': 2}, {'id': 'c', 'v': 2}], 'banners': [{'id': 'n'}]}
    both = combine([server, app])
    assert [(f['id'], f['v']) for f in both['flows']] == [('a', 1), ('b', 2), ('c', 2)]
    assert both['checklists'] == [{'id': 'k', 'v': 1}]
    assert both['banners'] == [{'id': 'n'}]
    assert both['resourceCenter'] == {'items': 1}  # the app's has none: the server's stays
    assert combine([server, {**app, 'resourceCenter': {'items': 2}}])['resourceCenter'] == {'items': 2}
    assert combine([]) == empty


@pytest.mark.parametrize(
    'path,value,message',
    [
        (
            ['launchers', 0, 'icon'],
            'star',
            'launcher "help-save" skipped: $.launchers[0].icon: must be one of',
        ),
        (['launchers', 0, 'target'], {'text': 'x'}, '$.launchers[0].target.selector: is required'),
        (['launchers', 0, 'buttons', 1, 'action'], {'next': True}, '.action.next: unknown key'),
        (['launchers', 0, 'buttons', 0, 'action'], {'startFlow': 'ghost'}, 'names no flow'),
        (['launchers', 0, 'body'], '![x](https://cdn.example/x.png)', '$.launchers[0].body: an image must'),
        (
            ['banners', 0, 'layout'],
            'floating',
            'banner "maintenance" skipped: $.banners[0].layout: must be one',
        ),
        (['banners', 0, 'position'], 'left', '$.banners[0].position: must be one of top, bottom'),
        (['banners', 0, 'dismissible'], 'no', '$.banners[0].dismissible: must be true or false'),
        (['banners', 0, 'body'], {'english': 'x'}, '$.banners[0].body.english: is not a locale tag'),
        (['banners', 0, 'when'], {'element': '#a', 'page': {}}, 'exactly one of'),
        (
            ['resourceCenter', 'items', 0, 'flow'],
            'ghost',
            'resource center skipped: $.resourceCenter.items[0].flow',
        ),
        (['resourceCenter', 'items', 1, 'checklist'], 'ghost', 'names no checklist'),
        (['resourceCenter', 'items', 2, 'link'], 'javascript:alert(1)', '.items[2].link: must be a path'),
        (['resourceCenter', 'items'], [], '$.resourceCenter.items: must be a list of 1 to 50'),
        (['resourceCenter', 'search'], 'yes', '$.resourceCenter.search: must be true or false'),
    ],
)
def test_a_bad_launcher_banner_or_resource_center_is_skipped_alone(path, value, message):
    result = broken(path, value)
    assert len(result['errors']) == 1 and message in result['errors'][0], result['errors']
    assert [f['id'] for f in result['flows']] == ['welcome', 'tour']
    kept = {'launchers': len(result['launchers']), 'banners': len(result['banners'])}
    kept['resourceCenter'] = int(result['resourceCenter'] is not None)
    assert kept == {**{'launchers': 1, 'banners': 1, 'resourceCenter': 1}, path[0]: 0}


def test_dismiss_is_for_launchers_and_banners_only_and_ids_are_unique():
    result = broken(['flows', 1, 'steps', 0, 'buttons', 0, 'action'], {'dismiss': True})
    assert result['errors'][:1] == [
        'flow "tour" skipped: $.flows[1].steps[0].buttons[0].action.dismiss: unknown key'
    ]
    content = copy.deepcopy(CONTENT)
    content['banners'].append(copy.deepcopy(content['banners'][0]))
    assert validate(content)['errors'] == [
        'banner "maintenance" skipped: $.banners[1].id: repeats an earlier banner id'
    ]


def test_until_the_pattern_checker_comes_patterns_stay_unchecked_and_never_run():
    """In the browser the checker is a chunk of its own (browser/main.py loads it for content
    that may have `matches` tests, without holding up the engine): content validated before it
    comes keeps its flows, and its patterns never run; validated again with it (FlowHost.use_patterns),
    a safe pattern runs and a flow with an unsafe one is dropped by name."""
    content = {
        'version': 1,
        'flows': [
            {
                'id': 'safe',
                'autoStart': {'when': {'page': {'op': 'matches', 'value': '^https://unchecked'}}},
                'steps': [{'id': 's', 'type': 'modal', 'title': 'Hi'}],
            },
            {
                'id': 'unsafe',
                'autoStart': {'when': {'page': {'op': 'matches', 'value': '(a+)+$'}}},
                'steps': [{'id': 's', 'type': 'modal', 'title': 'Hi'}],
            },
        ],
    }
    use_pattern_checker(None)
    try:
        early = validate(content)
    finally:
        use_pattern_checker(check_pattern)
    assert [f['id'] for f in early['flows']] == ['safe', 'unsafe'] and early['errors'] == []
    assert not matches('^https://unchecked', 'https://unchecked.example/')  # never ran
    checked = validate(content)
    assert [f['id'] for f in checked['flows']] == ['safe']
    assert checked['errors'] == [
        'flow "unsafe" skipped: $.flows[1].autoStart.when.page.value: '
        'refused pattern: nested quantifiers or a repeated alternation can backtrack catastrophically'
    ]
    assert matches('^https://unchecked', 'https://unchecked.example/')  # accepted now
