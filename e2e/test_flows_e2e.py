"""Flows in the browser (the flow issue): conditions decided on the live page, reactive without
polling, progress that survives a reload and follows other tabs, and nothing on the wire but
flow and step IDs."""

import pytest

from helpers import ui, wait_for

ENGINE = (
    "window.flowLog.map(e => e[0] + ':' + "
    "(e[1].stepId || e[1].flowId || e[1].checklistId || e[1].method || ''))"
)


def flow_wire(collector):
    return [(e['flow'], e.get('step'), e['action']) for e in collector.sink.events() if e['type'] == 'flow']


@pytest.mark.parametrize('query', ['?privacy=analytics', '?privacy=analytics&csp=strict'])
def test_a_whole_flow_reacts_to_the_page(page, collector, query):
    page.goto(collector.url + '/fixtures/flows.html' + query)
    ui(page, 'text=Welcome').wait_for()
    assert ui(page, '[role=dialog][aria-modal=true]').count() == 1
    ui(page, 'button:text-is("Start")').click()
    ui(page, 'text=Name it').wait_for()
    page.fill('#project-name', 'Apollo')  # typing advances the step
    ui(page, 'text=Then this').wait_for(timeout=5000)  # the target appears 2 s after load
    page.click('#late-button')
    wait_for(lambda: 'stepChanged:route' in page.evaluate(ENGINE))
    page.evaluate("location.hash = '#/done'")  # hash navigation completes the flow
    wait_for(lambda: any(a == 'completed' for _, _, a in flow_wire(collector)))
    assert page.evaluate(ENGINE) == [
        'error:content',
        'flowStarted:onboarding',
        'stepChanged:welcome',
        'stepChanged:name',
        'stepChanged:late',
        'stepChanged:route',
        'flowEnded:onboarding',
    ]
    assert flow_wire(collector) == [
        ('onboarding', 'welcome', 'started'),
        ('onboarding', 'welcome', 'stepSeen'),
        ('onboarding', 'name', 'stepSeen'),
        ('onboarding', 'late', 'stepSeen'),
        ('onboarding', 'route', 'stepSeen'),
        ('onboarding', 'route', 'completed'),
    ]
    assert any('flow "broken" skipped: $.flows[2].steps[0].type' in m for m in page.record.warnings())
    assert page.record.errors == [] and page.evaluate('window.__fixture.errors') == []
    assert page.evaluate('window.__fixture.violations') == []
    wire = b''.join(r.body for r in collector.sink.requests)
    assert b'Apollo' not in wire and b'project-name' not in wire
    # The flow engine and its UI ran in the page: its globals and prototypes are still its own.
    before, after = page.evaluate('[window.__fixture.before, window.__fixture.snapshot()]')
    assert set(after['window']) - set(before['window']) == {'0', 'userflow', 'flowLog'}
    assert all(after[name] == before[name] for name in before if name != 'window')


def test_a_reload_resumes_the_step_and_a_second_tab_follows(page, collector):
    page.goto(collector.url + '/fixtures/flows.html?privacy=analytics')
    ui(page, 'button:text-is("Start")').click()
    ui(page, 'text=Name it').wait_for()
    page.reload()
    ui(page, 'text=Name it').wait_for()
    other = page.context.new_page()
    other.goto(collector.url + '/fixtures/flows.html?privacy=analytics')
    other.locator('[data-userflow]').locator('text=Name it').wait_for()
    page.fill('#project-name', 'Apollo')
    other.locator('[data-userflow] [data-step=late]').wait_for(state='attached', timeout=5000)
    seen = [s for f, s, a in flow_wire(collector) if a == 'stepSeen']
    assert seen.count('name') == 1 and seen.count('welcome') == 1
    assert [a for _, _, a in flow_wire(collector)].count('started') == 1


