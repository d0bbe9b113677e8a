"""Incremental evaluation (issue 17, flows/dom.py) against a fresh look at the page, in
Chromium: on generated sequences of page changes (elements added with and without children, ids
and classes, removed, replaced, text set and appended, attributes changed — named by selectors,
by none, and read by every disabled state — several in one frame), every remembered condition
result the SDK shows equals what the page says now.

The results are read from the debugger panel, which explains each flow's `autoStart` condition
with the page's remembered results after every evaluation; the page's answer is computed here,
in the page, from scratch (`ORACLE`, the conditions' rules for the forms used)."""

import itertools

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings, strategies as st

SELECTORS = [
    '#ka',
    '.kb',
    'em',
    '#stage .kb',
    'em.kb',
    '.kc > em',
    'u:first-child',
    'em + u',
    '.kb:not(.kc)',
    '[data-k]',
    '[data-k="1"] u',
    'div .kc',
    '[title] u',
]
FORMS = [
    {},
    {'state': 'absent'},
    {'text': {'op': 'contains', 'value': 'hi'}},
    {'text': {'op': 'equals', 'value': 'x'}},
    {'state': 'disabled'},
]
CONDITION = st.builds(
    lambda s, form: {'element': s, **form}, st.sampled_from(SELECTORS), st.sampled_from(FORMS)
)

ELEMENT = st.fixed_dictionaries(
    {
        'tag': st.sampled_from(['em', 'u', 'div', 'b', 'button']),
        'id': st.sampled_from([None, 'ka', 'zz']),
        'classes': st.lists(st.sampled_from(['kb', 'kc', 'kd']), max_size=2, unique=True),
        'data': st.sampled_from([None, '', '1']),
        'text': st.sampled_from([None, None, None, 'hi', 'x', 'say hi']),
        'inner': st.sampled_from([False, False, True]),  # one more element inside (with the text, if any)
    }
)
OPERATION = st.one_of(
    st.tuples(st.just('add'), st.integers(0, 30), ELEMENT),
    st.tuples(st.just('remove'), st.integers(0, 30)),
    st.tuples(st.just('replace'), st.integers(0, 30), ELEMENT),
    st.tuples(st.just('host'), st.integers(0, 30), ELEMENT),
    st.tuples(st.just('text'), st.integers(0, 30), st.sampled_from(['', 'hi', 'x', 'Hi there'])),
    st.tuples(st.just('append'), st.integers(0, 30), st.sampled_from(['hi', 'x'])),
    st.tuples(st.just('data'), st.integers(0, 30), st.sampled_from(['hi', 'x', 'no'])),
    st.tuples(
        st.just('attribute'),
        st.integers(0, 30),
        st.sampled_from(['class', 'id', 'data-k', 'title', 'disabled', 'aria-disabled']),
        st.sampled_from([None, 'kb', 'kc kb', 'ka', '1', 'true']),
    ),
)
FRAME = st.lists(OPERATION, min_size=1, max_size=3)  # the operations of one frame

STAGE = """(document.getElementById('stage')
  || document.getElementById('shadow-host').shadowRoot.getElementById('stage'))"""

APPLY = (
    """(frame) => {
  const stage = """
    + STAGE
    + """;
  const pick = (i) => { const all = [stage, ...stage.querySelectorAll('*')]; return all[i % all.length]; };
  const make = (e) => {
    const node = document.createElement(e.tag);
    if (e.id !== null) node.setAttribute('id', e.id);
    if (e.classes.length) node.setAttribute('class', e.classes.join(' '));
    if (e.data !== null) node.setAttribute('data-k', e.data);
    const holder = e.inner ? node.appendChild(document.createElement('u')) : node;
    if (e.text !== null) holder.appendChild(document.createTextNode(e.text));
    return node;
  };
  for (const op of frame) {
    const [kind, i] = op;
    if (kind === 'add') pick(i).appendChild(make(op[2]));
    else if (kind === 'remove') { const n = pick(i); if (n !== stage) n.remove(); }
    else if (kind === 'replace') { const n = pick(i); if (n !== stage) n.replaceWith(make(op[2])); }
    else if (kind === 'host') {  // an element with an open shadow root holding another
      const host = pick(i).appendChild(document.createElement('div'));
      host.className = 'kh';
      host.attachShadow({mode: 'open'}).appendChild(make(op[2]));
    }
    else if (kind === 'text') pick(i).textContent = op[2];
    else if (kind === 'append') pick(i).appendChild(document.createTextNode(op[2]));
    else if (kind === 'data') {
      const walker = document.createTreeWalker(pick(i), NodeFilter.SHOW_TEXT);
      const text = walker.nextNode();
      if (text) text.data = op[2]; else pick(i).appendChild(document.createTextNode(op[2]));
    } else if (kind === 'attribute') {
      const n = pick(i);
      if (n === stage) continue;
      if (op[3] === null) n.removeAttribute(op[2]); else n.setAttribute(op[2], op[3]);
    }
  }
}"""
)

