"""The JSON Schema for content files (sdk/content-schema.json, issue 16) says what content.py
accepts: generated valid content passes both, and each mutation a schema can express (an unknown
key anywhere, an ID with a space, a step type or an operator that does not exist, a text over its
limit) is refused by both. What a schema cannot say (goto/startFlow name existing steps and flows,
unique IDs, nesting depth, the safe regex subset) is kept valid by the generator."""

import copy
import json

import jsonschema
from hypothesis import given, settings, strategies as st

from sdk import ROOT
from userflow.pure.content import validate

SCHEMA = json.loads((ROOT / 'sdk' / 'content-schema.json').read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
ids = st.from_regex(r'[A-Za-z0-9_.:-]{1,12}', fullmatch=True)
words = st.text(st.sampled_from('abc XYZ é😀'), max_size=20)
tags = st.sampled_from(['en', 'de', 'de-AT', 'pt-BR', 'zh-Hant-TW', 'ar'])


def localized(plain):
    """A text as content may give it: a string, or a map of locale tags to strings."""
    return plain | st.dictionaries(tags, plain, min_size=1, max_size=3)


selectors = st.sampled_from(['#a', '.b', 'main > button', '[data-x="1"]'])
maybe = lambda s: st.none() | s  # noqa: E731 -- an optional key may be null


def leaves():
    text_ops = st.sampled_from(['equals', 'notEquals', 'contains', 'startsWith', 'endsWith'])
    return st.one_of(
        st.builds(
            lambda s, state: {'element': s, 'state': state},
            selectors,
            maybe(st.sampled_from(['present', 'absent', 'visible', 'clicked', 'disabled'])),
        ),
        st.builds(lambda s, op, v: {'input': s, 'op': op, 'value': v}, selectors, text_ops, words),
        st.builds(lambda s: {'input': s, 'op': 'isEmpty'}, selectors),
        st.builds(
            lambda op, v: {'page': {'op': op, 'value': '/' + v}},
            st.sampled_from(['equals', 'startsWith', 'contains', 'glob']),
            words,
        ),
        st.builds(
            lambda k, op, v: {'attribute': k, 'op': op, 'value': v},
            st.sampled_from(['plan', 'seats', 'a.b']),
            st.sampled_from(['eq', 'ne', 'gt', 'lte', 'contains']),
            st.one_of(words, st.integers(-9, 9), st.booleans(), st.none()),
        ),
        st.builds(
            lambda k, vs: {'attribute': k, 'op': 'in', 'value': vs},
            st.just('plan'),
            st.lists(words, min_size=1, max_size=3),
        ),
        st.builds(lambda k: {'attribute': k, 'op': 'exists'}, st.just('plan')),
        st.builds(lambda e: {'event': 'e' + e}, words),
    )


conditions = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.builds(lambda xs: {'all': xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {'any': xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {'not': x}, inner),
    ),
    max_leaves=6,
)


@st.composite
def contents(draw):
    flow_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    flows = []
    for flow_id in flow_ids:
        step_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
        actions = st.one_of(
            st.just({'next': True}),
            st.just({'end': True}),
            st.just({'complete': True}),
            st.sampled_from(step_ids).map(lambda s: {'goto': s}),
            st.sampled_from(flow_ids).map(lambda f: {'startFlow': f}),
            st.sampled_from(['/next', 'https://app.example/x']).map(lambda u: {'navigate': u}),
        )
        steps = []
        for step_id in step_ids:
            kind = draw(st.sampled_from(['modal', 'tooltip', 'beacon', 'hidden']))
            step = {'id': step_id, 'type': kind}
            if kind in ('tooltip', 'beacon') or draw(st.booleans()):
                step['target'] = {'selector': draw(selectors), 'text': draw(maybe(words.filter(len)))}
            if kind == 'tooltip' and draw(st.booleans()):
                step['spotlight'] = draw(
                    st.just(True)
                    | st.fixed_dictionaries(
                        {}, optional={'padding': st.integers(0, 64), 'blockClicks': st.booleans()}
                    )
                )
            step['title'] = draw(maybe(localized(words)))
            step['placement'] = draw(maybe(st.sampled_from(['auto', 'top', 'bottom', 'left', 'right'])))
            step['buttons'] = draw(
                st.lists(st.fixed_dictionaries({'label': words.filter(len), 'action': actions}), max_size=2)
            )
            step['triggers'] = draw(
                st.lists(st.fixed_dictionaries({'when': conditions, 'action': actions}), max_size=2)
            )
            steps.append(step)
        flow = {'id': flow_id, 'steps': steps, 'name': draw(maybe(localized(words)))}
        if draw(st.booleans()):
            flow['autoStart'] = {'when': draw(conditions), 'once': draw(maybe(st.booleans()))}
        flow['progress'] = draw(maybe(st.sampled_from(['count', 'dots'])))
        flows.append(flow)
    task = st.fixed_dictionaries(
        {'id': ids, 'title': localized(words.filter(len))},
        optional={
            'completeWhen': conditions,
            'action': st.sampled_from(flow_ids).map(lambda f: {'startFlow': f}),
        },
    )
    checklists = draw(
        st.lists(
            st.fixed_dictionaries(
                {'id': ids, 'tasks': st.lists(task, min_size=1, max_size=3, unique_by=lambda t: t['id'])}
            ),
            max_size=2,
            unique_by=lambda c: c['id'],
        )
    )
    surface_actions = st.one_of(
        st.sampled_from(flow_ids).map(lambda f: {'startFlow': f}),
        st.just({'navigate': '/x'}),
        st.just({'dismiss': True}),
    )
    buttons = st.lists(
        st.fixed_dictionaries({'label': localized(words.filter(len)), 'action': surface_actions}), max_size=2
    )
    bodies = localized(st.sampled_from(['**a** _b_ `c`', '- x\n- y', '[d](/e)', '![i](/i.png)']) | words)
    launchers = st.lists(
        st.fixed_dictionaries(
            {'id': ids, 'target': st.fixed_dictionaries({'selector': selectors})},
            optional={
                'when': conditions,
                'icon': st.sampled_from(['beacon', 'help', 'info']),
                'placement': st.sampled_from(['auto', 'top']),
                'title': localized(words),
                'body': bodies,
                'buttons': buttons,
            },
        ),
        max_size=2,
        unique_by=lambda x: x['id'],
    )
    banners = st.lists(
        st.fixed_dictionaries(
            {'id': ids, 'body': bodies},
            optional={
                'when': conditions,
                'position': st.sampled_from(['top', 'bottom']),
                'layout': st.sampled_from(['overlay', 'inline']),
                'dismissible': st.booleans(),
                'buttons': buttons,
            },
        ),
        max_size=2,
        unique_by=lambda x: x['id'],
    )
    items = [st.sampled_from(flow_ids).map(lambda f: {'flow': f})]
    items.append(st.builds(lambda t: {'link': '/docs', 'title': t}, localized(words.filter(len))))
    if checklists:
        items.append(st.sampled_from([c['id'] for c in checklists]).map(lambda c: {'checklist': c}))
    center = st.fixed_dictionaries(
        {'items': st.lists(st.one_of(items), min_size=1, max_size=4)},
        optional={'title': localized(words), 'search': st.booleans(), 'when': conditions},
    )
    return {
        '$schema': '../../sdk/content-schema.json',
        'version': 1,
        'flows': flows,
        'checklists': checklists,
        'launchers': draw(launchers),
        'banners': draw(banners),
        'resourceCenter': draw(st.none() | center),
    }


def objects(node, path=()):
    """Every object in the content, with its path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from objects(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from objects(value, (*path, i))


def schema_accepts(content):
    return next(VALIDATOR.iter_errors(content), None) is None


@settings(max_examples=200, deadline=None)
@given(content=contents())
def test_generated_valid_content_passes_both(content):
    assert validate(copy.deepcopy(content))['errors'] == []
    assert schema_accepts(content), next(VALIDATOR.iter_errors(content)).message


MUTATIONS = ['unknown key', 'bad id', 'bad enum', 'too long', 'bad locale']


@settings(max_examples=300, deadline=None)
@given(content=contents(), data=st.data())
def test_mutated_content_is_refused_by_both(content, data):
    mutation = data.draw(st.sampled_from(MUTATIONS))
    places = list(objects(content))
    if mutation == 'unknown key':
        path, node = data.draw(st.sampled_from(places))
        node['zz_unknown'] = 1
    elif mutation == 'bad id':
        path, node = data.draw(st.sampled_from([(p, n) for p, n in places if isinstance(n.get('id'), str)]))
        node['id'] = 'has space'
    elif mutation == 'bad enum':
        enums = [
            (p, n, k)
            for p, n in places
            for k in ('type', 'op', 'state', 'placement', 'progress', 'icon', 'position', 'layout')
            if isinstance(n.get(k), str)
        ]
        path, node, key = data.draw(st.sampled_from(enums))
        node[key] = 'bogus'
    elif mutation == 'bad locale':
        content['locale'] = 'english'
        path = ('locale',)
    else:
        texts = [
            (p, n, k, limit)
            for p, n in places
            for k, limit in (('title', 200), ('label', 60), ('name', 200))
            if isinstance(n.get(k), str)
        ]
        if not texts:
            return
        path, node, key, limit = data.draw(st.sampled_from(texts))
        node[key] = 'x' * (limit + 1)
    assert validate(copy.deepcopy(content))['errors'] != [], (mutation, path)
    assert not schema_accepts(content), (mutation, path)


def test_every_fixture_declares_the_schema_and_passes_it():
    for file in sorted((ROOT / 'fixtures' / 'content').glob('*.json')):
        content = json.loads(file.read_text())
        assert content.get('$schema') == '../../sdk/content-schema.json', file.name
        errors = [e.message for e in VALIDATOR.iter_errors(content)]
        if file.name != 'tok_flows.json':  # that one carries a deliberately broken flow
            assert errors == [], (file.name, errors)