def test_invalid_selectors_and_content_never_break_the_page(page, collector):
    page.goto(collector.url + '/fixtures/manual.html')
    page.evaluate("""() => {
        userflow.init('tok_none', {endpoint: location.origin});
        userflow.loadContent({version: 1, flows: [
          {id: 'bad-selector', autoStart: {when: {element: '#[[['}}, steps: [{id: 'a', type: 'modal'}]},
          {id: 'evil', steps: [{id: 'a', type: 'modal',
                                buttons: [{label: 'x', action: {eval: 'alert(1)'}}]}]}]});
        userflow.loadContent('{not json');
        userflow.loadContent({version: 1, flows: 'nope'});
    }""")
    page.wait_for_timeout(1500)  # console events reach Python only while Playwright runs
    warnings = '\n'.join(page.record.warnings())
    assert 'invalid selector in content: #[[[' in warnings
    assert 'flow "evil" skipped: $.flows[1].steps[0].buttons[0].action.eval: unknown key' in warnings
    assert 'content refused: not valid JSON' in warnings
    assert 'content refused: $.flows: must be a list' in warnings
    assert page.record.errors == [] and page.evaluate('window.__fixture.errors') == []


CONDITIONS = [
    ({'element': '#project-name'}, True),
    ({'element': '#nope', 'state': 'absent'}, True),
    ({'element': '#status', 'state': 'visible'}, True),
    ({'element': '#off', 'state': 'disabled'}, True),
    ({'element': '#status', 'text': {'op': 'contains', 'value': 'draft'}}, True),
    ({'element': '#status', 'text': {'op': 'equals', 'value': 'draft', 'caseSensitive': True}}, False),
    ({'input': '#project-name', 'op': 'startsWith', 'value': 'apo'}, True),
    ({'input': '#project-name', 'op': 'matches', 'value': '^[A-Z][a-z]+$'}, True),
    ({'input': '#secret', 'op': 'isEmpty'}, True),
    ({'page': {'op': 'glob', 'value': 'http://*/fixtures/flows.html*'}}, True),
    ({'page': {'op': 'matches', 'value': '/fixtures/\\w+\\.html'}}, True),
    ({'attribute': 'plan', 'op': 'eq', 'value': 'pro'}, True),
    ({'attribute': 'seats', 'op': 'gte', 'value': 10}, False),
    ({'event': 'teammate_invited'}, True),
    ({'flow': 'onboarding', 'state': 'seen'}, True),
    ({'all': [{'event': 'teammate_invited'}, {'not': {'element': '#nope'}}]}, True),
    ({'any': [{'event': 'never'}, {'element': '#off', 'state': 'clicked'}]}, False),
]


def checklist(page, tasks, tracked=None):
    """Identify (and track `tracked`), then show a checklist of `tasks` beside a started hidden
    flow (the placeholder UI marks a done task with a check)."""
    page.evaluate(
        """async ([tasks, tracked]) => {
        await userflow.identify('flow-user', {plan: 'pro', seats: 5});
        if (tracked) await userflow.track(tracked);
        userflow.loadContent({version: 1, flows: [{id: 'onboarding', steps: [{id: 'o', type: 'hidden'}]}],
                              checklists: [{id: 'conditions', tasks: tasks}]});
        await userflow.start('onboarding');
    }""",
        [tasks, tracked],
    )
    ui(page, f'[data-task={tasks[0]["id"]}]').wait_for()


def done_tasks(page, tasks):
    return {t['id'] for t in tasks if ui(page, f'[data-task={t["id"]}]').text_content().startswith('\u2713')}


def test_each_condition_form_is_decided_on_the_live_page(page, collector):
    # One checklist task per condition: tasks are evaluated independently, and the placeholder
    # UI marks a done task with a check.
    tasks = [
        {'id': f'c{i}', 'title': f'condition {i}', 'completeWhen': c} for i, (c, _) in enumerate(CONDITIONS)
    ]
    page.goto(collector.url + '/fixtures/flows.html?token=tok_none&late=60000')
    page.fill('#project-name', 'Apollo')
    checklist(page, tasks, tracked='teammate_invited')
    expected = {f'c{i}' for i, (_, held) in enumerate(CONDITIONS) if held}

    def done():
        return done_tasks(page, tasks)

    for _ in range(50):  # evaluation is asynchronous (one per frame): give it up to 5 s
        if done() == expected:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(200)  # and let any wrongly true condition show itself
    assert done() == expected