ORACLE = """(conditions) => conditions.map((c) => {
  const roots = [document];  // and, with searchShadowRoots, every open shadow root but the SDK's
  for (let k = 0; window.searching && k < roots.length; k++) {
    for (const e of roots[k].querySelectorAll('*')) {
      if (e.shadowRoot && !e.hasAttribute('data-userflow')) roots.push(e.shadowRoot);
    }
  }
  const found = roots.flatMap((r) => Array.from(r.querySelectorAll(c.element))).slice(0, 100);
  if (c.state === 'absent') return found.length === 0;
  if (c.state === 'disabled') {
    return found.some((e) => e.disabled === true || e.getAttribute('aria-disabled') === 'true');
  }
  if (!c.text) return found.length > 0;
  const want = c.text.value.toLowerCase();
  return found.some((e) => {
    const text = (e.textContent || '').slice(0, 10000).replace(/\\s+/g, ' ').trim().toLowerCase();
    return c.text.op === 'equals' ? text === want : text.indexOf(want) >= 0;
  });
})"""

SHOWN = """(count) => {
  const panel = document.querySelector('userflow-debugger').shadowRoot;
  const shown = [];
  for (const h of panel.querySelectorAll('h3')) {
    if (!h.textContent.startsWith('Flow ')) continue;
    const first = h.nextElementSibling.nextElementSibling.firstElementChild;
    shown.push(first.className === 'yes');
  }
  return shown.length === count ? shown : null;
}"""

FRAMES = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 30))))"""


@pytest.fixture(scope='module', params=['document', 'shadow'])
def stage(browser, collector, request):
    """The page: a stage in the document, or inside an open shadow root with searchShadowRoots
    on (where roots appear under added elements, and leave with them)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(collector.url + '/fixtures/manual.html')
    searching = request.param == 'shadow'
    page.evaluate(
        """(searching) => { window.searching = searching;
        userflow.init('tok_none', {searchShadowRoots: searching});
        const s = document.createElement('section'); s.id = 'stage';
        if (!searching) return document.body.appendChild(s);
        const host = document.createElement('div'); host.id = 'shadow-host';
        document.body.appendChild(host); host.attachShadow({mode: 'open'}).appendChild(s); }""",
        searching,
    )
    page.evaluate('userflow.debugger()')
    page.wait_for_function("document.querySelector('userflow-debugger')")
    yield page
    context.close()


# The checklist's tasks as the panel lists them: done or not, in order.
TASKS = """(count) => {
  const panel = document.querySelector('userflow-debugger').shadowRoot;
  const done = Array.from(panel.querySelectorAll('li'))
    .filter((li) => /^task t\\d+: /.test(li.textContent))
    .map((li) => li.textContent.endsWith(': done'));
  return done.length === count ? done : null;
}"""


def settled(page, truth, read=SHOWN):
    """What the panel shows (`read`) once it shows `truth`, or after about two seconds: a
    result that stays wrong stays wrong, a panel not drawn yet (a slow machine) catches up."""
    now = shown(page, len(truth), read)
    for _ in range(8):
        if now == truth:
            break
        page.wait_for_timeout(250)
        now = shown(page, len(truth), read)
    return now


def shown(page, count, read=SHOWN):
    page.evaluate(FRAMES)
    return page.evaluate(read, count)


EMPTY_KA = {'tag': 'em', 'id': 'ka', 'classes': ['kb'], 'data': None, 'text': None, 'inner': False}