def test_the_pattern_checker_loads_only_with_content_that_has_patterns(page, collector):
    """`matches` patterns are checked by a chunk of their own (safe_patterns.py), which the core
    loads with content that may have them; without them a page never fetches it."""
    page.goto(collector.url + '/fixtures/flows.html?token=tok_none&late=60000')
    page.fill('#project-name', 'Apollo')
    plain = {'id': 'plain', 'title': 'plain', 'completeWhen': {'input': '#project-name', 'op': 'isEmpty'}}
    checklist(page, [plain])  # shown while a task is not done

    def chunks():
        return [
            r['url'].rsplit('/', 1)[-1].split('.')[0]
            for r in page.record.requests
            if '/userflow-' in r['url']
        ]

    assert 'userflow-app' in chunks() and 'userflow-patterns' not in chunks()
    tasks = [
        {
            'id': 'safe',
            'title': 'safe',
            'completeWhen': {'input': '#project-name', 'op': 'matches', 'value': '^[A-Z][a-z]+$'},
        },
        {
            'id': 'other',
            'title': 'other',
            'completeWhen': {'input': '#project-name', 'op': 'matches', 'value': '^x'},
        },
    ]
    page.evaluate(
        """(tasks) => userflow.loadContent({version: 1, checklists: [{id: 'conditions', tasks: tasks},
            {id: 'unsafe', tasks: [{id: 'u', title: 'u',
                completeWhen: {page: {op: 'matches', value: '(a+)+$'}}}]}]})""",
        tasks,
    )
    wait_for(lambda: ui(page, '[data-task=safe]').count() == 1 and done_tasks(page, tasks) == {'safe'})
    assert chunks().count('userflow-patterns') == 1
    wait_for(lambda: any('refused pattern: nested quantifiers' in m for m in page.record.warnings()))
    assert page.record.errors == []


MIXED = [
    {'id': 'plain', 'title': 'plain', 'completeWhen': {'input': '#project-name', 'op': 'isNotEmpty'}},
    {
        'id': 'regex',
        'title': 'regex',
        'completeWhen': {'input': '#project-name', 'op': 'matches', 'value': '^[A-Z][a-z]+$'},
    },
    {'id': 'open', 'title': 'open', 'completeWhen': {'input': '#project-name', 'op': 'isEmpty'}},
]


@pytest.mark.parametrize('chunk', ['late', 'missing'])
def test_the_pattern_checker_does_not_hold_up_the_engine(page, collector, chunk):
    """While the checker is on its way (or if it never comes), the content runs: its `matches`
    tests are false until it comes, and true as soon as it does; one that cannot load is said."""
    held = []
    if chunk == 'late':
        page.route('**/userflow-patterns.*.js', lambda route: held.append(route))
    else:
        page.route('**/userflow-patterns.*.js', lambda route: route.fulfill(status=404, body='gone'))
    page.goto(collector.url + '/fixtures/flows.html?token=tok_none&late=60000')
    page.fill('#project-name', 'Apollo')
    page.evaluate(
        """async (tasks) => {
        window.said = [];
        userflow.on('error', (e) => said.push(e.message));
        await userflow.identify('flow-user');
        userflow.loadContent({version: 1, flows: [{id: 'onboarding', steps: [{id: 'o', type: 'hidden'}]},
                                                  {id: 'broken', steps: [{id: 'b', type: 'nope'}]}],
                              checklists: [{id: 'conditions', tasks: tasks}]});
        await userflow.start('onboarding');
    }""",
        MIXED,
    )
    wait_for(lambda: ui(page, '[data-task=plain]').count() == 1 and done_tasks(page, MIXED) == {'plain'})
    page.wait_for_timeout(300)
    assert done_tasks(page, MIXED) == {'plain'}
    if chunk == 'late':
        assert len(held) == 1
        held[0].continue_()
        wait_for(lambda: done_tasks(page, MIXED) == {'plain', 'regex'})
        # Validated again with the checker: the content's other problem is not said twice.
        said = page.evaluate('said')
        assert len([m for m in said if 'flow "broken" skipped' in m]) == 1, said
    else:
        wait_for(lambda: any('its matches tests stay false' in m for m in page.record.warnings()))
        assert done_tasks(page, MIXED) == {'plain'}
    assert page.record.errors == []


def test_remembered_results_follow_text_added_as_nodes_and_elements_removed(page, collector):
    """Results are remembered between evaluations (flows/dom.py): an added text node or a removed
    element must still reach the conditions it concerns; an added empty element changes no text."""
    page.goto(collector.url + '/fixtures/flows.html?token=tok_none&late=60000')
    page.evaluate("""() => { const box = document.createElement('div'); box.id = 'box';
        const gone = document.createElement('p'); gone.id = 'gone'; gone.textContent = 'x';
        document.body.append(box, gone); }""")
    tasks = [
        {
            'id': 'text',
            'title': 'text',
            'completeWhen': {'element': '#box', 'text': {'op': 'contains', 'value': 'hi'}},
        },
        {'id': 'gone', 'title': 'gone', 'completeWhen': {'element': '#gone', 'state': 'absent'}},
        {
            'id': 'deep',
            'title': 'deep',
            'completeWhen': {'element': '#box', 'text': {'op': 'contains', 'value': 'deep'}},
        },
        {'id': 'never', 'title': 'never', 'completeWhen': {'element': '#never'}},  # keeps the list shown
    ]
    checklist(page, tasks)

    def done():
        page.wait_for_timeout(150)  # one evaluation per frame
        return done_tasks(page, tasks)

    assert done() == set()
    page.evaluate("document.getElementById('box').appendChild(document.createElement('b'))")
    assert done() == set()
    page.evaluate("document.getElementById('box').appendChild(document.createTextNode('hi'))")
    assert wait_for(lambda: done() == {'text'})
    page.evaluate("document.getElementById('gone').remove()")
    assert wait_for(lambda: done() == {'text', 'gone'})
    page.evaluate("""() => { const d = document.createElement('div');
        d.innerHTML = '<span>deep</span>'; document.querySelector('#box b').appendChild(d); }""")
    assert wait_for(lambda: done() == {'text', 'gone', 'deep'})


def note_ended(page, content):
    """Identify, collect the IDs of ended flows in `window.ended`, and load `content`."""
    page.evaluate(
        """async (content) => {
        await userflow.identify('flow-user');
        window.ended = [];
        userflow.on('flowEnded', (e) => window.ended.push(e.flowId));
        userflow.loadContent(content);
    }""",
        content,
    )


def test_a_flow_started_between_evaluations_is_evaluated_at_the_next_page_change(page, collector):
    """An evaluation whose page change touched no remembered result is skipped only while the
    flows' state, URL, attributes and events are those of the last one that changed nothing: a
    flow started through the API in between has its trigger read at the next keystroke."""
    page.goto(collector.url + '/fixtures/flows.html?token=tok_none&late=60000')
    flow = hidden_flow('f', {'element': '#project-name'}, {'complete': True}, auto=False)
    task = {'id': 't', 'title': 'never', 'completeWhen': {'element': '#never'}}
    note_ended(page, {'version': 1, 'flows': [flow], 'checklists': [{'id': 'k', 'tasks': [task]}]})
    ui(page, '[data-task=t]').wait_for()
    page.click('#secret')
    page.keyboard.press('a')  # an evaluation that changes nothing: the next may be skipped
    page.wait_for_timeout(200)
    page.evaluate("userflow.start('f')")  # no evaluation of its own
    page.wait_for_timeout(200)
    page.keyboard.press('b')  # a field no condition reads
    assert wait_for(lambda: page.evaluate('window.ended') == ['f'])


@pytest.mark.parametrize(
    'stopped',
    [
        "Object.defineProperty(document, 'visibilityState', {get: () => 'hidden', configurable: true})",
        'window.requestAnimationFrame = () => 0',  # frames stop (a throttled frame)
    ],
    ids=['hidden', 'frameless'],
)
def test_a_page_that_runs_no_frames_is_still_evaluated(page, collector, stopped):
    """Evaluation waits for the next animation frame; a hidden page (which runs none) falls back
    to a 100 ms timer, and a page whose frames stop to one timer a second."""
    page.goto(collector.url + '/fixtures/flows.html?token=tok_none&late=60000')
    flow = hidden_flow('f', {'element': '#done'}, {'complete': True}, auto=False)
    flow['autoStart'] = {'when': {'element': '#show'}}
    note_ended(page, {'version': 1, 'flows': [flow]})
    page.wait_for_timeout(300)
    page.evaluate(stopped)
    page.evaluate("document.body.appendChild(document.createElement('b')).id = 'show'")
    page.wait_for_timeout(1500)  # the flow starts: a timer, since no frame comes
    page.evaluate("document.body.appendChild(document.createElement('i')).id = 'done'")
    assert wait_for(lambda: page.evaluate('window.ended') == ['f'])