@settings(
    max_examples=40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a page takes minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(conditions=[{'element': '#ka'}], frames=[[('add', 0, EMPTY_KA)], [('remove', 1)]])
@example(
    conditions=[{'element': '.kb', 'text': {'op': 'contains', 'value': 'hi'}}],
    frames=[[('add', 0, EMPTY_KA)], [('append', 1, 'hi')], [('data', 1, 'x')]],
)
@example(
    conditions=[{'element': '.kc > em'}, {'element': '#ka', 'state': 'absent'}],
    frames=[
        [('add', 0, {**EMPTY_KA, 'tag': 'div'}), ('add', 1, EMPTY_KA)],
        [('attribute', 1, 'class', 'kc')],
    ],
)
@example(  # an attribute no selector names, then one every disabled state reads
    conditions=[{'element': '.kb', 'state': 'disabled'}, {'element': '[title] u'}],
    frames=[
        [('add', 0, {**EMPTY_KA, 'tag': 'button', 'inner': True})],
        [('attribute', 1, 'title', 'x')],
        [('attribute', 1, 'disabled', '')],
        [('attribute', 1, 'aria-disabled', 'true'), ('attribute', 1, 'disabled', None)],
    ],
)
@example(  # a removal that makes a structural selector match: asked though nothing it matched left
    conditions=[{'element': 'u:first-child'}],
    frames=[[('add', 0, EMPTY_KA), ('add', 0, {**EMPTY_KA, 'tag': 'u', 'id': None})], [('remove', 1)]],
)
@example(
    conditions=[{'element': 'em'}, {'element': '[data-k]', 'state': 'absent'}],
    frames=[[('add', 0, {**EMPTY_KA, 'id': None, 'classes': [], 'data': ''})]],
)
@given(
    conditions=st.lists(CONDITION, min_size=1, max_size=8, unique_by=lambda c: repr(sorted(c.items()))),
    frames=st.lists(FRAME, min_size=1, max_size=6),
)
def test_remembered_results_equal_a_fresh_look_at_the_page(stage, conditions, frames):
    page = stage
    page.evaluate(STAGE + '.replaceChildren()')
    flows = [
        {'id': f'f{i}', 'autoStart': {'when': c}, 'steps': [{'id': 'w', 'type': 'hidden'}]}
        for i, c in enumerate(conditions)
    ]
    page.evaluate('(flows) => userflow.loadContent({version: 1, flows})', flows)
    for frame in frames:
        page.evaluate(APPLY, frame)
        truth = page.evaluate(ORACLE, conditions)
        assert settled(page, truth) == truth, (frame, page.evaluate(STAGE + '.innerHTML'))


def test_the_oracle_and_the_panel_see_one_example_alike(stage):
    """The check itself: a known page, known answers (so that a panel that never updates, or an
    oracle that always agrees, fails here)."""
    page = stage
    page.evaluate(STAGE + '.replaceChildren()')
    conditions = [{'element': '#ka'}, {'element': '.kb', 'text': {'op': 'contains', 'value': 'hi'}}]
    flows = [
        {'id': f'f{i}', 'autoStart': {'when': c}, 'steps': [{'id': 'w', 'type': 'hidden'}]}
        for i, c in enumerate(conditions)
    ]
    page.evaluate('(flows) => userflow.loadContent({version: 1, flows})', flows)
    assert settled(page, [False, False]) == [False, False] == page.evaluate(ORACLE, conditions)
    page.evaluate(APPLY, [['add', 0, EMPTY_KA]])
    assert settled(page, [True, False]) == [True, False] == page.evaluate(ORACLE, conditions)
    page.evaluate(APPLY, [['append', 1, 'say hi']])
    assert settled(page, [True, True]) == [True, True] == page.evaluate(ORACLE, conditions)


CHECKLISTS = itertools.count()


@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # a change the tasks do not read (their pass is skipped), then one they do
    conditions=[{'element': '#ka'}, {'element': '.kb', 'text': {'op': 'contains', 'value': 'hi'}}],
    frames=[
        [('add', 0, {**EMPTY_KA, 'id': 'zz', 'classes': ['kd']})],
        [('add', 0, EMPTY_KA)],
        [('append', 1, 'hi')],
    ],
)
@given(
    conditions=st.lists(CONDITION, min_size=1, max_size=8, unique_by=lambda c: repr(sorted(c.items()))),
    frames=st.lists(FRAME, min_size=1, max_size=6),
)
def test_checklist_tasks_complete_when_their_conditions_hold(stage, conditions, frames):
    """The checklist pass is skipped when a change can affect none of the results its tasks
    read (flows/main.py `_task_reads`): after every frame, a task is done exactly when its
    condition held at the end of a frame so far (the page's answer, `ORACLE`). A task that
    never holds keeps the checklist open."""
    page = stage
    page.evaluate(STAGE + '.replaceChildren()')
    tasks = [{'id': f't{i}', 'title': f'task {i}', 'completeWhen': c} for i, c in enumerate(conditions)]
    never = {'id': f't{len(tasks)}', 'title': 'never', 'completeWhen': {'element': '#nowhere'}}
    checklist = {'id': f'k{next(CHECKLISTS)}', 'tasks': [*tasks, never]}  # a new one: none done
    page.evaluate('(c) => userflow.loadContent({version: 1, checklists: [c]})', checklist)
    done = [*page.evaluate(ORACLE, conditions), False]
    assert settled(page, done, TASKS) == done
    for frame in frames:
        page.evaluate(APPLY, frame)
        done = [a or b for a, b in zip(done, [*page.evaluate(ORACLE, conditions), False], strict=True)]
        assert settled(page, done, TASKS) == done, (frame, page.evaluate(STAGE + '.innerHTML'))