@pytest.mark.parametrize('mode', ['strict', 'standard', 'analytics'])
def test_strict_mode_traffic_is_identical_whichever_secret_the_page_holds(browser, collector, mode):
    """Strict and the default level: identical traffic. In the opt-in analytics level the flow
    watching the secret completes for one value only and says so, so the traffic differs: that
    run shows this comparison can see a difference at all."""
    pinned = """(() => {
        let t = 1767225600000, n = 0;
        Date.now = () => t;
        crypto.randomUUID = () => '00000000-0000-4000-8000-' + String(++n).padStart(12, '0');
        crypto.getRandomValues = (a) => { a.fill(7); return a; };
    })()"""
    bodies = []
    for secret in ['open sesame', 'something else entirely']:
        collector.quiet()
        collector.sink.clear()
        context = browser.new_context()
        context.add_init_script(pinned)
        page = context.new_page()
        page.goto(collector.url + '/fixtures/flows.html?late=0&privacy=' + mode)
        page.wait_for_function('window.flowLog.some(e => e[0] === "flowStarted")')
        page.evaluate("userflow.start('secret-check')")
        page.fill('#secret', secret)
        page.fill('#project-name', secret)
        if mode != 'strict' and secret == 'open sesame':
            page.wait_for_function("window.flowLog.some(e => e[0] === 'flowEnded')")
        page.wait_for_timeout(300)
        page.evaluate("userflow.track('done')")
        page.goto(collector.url + '/fixtures/other.html')
        wait_for(lambda: any(b'"done"' in r.body for r in collector.sink.events_posts()))
        requests = [(r.method, r.path, r.body) for r in collector.sink.requests if r.path.startswith('/v1/')]
        bodies.append(list(dict.fromkeys(requests)))  # a retried batch is the same request again
        context.close()
    if mode == 'analytics':
        assert bodies[0] != bodies[1]
        return
    assert bodies[0] == bodies[1]
    assert all(b'"flow"' not in body for _, _, body in bodies[0])
    assert all(b'sesame' not in body and b'entirely' not in body for _, _, body in bodies[0])
    assert len(bodies[0]) >= 2  # the content GET and at least one events POST were compared


def load(page, content, init='{endpoint: location.origin}'):
    page.evaluate(
        f"""(content) => {{ window.flowLog = [];
        ['flowStarted', 'flowEnded', 'stepChanged']
          .forEach(n => userflow.on(n, p => window.flowLog.push([n, p])));
        userflow.init('tok_none', {init}); userflow.identify('u');
        userflow.loadContent(content); }}""",
        content,
    )


def hidden_flow(flow_id, when, action, auto=True):
    flow = {
        'id': flow_id,
        'steps': [{'id': 'w', 'type': 'hidden', 'triggers': [{'when': when, 'action': action}]}],
    }
    if auto:
        flow['autoStart'] = {'when': {'page': {'op': 'contains', 'value': '/fixtures/'}}}
    return flow


def test_push_state_navigation_advances_a_flow(page, collector):
    page.goto(collector.url + '/fixtures/manual.html')
    load(
        page,
        {
            'version': 1,
            'flows': [
                hidden_flow('spa', {'page': {'op': 'glob', 'value': '*/app/settings*'}}, {'end': True})
            ],
        },
        init="{endpoint: location.origin, privacy: 'analytics'}",
    )
    page.wait_for_function("window.flowLog.some(e => e[0] === 'flowStarted')")
    page.evaluate("history.pushState({}, '', '/fixtures/app/settings?x=1')")
    page.wait_for_function("window.flowLog.some(e => e[0] === 'flowEnded')")
    wait_for(lambda: ('spa', 'w', 'dismissed') in flow_wire(collector))


def test_navigate_actions_stay_on_the_site_and_use_the_custom_navigate(page, collector):
    page.goto(collector.url + '/fixtures/manual.html')
    page.evaluate('window.went = []; userflow.setCustomNavigate(url => window.went.push(url))')
    content = {
        'version': 1,
        'flows': [
            {
                'id': 'go',
                'autoStart': {'when': {'element': 'body'}},
                'steps': [
                    {
                        'id': 'a',
                        'type': 'modal',
                        'title': 'Go',
                        'buttons': [
                            {'label': 'Billing', 'action': {'navigate': '/billing?tab=2'}},
                            {'label': 'Away', 'action': {'navigate': 'https://evil.example/steal'}},
                        ],
                    }
                ],
            }
        ],
    }
    load(page, content)
    ui(page, 'button:text-is("Billing")').click()
    ui(page, 'button:text-is("Away")').click()
    page.wait_for_function('window.went.length === 1')
    page.wait_for_timeout(300)
    assert page.evaluate('window.went') == [collector.url + '/billing?tab=2']
    assert any(
        'navigate refused: https://evil.example/steal is not on this site' in m
        for m in page.record.warnings()
    )
    assert page.url.endswith('/fixtures/manual.html')


@pytest.mark.parametrize('enabled', [True, False])
def test_open_shadow_roots_are_searched_only_when_enabled(page, collector, enabled):
    page.goto(collector.url + '/fixtures/manual.html')
    load(
        page,
        {
            'version': 1,
            'flows': [hidden_flow('shadow', {'element': '#inside', 'state': 'present'}, {'complete': True})],
        },
        '{endpoint: location.origin, searchShadowRoots: %s}' % ('true' if enabled else 'false'),
    )
    page.wait_for_function("window.flowLog.some(e => e[0] === 'flowStarted')")
    page.evaluate("""() => { const host = document.createElement('div'); document.body.appendChild(host);
        const root = host.attachShadow({mode: 'open'}); const b = document.createElement('b');
        b.id = 'inside'; root.appendChild(b); }""")
    if enabled:
        page.wait_for_function("window.flowLog.some(e => e[0] === 'flowEnded')", timeout=5000)
    else:
        page.wait_for_timeout(1000)
    ended = page.evaluate("window.flowLog.filter(e => e[0] === 'flowEnded').length")
    assert ended == (1 if enabled else 0)


@pytest.mark.parametrize('where', ['document', 'root'])
def test_a_custom_element_defined_later_is_searched_once_defined(page, collector, where):
    """A custom element upgraded after it was added attaches its shadow root with no mutation
    record: the roots searched are looked for again, in the page and in the roots already found,
    when a pending name is defined."""
    page.goto(collector.url + '/fixtures/manual.html')
    flow = hidden_flow(
        'late', {'element': '#deep', 'text': {'op': 'contains', 'value': 'ready'}}, {'complete': True}
    )
    load(page, {'version': 1, 'flows': [flow]}, '{endpoint: location.origin, searchShadowRoots: true}')
    page.wait_for_function("window.flowLog.some(e => e[0] === 'flowStarted')")
    if where == 'root':  # a root found first, then the pending element inside it
        page.evaluate("""() => { const host = document.body.appendChild(document.createElement('div'));
            host.attachShadow({mode: 'open'}).appendChild(document.createElement('p')); }""")
        page.wait_for_timeout(300)
    page.evaluate(
        """(where) => { const parent = where === 'root'
            ? document.querySelector('div').shadowRoot : document.body;
          parent.appendChild(document.createElement('x-card')); }""",  # not defined yet
        where,
    )
    page.wait_for_timeout(300)
    page.evaluate("""customElements.define('x-card', class extends HTMLElement {
        constructor() { super(); this.attachShadow({mode: 'open'}).innerHTML = '<b id="deep">ready</b>'; }
    })""")
    page.wait_for_function("window.flowLog.some(e => e[0] === 'flowEnded')", timeout=5000)


def test_content_is_fetched_without_user_data_and_without_the_etag_it_was_given(page, collector):
    page.goto(collector.url + '/fixtures/flows.html?late=0')
    ui(page, 'text=Welcome').wait_for()
    page.reload()
    ui(page, 'text=Welcome').wait_for()
    gets = [r for r in collector.sink.requests if r.path == '/v1/content/tok_flows']
    # The server sends an ETag; a per-browser ETag would be an identifier, so it never comes back.
    assert len(gets) == 2 and [g.status for g in gets] == [200, 200]
    assert 'if-none-match' not in gets[1].headers and 'if-modified-since' not in gets[1].headers
    for get in gets:
        assert 'cookie' not in get.headers and 'referer' not in get.headers
